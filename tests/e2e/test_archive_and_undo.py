"""The rest of ECR (issue 13), end to end on the emulator, read back with boto3 as an independent
client:

- a policy with a transition rule, `apply --yes`: exactly the planned images are ARCHIVED
  (DescribeImages with filter imageStatus ANY), nothing is deleted; `restore` brings them back;
  the journal holds both (action archive, then restore);
- after `setup pull-time-exclusion`, `apply` leaves every kept image's lastRecordedPullTime as it
  was; without it, the warning is printed (and the reads do move it: the test can fail);
- `journal restore` re-creates a deleted image (same digest, same tags), and reports layers gone
  when the emulator is told ECR removed them.
"""
import json
import os
import pathlib
import subprocess
import tempfile
import time
import unittest

import servers
from images import DOCKER_V2, manifest, sha

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
NOW = time.time()
DAY = 86400
REPO = "team/app"
ACCOUNT = "123456789012"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def image(seed, tags=(), age_days=30.0, **extra):
    body = manifest(seed)
    detail = {"imageManifest": body, "imagePushedAt": NOW - age_days * DAY, "imageManifestMediaType": DOCKER_V2,
              "artifactMediaType": "application/vnd.docker.container.image.v1+json"}
    if tags:
        detail["imageTags"] = list(tags)
    detail.update(extra)
    return detail


def multi_arch(name, tags, age_days, **extra):
    """An OCI index with two untagged children, each with a real manifest."""
    children = [image(f"{name}-{arch}", age_days=age_days, **extra) for arch in ("amd64", "arm64")]
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX,
                       "manifests": [{"mediaType": DOCKER_V2, "digest": sha(c["imageManifest"]), "size": 500}
                                     for c in children]}, separators=(",", ":"))
    index = {"imageManifest": body, "imagePushedAt": NOW - age_days * DAY, "imageTags": list(tags),
             "imageManifestMediaType": OCI_INDEX}
    index.update(extra)
    return [index] + children


class Case(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-archive-")
        self.journal = os.path.join(self.tmp, "journal.jsonl")

    def start(self, images):
        self.server = servers.start_emulator(
            self, "--account-id", ACCOUNT, seed={"repositories": [{"repositoryName": REPO, "imageDetails": images}]})
        self.ecr = servers.boto3_client(self.server.endpoint)

    def write(self, name, value):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(value, f)
        return path

    def run_cli(self, *args, endpoint=True):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_ENDPOINT_URL_STS"] = self.server.endpoint  # who the caller is (GetCallerIdentity)
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")
        where = ["--endpoint-url", self.server.endpoint] if endpoint else []
        return subprocess.run([REGSWEEP, *args, *where], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)

    def details(self):
        pages = self.ecr.get_paginator("describe_images").paginate(
            repositoryName=REPO, filter={"tagStatus": "ANY", "imageStatus": "ANY"})
        return {d["imageDigest"]: d for page in pages for d in page["imageDetails"]}

    def journal_records(self):
        with open(self.journal) as f:
            return [json.loads(line) for line in f if line.strip()]


class TransitionsAreApplied(Case):
    POLICY = {"rules": [
        {"rulePriority": 1, "description": "untagged after 14 days",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                       "countNumber": 14}, "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "releases after 90 days to archive",
         "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "sinceImagePushed",
                       "countUnit": "days", "countNumber": 90},
         "action": {"type": "transition", "targetStorageClass": "archive"}}]}

    def test_apply_archives_exactly_the_planned_images_and_restore_brings_them_back(self):
        images = [image(f"v{i}", [f"v{i}"], age_days=100 + i) for i in range(5)]   # archive
        images += [image(f"v{i}", [f"v{i}"], age_days=10 + i) for i in range(5, 8)]  # stay
        images += [image(f"junk{i}", age_days=30) for i in range(3)]                 # expire
        images += [image("fresh", age_days=1)]                                        # stays
        self.start(images)
        policy = self.write("policy.json", self.POLICY)
        before = self.details()
        self.assertEqual(len(before), 12)

        plan = self.run_cli("plan", "--policy", policy, "--output", "json")
        self.assertEqual(plan.returncode, 0, plan.stderr)
        planned = {}
        for repo in json.loads(plan.stdout)["repositories"]:
            for img in repo["images"]:
                planned[img["imageDigest"]] = img["action"]
        to_archive = {d for d, a in planned.items() if a == "transition"}
        to_expire = {d for d, a in planned.items() if a == "expire"}
        self.assertEqual(len(to_archive), 5)
        self.assertEqual(len(to_expire), 3)

        applied = self.run_cli("apply", "--policy", policy, "--yes", "--output", "json", "--journal", self.journal)
        self.assertEqual(applied.returncode, 0, applied.stderr)
        report = json.loads(applied.stdout)
        self.assertEqual(report["totals"]["archived"], 5)
        self.assertEqual(report["totals"]["deleted"], 3)
        self.assertEqual({i["imageDigest"] for i in report["archived"]}, to_archive)
        self.assertNotIn("not applied", applied.stderr + applied.stdout)

        after = self.details()
        self.assertEqual(set(after), set(before) - to_expire)  # only the expired ones are gone
        for digest, detail in after.items():
            self.assertEqual(detail["imageStatus"], "ARCHIVED" if digest in to_archive else "ACTIVE", digest)
            if digest in to_archive:
                self.assertIn("lastArchivedAt", detail)
                self.assertEqual(detail["imageTags"], before[digest]["imageTags"])

        restored = self.run_cli("restore", "--repository-name", REPO, "--archived", "--yes", "--output", "json",
                                "--journal", self.journal)
        self.assertEqual(restored.returncode, 0, restored.stderr)
        self.assertEqual(json.loads(restored.stdout)["totals"]["restored"], 5)
        for digest, detail in self.details().items():
            self.assertIn(detail["imageStatus"], ("ACTIVE", "ACTIVATING"), digest)

        records = self.journal_records()
        archives = [r for r in records if r.get("action") == "archive"]
        restores = [r for r in records if r.get("action") == "restore"]
        self.assertEqual(len(archives), 10)  # an intent and a result each
        self.assertEqual(len(restores), 10)
        self.assertEqual({r["outcome"] for r in archives if r["kind"] == "result"}, {"archived"})
        self.assertEqual({r["outcome"] for r in restores if r["kind"] == "result"}, {"restored"})
        digest_key = "imageDigest" if "imageDigest" in archives[0] else "digest"
        self.assertEqual({r[digest_key] for r in archives}, to_archive)
        shown = self.run_cli("journal", "show", "--journal", self.journal, "--output", "text", endpoint=False)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        # RECORD time kind outcome ... runId action: the action is the last field (docs/output.md).
        shown_actions = [line.split("\t")[-1] for line in shown.stdout.splitlines()]
        deletions = [r for r in records if r.get("action", "delete") == "delete"]
        self.assertEqual(shown_actions.count("archive"), 10)
        self.assertEqual(shown_actions.count("restore"), 10)
        self.assertEqual(shown_actions.count("delete"), len(deletions))
        self.assertEqual(len(shown_actions), len(records))
        table = self.run_cli("journal", "show", "--journal", self.journal, endpoint=False)
        self.assertIn("ACTION", table.stdout.splitlines()[0])

    def test_restore_without_yes_and_without_a_terminal_changes_nothing(self):
        self.start([image("v1", ["v1"], age_days=200, imageStatus="ARCHIVED", lastArchivedAt=NOW - 100 * DAY),
                    image("v2", ["v2"], age_days=1)])
        refused = self.run_cli("restore", "--repository-name", REPO, "--tag", "v1", "--journal", self.journal)
        self.assertEqual(refused.returncode, 2, refused.stderr)
        self.assertIn("--yes", refused.stderr)
        self.assertEqual(self.details()[sha(manifest("v1"))]["imageStatus"], "ARCHIVED")
        self.assertFalse(os.path.exists(self.journal))


