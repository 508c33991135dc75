#!/usr/bin/env bash
# Live speed (issue 16): regsweep against a sequential boto3 script on the ECR emulator with 25 ms
# per call, under throttling, and a 2,000-repository plan. Usage: bench/fleet.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: bench/fleet.sh BUILD_DIR}
for bin in "$build/regsweep" "$build/emulator/ecr-emulator"; do
  [[ -x $bin ]] || { echo "fleet.sh: $bin missing; build regsweep and ecr-emulator" >&2; exit 2; }
done
python3 -c "import boto3" 2>/dev/null || { echo "fleet.sh: the baseline needs boto3 (pip install boto3)" >&2; exit 2; }
exec python3 "$(dirname "$0")/fleet.py" "$build"
