#!/usr/bin/env bash
# Provides the Pulumi CLI for the engine tests, built from its published Go module
# (github.com/pulumi/pulumi/pkg/v3, main package cmd/pulumi) through the committed wrapper
# module next to this script (pulumi/go.mod: the pin lives there and must equal the version of
# @pulumi/pulumi in package.json).
#
#   PULUMI_DIR=$(test/engine/build/pulumi.sh | tail -1)
#
# Progress lines ("[engine-bin] ...") and the go tool's output go to stderr; stdout gets exactly
# one line on success: the directory holding the `pulumi` binary.
#
# Environment:
#   PULUMI_BIN_DIR               use this directory if it holds a `pulumi` binary; nothing is built.
#   KUBERNETES_PKI_ENGINE_CACHE  cache root (default: $HOME/.cache/kubernetes-pki-engine);
#                                the binary goes to <root>/<version>/bin/pulumi.
#   ENGINE_BUILD_PARALLELISM     go build -p (default: 2).
#   GOMODCACHE, GOCACHE          Go's own defaults, shared with test/e2e/build/binaries.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD="$HERE/pulumi"
# shellcheck source=../../build/cacheEntry.sh
source "$HERE/../../build/cacheEntry.sh"
T0=$EPOCHREALTIME
log() { printf '[engine-bin] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

VERSION="$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }' "$MOD/go.mod")"
[[ "$VERSION" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "cannot read the pkg/v3 version from $MOD/go.mod (got '$VERSION')"
SDK_VERSION="$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2 }' "$MOD/go.mod")"
[[ "$SDK_VERSION" == "$VERSION" ]] || die "pulumi/go.mod: sdk/v3 is $SDK_VERSION, pkg/v3 is $VERSION"
NPM_VERSION="$(node -p 'require(process.argv[1]).dependencies["@pulumi/pulumi"]' "$HERE/../../../package.json")"
[[ "v$NPM_VERSION" == "$VERSION" ]] || die "package.json pins @pulumi/pulumi $NPM_VERSION but pulumi/go.mod builds $VERSION"

LD="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION"

# Does DIR/pulumi run and report VERSION?
runs_version() {
  local out
  out="$("$1/pulumi" version 2>/dev/null)" || return 2
  [[ "$out" == "$VERSION" ]] || { log "  $1/pulumi reports '$out' (pinned: $VERSION)"; return 1; }
}

if [[ -n "${PULUMI_BIN_DIR:-}" ]]; then
  if [[ -x "$PULUMI_BIN_DIR/pulumi" ]]; then
    dir="$(cd "$PULUMI_BIN_DIR" && pwd)"
    rc=0; runs_version "$dir" || rc=$?
    [[ "$rc" != 2 ]] || die "$dir/pulumi does not run"
    log "PULUMI_BIN_DIR=$dir: using its pulumi, building nothing"
    printf '%s\n' "$dir"
    exit 0
  fi
  log "PULUMI_BIN_DIR=$PULUMI_BIN_DIR has no pulumi; falling back to the build cache"
fi

CACHE_ROOT="${KUBERNETES_PKI_ENGINE_CACHE:-$HOME/.cache/kubernetes-pki-engine}"
KEY_DIR="$CACHE_ROOT/$VERSION"
BIN_DIR="$KEY_DIR/bin"
PAR="${ENGINE_BUILD_PARALLELISM:-2}"

command -v go >/dev/null || die "go not found in PATH"
STAMP="$({ cat "$MOD/go.mod" "$MOD/go.sum"; printf '%s\n' "$LD"; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -d' ' -f1)"
cache_ok() {
  [[ -f "$BIN_DIR/.stamp" && "$(cat "$BIN_DIR/.stamp")" == "$STAMP" && -x "$BIN_DIR/pulumi" ]] || return 1
  runs_version "$BIN_DIR"
}
if cache_ok; then
  log "cached pulumi $VERSION is up to date: $BIN_DIR"
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

lock_cache_entry

export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"
log "pin: github.com/pulumi/pulumi/pkg/v3 $VERSION; $(go env GOVERSION); -p $PAR"

t=$EPOCHREALTIME
(cd "$MOD" && go list -deps -f "" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >/dev/null) || die "module download failed"
log "modules downloaded/verified in $(since "$t")s"
t=$EPOCHREALTIME
(cd "$MOD" && go build -p "$PAR" -trimpath -ldflags "$LD" -o "$TMP_DIR/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || die "pulumi build failed"
log "built pulumi in $(since "$t")s"
runs_version "$TMP_DIR" || die "the built pulumi does not report $VERSION"
publish_cache_entry
log "$(du -sh "$BIN_DIR" | cut -f1) in $BIN_DIR; total $(since "$T0")s"
printf '%s\n' "$BIN_DIR"