class PullTimesLeftAlone(Case):
    POLICY = {"rules": [
        {"rulePriority": 1, "description": "untagged after 14 days",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                       "countNumber": 14}, "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "archive what nobody pulled for 60 days",
         "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days",
                       "countNumber": 60},
         "action": {"type": "transition", "targetStorageClass": "archive"}}]}

    def seed(self):
        pulled = NOW - 5 * DAY
        images = multi_arch("app", ["latest"], age_days=100, lastRecordedPullTime=pulled)  # kept, read
        images += [image(f"v{i}", [f"v{i}"], age_days=100, lastRecordedPullTime=pulled) for i in range(3)]
        images += [image(f"junk{i}", age_days=30) for i in range(3)]  # expire
        return images

    def kept_pull_times(self, expired):
        return {d: detail.get("lastRecordedPullTime") for d, detail in self.details().items() if d not in expired}

    def apply(self):
        policy = self.write("policy.json", self.POLICY)
        return self.run_cli("apply", "--policy", policy, "--yes", "--output", "json", "--journal", self.journal)

    def test_after_setup_apply_leaves_every_kept_images_pull_time_unchanged(self):
        self.start(self.seed())
        setup = self.run_cli("setup", "pull-time-exclusion")
        self.assertEqual(setup.returncode, 0, setup.stderr)
        self.assertIn(f"arn:aws:iam::{ACCOUNT}:user/emulator", setup.stdout)
        listed = self.ecr.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"]
        self.assertEqual(listed, [f"arn:aws:iam::{ACCOUNT}:user/emulator"])
        again = self.run_cli("setup", "pull-time-exclusion", "--output", "json")  # idempotent
        self.assertEqual(json.loads(again.stdout)["results"][0]["state"], "already")
        check = self.run_cli("setup", "pull-time-exclusion", "--check")
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

        before = self.details()
        applied = self.apply()
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.assertNotIn("pull-time update exclusion", applied.stderr)
        expired = {i["imageDigest"] for i in json.loads(applied.stdout)["deleted"]}
        self.assertEqual(len(expired), 3)
        after = self.kept_pull_times(expired)
        self.assertEqual(len(after), 6)  # the index, its two children, three releases
        for digest, pulled in after.items():
            self.assertEqual(pulled, before[digest].get("lastRecordedPullTime"), digest)

        removed = self.run_cli("setup", "pull-time-exclusion", "--remove")
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.assertEqual(self.ecr.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"], [])

    def test_without_setup_the_warning_is_printed_and_reads_count_as_pulls(self):
        self.start(self.seed())
        check = self.run_cli("setup", "pull-time-exclusion", "--check")
        self.assertEqual(check.returncode, 1, check.stdout + check.stderr)
        before = self.details()
        applied = self.apply()
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.assertEqual(applied.stderr.count("not a pull-time update exclusion"), 1, applied.stderr)
        self.assertIn("regsweep setup pull-time-exclusion", applied.stderr)
        index = sha(self.seed()[0]["imageManifest"])
        self.assertNotEqual(self.details()[index].get("lastRecordedPullTime"),
                            before[index].get("lastRecordedPullTime"))  # the index's manifest was read


class JournalRestore(Case):
    def test_a_deleted_image_comes_back_with_its_digest_and_tags(self):
        self.start([image("gone", ["v1", "release"], age_days=30), image("stays", ["v2"], age_days=30)])
        digest = sha(manifest("gone"))
        deleted = self.run_cli("delete", "--repository-name", REPO, "--digest", digest, "--yes",
                               "--journal", self.journal)
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertNotIn(digest, self.details())

        restored = self.run_cli("journal", "restore", "--yes", "--output", "json", "--journal", self.journal)
        self.assertEqual(restored.returncode, 0, restored.stderr)
        report = json.loads(restored.stdout)
        self.assertEqual(report["totals"]["restored"], 1)
        back = self.details()[digest]
        self.assertEqual(sorted(back["imageTags"]), ["release", "v1"])
        got = self.ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": digest}])
        self.assertEqual(got["images"][0]["imageManifest"], manifest("gone"))

        again = self.run_cli("journal", "restore", "--yes", "--output", "json", "--journal", self.journal)
        self.assertEqual(again.returncode, 0, again.stderr)
        skipped = json.loads(again.stdout)["skipped"]
        self.assertEqual([(s["imageDigest"], s["detail"]) for s in skipped], [(digest, "already there")])
        puts = [r for r in self.journal_records() if r.get("action") == "put"]
        self.assertEqual(len(puts), 2)  # the second run's re-check found it there: nothing sent

    def test_layers_gone_are_reported(self):
        self.start([image("gone", ["v1"], age_days=30), image("stays", ["v2"], age_days=30)])
        digest = sha(manifest("gone"))
        deleted = self.run_cli("delete", "--repository-name", REPO, "--digest", digest, "--yes",
                               "--journal", self.journal)
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.server.admin("POST", "/_emulator/layers-gone",
                          {"repositoryName": REPO, "blobDigests": [sha("layer-gone")]})
        restored = self.run_cli("journal", "restore", "--yes", "--output", "json", "--journal", self.journal)
        self.assertEqual(restored.returncode, 1, restored.stderr)
        failed = json.loads(restored.stdout)["failed"]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]["code"], "LayersNotFoundException")
        self.assertIn("layers gone", failed[0]["detail"])
        self.assertNotIn(digest, self.details())


