"""regsweep policy put | diff | get | delete against the ECR emulator (SigV4-verified) with 160
repositories: put creates, updates and skips exactly what it should, writes nothing without
--yes, is idempotent, survives throttling, and the AWS CLI v2 reads back the same policies. Two
emulator instances stand for two regions. An invalid policy is never sent."""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))

WANTED = {"rules": [
    {"rulePriority": 1, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "keep 20 releases",
     "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 20},
     "action": {"type": "expire"}}]}
# The same policy, reordered and reformatted: must count as unchanged.
SAME = {"rules": [dict(reversed(list(WANTED["rules"][1].items()))), WANTED["rules"][0]]}
OTHER = {"rules": [dict(WANTED["rules"][0], selection=dict(WANTED["rules"][0]["selection"], countNumber=30))]}


def seed(count, region):
    repos = []
    for i in range(count):
        repo = {"repositoryName": f"team-{i % 4}/svc-{i:03d}", "imageDetails": []}
        if i % 3 == 1:
            repo["lifecyclePolicyText"] = json.dumps(SAME)
        elif i % 3 == 2:
            repo["lifecyclePolicyText"] = json.dumps(OTHER)
        repos.append(repo)
    return {"region": region, "repositories": repos}


class PolicyFleetTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        self.policy = pathlib.Path(self.work.name, "policy.json")
        self.policy.write_text(json.dumps(WANTED, indent=2))
        self.eu = servers.start_emulator(self, "--region", "eu-west-1", seed=seed(160, "eu-west-1"))
        self.us = servers.start_emulator(self, "--region", "us-east-1", seed=seed(30, "us-east-1"))

    def regsweep(self, server, region, *args):
        env = dict(os.environ, **servers.aws_env(server.endpoint))
        env["AWS_REGION"] = region
        env.pop("AWS_ENDPOINT_URL", None)
        return subprocess.run([REGSWEEP, *args, "--endpoint-url", server.endpoint, "--region", region],
                              capture_output=True, text=True, env=env, timeout=300)

    def put(self, server, region, *extra):
        return self.regsweep(server, region, "policy", "put", "--policy", str(self.policy), "--all",
                             "--output", "json", "--concurrency", "8", *extra)

    def installed(self, server, region, name):
        env = dict(servers.aws_env(server.endpoint), AWS_REGION=region)
        result = subprocess.run([servers.AWS_CLI_V2, "--endpoint-url", server.endpoint, "--region", region,
                                 "ecr", "get-lifecycle-policy", "--repository-name", name, "--output", "json"],
                                capture_output=True, text=True, env=dict(os.environ, **env), timeout=60)
        if result.returncode != 0:
            self.assertIn("LifecyclePolicyNotFoundException", result.stderr)
            return None
        return json.loads(json.loads(result.stdout)["lifecyclePolicyText"])

    def test_put_previews_then_writes_only_what_differs_and_is_idempotent(self):
        if not os.path.exists(servers.AWS_CLI_V2):
            self.fail("the AWS CLI v2 is missing: apt-get install awscli")
        preview = self.put(self.eu, "eu-west-1")
        self.assertEqual(preview.returncode, 0, preview.stderr)
        summary = json.loads(preview.stdout)["summary"]
        self.assertEqual((summary["created"], summary["updated"], summary["unchanged"]), (54, 53, 53))
        self.assertFalse(summary["written"])
        self.assertIsNone(self.installed(self.eu, "eu-west-1", "team-0/svc-000"), "preview wrote a policy")

        done = self.put(self.eu, "eu-west-1", "--yes")
        self.assertEqual(done.returncode, 0, done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(sum(r["outcome"] == "changed" for r in report["results"]), 107)
        self.assertEqual(report["appearedDuringRun"], [])
        for name in ("team-0/svc-000", "team-2/svc-002", "team-1/svc-001"):
            got = self.installed(self.eu, "eu-west-1", name)
            self.assertEqual(sorted(r["rulePriority"] for r in got["rules"]), [1, 2], name)
            self.assertEqual(got["rules"][0]["selection"]["countNumber"] if got["rules"][0]["rulePriority"] == 1
                             else got["rules"][1]["selection"]["countNumber"], 14, name)

        again = self.put(self.eu, "eu-west-1", "--yes")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(json.loads(again.stdout)["summary"]["unchanged"], 160)

        diff = self.regsweep(self.eu, "eu-west-1", "policy", "diff", "--policy", str(self.policy), "--all")
        self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)

    def test_second_region_and_diff_exit_code(self):
        diff = self.regsweep(self.us, "us-east-1", "policy", "diff", "--policy", str(self.policy),
                             "--repository-name", "team-1/*")
        self.assertEqual(diff.returncode, 3, diff.stdout + diff.stderr)
        done = self.put(self.us, "us-east-1", "--yes", "--exclude", "team-3/*")
        self.assertEqual(done.returncode, 0, done.stderr)
        targets = {r["target"] for r in json.loads(done.stdout)["results"]}
        self.assertEqual(targets, {"us-east-1"})
        self.assertIsNone(self.installed(self.us, "us-east-1", "team-3/svc-003"), "excluded repository written")

    def test_put_survives_throttling(self):
        self.eu.admin("POST", "/_emulator/faults", {"seed": 7, "operations": {
            "GetLifecyclePolicy": {"throttle_probability": 0.2}, "PutLifecyclePolicy": {"throttle_probability": 0.2}}})
        done = self.put(self.eu, "eu-west-1", "--yes")
        self.assertEqual(done.returncode, 0, done.stderr)
        counters = self.eu.admin("GET", "/_emulator/counters")["operations"]
        self.assertGreater(counters["GetLifecyclePolicy"]["throttled"], 0, "no throttling happened")
        self.eu.admin("DELETE", "/_emulator/faults")
        again = self.put(self.eu, "eu-west-1")
        self.assertEqual(json.loads(again.stdout)["summary"]["unchanged"], 160)

    def test_invalid_policy_is_never_sent(self):
        self.policy.write_text('{"rules": [{"rulePriority": 0}]}')
        self.eu.admin("POST", "/_emulator/counters/reset")
        bad = self.put(self.eu, "eu-west-1", "--yes")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("rules[0].rulePriority", bad.stderr)
        self.assertEqual(self.eu.admin("GET", "/_emulator/counters")["total"], 0)

    def test_get_exports_every_policy_and_delete_removes_them(self):
        out = pathlib.Path(self.work.name, "export")
        out.mkdir()
        got = self.regsweep(self.us, "us-east-1", "policy", "get", "--all", "--output-file", str(out) + "/")
        self.assertEqual(got.returncode, 0, got.stderr)
        index = json.loads((out / "index.json").read_text())["policies"]
        self.assertEqual(len(index), 30)
        self.assertEqual(sum(p["lifecyclePolicyText"] is None for p in index), 10)
        self.assertTrue((out / "us-east-1" / "team-1" / "svc-001.json").exists())
        deleted = self.regsweep(self.us, "us-east-1", "policy", "delete", "--repository-name", "team-1/*", "--yes")
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertIsNone(self.installed(self.us, "us-east-1", "team-1/svc-001"))
        self.assertIsNotNone(self.installed(self.us, "us-east-1", "team-2/svc-002"))


if __name__ == "__main__":
    unittest.main()
