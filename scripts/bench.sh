#!/usr/bin/env bash
# Runs every benchmark: each bench/*.sh script gets the (Release) build directory as its argument
# and prints its numbers and its ratio against the baseline its issue names.
set -euo pipefail
build=$(cd "${1:?usage: bench.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
status=0
for script in bench/*.sh; do
  [ -e "$script" ] || continue
  echo "== $script"
  bash "$script" "$build" || status=1
done
exit $status
