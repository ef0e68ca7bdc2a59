# Shared by test/e2e/build/binaries.sh and test/engine/build/pulumi.sh (sourced, not run): taking
# and publishing one cache entry of built binaries. The caller defines KEY_DIR (the entry),
# BIN_DIR (its published bin/), STAMP (what the binaries were built from), log and cache_ok.

# Takes the entry's lock (a second run waits, then finds the first run's result and exits with
# it), removes staging directories of killed runs, and sets TMP_DIR to a fresh staging directory
# that is removed on exit unless published.
lock_cache_entry() {
  mkdir -p "$KEY_DIR"
  exec 9>"$KEY_DIR/.lock"
  flock -n 9 || { log "another run holds $KEY_DIR/.lock: waiting for it"; flock 9; }
  if cache_ok; then
    log "another run built $BIN_DIR meanwhile"
    printf '%s\n' "$BIN_DIR"
    exit 0
  fi
  # Holding the lock, any bin.tmp.* is left over from a killed run (SIGKILL skips the EXIT trap).
  local stale
  for stale in "$KEY_DIR"/bin.tmp.*; do
    [[ -e "$stale" ]] || continue
    log "removing $stale (left by an interrupted build)"; rm -rf "$stale"
  done
  TMP_DIR="$(mktemp -d "$KEY_DIR/bin.tmp.XXXXXX")"
  chmod 755 "$TMP_DIR"
  trap 'rm -rf "$TMP_DIR"' EXIT
}

# Stamps the staging directory and renames it into place as bin/, replacing a stale entry.
publish_cache_entry() {
  printf '%s\n' "$STAMP" > "$TMP_DIR/.stamp"
  if [[ -e "$BIN_DIR" ]]; then rm -rf "$BIN_DIR.old" && mv -T "$BIN_DIR" "$BIN_DIR.old" && rm -rf "$BIN_DIR.old"; fi
  mv -T "$TMP_DIR" "$BIN_DIR"
  trap - EXIT
}
