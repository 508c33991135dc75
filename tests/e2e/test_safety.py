"""E2E safety (issue 6): regsweep against the ECR emulator, one repository holding

  * two multi-arch indexes (v2 kept, v1 expired by a count rule), each with two untagged children
    and a signature artifact whose subject is the index,
  * an old tagged image pinned by digest in a Kubernetes JSON file,
  * old untagged junk images, and the newest release.

Each test runs one hazard -- the plain apply, an image re-tagged between listing and deleting, 20%
throttling + 5xx + dropped connections, a run killed (SIGKILL) between journal intent and result and
then resumed -- and asserts the same two things from the emulator's state and the journal: not one
protected image was deleted, and every journal intent has a result."""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import servers

DAY = 86400
NOW = time.time()
REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
REPO = "safe/app"
HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com"

POLICY = {"rules": [
    {"rulePriority": 1, "description": "keep the newest v* image",
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan",
                   "countNumber": 1}, "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 14}, "action": {"type": "expire"}},
]}


def sha(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def plain(name, tags=(), age_days=60):
    detail = {"imageDigest": sha(name), "imagePushedAt": NOW - age_days * DAY, "imageSizeInBytes": 1_000_000,
              "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
              "artifactMediaType": "application/vnd.oci.image.config.v1+json"}
    if tags:
        detail["imageTags"] = list(tags)
    return detail


def multi_arch_with_signature(name, tag, age_days):
    """[index, child, child, signature]; returns (details, {role: digest})."""
    children = [plain(f"{name}-{arch}", age_days=age_days) for arch in ("amd64", "arm64")]
    index_manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                                "digest": c["imageDigest"], "size": 500,
                                                "platform": {"architecture": arch, "os": "linux"}}
                                               for c, arch in zip(children, ("amd64", "arm64"))]},
                                separators=(",", ":"))
    index = {"imageManifest": index_manifest, "imagePushedAt": NOW - age_days * DAY, "imageTags": [tag],
             "imageManifestMediaType": "application/vnd.oci.image.index.v1+json"}
    signature_manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.dev.cosign.artifact.sig.v1+json",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha("{}"), "size": 2},
        "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json",
                    "digest": sha(name + "-sig-layer"), "size": 10}],
        "subject": {"mediaType": "application/vnd.oci.image.index.v1+json",
                    "digest": sha(index_manifest), "size": len(index_manifest)}}, separators=(",", ":"))
    signature = {"imageManifest": signature_manifest, "imagePushedAt": NOW - age_days * DAY,
                 "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
                 "artifactMediaType": "application/vnd.dev.cosign.artifact.sig.v1+json"}
    roles = {"index": sha(index_manifest), "amd64": children[0]["imageDigest"],
             "arm64": children[1]["imageDigest"], "signature": sha(signature_manifest)}
    return [index] + children + [signature], roles


def scenario():
    kept, kept_roles = multi_arch_with_signature("rel2", "v2", age_days=40)
    old, old_roles = multi_arch_with_signature("rel1", "v1", age_days=90)
    images = kept + old + [plain("pinned", ["v0"], age_days=120)]
    images += [plain(f"junk{i}", age_days=30 + i) for i in range(12)]
    protected = set(kept_roles.values()) | {sha("pinned")}
    expiring = set(old_roles.values()) | {sha(f"junk{i}") for i in range(12)}
    return {"repositories": [{"repositoryName": REPO, "imageDetails": images}]}, protected, expiring


class SafetyCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        seed, self.protected, self.expiring = scenario()
        self.server = servers.start_emulator(self, seed=seed)
        self.tmp = tempfile.mkdtemp(prefix="regsweep-safety-")
        self.policy = self.write("policy.json", POLICY)
        self.journal = os.path.join(self.tmp, "journal.jsonl")
        # Kubernetes pins the old v0 image by digest: the count rule would expire it.
        self.kubernetes = self.write("k8s.json", {"kind": "List", "items": [
            {"kind": "Deployment", "metadata": {"name": "legacy", "namespace": "prod"},
             "spec": {"template": {"spec": {"containers": [
                 {"name": "app", "image": f"{HOST}/{REPO}@{sha('pinned')}"}]}}}}]})

    def write(self, name, value):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(value, f)
        return path

    def env(self):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")  # locks (and no stray journal)
        return env

    def command(self, *args):
        journal = ["--journal", self.journal] if args[0] in ("apply", "delete") else []
        return [REGSWEEP, *args, "--endpoint-url", self.server.endpoint, *journal]

    def regsweep(self, *args, timeout=300):
        return subprocess.run(self.command(*args), env=self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)

    def apply(self, *extra):
        return self.regsweep("apply", "--policy", self.policy, "--kubernetes-json", self.kubernetes,
                             "--min-age", "1h", "--yes", "--output", "json", *extra)

    def survivors(self):
        state = self.server.admin("GET", "/_emulator/state")
        for repo in state["repositories"]:
            if repo["repositoryName"] == REPO:
                return {d["imageDigest"]: d.get("imageTags", []) for d in repo["imageDetails"]}
        self.fail(f"{REPO} missing from the emulator state")

    def journal_records(self):
        result = subprocess.run([REGSWEEP, "journal", "show", "--journal", self.journal, "--output", "json"],
                                env=self.env(), capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def assert_safe_and_journal_complete(self):
        left = self.survivors()
        deleted_protected = self.protected - set(left)
        self.assertEqual(deleted_protected, set(), "protected images were deleted")
        doc = self.journal_records()
        self.assertEqual(doc["interrupted"], 0, "intents without a result")
        intents = [r for r in doc["records"] if r["kind"] == "intent"]
        results = [r for r in doc["records"] if r["kind"] == "result"]
        self.assertEqual(len(intents), len(results))
        for r in intents:
            self.assertNotIn(r[DIGEST], self.protected, "a protected image reached a delete call")
            self.assertTrue("manifest" in r or "manifestNote" in r, r)
        return left, doc

    def counter(self, operation, field="calls"):
        return self.server.admin("GET", "/_emulator/counters")["operations"].get(operation, {}).get(field, 0)


class TestSafety(SafetyCase):
    def test_plan_names_what_protected_each_kept_image(self):
        result = self.regsweep("plan", "--policy", self.policy, "--kubernetes-json", self.kubernetes,
                               "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        images = {i["imageDigest"]: i for r in json.loads(result.stdout)["repositories"] for i in r["images"]}
        self.assertEqual({d for d, i in images.items() if i["action"] == "expire"}, self.expiring)
        self.assertEqual(images[sha("pinned")].get("protection"), "in_use")

    def test_apply_takes_the_expired_index_with_children_and_signature_and_keeps_the_rest(self):
        result = self.apply()
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout[-2000:])
        left, doc = self.assert_safe_and_journal_complete()
        self.assertEqual(set(left), self.protected)
        deleted = {r[DIGEST] for r in doc["records"] if r.get("outcome") == "deleted"}
        self.assertEqual(deleted, self.expiring)
        # Manifests were fetched before deletion and journaled (plain images included).
        with_manifest = {r[DIGEST] for r in doc["records"] if r["kind"] == "intent" and "manifest" in r}
        self.assertEqual(with_manifest, self.expiring)

    def test_an_image_retagged_between_listing_and_deleting_survives(self):
        target = sha("junk3")
        # Reading the index manifests (right after the listing) takes 2 s; the re-tag lands then,
        # before the re-check that precedes the delete batch. (The emulator counts a call on arrival.)
        self.server.admin("POST", "/_emulator/faults", {"operations": {"BatchGetImage": {"latency_ms": 2000}}})
        proc = subprocess.Popen(self.command("apply", "--policy", self.policy, "--kubernetes-json",
                                             self.kubernetes, "--yes", "--output", "json", "--quiet"),
                                env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while self.counter("BatchGetImage") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.server.admin("POST", "/_emulator/tag", {"repositoryName": REPO, "imageDigest": target,
                                                     "imageTag": "hotfix"})
        out, err = proc.communicate(timeout=120)
        self.server.admin("DELETE", "/_emulator/faults")
        left, doc = self.assert_safe_and_journal_complete()
        self.assertIn(target, left, err)
        self.assertEqual(left[target], ["hotfix"])
        report = json.loads(out)
        self.assertGreaterEqual(report["totals"].get("skipped", 0), 1, out[-2000:])
        self.assertEqual(set(left) - {target}, self.protected)

    def test_throttling_5xx_and_dropped_connections_at_20_percent(self):
        # With one worker the calls, and so the fault draws, come in a fixed order; seed 9 gives
        # this run throttles, 5xx answers and dropped connections (asserted below, so a change in
        # the call sequence that loses one of them fails here instead of passing vacuously).
        self.server.admin("POST", "/_emulator/faults", {"seed": 9, "operations": {
            "*": {"throttle_probability": 0.2, "error_5xx_rate": 0.2, "drop_connection_rate": 0.2}}})
        result = self.apply("--concurrency", "1")
        self.server.admin("DELETE", "/_emulator/faults")
        counters = self.server.admin("GET", "/_emulator/counters")["operations"]
        self.assertGreater(sum(c.get("throttled", 0) for c in counters.values()), 0)
        self.assertGreater(sum(c.get("server_errors", 0) for c in counters.values()), 0)
        self.assertGreater(sum(c.get("dropped", 0) for c in counters.values()), 0)
        left, doc = self.assert_safe_and_journal_complete()
        if result.returncode == 0:
            self.assertEqual(set(left), self.protected)
        else:  # a call that failed after every retry is reported, never guessed about
            self.assertEqual(result.returncode, 1, result.stderr)

    def test_a_killed_run_is_settled_by_the_next(self):
        # Every BatchDeleteImage waits 3 s: the run is killed while the first batch is in flight,
        # after its intents were made durable.
        self.server.admin("POST", "/_emulator/faults", {"operations": {"BatchDeleteImage": {"latency_ms": 3000}}})
        proc = subprocess.Popen(self.command("delete", "--repository-name", REPO, "--untagged",
                                             "--older-than", "14d", "--yes", "--quiet"),
                                env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.journal) and '"kind":"intent"' in pathlib.Path(self.journal).read_text():
                break
            time.sleep(0.02)
        else:
            proc.kill()
            self.fail("no intent was journaled within 30 s")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(3.5)  # let the emulator finish (or not) the call the killed run made
        self.server.admin("DELETE", "/_emulator/faults")
        before = self.journal_records()
        self.assertGreater(before["interrupted"], 0, "the killed run left no open intent")
        shown = subprocess.run([REGSWEEP, "journal", "show", "--journal", self.journal, "--output", "table"],
                               env=self.env(), capture_output=True, text=True, timeout=60)
        self.assertIn("interrupted", shown.stdout)
        # The next run settles them first, then does its own work.
        result = self.regsweep("delete", "--repository-name", REPO, "--untagged", "--older-than", "14d",
                               "--yes", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("interrupted run left open", result.stderr)
        left, doc = self.assert_safe_and_journal_complete()
        settled = [r for r in doc["records"] if "after interruption" in r.get("reason", "")]
        self.assertEqual(len(settled), before["interrupted"])
        # --untagged never takes the children or signature of the kept v2 index, nor v-tagged images.
        for junk in range(12):
            self.assertNotIn(sha(f"junk{junk}"), left)

    def test_a_second_run_on_a_locked_repository_deletes_nothing(self):
        self.server.admin("POST", "/_emulator/faults", {"operations": {"BatchDeleteImage": {"latency_ms": 2000}}})
        first = subprocess.Popen(self.command("delete", "--repository-name", REPO, "--untagged", "--older-than",
                                              "14d", "--yes", "--quiet"),
                                 env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.journal) and '"kind":"intent"' in pathlib.Path(self.journal).read_text():
                break
            time.sleep(0.02)
        second = self.regsweep("delete", "--repository-name", REPO, "--digest", sha("junk0"), "--yes",
                               "--output", "json")
        first.communicate(timeout=120)
        self.server.admin("DELETE", "/_emulator/faults")
        self.assertEqual(second.returncode, 1, second.stderr)
        self.assertIn("RepositoryLocked", second.stdout + second.stderr)
        self.assertEqual(first.returncode, 0)
        self.assert_safe_and_journal_complete()


if __name__ == "__main__":
    unittest.main()
