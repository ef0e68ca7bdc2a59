#!/usr/bin/env bash
# Provides the control-plane binaries for the end-to-end tests:
#   etcd, etcdctl, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
#   and kubeadm (the reference the PKI is compared with)
#
# Built from the published Go modules through the two committed wrapper modules
# next to this script (kubernetes/go.mod, etcd/go.mod: the pins live there).
#
#   BIN=$(test/e2e/build/binaries.sh | tail -1)
#
# Progress lines ("[e2e-bin] ...") and the go tool's output go to stderr; stdout
# gets exactly one line on success: the directory holding the seven binaries.
#
# Environment:
#   KUBE_BIN_DIR               use this directory if it holds all seven binaries;
#                              nothing is built then.
#   KUBERNETES_PKI_E2E_CACHE   cache root (default: $HOME/.cache/kubernetes-pki-e2e);
#                              binaries go to <root>/<k8s>-etcd<etcd>/bin.
#   E2E_BUILD_PARALLELISM      go build -p (default: 2).
#   GOMODCACHE, GOCACHE        Go's own defaults (~/go/pkg/mod, ~/.cache/go-build)
#                              unless set; they are reused across runs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_MOD="$HERE/kubernetes"
ETCD_MOD="$HERE/etcd"
# shellcheck source=../../build/cacheEntry.sh
source "$HERE/../../build/cacheEntry.sh"

T0=$EPOCHREALTIME
log() { printf '[e2e-bin] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# Seconds (one decimal) since $1 (an $EPOCHREALTIME value).
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# --- pins: read from the committed wrapper go.mod files (single source of truth)
modver() { # modver GOMOD MODULEPATH -> version required in GOMOD
  awk -v m="$2" '
    /^require[ \t]*\(/ { inreq = 1; next }
    inreq && /^\)/     { inreq = 0; next }
    inreq && $1 == m   { print $2; exit }
    $1 == "require" && $2 == m { print $3; exit }
  ' "$1"
}
K8S_VERSION="$(modver "$K8S_MOD/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(modver "$ETCD_MOD/go.mod" go.etcd.io/etcd/server/v3)"
[[ "$K8S_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "cannot read k8s.io/kubernetes version from $K8S_MOD/go.mod (got '$K8S_VERSION')"
K8S_MINOR="${BASH_REMATCH[1]}"
K8S_PATCH="${BASH_REMATCH[2]}"
STAGING_VERSION="v0.${K8S_MINOR}.${K8S_PATCH}"
[[ "$ETCD_VERSION" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "cannot read etcd server version from $ETCD_MOD/go.mod (got '$ETCD_VERSION')"
[[ "$(modver "$ETCD_MOD/go.mod" go.etcd.io/etcd/etcdctl/v3)" == "$ETCD_VERSION" ]] || die "etcd/go.mod: etcdctl and server versions differ"

K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubeadm)
ETCD_BINS=(etcd etcdctl)
ALL_BINS=("${ETCD_BINS[@]}" "${K8S_BINS[@]}")

# --- version checks (used for KUBE_BIN_DIR, the cache hit and a fresh build) --
version_cmd() { # the argv that prints BINARY's version, and the first line expected
  case "$1" in
    kubectl) VCMD=(version --client); VWANT="Client Version: $K8S_VERSION" ;;
    kubeadm) VCMD=(version -o short); VWANT="$K8S_VERSION" ;;
    etcdctl) VCMD=(version);          VWANT="etcdctl version: ${ETCD_VERSION#v}" ;;
    etcd)    VCMD=(--version);        VWANT="etcd Version: ${ETCD_VERSION#v}" ;;
    *)       VCMD=(--version);        VWANT="Kubernetes $K8S_VERSION" ;;
  esac
}
# check_versions DIR STRICT: logs each binary's version line. Returns 2 if one of
# them cannot print its version, else (with STRICT=1) 1 unless all seven match the
# pins. The seven run in parallel (keeps a cache hit < 1 s).
# Output is captured whole, never piped into head: under pipefail a SIGPIPE in a
# multi-line --version would count as a failure.
check_versions() {
  local dir="$1" strict="$2" bad=0 broken=0 out b rc
  local vt; vt="$(mktemp -d)"
  declare -A pids=()
  for b in "${ALL_BINS[@]}"; do
    version_cmd "$b"
    "$dir/$b" "${VCMD[@]}" > "$vt/$b" 2>&1 < /dev/null &
    pids[$b]=$!
  done
  for b in "${ALL_BINS[@]}"; do
    rc=0; wait "${pids[$b]}" || rc=$?
    version_cmd "$b"
    out="$(head -n 1 "$vt/$b")"
    if [[ "$rc" != 0 ]]; then
      log "  $b: '${VCMD[*]}' exited $rc: $out"; broken=1
    elif [[ "$out" == "$VWANT" ]]; then
      log "  $b: $out"
    else
      log "  $b: '$out' (pinned: '$VWANT')"; bad=1
    fi
  done
  rm -rf "$vt"
  if [[ "$broken" != 0 ]]; then return 2; fi
  if [[ "$bad" != 0 && "$strict" == 1 ]]; then return 1; fi
  return 0
}

