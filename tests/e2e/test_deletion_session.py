"""One deletion session for every path that deletes (issue 12), against ECR emulators.

apply and delete lock the same repository by the registry's identity (account and region), so they
exclude each other; a killed delete is settled by a later apply and a killed apply by a later delete,
also when the later run has nothing left to delete there; two accounts with the same repository
names in one region neither lock nor settle each other; delete keeps what apply keeps (an untagged
image pushed seconds ago survives until --min-age 0s); journal records carry the account id and
region."""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import json
import os
import pathlib
import signal
import subprocess
import tempfile
import time
import unittest

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
NOW = time.time()
DAY = 86400
REPO = "team/app"
ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
POLICY = {"rules": [{"rulePriority": 1, "description": "untagged after 14 days",
                     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                   "countUnit": "days", "countNumber": 14},
                     "action": {"type": "expire"}}]}


def digest(name):
    import hashlib
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def image(name, tags=(), age_days=30.0):
    detail = {"imageDigest": digest(name), "imagePushedAt": NOW - age_days * DAY, "imageSizeInBytes": 1000}
    if tags:
        detail["imageTags"] = list(tags)
    return detail


def seed(junk=150):
    images = [image(f"junk{i}") for i in range(junk)] + [image("v1", ["v1"])]
    return {"repositories": [{"repositoryName": REPO, "imageDetails": images}]}


class SessionCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-session-")
        self.policy = os.path.join(self.tmp, "policy.json")
        with open(self.policy, "w") as f:
            json.dump(POLICY, f)
        self.journal = os.path.join(self.tmp, "journal.jsonl")
        self.a = servers.start_emulator(self, "--account-id", ACCOUNT_A, seed=seed())

    def env(self):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")  # one state directory: shared locks
        return env

    def command(self, server, *args):
        return [REGSWEEP, *args, "--endpoint-url", server.endpoint, "--journal", self.journal]

    def run_cli(self, server, *args):
        return subprocess.run(self.command(server, *args), env=self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)

    def start(self, server, *args):
        return subprocess.Popen(self.command(server, *args), env=self.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def apply_args(self):
        return ("apply", "--policy", self.policy, "--yes", "--output", "json", "--quiet")

    def delete_args(self):
        return ("delete", "--repository-name", REPO, "--untagged", "--older-than", "14d", "--yes",
                "--output", "json", "--quiet")

    def left(self, server):
        state = server.admin("GET", "/_emulator/state")
        return {d["imageDigest"] for r in state["repositories"] if r["repositoryName"] == REPO
                for d in r["imageDetails"]}

    def records(self):
        result = subprocess.run([REGSWEEP, "journal", "show", "--journal", self.journal, "--output", "json"],
                                env=self.env(), capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def wait_for_intent(self, proc):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.journal) and '"kind":"intent"' in pathlib.Path(self.journal).read_text():
                return
            time.sleep(0.02)
        proc.kill()
        self.fail("no intent was journaled within 30 s")

    def kill_mid_batch(self, server, *args):
        """Starts a run whose deletes take 1.5 s, kills it once its first intents are durable."""
        server.admin("POST", "/_emulator/faults", {"operations": {"BatchDeleteImage": {"latency_ms": 1500}}})
        proc = subprocess.Popen(self.command(server, *args), env=self.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait_for_intent(proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(2)  # the call the killed run made completes (or not) at the emulator
        server.admin("DELETE", "/_emulator/faults")
        before = self.records()
        self.assertGreater(before["interrupted"], 0, "the killed run left no open intent")
        return before


class TestOneSessionForEveryPathThatDeletes(SessionCase):
    def exclude_each_other(self, first, second):
        self.a.admin("POST", "/_emulator/faults", {"operations": {"BatchDeleteImage": {"latency_ms": 1500}}})
        proc = self.start(self.a, *first)
        self.wait_for_intent(proc)
        result = self.run_cli(self.a, *second)
        out, err = proc.communicate(timeout=120)
        self.a.admin("DELETE", "/_emulator/faults")
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(result.returncode, 1, result.stderr + result.stdout)
        report = json.loads(result.stdout)
        self.assertEqual(report["deleted"], [])
        self.assertTrue(report["failed"])
        self.assertEqual({f["code"] for f in report["failed"]}, {"RepositoryLocked"})

    def test_a_delete_during_an_apply_finds_the_repository_locked(self):
        self.exclude_each_other(self.apply_args(), self.delete_args())

    def test_an_apply_during_a_delete_finds_the_repository_locked(self):
        self.exclude_each_other(self.delete_args(), self.apply_args())

    def test_a_killed_delete_is_settled_by_an_apply_with_nothing_left_to_delete(self):
        before = self.kill_mid_batch(self.a, *self.delete_args())
        # Everything old is gone meanwhile (another tool cleaned up): nothing left to delete.
        self.a.admin("PUT", "/_emulator/state", {"repositories": [
            {"repositoryName": REPO, "imageDetails": [image("v1", ["v1"])]}]})
        result = self.run_cli(self.a, *self.apply_args())
        self.assertEqual(result.returncode, 0, result.stderr)
        after = self.records()
        self.assertEqual(after["interrupted"], 0, "the apply left the delete's intents open")
        settled = [r for r in after["records"] if "after interruption" in r.get("reason", "")]
        self.assertEqual(len(settled), before["interrupted"])

    def test_a_killed_apply_is_settled_by_a_delete_with_nothing_left_to_delete(self):
        before = self.kill_mid_batch(self.a, *self.apply_args())
        # Delete by a tag that does not exist: nothing to delete in the repository at all.
        result = self.run_cli(self.a, "delete", "--repository-name", REPO, "--digest", digest("v1"),
                              "--yes", "--quiet", "--max-delete", "0")
        after = self.records()
        self.assertEqual(after["interrupted"], 0, result.stderr)
        settled = [r for r in after["records"] if "after interruption" in r.get("reason", "")]
        self.assertEqual(len(settled), before["interrupted"])

    def test_records_carry_the_account_and_region(self):
        result = self.run_cli(self.a, *self.apply_args())
        self.assertEqual(result.returncode, 0, result.stderr)
        records = self.records()["records"]
        self.assertTrue(records)
        self.assertEqual({(r[REGISTRY_ID], r["region"]) for r in records}, {(ACCOUNT_A, "us-east-1")})

    def test_delete_keeps_an_untagged_image_pushed_seconds_ago_until_min_age_zero(self):
        fresh = image("building", age_days=20 / DAY)
        self.a.admin("POST", "/_emulator/images", {"repositories": [{"repositoryName": REPO, "imageDetails": [fresh]}]})
        result = self.run_cli(self.a, "delete", "--repository-name", REPO, "--untagged", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(fresh["imageDigest"], self.left(self.a))
        self.assertIn("younger than --min-age", result.stderr)
        result = self.run_cli(self.a, "delete", "--repository-name", REPO, "--untagged", "--yes",
                              "--min-age", "0s")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.left(self.a), {digest("v1")})


class TestTwoAccountsOneRegion(SessionCase):
    """Replication: the same repository names and digests in two accounts of one region."""

    def setUp(self):
        super().setUp()
        self.b = servers.start_emulator(self, "--account-id", ACCOUNT_B, seed=seed())

    def test_they_neither_lock_nor_settle_each_other(self):
        before = self.kill_mid_batch(self.a, *self.apply_args())
        # Account B, same region, same names: its run does not settle A's intents.
        result = self.run_cli(self.b, *self.apply_args())
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(self.left(self.b), {digest("v1")})
        after_b = self.records()
        self.assertEqual(after_b["interrupted"], before["interrupted"], "B settled A's intents")
        self.assertTrue([r for r in after_b["records"] if r[REGISTRY_ID] == ACCOUNT_B])
        # A's own next run settles them, and while it deletes (slowly) in team/app, B's run in
        # its own team/app is not locked out.
        self.b.admin("PUT", "/_emulator/state", seed())
        self.a.admin("POST", "/_emulator/faults", {"operations": {"BatchDeleteImage": {"latency_ms": 1500}}})
        slow_a = self.start(self.a, *self.delete_args())
        deadline = time.monotonic() + 30
        while self.records()["interrupted"] and time.monotonic() < deadline:
            time.sleep(0.05)
        result = self.run_cli(self.b, *self.apply_args())
        _, err_a = slow_a.communicate(timeout=120)
        self.a.admin("DELETE", "/_emulator/faults")
        self.assertEqual(slow_a.returncode, 0, err_a)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(self.left(self.b), {digest("v1")})
        records = self.records()
        self.assertEqual(records["interrupted"], 0)
        settled = [r for r in records["records"] if "after interruption" in r.get("reason", "")]
        self.assertEqual(len(settled), before["interrupted"])
        self.assertEqual({r[REGISTRY_ID] for r in settled}, {ACCOUNT_A})


if __name__ == "__main__":
    unittest.main()
