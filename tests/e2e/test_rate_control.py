"""E2E rate control (issue 16): regsweep against the ECR emulator's token-bucket throttling
(`throttle_tps`, per operation), asserting on what the server holds and counted, not on time.

  * Adaptive mode (the default), every operation throttled at 20 calls a second, 8 workers: the
    service does throttle (counted), but rarely — the client slows down to the server's rate, where
    retries alone (standard mode) meet about three throttles per repository — and not one deletion
    fails, and exactly the newest three images of every repository survive.
  * --max-requests-per-second 5 against a server that allows each operation 10 a second (a burst
    of 10): listing 24 repositories without the cap is throttled, with it never (the cap holds for
    every operation, with room for scheduling jitter); and the calls fit 5 a second plus a
    one-second burst over the run's whole duration (an upper bound on its sending time) — for
    `plan`, and for `apply` in standard mode too."""
import hashlib
import json
import os
import pathlib
import subprocess
import tempfile
import time
import unittest

import servers

DAY = 86400
NOW = time.time()
REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
KEEP = 3
POLICY = {"rules": [{"rulePriority": 1, "description": f"keep the newest {KEEP}",
                     "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": KEEP},
                     "action": {"type": "expire"}}]}


def sha(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def fleet(repositories, images):
    """The seed, and {repository: digests of its newest KEEP images}."""
    repos, survivors = [], {}
    for r in range(repositories):
        name = f"team/svc{r:03d}"
        details = [{"imageDigest": sha(f"{name}:{i}"), "imageTags": [f"b{i}"], "imagePushedAt": NOW - (i + 2) * DAY,
                    "imageSizeInBytes": 1000, "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"}
                   for i in range(images)]
        repos.append({"repositoryName": name, "imageDetails": details})
        survivors[name] = {d["imageDigest"] for d in details[:KEEP]}  # i = 0 is the newest
    return {"repositories": repos}, survivors


class RateControlCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-rate-")
        self.policy = os.path.join(self.tmp, "policy.json")
        with open(self.policy, "w") as f:
            json.dump(POLICY, f)

    def start(self, repositories, images, tps):
        self.seed, self.survivors = fleet(repositories, images)
        self.faults = {"operations": {"*": {"throttle_tps": tps}}}
        self.server = servers.start_emulator(self, seed=self.seed)
        self.server.admin("POST", "/_emulator/faults", self.faults)

    def apply(self, *extra, env=None):
        journal = os.path.join(self.tmp, f"journal-{time.monotonic_ns()}.jsonl")
        return self.regsweep("apply", "--min-age", "1h", "--yes", "--journal", journal, *extra, env=env)

    def regsweep(self, command, *extra, env=None):
        run_env = servers.aws_env()
        run_env.pop("AWS_ENDPOINT_URL", None)
        run_env.pop("AWS_RETRY_MODE", None)  # the default mode: adaptive
        run_env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")
        run_env.update(env or {})
        return subprocess.run([REGSWEEP, command, "--policy", self.policy, "--output", "json",
                               "--endpoint-url", self.server.endpoint, *extra], env=run_env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)

    def counters(self):
        return self.server.admin("GET", "/_emulator/counters")

    def throttled(self):
        """{operation: throttled calls} for the operations that were throttled."""
        return {op: c["throttled"] for op, c in self.counters()["operations"].items() if c["throttled"]}

    def held(self):
        state = self.server.admin("GET", "/_emulator/state")
        return {r["repositoryName"]: {d["imageDigest"] for d in r["imageDetails"]} for r in state["repositories"]}

    def assert_clean_run(self, result):
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        totals = json.loads(result.stdout)["totals"]
        self.assertEqual(totals["failed"], 0, totals)
        self.assertEqual(totals["skippedRepositories"], 0, totals)
        self.assertEqual(self.held(), self.survivors)

    def reset(self):
        """The seed again, counters at zero, and full throttling buckets (as configuring does)."""
        self.server.admin("PUT", "/_emulator/state", self.seed)
        self.server.admin("POST", "/_emulator/counters/reset")
        self.server.admin("POST", "/_emulator/faults", self.faults)


class TestRateControl(RateControlCase):
    def test_adaptive_mode_finishes_a_throttled_fleet_without_a_failed_deletion(self):
        self.start(repositories=60, images=8, tps=20)
        result = self.apply("--concurrency", "8")
        throttled = sum(self.throttled().values())
        self.assertGreater(throttled, 0, "the emulator never throttled: the test would prove nothing")
        # Measured: about 10 with adaptive control, about 180 with AWS_RETRY_MODE=standard.
        self.assertLess(throttled, 30, "the client did not slow down to the server's rate")
        self.assert_clean_run(result)

    def test_max_requests_per_second_keeps_every_operation_under_the_servers_limit(self):
        self.start(repositories=24, images=4, tps=10)
        uncapped = self.regsweep("plan", "--concurrency", "8")
        self.assertEqual(uncapped.returncode, 0, uncapped.stderr[-3000:])
        self.assertTrue(self.throttled(), "the uncapped run was not throttled: the test would prove nothing")
        self.reset()
        started = time.monotonic()
        capped = self.regsweep("plan", "--concurrency", "8", "--max-requests-per-second", "5")
        elapsed = time.monotonic() - started
        self.assertEqual(capped.returncode, 0, capped.stderr[-3000:])
        self.assertEqual(self.throttled(), {})
        total = self.counters()["total"]
        self.assertGreaterEqual(total, 25)  # DescribeRepositories and a DescribeImages per repository
        self.assertLessEqual(total, 5 * elapsed + 5)

    def test_the_cap_holds_for_apply_in_standard_mode_too(self):
        self.start(repositories=8, images=6, tps=10)
        started = time.monotonic()
        result = self.apply("--concurrency", "8", "--max-requests-per-second", "5",
                            env={"AWS_RETRY_MODE": "standard"})
        elapsed = time.monotonic() - started
        self.assert_clean_run(result)
        self.assertEqual(self.throttled(), {})
        total = self.counters()["total"]
        self.assertGreaterEqual(total, 30)  # listing, manifests, re-checks and deletions
        self.assertLessEqual(total, 5 * elapsed + 5)


class TestRetryModeInput(RateControlCase):
    def test_bad_retry_modes_and_caps_are_usage_errors_naming_their_source(self):
        self.start(repositories=1, images=4, tps=0)
        bad_mode = self.apply(env={"AWS_RETRY_MODE": "fast"})
        self.assertEqual(bad_mode.returncode, 2, bad_mode.stderr)
        self.assertIn("AWS_RETRY_MODE", bad_mode.stderr)
        self.assertIn("standard", bad_mode.stderr)
        for bad in ("0", "-1", "nan", "inf", "5/s"):
            result = self.apply("--max-requests-per-second", bad)
            self.assertEqual(result.returncode, 2, f"{bad}: {result.stderr}")
            self.assertIn("--max-requests-per-second", result.stderr)
        self.assertEqual(self.counters()["total"], 0, "nothing may be contacted on bad input")
        legacy = self.apply(env={"AWS_RETRY_MODE": "legacy"})  # another SDK's mode: taken as standard
        self.assertEqual(legacy.returncode, 0, legacy.stderr)


if __name__ == "__main__":
    unittest.main()