# --- 1. KUBE_BIN_DIR: use prebuilt binaries, build nothing ---------------------
if [[ -n "${KUBE_BIN_DIR:-}" ]]; then
  missing=()
  for b in "${ALL_BINS[@]}"; do [[ -x "$KUBE_BIN_DIR/$b" ]] || missing+=("$b"); done
  if [[ ${#missing[@]} -eq 0 ]]; then
    dir="$(cd "$KUBE_BIN_DIR" && pwd)"
    log "KUBE_BIN_DIR=$dir holds all seven binaries: using them, building nothing"
    # A version other than the pins is only reported (the caller chose these
    # binaries); one that cannot even print its version is an error.
    check_versions "$dir" 0 || die "a binary in KUBE_BIN_DIR=$dir does not run"
    log "done in $(since "$T0")s"
    printf '%s\n' "$dir"
    exit 0
  fi
  log "KUBE_BIN_DIR=$KUBE_BIN_DIR lacks: ${missing[*]}; falling back to the build cache"
fi

# --- 2. cache hit --------------------------------------------------------------
CACHE_ROOT="${KUBERNETES_PKI_E2E_CACHE:-$HOME/.cache/kubernetes-pki-e2e}"
KEY_DIR="$CACHE_ROOT/${K8S_VERSION}-etcd${ETCD_VERSION#v}"
BIN_DIR="$KEY_DIR/bin"
PAR="${E2E_BUILD_PARALLELISM:-2}"

# Build flags. Kubernetes: the release builds' tags (they only drop test/trace
# code) and version stamping of both version packages, as hack/lib/version.sh does
# (without it --version says v0.0.0-master and kubectl warns about version skew).
K8S_TAGS="selinux,notest,grpcnotrace"
K8S_LD="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LD+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$K8S_MINOR -X $p.gitTreeState=clean"
done
# etcd: its version is a constant; only the Git SHA is stamped (with the tag).
ETCD_LD="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_VERSION}"

# Everything that determines the binaries: a change to the wrapper modules, the
# flags above or the Go toolchain invalidates the cache entry.
stamp() {
  {
    cat "$K8S_MOD/go.mod" "$K8S_MOD/go.sum" "$ETCD_MOD/go.mod" "$ETCD_MOD/go.sum"
    printf '%s\n' "$K8S_TAGS" "$K8S_LD" "$ETCD_LD"
    go env GOVERSION GOOS GOARCH 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}

cache_ok() {
  local b
  [[ -f "$BIN_DIR/.stamp" && "$(cat "$BIN_DIR/.stamp")" == "$STAMP" ]] || return 1
  for b in "${ALL_BINS[@]}"; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
  check_versions "$BIN_DIR" 1
}

command -v go >/dev/null || die "go not found in PATH"
STAMP="$(stamp)"
log "pins: k8s.io/kubernetes $K8S_VERSION (staging $STAGING_VERSION), etcd $ETCD_VERSION; $(go env GOVERSION)"
if cache_ok; then
  log "cached binaries are up to date: $BIN_DIR (checked in $(since "$T0")s)"
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

# --- 3. build --------------------------------------------------------------------
# Serialise concurrent runs on one cache entry; the second one then finds the cache.
lock_cache_entry

# Sanity check of the Kubernetes wrapper: every staging replace must point at the
# staging tag that matches k8s.io/kubernetes (a mismatch gives compile errors).
n_ok="$(grep -cE "^[[:space:]]*k8s\.io/[a-z0-9-]+ => k8s\.io/[a-z0-9-]+ ${STAGING_VERSION//./\\.}\$" "$K8S_MOD/go.mod" || true)"
n_all="$(grep -cE '=>' "$K8S_MOD/go.mod" || true)"
[[ "$n_ok" == "$n_all" && "$n_ok" -ge 31 ]] || die "kubernetes/go.mod: expected all (>= 31) staging replaces at $STAGING_VERSION, found $n_ok of $n_all"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off
# -mod=readonly: the committed go.mod/go.sum are used as they are (no sumdb lookup
# for listed modules, no edit of tracked files); a stale go.sum fails loudly.
export GOFLAGS="-mod=readonly -buildvcs=false"
log "GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPROXY=$(go env GOPROXY) -p $PAR"


K8S_PKGS=()
for b in "${K8S_BINS[@]}"; do K8S_PKGS+=("k8s.io/kubernetes/cmd/$b"); done
ETCD_PKGS=(go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3)

# 3a. downloads: exactly the modules the seven mains need, verified against go.sum.
t=$EPOCHREALTIME
(cd "$ETCD_MOD" && go list -deps -f "" "${ETCD_PKGS[@]}" >/dev/null) || die "etcd module download failed"
log "etcd modules downloaded/verified in $(since "$t")s"
t=$EPOCHREALTIME
(cd "$K8S_MOD" && go list -deps -f "" "${K8S_PKGS[@]}" >/dev/null) || die "kubernetes module download failed"
log "kubernetes modules downloaded/verified in $(since "$t")s"

# 3b. etcd + etcdctl (explicit -o: go would name .../server/v3's binary "server").
t=$EPOCHREALTIME
(cd "$ETCD_MOD" && go build -p "$PAR" -trimpath -ldflags "$ETCD_LD" -o "$TMP_DIR/etcd" go.etcd.io/etcd/server/v3) || die "etcd build failed"
log "built etcd in $(since "$t")s"
t=$EPOCHREALTIME
(cd "$ETCD_MOD" && go build -p "$PAR" -trimpath -ldflags "$ETCD_LD" -o "$TMP_DIR/etcdctl" go.etcd.io/etcd/etcdctl/v3) || die "etcdctl build failed"
log "built etcdctl in $(since "$t")s"

# 3c. the five Kubernetes mains in one go build (one package graph, shared work).
t=$EPOCHREALTIME
(cd "$K8S_MOD" && go build -p "$PAR" -trimpath -tags "$K8S_TAGS" -ldflags "$K8S_LD" -o "$TMP_DIR/" "${K8S_PKGS[@]}") || die "kubernetes build failed"
log "built ${K8S_BINS[*]} in $(since "$t")s"

# 3d. verify, then publish atomically.
log "checking versions"
check_versions "$TMP_DIR" 1 || die "version check failed; binaries left unpublished"
log "kube-apiserver $(go version -m "$TMP_DIR/kube-apiserver" | awk '$1 == "build" && $2 ~ /^DefaultGODEBUG=/ { print $2 }')"
publish_cache_entry
log "$(du -sh "$BIN_DIR" | cut -f1) in $BIN_DIR; total $(since "$T0")s"
printf '%s\n' "$BIN_DIR"
