#!/usr/bin/env bash
# Runs every built fuzzer for a few seconds from its seed corpus (fuzz/corpus/<name without
# fuzz_>/). New inputs go to a scratch directory, so the committed corpus changes only by hand.
# A crash fails the run and leaves the reproducer in the scratch directory.
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR [SECONDS]}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for fuzzer in "$build"/fuzz/fuzz_*; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  corpus="$root/fuzz/corpus/${name#fuzz_}"
  mkdir -p "$corpus"
  mkdir -p "$scratch/$name"
  echo "fuzz: $name for ${seconds}s"
  if ! "$fuzzer" -max_total_time="$seconds" -max_len=65536 -artifact_prefix="$scratch/$name/" \
      "$scratch/$name" "$corpus" >"$scratch/$name.log" 2>&1; then
    tail -n 40 "$scratch/$name.log"
    echo "fuzz: $name FAILED (reproducer above; rerun: $fuzzer <file>)"
    status=1
  else
    grep -E '^Done|#[0-9]+.*DONE' "$scratch/$name.log" | tail -n 1 || true
  fi
done
exit $status
