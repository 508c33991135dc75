"""regsweep against moto_server, for what moto's ECR supports: images pushed with PutImage (push
times are "now", so images are pushed a second apart), plan, apply --yes, delete by tag and digest,
snapshot. moto has no pagination, filters, faults or signature checks; those are covered by
test_ecr_emulator.py. The AWS CLI v2 checks the survivors after every change."""
import json
import os
import subprocess
import tempfile
import time
import unittest

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", "")

POLICY = {"rules": [{"rulePriority": 1, "description": "keep the newest tmp- image",
                     "selection": {"tagStatus": "tagged", "tagPrefixList": ["tmp-"],
                                   "countType": "imageCountMoreThan", "countNumber": 1},
                     "action": {"type": "expire"}}]}


# moto stamps every push "now", so the images are minutes old: switch off the --min-age guard
# (default 1h) that would otherwise keep them all.
FRESH_OK = ("--min-age", "0s")


def manifest(n):
    return json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 100,
                                  "digest": "sha256:" + f"{n:064x}"},
                       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                   "size": 1000 + n, "digest": "sha256:" + f"{n + 1000:064x}"}]})


class TestAgainstMoto(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not REGSWEEP or not os.access(REGSWEEP, os.X_OK):
            raise unittest.SkipTest("REGSWEEP_BIN not set; run through ctest")

    def setUp(self):
        self.server = servers.start_moto(self)
        self.ecr = servers.boto3_client(self.server.endpoint)
        self.ecr.create_repository(repositoryName="team/app")
        self.digests = {}
        for n, tag in enumerate(["prod", "tmp-1", "tmp-2", "tmp-3"]):
            out = self.ecr.put_image(repositoryName="team/app", imageManifest=manifest(n), imageTag=tag)
            self.digests[tag] = out["image"]["imageId"]["imageDigest"]
            time.sleep(1.1)  # moto stamps "now": keep push times distinct
        self.tmp = tempfile.mkdtemp(prefix="regsweep-moto-")
        self.policy = os.path.join(self.tmp, "policy.json")
        with open(self.policy, "w") as f:
            json.dump(POLICY, f)

    def regsweep(self, *args):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        return subprocess.run([REGSWEEP, *args, "--endpoint-url", self.server.endpoint], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)

    def survivors(self):
        result = servers.aws_cli(self.server.endpoint, "ecr", "describe-images", "--repository-name", "team/app",
                                 testcase=self)
        self.assertEqual(result.returncode, 0, result.stderr)
        return {d["imageDigest"] for d in json.loads(result.stdout)["imageDetails"]}

    def test_plan_then_apply_leaves_the_plans_survivors(self):
        result = self.regsweep("plan", "--policy", self.policy, "--output", "json", *FRESH_OK)
        self.assertEqual(result.returncode, 0, result.stderr)
        plan = json.loads(result.stdout)
        actions = {i["imageDigest"]: i["action"] for r in plan["repositories"] for i in r["images"]}
        self.assertEqual(actions[self.digests["tmp-1"]], "expire")
        self.assertEqual(actions[self.digests["tmp-2"]], "expire")
        self.assertEqual(actions[self.digests["tmp-3"]], "keep")
        self.assertEqual(actions[self.digests["prod"]], "keep")
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json", *FRESH_OK)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(json.loads(result.stdout)["totals"]["deleted"], 2)
        self.assertEqual(self.survivors(), {d for d, a in actions.items() if a != "expire"})

    def test_delete_by_tag_and_digest(self):
        # moto's images were pushed seconds ago: delete keeps them under its default --min-age 1h.
        kept = self.regsweep("delete", "--repository-name", "team/app", "--digest", self.digests["tmp-2"],
                             "--yes")
        self.assertEqual(kept.returncode, 0, kept.stderr + kept.stdout)
        self.assertIn("younger than", kept.stderr)
        self.assertEqual(len(self.survivors()), 4)
        result = self.regsweep("delete", "--repository-name", "team/app", "--tag", "tmp-1",
                               "--digest", self.digests["tmp-2"], "--yes", *FRESH_OK)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(self.survivors(), {self.digests["prod"], self.digests["tmp-3"]})

    # Issue 16: moto answers BatchDeleteImage of untagged images by digest with empty imageIds
    # and failures; the images are gone all the same, and regsweep says so (exit 0).
    def test_delete_untagged_against_moto_reports_the_images_deleted(self):
        untagged = {self.ecr.put_image(repositoryName="team/app", imageManifest=manifest(n))
                    ["image"]["imageId"]["imageDigest"] for n in (10, 11)}
        before = self.survivors()
        self.assertTrue(untagged <= before)
        result = self.regsweep("delete", "--repository-name", "team/app", "--untagged", "--yes",
                               "--output", "json", "--journal", os.path.join(self.tmp, "j.jsonl"), *FRESH_OK)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        report = json.loads(result.stdout)
        self.assertEqual({d["imageDigest"] for d in report["deleted"]}, untagged)
        self.assertEqual(report["failed"], [])
        self.assertEqual(self.survivors(), before - untagged)

    def test_apply_without_yes_refuses(self):
        result = self.regsweep("apply", "--policy", self.policy, *FRESH_OK)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(len(self.survivors()), 4)

    def test_snapshot_lists_every_image(self):
        path = os.path.join(self.tmp, "snap.json")
        result = self.regsweep("snapshot", "--output-file", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(path) as f:
            snap = json.load(f)
        images = snap["repositories"][0]["imageDetails"]
        self.assertEqual({i["imageDigest"] for i in images}, set(self.digests.values()))


if __name__ == "__main__":
    unittest.main()
