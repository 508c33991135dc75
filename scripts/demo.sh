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
