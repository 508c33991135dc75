#!/usr/bin/env bash
# Emulator throughput on loopback: DescribeImages pages of 1,000, BatchDeleteImage of 100 ids, and
# small requests (DescribeImages of one image by tag), all SigV4-signed and verified (the emulator
# runs with signature checking on). Prints requests/s and the ratio to the issue's target of 5,000
# small requests/s. Usage: bench/emulator.sh BUILD_DIR   (bounded: well under 60 s; 127.0.0.1 only)
set -euo pipefail
build=${1:?usage: bench/emulator.sh BUILD_DIR}
emulator=$build/emulator/ecr-emulator
load=$build/emulator/ecr-emulator-bench
for bin in "$emulator" "$load"; do
  [[ -x $bin ]] || { echo "emulator.sh: $bin missing; build targets ecr-emulator and ecr-emulator-bench" >&2; exit 2; }
done
images=${EMULATOR_BENCH_IMAGES:-100000}
seconds=${EMULATOR_BENCH_SECONDS:-5}
threads=${EMULATOR_BENCH_THREADS:-2}
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$load" --write-seed "$work/seed.json" --images "$images"
"$emulator" --port 0 --port-file "$work/port" --seed "$work/seed.json" --threads 4 >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [[ -s $work/port ]] && break; sleep 0.05; done
[[ -s $work/port ]] || { echo "emulator.sh: emulator did not start:" >&2; cat "$work/log" >&2; exit 1; }
port=$(cat "$work/port")
grep seeded "$work/log" || true
echo "load: $threads client threads, keep-alive, signed requests; emulator: 4 server threads, signature checking on"

run() { "$load" --port "$port" --threads "$threads" --seconds "$seconds" --images "$images" --mode "$1"; }
small=$(run small)
echo "$small"
run describe
run delete
rate=$(sed -E 's/.*= ([0-9]+) requests\/s.*/\1/' <<<"$small")
awk -v r="$rate" 'BEGIN { printf "small requests: %d/s = %.2fx the target of 5000/s\n", r, r / 5000 }'
