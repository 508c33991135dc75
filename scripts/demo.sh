#!/usr/bin/env bash
# `make demo`: plan the bundled example registry (examples/demo-registry.json: 12 repositories,
# 1,934 images over 18 months) with the bundled example policy, as of a fixed "now", and show what
# it would free and save. Reads a file only: no cloud account, nothing is deleted.
#   usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: scripts/demo.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
regsweep="$build/regsweep"
snapshot=examples/demo-registry.json
policy=examples/policies/demo-policy.json
now=2026-11-01T00:00:00Z

echo "== regsweep policy validate $policy"
"$regsweep" policy validate "$policy"
echo
echo "== regsweep plan --snapshot $snapshot --policy $policy --now $now --max-rows 3"
echo
"$regsweep" plan --snapshot "$snapshot" --policy "$policy" --now "$now" --output table --max-rows 3
echo
echo "Nothing was deleted: plan only reads. Every image and its reason: add --output json (schema: docs/plan-json.md)."

# The live path: the same registry served by the ECR emulator (emulator/), reached over the real
# ECR API (SigV4-signed AWS JSON 1.1), planned and then cleaned with `apply --yes`.
emulator="$build/emulator/ecr-emulator"
if [ ! -x "$emulator" ]; then
  echo "(skipping the live part: $emulator was not built)"
  exit 0
fi
work=$(mktemp -d)
"$emulator" --port 0 --port-file "$work/port" --seed "$snapshot" --region us-east-1 >"$work/emulator.log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "the emulator did not start:"; cat "$work/emulator.log"; exit 1; }
endpoint="http://127.0.0.1:$(cat "$work/port")"
# The emulator's test keys (docs/emulator.md); real runs resolve credentials like the AWS CLI.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

echo
echo "== Live: the same registry in the ECR emulator at $endpoint"
echo "== regsweep plan --endpoint-url $endpoint --policy $policy --now $now --quiet   (before)"
"$regsweep" plan --endpoint-url "$endpoint" --policy "$policy" --now "$now" --output table --quiet
echo
echo "== regsweep apply --endpoint-url $endpoint --policy $policy --now $now --yes --quiet --journal JOURNAL"
"$regsweep" apply --endpoint-url "$endpoint" --policy "$policy" --now "$now" --output table --yes --quiet \
  --journal "$work/journal.jsonl"
echo
echo "== regsweep plan ... --quiet   (after: what is left, and nothing more to expire)"
"$regsweep" plan --endpoint-url "$endpoint" --policy "$policy" --now "$now" --output table --quiet
echo
echo "== regsweep journal show --journal JOURNAL   (every deletion, recorded before and after the call; last 3 lines)"
"$regsweep" journal show --journal "$work/journal.jsonl" --output table | tail -n 3
