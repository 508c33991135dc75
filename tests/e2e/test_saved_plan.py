"""`regsweep plan --save-plan FILE` then `regsweep apply --plan FILE` against ecr-emulator (issue 6).

A saved plan is applied later: only what it lists as expire may be deleted, each image is checked
again (gone, re-tagged), today's protections apply again (a newly deployed image survives), and an
image pushed after the plan is never touched even when the policy would expire it now. Reuses the
scenario of test_safety (multi-arch index with children and a signature, a Kubernetes pin).
"""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import json
import os
import subprocess
import unittest

from test_safety import NOW, DAY, HOST, REPO, SafetyCase, plain, sha


class TestSavedPlan(SafetyCase):
    def save_plan(self, *extra):
        path = os.path.join(self.tmp, "plan.json")
        result = self.regsweep("plan", "--policy", self.policy, "--kubernetes-json", self.kubernetes,
                               "--output", "json", "--save-plan", path, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(path) as f:
            saved = json.load(f)
        # The file is the same document the plan printed.
        self.assertEqual(saved, json.loads(result.stdout))
        return path

    def apply_plan(self, path, *extra):
        return self.regsweep("apply", "--plan", path, "--yes", "--output", "json", *extra)

    def test_applies_exactly_the_saved_plan(self):
        path = self.save_plan()
        result = self.apply_plan(path, "--kubernetes-json", self.kubernetes)
        self.assertEqual(result.returncode, 0, result.stderr)
        left, doc = self.assert_safe_and_journal_complete()
        self.assertEqual(set(left), self.protected)
        deleted = {r[DIGEST] for r in doc["records"] if r.get("outcome") == "deleted"}
        self.assertEqual(deleted, self.expiring)

    def test_changes_since_the_plan_are_respected(self):
        path = self.save_plan()
        retagged, deployed = sha("junk3"), sha("junk5")
        # After the plan: one planned image is re-tagged, one is deployed, and an old untagged
        # image appears that the policy would expire now but the plan never listed.
        self.server.admin("POST", "/_emulator/tag", {"repositoryName": REPO, "imageDigest": retagged,
                                                     "imageTag": "hotfix"})
        late = plain("late-arrival", age_days=200)
        self.server.admin("POST", "/_emulator/images", {"repositories": [
            {"repositoryName": REPO, "imageDetails": [late]}]})
        kubernetes = self.write("k8s-now.json", {"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"name": "new", "namespace": "prod"},
             "spec": {"containers": [{"name": "app", "image": f"{HOST}/{REPO}@{deployed}"}]}}]})
        result = self.apply_plan(path, "--kubernetes-json", self.kubernetes, "--kubernetes-json", kubernetes)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"not deleting {REPO} {retagged}: tags changed", result.stderr)
        self.assertIn(f"not deleting {REPO} {deployed}: keep: in use", result.stderr)
        report = json.loads(result.stdout)
        not_as_planned = {n["imageDigest"]: n for n in report["notAsPlanned"]}
        self.assertEqual(set(not_as_planned), {retagged, deployed})
        self.assertEqual(not_as_planned[retagged]["repositoryName"], REPO)
        self.assertIn("tags changed", not_as_planned[retagged]["reason"])
        self.assertIn("in use", not_as_planned[deployed]["reason"])
        self.assertNotIn(retagged, {d["imageDigest"] for d in report["deleted"]})
        left, doc = self.assert_safe_and_journal_complete()
        self.assertEqual(left[retagged], ["hotfix"])
        self.assertIn(deployed, left)
        self.assertIn(sha("late-arrival"), left)
        self.assertEqual(set(left), self.protected | {retagged, deployed, sha("late-arrival")})
        deleted = {r[DIGEST] for r in doc["records"] if r.get("outcome") == "deleted"}
        self.assertEqual(deleted, self.expiring - {retagged, deployed})

    def test_bad_saved_plans_delete_nothing(self):
        path = self.save_plan()
        with open(path) as f:
            saved = json.load(f)
        before = self.survivors()
        saved["schemaVersion"] = PLAN_SCHEMA + 1
        wrong_version = self.write("v-next.json", saved)
        result = self.apply_plan(wrong_version)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("schemaVersion", result.stderr)
        both = self.regsweep("apply", "--plan", path, "--policy", self.policy, "--yes")
        self.assertEqual(both.returncode, 2, both.stderr)
        self.assertIn("either --policy", both.stderr)
        saved["schemaVersion"] = PLAN_SCHEMA
        for repo in saved["repositories"]:
            repo["region"] = "ap-south-1"  # made elsewhere: not the registry opened now
        elsewhere = self.write("elsewhere.json", saved)
        result = self.apply_plan(elsewhere)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("belongs to none of the registries", result.stderr)
        self.assertEqual(self.survivors(), before)
        self.assertEqual(self.counter("BatchDeleteImage"), 0)

    def test_in_use_references_that_match_nothing_are_listed(self):
        keep = os.path.join(self.tmp, "keep.txt")
        with open(keep, "w") as f:
            f.write(f"{HOST}/{REPO}:v9-typo\n{HOST}/{REPO}@{sha('pinned')}\n")
        result = self.regsweep("plan", "--policy", self.policy, "--keep-file", keep, "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1 in-use references match no image", result.stderr)
        self.assertIn(f"{REPO}: {HOST}/{REPO}:v9-typo (keep-file", result.stderr)
        self.assertNotIn("pinned", result.stderr)


if __name__ == "__main__":
    unittest.main()