if __name__ == "__main__":
    unittest.main()


class SnapshotWithoutManifests(Case):
    """The issue's numbers: `aws ecr describe-images` output of the demo's platform/base-images
    (no imageManifest) expires 258 images at --now 2026-11-01, the live registry 108 — and the plan
    of the describe-images output says so, on stderr and in the JSON's warnings."""

    def test_a_plan_of_describe_images_output_warns_about_unprotected_children(self):
        source = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
        demo = json.loads((source / "examples" / "demo-registry.json").read_text())
        repo = next(r for r in demo["repositories"] if r["repositoryName"] == "platform/base-images")
        self.server = servers.start_emulator(self, "--account-id", ACCOUNT, seed={"repositories": [repo]})
        listed = servers.aws_cli(self.server.endpoint, "ecr", "describe-images", "--repository-name",
                                 "platform/base-images", testcase=self)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertNotIn("imageManifest\"", listed.stdout)
        output = self.write("describe-images.json", json.loads(listed.stdout))
        policy = str(source / "examples" / "policies" / "demo-policy.json")

        offline = self.run_cli("plan", "--snapshot", output, "--policy", policy, "--now", "2026-11-01",
                               "--output", "json", endpoint=False)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        document = json.loads(offline.stdout)
        self.assertEqual(document["totals"]["expiring"], 258)
        self.assertEqual(len(document["warnings"]), 1)
        self.assertIn("51 kept image indexes have no manifest", document["warnings"][0])
        self.assertIn("regsweep snapshot", document["warnings"][0])
        self.assertEqual(offline.stderr.count("have no manifest"), 1, offline.stderr)

        live = self.run_cli("plan", "--policy", policy, "--now", "2026-11-01", "--output", "json")
        self.assertEqual(live.returncode, 0, live.stderr)
        live_document = json.loads(live.stdout)
        self.assertEqual(live_document["totals"]["expiring"], 108)
        self.assertEqual(live_document["warnings"], [])
