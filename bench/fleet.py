#!/usr/bin/env python3
"""The live-speed benchmark of issue 16, run by bench/fleet.sh BUILD_DIR. Side by side in one run:

  1. 200 repositories x 60 images, the emulator answering every call after 25 ms (about one AWS
     round trip): `regsweep apply --yes` against a sequential boto3 script (fleet_baseline.py),
     same survivors checked, time and call ratios printed; `regsweep plan` against the script's
     listing alone.
  2. The same fleet with the emulator throttling every operation at 20 requests/s: regsweep's
     failed deletions and achieved request rate.
  3. `regsweep plan` of 2,000 repositories x 100 images against the script's listing.

Targets (issue 16): apply >= 10x faster than the script, plan >= 15x faster than its listing, API
calls <= 2.1x the script's, under throttling 0 failures and >= 85% of the limit."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ACCESS, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


class Emulator:
    def __init__(self, binary, seed, work):
        self.seed = seed
        port_file = work / f"port-{pathlib.Path(seed).stem}"
        port_file.unlink(missing_ok=True)
        self.proc = subprocess.Popen([binary, "--port", "0", "--port-file", str(port_file), "--seed", seed,
                                      "--threads", "64"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(6000):  # seeding 200,000 images takes a while
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        self.endpoint = f"http://127.0.0.1:{port_file.read_text().strip()}"
        for _ in range(200):
            try:
                self.admin("GET", "/_emulator/health")
                return
            except OSError:
                time.sleep(0.05)

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read() or b"{}")

    def reset(self, faults):
        with open(self.seed) as f:
            self.admin("PUT", "/_emulator/state", json.load(f))
        self.admin("POST", "/_emulator/faults", {"operations": {"*": faults}})
        self.admin("POST", "/_emulator/counters/reset")

    def calls(self):
        counters = self.admin("GET", "/_emulator/counters")
        return counters["total"], counters["operations"]

    def survivors(self):
        self.admin("DELETE", "/_emulator/faults")
        state = self.admin("GET", "/_emulator/state")
        return {(r["repositoryName"], d["imageDigest"]) for r in state["repositories"]
                for d in r.get("imageDetails", [])}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def environment(work):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": ACCESS, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "XDG_STATE_HOME": str(work / "state")})
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
        env.pop(name, None)
    return env


def timed(command, env):
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    return time.monotonic() - started, result


def baseline(emulator, env, *extra):
    _, result = timed([sys.executable, str(HERE / "fleet_baseline.py"), emulator.endpoint, *extra], env)
    if result.returncode != 0:
        raise SystemExit(f"baseline failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def regsweep(build, emulator, env, *args):
    command = [str(build / "regsweep"), *args, "--endpoint-url", emulator.endpoint, "--quiet",
               "--output", "json"]
    if os.environ.get("FLEET_CONCURRENCY"):  # for measuring; the default is regsweep's own
        command += ["--concurrency", os.environ["FLEET_CONCURRENCY"]]
    seconds, result = timed(command, env)
    return seconds, result


def fleet(build, work, repos, images, label):
    seed, policy = work / f"seed-{label}.json", work / "policy.json"
    subprocess.run([sys.executable, str(HERE / "fleet_seed.py"), str(seed), str(policy), str(repos), str(images)],
                   check=True)
    return Emulator(str(build / "emulator" / "ecr-emulator"), str(seed), work), str(policy)


def main():
    build = pathlib.Path(sys.argv[1]).resolve()
    work = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-fleet-bench-"))
    env = environment(work)
    ok = True
    try:
        # 1. 200 x 60 at 25 ms.
        emulator, policy = fleet(build, work, 200, 60, "small")
        latency = {"latency_ms": 25}
        emulator.reset(latency)
        script = baseline(emulator, env)
        script_calls, _ = emulator.calls()
        script_left = emulator.survivors()
        emulator.reset(latency)
        listing = baseline(emulator, env, "--list-only")
        emulator.reset(latency)
        plan_seconds, result = regsweep(build, emulator, env, "plan", "--policy", policy)
        if result.returncode != 0:
            raise SystemExit(f"regsweep plan failed: {result.stderr[-2000:]}")
        emulator.reset(latency)
        apply_seconds, result = regsweep(build, emulator, env, "apply", "--policy", policy, "--yes",
                                         "--journal", str(work / "journal.jsonl"))
        regsweep_calls, by_operation = emulator.calls()
        regsweep_left = emulator.survivors()
        report = json.loads(result.stdout) if result.stdout else {}
        same = script_left == regsweep_left
        print(f"fleet 200 repositories x 60 images, 25 ms per call:")
        print(f"  boto3 script:      apply {script['seconds']:.2f} s, {script_calls} calls, "
              f"{script['deleted']} deleted; listing alone {listing['list_seconds']:.2f} s")
        print(f"  regsweep apply:    {apply_seconds:.2f} s, {regsweep_calls} calls "
              f"({', '.join(k + ' ' + str(v['calls']) for k, v in sorted(by_operation.items()))}), "
              f"{len(report.get('deleted', []))} deleted, exit {result.returncode}")
        print(f"  regsweep plan:     {plan_seconds:.2f} s")
        apply_ratio = script["seconds"] / apply_seconds
        plan_ratio = listing["list_seconds"] / plan_seconds
        call_ratio = regsweep_calls / script_calls
        print(f"  apply speed ratio {apply_ratio:.1f}x (target >= 10x), plan speed ratio {plan_ratio:.1f}x "
              f"(target >= 15x), call ratio {call_ratio:.2f} (target <= 2.1), same survivors: {same}")
        ok = ok and same and result.returncode == 0 and apply_ratio >= 10 and plan_ratio >= 15 and call_ratio <= 2.1

        # 2. Throttled at 20 requests/s.
        emulator.reset({"throttle_tps": 20})
        started = time.monotonic()
        seconds, result = regsweep(build, emulator, env, "apply", "--policy", policy, "--yes",
                                   "--journal", str(work / "journal2.jsonl"))
        calls, by_operation = emulator.calls()
        throttled = sum(v.get("throttled", 0) for v in by_operation.values())
        report = json.loads(result.stdout) if result.stdout else {}
        failed = len(report.get("failed", []))
        # Each operation has its own limit of 20/s: the busiest one bounds the run.
        busiest, counts = max(by_operation.items(), key=lambda kv: kv[1]["calls"] - kv[1].get("throttled", 0))
        rate = (counts["calls"] - counts.get("throttled", 0)) / seconds
        same = emulator.survivors() == script_left
        print(f"throttled at 20 requests/s per operation: {seconds:.2f} s, {calls} requests, "
              f"{throttled} throttled, {failed} failed deletions; the busiest operation ({busiest}) "
              f"achieved {rate:.1f} requests/s = {rate / 20 * 100:.0f}% of its limit (target >= 85%), "
              f"same survivors: {same}")
        ok = ok and failed == 0 and same and rate >= 0.85 * 20
        emulator.stop()

        # 3. Plan of 2,000 x 100 at 25 ms.
        emulator, policy = fleet(build, work, 2000, 100, "large")
        emulator.reset(latency)
        listing = baseline(emulator, env, "--list-only")
        emulator.reset(latency)
        plan_seconds, result = regsweep(build, emulator, env, "plan", "--policy", policy)
        print(f"plan of 2,000 repositories x 100 images, 25 ms per call: regsweep {plan_seconds:.2f} s, "
              f"boto3 listing alone {listing['list_seconds']:.2f} s, ratio "
              f"{listing['list_seconds'] / plan_seconds:.1f}x (exit {result.returncode})")
        ok = ok and result.returncode == 0
        emulator.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("fleet: all targets met" if ok else "fleet: a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
