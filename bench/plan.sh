#!/usr/bin/env bash
# Benchmark of issue 2: plan a synthetic snapshot of 1,000,000 images (10,000 repositories) with a
# 5-rule policy, end to end (read, parse, evaluate, write JSON to /dev/null), against the time it takes
# merely to load the same file. Targets on a 2-core machine: <= 1.5 s, <= 1 GiB peak memory, and
# end-to-end within 3x of the load alone. Best of 3 runs each; the snapshot is generated into a
# temporary directory that is removed afterwards.
#   usage: bench/plan.sh BUILD_DIR [REPOS] [IMAGES_PER_REPO]
set -euo pipefail
build=$(cd "${1:?usage: bench/plan.sh BUILD_DIR}" && pwd)
repos=${2:-10000}
per_repo=${3:-100}
for bin in "$build/regsweep" "$build/bench/bench_gen_snapshot" "$build/bench/bench_load_snapshot"; do
  [ -x "$bin" ] || { echo "bench/plan.sh: $bin is missing; build the Release tree first" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/bench/bench_gen_snapshot" "$work/snapshot.json" "$repos" "$per_repo" 42
cat > "$work/policy.json" <<'POLICY'
{"rules": [
 {"rulePriority": 1, "description": "keep 10 prod deploys",
  "selection": {"tagStatus": "tagged", "tagPatternList": ["prod-*"], "countType": "imageCountMoreThan", "countNumber": 10},
  "action": {"type": "expire"}},
 {"rulePriority": 2, "description": "archive releases beyond the newest 15",
  "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 15},
  "action": {"type": "transition", "targetStorageClass": "archive"}},
 {"rulePriority": 3, "description": "untagged after 14 days",
  "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
  "action": {"type": "expire"}},
 {"rulePriority": 4, "description": "CI builds after 30 days",
  "selection": {"tagStatus": "tagged", "tagPrefixList": ["git-"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30},
  "action": {"type": "expire"}},
 {"rulePriority": 5, "description": "anything after a year",
  "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 365},
  "action": {"type": "expire"}}
]}
POLICY

# Wall time and peak RSS of a child, measured by Python's os.wait4 (no extra package needed).
python3 - "$build" "$work" <<'PY'
import os, subprocess, sys, time
build, work = sys.argv[1], sys.argv[2]
snapshot, policy = f"{work}/snapshot.json", f"{work}/policy.json"

def measure(argv):
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=null)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench/plan.sh: {argv[0]} failed with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss * 1024

def load():
    out = subprocess.run([f"{build}/bench/bench_load_snapshot", snapshot], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])

size = os.path.getsize(snapshot)
loads = [load() for _ in range(3)]
parse_s, images = min(loads)[0], loads[0][1]
plan_cmd = [f"{build}/regsweep", "plan", "--snapshot", snapshot, "--policy", policy,
            "--now", "2026-11-01T00:00:00Z", "--output", "json"]
runs = [measure(plan_cmd) for _ in range(3)]
plan_s = min(r[0] for r in runs)
peak = max(r[1] for r in runs)
ratio = plan_s / parse_s
print(f"snapshot:            {images:,} images, {size / 2**20:.0f} MiB")
print(f"load only (parse):   {parse_s:.3f} s  ({images / parse_s / 1e6:.2f} M images/s)")
print(f"plan end to end:     {plan_s:.3f} s  ({images / plan_s / 1e6:.2f} M images/s)   target <= 1.5 s: "
      f"{'ok' if plan_s <= 1.5 else 'MISSED'}")
print(f"ratio plan / parse:  {ratio:.2f}   target <= 3: {'ok' if ratio <= 3 else 'MISSED'}")
print(f"peak memory (plan):  {peak / 2**20:.0f} MiB   target <= 1024 MiB: {'ok' if peak <= 2**30 else 'MISSED'}")
PY
