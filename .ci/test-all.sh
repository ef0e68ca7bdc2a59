#!/usr/bin/env bash
# Every test, on a fresh Debian machine as on a developer's: installs the system tools the tests run
# against, builds (or finds cached) the Pulumi CLI and the control-plane binaries from their Go
# modules in the background while the unit tests run, then runs the unit tests, the examples'
# type-check, the engine tests and the end-to-end boot. `npm ci` must have run first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/install-test-tools.sh

# The two Go builds run side by side, behind the unit tests (measured: about 29 minutes together
# cold, against about 42 one after the other). The test suites call the same scripts again: a
# finished build is a cache hit, a running one is waited for.
builds_log="$(mktemp -t kubernetes-pki-builds.XXXXXX.log)"
( bash test/engine/build/pulumi.sh & engine=$!
  bash test/e2e/build/binaries.sh & e2e=$!
  wait "$engine" && wait "$e2e" ) >"$builds_log" 2>&1 &
builds=$!
trap 'kill "$builds" 2>/dev/null || true' EXIT

npm test
npm run typecheck:examples

if ! wait "$builds"; then
  tail -n 40 "$builds_log" >&2
  echo "test-all: building the Pulumi CLI or the control-plane binaries failed (log: $builds_log)" >&2
  exit 1
fi
trap - EXIT
grep -E '^\[(engine|e2e)-bin\]' "$builds_log" || true

npm run test:engine
npm run test:e2e
