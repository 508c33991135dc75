"""E2E: `regsweep plan` on snapshot files written by each test (the real binary, no cloud)."""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

BIN = os.environ.get("REGSWEEP_BIN", "regsweep")
SOURCE = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
NOW = "2026-11-01T00:00:00Z"
DAY = 86400
NOW_S = 1793491200

POLICY = {"rules": [
    {"rulePriority": 1, "description": "keep 2 releases",
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 2},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
     "action": {"type": "expire"}},
]}
GIB = 2 ** 30


def image(digest, tags, days_old, size=GIB, iso=False, **extra):
    pushed = NOW_S - days_old * DAY
    detail = {"imageDigest": digest, "imagePushedAt": (
        f"{__import__('datetime').datetime.utcfromtimestamp(pushed).isoformat()}+00:00" if iso else pushed),
        "imageSizeInBytes": size}
    if tags:
        detail["imageTags"] = tags
    detail.update(extra)
    return detail


def snapshot():
    return {"repositories": [
        {"repositoryName": "team/app", "imageDetails": [
            image("sha256:v1", ["v1"], 100), image("sha256:v2", ["v2"], 50, iso=True),
            image("sha256:v3", ["v3"], 10), image("sha256:u-old", [], 30, 2 * GIB, iso=True),
            image("sha256:u-new", [], 2)]},
        {"repositoryName": "team/web", "imageDetails": [image("sha256:w", [], 40)]},
        {"repositoryName": "other", "imageDetails": [image("sha256:o", [], 40)]},
    ]}


class PlanCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = pathlib.Path(self.dir.name)
        self.addCleanup(self.dir.cleanup)

    def write(self, name, content):
        path = self.tmp / name
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
        return str(path)

    def plan(self, *args, snap=None, policy=None):
        snap = snap or self.write("snap.json", snapshot())
        policy = policy or self.write("policy.json", POLICY)
        # --allow-empty: the fixtures have one-image repositories whose image expires; these tests
        # pin ECR's verdicts, and the never-empty guard is tested on its own below.
        return subprocess.run([BIN, "plan", "--snapshot", snap, "--policy", policy, "--now", NOW, "--allow-empty", *args],
                              capture_output=True, text=True, timeout=60)

    def plan_json(self, *args, **kw):
        result = self.plan("--output", "json", *args, **kw)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_json_lists_every_image_with_action_rule_and_reason(self):
        doc = self.plan_json()
        self.assertEqual(doc["schemaVersion"], PLAN_SCHEMA)
        self.assertEqual(doc["now"], NOW)
        repos = {r["repositoryName"]: r for r in doc["repositories"]}
        self.assertEqual(list(repos), ["team/app", "team/web", "other"])
        app = {i["imageDigest"]: i for i in repos["team/app"]["images"]}
        self.assertEqual(len(app), 5)
        self.assertEqual(app["sha256:v1"]["action"], "expire")
        self.assertEqual(app["sha256:v1"]["appliedRulePriority"], 1)
        self.assertEqual(app["sha256:v1"]["reasonCode"], "countExceeded")
        self.assertIn("rule 1", app["sha256:v1"]["reason"])
        self.assertEqual(app["sha256:v1"]["imageTags"], ["v1"])
        self.assertEqual(app["sha256:v1"]["imagePushedAt"], "2026-07-24T00:00:00Z")
        for kept in ("sha256:v2", "sha256:v3", "sha256:u-new"):
            self.assertEqual(app[kept]["action"], "keep", kept)
            self.assertIsNone(app[kept]["appliedRulePriority"])
        self.assertEqual(app["sha256:u-old"]["action"], "expire")
        self.assertEqual(app["sha256:u-old"]["appliedRulePriority"], 2)
        totals = doc["totals"]
        self.assertEqual(totals["images"], 7)
        self.assertEqual(totals["expiring"], 4)  # v1, u-old, w, o
        self.assertEqual(totals["kept"], 3)
        self.assertEqual(totals["bytesExpiring"], 5 * GIB)
        self.assertAlmostEqual(totals["monthlySavings"], 0.5)
        self.assertEqual(doc["skippedRepositories"], [])

    def test_table_shows_changes_and_totals_with_dollars(self):
        result = self.plan("--output", "table", "--price-per-gb-month", "0.20")
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout
        self.assertIn("team/app", out)
        self.assertIn("<untagged>", out)
        self.assertIn("rule 1", out)
        self.assertIn("5.00 GiB freed", out)
        self.assertIn("$1.00 per month at $0.20 per GB-month", out)
        self.assertNotIn("sha256", out.split("Plan at")[0].replace("DIGEST", ""))  # short digests only
        self.assertNotIn("v3 ", out)  # kept images are not listed

    def test_default_output_is_the_table_also_when_stdout_is_not_a_terminal(self):
        # Issue 15: `plan ... > plan.txt` or `| less` gives the table people asked for, not JSON.
        out = self.plan().stdout
        self.assertIn("ACTION", out)
        self.assertIn("Plan at ", out)
        with self.assertRaises(json.JSONDecodeError):
            json.loads(out)

    def test_repository_name_globs_filter(self):
        doc = self.plan_json("--repository-name", "team/*")
        self.assertEqual([r["repositoryName"] for r in doc["repositories"]], ["team/app", "team/web"])
        doc = self.plan_json("--repository-name", "oth?r", "--repository-name", "team/w*")
        self.assertEqual([r["repositoryName"] for r in doc["repositories"]], ["team/web", "other"])
        self.assertEqual(doc["totals"]["images"], 2)

    def test_describe_images_output_is_accepted(self):
        details = []
        for repo in snapshot()["repositories"]:
            for d in repo["imageDetails"]:
                details.append(dict(d, repositoryName=repo["repositoryName"], registryId="123456789012"))
        snap = self.write("describe.json", {"imageDetails": details, "nextToken": "abc"})
        doc = self.plan_json(snap=snap)
        self.assertEqual(doc["totals"]["images"], 7)
        self.assertEqual(doc["totals"]["expiring"], 4)
        self.assertEqual(doc["repositories"][0]["registryId"], "123456789012")

    def test_multi_arch_index_children_are_kept(self):
        index_manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                                     "manifests": [{"digest": "sha256:child-amd64"}, {"digest": "sha256:child-arm64"}]})
        snap = self.write("multiarch.json", {"repositories": [{"repositoryName": "multi", "imageDetails": [
            image("sha256:index", ["v9"], 60, imageManifest=index_manifest,
                  imageManifestMediaType="application/vnd.oci.image.index.v1+json"),
            image("sha256:child-amd64", [], 60), image("sha256:child-arm64", [], 60),
            image("sha256:orphan", [], 60)]}]})
        doc = self.plan_json(snap=snap)
        images = {i["imageDigest"]: i for i in doc["repositories"][0]["images"]}
        self.assertEqual(images["sha256:index"]["action"], "keep")
        self.assertEqual(images["sha256:child-amd64"]["action"], "keep")
        self.assertEqual(images["sha256:child-amd64"]["reasonCode"], "childOfLiveIndex")
        self.assertEqual(images["sha256:child-arm64"]["action"], "keep")
        self.assertEqual(images["sha256:orphan"]["action"], "expire")

    def test_protections_keep_images_in_use_and_never_empty_a_repository(self):
        k8s = {"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-1", "namespace": "prod"},
             "spec": {"containers": [{"name": "api", "image": "team/app:v1"}]}}]}
        keep = self.write("keep.txt", "# pinned by the on-call runbook\nteam/web\n")
        kube = self.write("k8s.json", k8s)
        result = self.plan("--output", "json", "--kubernetes-json", kube, "--keep-file", keep)
        # --allow-empty is passed by self.plan; run once more without it through the raw binary below.
        self.assertEqual(result.returncode, 0, result.stderr)
        images = {i["imageDigest"]: i for r in json.loads(result.stdout)["repositories"] for i in r["images"]}
        self.assertEqual(images["sha256:v1"]["action"], "keep")
        self.assertEqual(images["sha256:v1"]["protection"], "in_use")
        self.assertIn("team/app:v1", images["sha256:v1"]["reason"])
        self.assertEqual(images["sha256:u-old"]["action"], "expire")
        guarded = subprocess.run([BIN, "plan", "--snapshot", self.write("s.json", snapshot()), "--policy",
                                  self.write("p.json", POLICY), "--now", NOW, "--output", "json"],
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(guarded.returncode, 0, guarded.stderr)
        web = [r for r in json.loads(guarded.stdout)["repositories"] if r["repositoryName"] == "team/web"][0]
        self.assertEqual(web["images"][0]["action"], "keep")
        self.assertEqual(web["images"][0]["protection"], "repository_would_be_emptied")

    def test_unreadable_in_use_input_exits_2_and_plans_nothing(self):
        bad = self.write("k8s.json", "{not json")
        result = self.plan("--kubernetes-json", bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("k8s.json", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_bad_policy_exits_2_naming_file_line_and_path(self):
        bad = self.write("bad-policy.json", '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",\n'
                                            '  "countType": "sinceImagePushed", "countNumber": 14},\n'
                                            '  "action": {"type": "expire"}}]}')
        result = self.plan(policy=bad)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("bad-policy.json:", result.stderr)
        self.assertIn("rules[0].selection", result.stderr)
        self.assertIn("countUnit", result.stderr)

    def test_bad_snapshot_exits_2_naming_the_json_path(self):
        snap = snapshot()
        snap["repositories"][1]["imageDetails"][0]["imagePushedAt"] = "yesterday"
        result = self.plan(snap=self.write("bad-snap.json", snap))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("bad-snap.json:", result.stderr)
        self.assertIn("repositories[1].imageDetails[0].imagePushedAt", result.stderr)

    def test_missing_files_and_bad_flags_exit_2(self):
        self.assertEqual(self.plan(snap=str(self.tmp / "nope.json")).returncode, 2)
        self.assertEqual(self.plan(policy=str(self.tmp / "nope.json")).returncode, 2)
        self.assertEqual(self.plan("--output", "yaml").returncode, 2)
        result = self.plan("--now", "someday")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--now", result.stderr)
        both = self.plan("--region", "eu-west-1")  # a snapshot and ECR at once
        self.assertEqual(both.returncode, 2)

    def test_iso_and_epoch_timestamps_agree(self):
        as_iso = {"repositories": [{"repositoryName": "r", "imageDetails": [
            {"imageDigest": "sha256:a", "imagePushedAt": "2026-10-01T00:00:00.000+00:00"},
            {"imageDigest": "sha256:b", "imagePushedAt": "2026-10-30T02:00:00+02:00"}]}]}
        as_epoch = {"repositories": [{"repositoryName": "r", "imageDetails": [
            {"imageDigest": "sha256:a", "imagePushedAt": NOW_S - 31 * DAY},
            {"imageDigest": "sha256:b", "imagePushedAt": NOW_S - 2 * DAY}]}]}
        a = self.plan_json(snap=self.write("iso.json", as_iso))["repositories"][0]["images"]
        b = self.plan_json(snap=self.write("epoch.json", as_epoch))["repositories"][0]["images"]
        self.assertEqual(a, b)
        self.assertEqual([i["action"] for i in a], ["expire", "keep"])

    def test_demo_snapshot_plans_with_savings(self):
        doc = self.plan_json(snap=str(SOURCE / "examples/demo-registry.json"),
                             policy=str(SOURCE / "examples/policies/demo-policy.json"))
        self.assertGreaterEqual(len(doc["repositories"]), 10)
        self.assertGreaterEqual(doc["totals"]["images"], 1000)
        self.assertGreater(doc["totals"]["expiring"], 0)
        self.assertGreater(doc["totals"]["transitioning"], 0)
        self.assertGreater(doc["totals"]["monthlySavings"], 1.0)


if __name__ == "__main__":
    unittest.main()
