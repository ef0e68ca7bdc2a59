#!/usr/bin/env bash
# Installs the system tools the test suite runs against, from Debian's packages:
#   etcd, etcdctl  (etcd-server, etcd-client: etcd 3.4) for test/etcd.test.ts
#   cloud-init     for validating rendered user-data
#   openssl        for re-signing certificates in test/check.test.ts
# Idempotent: does nothing when every tool is already on PATH. The tests never install anything;
# they fail with a pointer to this script instead.
#
# Debian's etcd-server package starts an etcd service on 127.0.0.1:2379 where services can start.
# The tests use their own addresses (127.0.10.x), but a packaged etcd has no business running on a
# build machine, so it is kept from starting during the install and disabled afterwards.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v cloud-init >/dev/null 2>&1 || missing+=(cloud-init)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-tools: etcd, etcdctl, cloud-init and openssl are already installed"
  exit 0
fi

echo "install-test-tools: installing ${missing[*]}"

# Keep maintainer scripts from starting services (invoke-rc.d asks policy-rc.d; 101 = "not allowed").
# An existing policy (e.g. Docker's, which also says 101) is left as it is.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 0755 "$policy"
  added_policy=yes
fi
remove_policy() { if [ -n "$added_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap remove_policy EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"

# Stop and disable the packaged etcd service, whichever init system this machine has (or none).
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now etcd.service >/dev/null 2>&1 || true
else
  if [ -x /etc/init.d/etcd ]; then $SUDO /etc/init.d/etcd stop >/dev/null 2>&1 || true; fi
  if command -v update-rc.d >/dev/null 2>&1; then $SUDO update-rc.d etcd disable >/dev/null 2>&1 || true; fi
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable etcd.service >/dev/null 2>&1 || true; fi
fi

for tool in etcd etcdctl cloud-init openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-test-tools: $tool is still missing" >&2; exit 1; }
done
echo "install-test-tools: $(etcd --version | head -n 1)"
