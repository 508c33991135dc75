"""regsweep run --config, plan/apply over several regions and accounts, and policy preview, against
four ECR emulators — two accounts x two regions, 160 repositories — behind one endpoint
(fleet_router.py): the account comes from the credentials, the region from the SigV4 scope, and
--role-arn is assumed through the emulators' STS AssumeRole (AWS_ENDPOINT_URL_STS).

run --check on a bad config exits 2 before any request; run without --yes changes nothing; run
--yes installs exactly the expected policies (read back with the AWS CLI v2) and deletes exactly
the expected images (none in excluded repositories); a second run --yes changes nothing;
protections in the config (a keep file for every target, Kubernetes workloads for one) keep what
they name, and an unreadable keep file stops the run before any request."""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import hashlib
import json
import os
import pathlib
import subprocess
import tempfile
import time
import unittest

import servers
from fleet_router import FleetRouter

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))

ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
ROLE_A, ROLE_B = (f"arn:aws:iam::{a}:role/regsweep" for a in (ACCOUNT_A, ACCOUNT_B))
REGIONS = ("eu-west-1", "us-east-1")
SERVICES, LEGACY = 30, 10          # repositories per emulator: svc-00..29 and legacy-0..9
NOW = int(time.time())
DAY = 86400

CLEANUP = {"rules": [
    {"rulePriority": 1, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "keep 3 releases",
     "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 3},
     "action": {"type": "expire"}}]}
OTHER = {"rules": [
    {"rulePriority": 1, "description": "untagged after 60 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 60},
     "action": {"type": "expire"}}]}
EXPIRING_UNDER_CLEANUP = 5          # v1, v2 (beyond the 3 newest) and 3 untagged of 30 days


def digest(*parts):
    return "sha256:" + hashlib.sha256("/".join(parts).encode()).hexdigest()


def repository(account, region, name, policy=None):
    images = [{"imageDigest": digest(account, region, name, f"v{i}"), "imageTags": [f"v{i}"],
               "imagePushedAt": NOW - (60 - 10 * i) * DAY, "imageSizeInBytes": 1_000_000}
              for i in range(1, 6)]
    images += [{"imageDigest": digest(account, region, name, f"old{i}"), "imagePushedAt": NOW - 30 * DAY,
                "imageSizeInBytes": 2_000_000} for i in range(3)]
    images += [{"imageDigest": digest(account, region, name, "fresh"), "imagePushedAt": NOW - DAY,
                "imageSizeInBytes": 3_000_000}]
    repo = {"repositoryName": name, "imageDetails": images}
    if policy is not None:
        repo["lifecyclePolicyText"] = json.dumps(policy)
    return repo


def policy_of_service(i):
    """Account B's installed policies: none, the same policy reordered, or another one."""
    return (None, {"rules": list(reversed(CLEANUP["rules"]))}, OTHER)[i % 3]


def seed(account, region):
    repos = [repository(account, region, f"svc-{i:02d}", policy_of_service(i) if account == ACCOUNT_B else None)
             for i in range(SERVICES)]
    repos += [repository(account, region, f"legacy-{i}") for i in range(LEGACY)]
    return {"registryId": account, "region": region, "repositories": repos}


class FleetCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-run-"))
        self.emulators = {}
        for account in (ACCOUNT_A, ACCOUNT_B):
            for region in REGIONS:
                self.emulators[(account, region)] = servers.start_emulator(
                    self, "--region", region, "--account-id", account, seed=seed(account, region))
        self.router = FleetRouter({k: e.endpoint for k, e in self.emulators.items()}, ACCOUNT_A).start()
        self.addCleanup(self.router.stop)
        (self.work / "cleanup.json").write_text(json.dumps(CLEANUP, indent=2))

    def regsweep(self, *args, timeout=300):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_ENDPOINT_URL_STS"] = self.router.endpoint
        env["XDG_STATE_HOME"] = str(self.work / "state")
        return subprocess.run([REGSWEEP, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)

    def state(self, account, region):
        return {r["repositoryName"]: r for r in self.emulators[(account, region)].admin("GET", "/_emulator/state")["repositories"]}

    def digests(self, account, region):
        return {name: {i["imageDigest"] for i in r.get("imageDetails", [])}
                for name, r in self.state(account, region).items()}

    def installed(self, account, region):
        return {name: (json.loads(r["lifecyclePolicyText"]) if r.get("lifecyclePolicyText") else None)
                for name, r in self.state(account, region).items()}

    def total_requests(self):
        return sum(e.admin("GET", "/_emulator/counters")["total"] for e in self.emulators.values())

    def calls(self, operation):
        return sum(e.admin("GET", "/_emulator/counters")["operations"].get(operation, {}).get("calls", 0)
                   for e in self.emulators.values())

    def expected_survivors(self, account, region, name):
        return {digest(account, region, name, t) for t in ("v3", "v4", "v5", "fresh")}


class RunConfigTest(FleetCase):
    def write_config(self, output="json", extra_target="", mode_b="install"):
        text = f"""version: 1
settings:
  concurrency: 4
  output: {output}
  journal: {self.work}/journal.jsonl
policies:
  cleanup:
    file: cleanup.json
targets:
  - name: install-b
    accounts: [{ROLE_B}]
    regions: [{REGIONS[0]}, {REGIONS[1]}]
    exclude: ["legacy-*"]
    policy: cleanup
    mode: {mode_b}
    endpoint_url: {self.router.endpoint}
  - name: clean-a
    accounts: [{ROLE_A}]
    regions: [{REGIONS[0]}, {REGIONS[1]}]
    repositories: ["svc-*", "legacy-*"]
    exclude: ["legacy-*", "svc-2?"]
    policy: cleanup
    mode: apply
    endpoint_url: {self.router.endpoint}
{extra_target}"""
        path = self.work / "regsweep.yaml"
        path.write_text(text)
        return str(path)

    def run_json(self, *args):
        result = self.regsweep("run", "--config", self.write_config(), *args)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return {t["name"]: t for t in json.loads(result.stdout)["targets"]}

    def test_check_validates_without_contacting_anything(self):
        for e in self.emulators.values():
            e.admin("POST", "/_emulator/counters/reset")
        good = self.regsweep("run", "--config", self.write_config(), "--check")
        self.assertEqual(good.returncode, 0, good.stderr)
        bad_path = self.write_config(mode_b="instal", extra_target="    colour: blue\n")
        bad = self.regsweep("run", "--config", bad_path, "--check")
        self.assertEqual(bad.returncode, 2, bad.stdout + bad.stderr)
        self.assertIn("regsweep.yaml:", bad.stderr)
        self.assertIn("targets[0].mode", bad.stderr)
        self.assertIn('unknown key "colour"', bad.stderr)
        # Without --check, an invalid config still stops before any request.
        bad_run = self.regsweep("run", "--config", bad_path, "--yes")
        self.assertEqual(bad_run.returncode, 2, bad_run.stdout + bad_run.stderr)
        self.assertEqual(self.total_requests(), 0, "a request was made for an invalid config")
        self.assertEqual(sum(self.router.routed.values()), 0)

    def test_run_previews_then_applies_and_installs_exactly_then_changes_nothing(self):
        before = {k: self.digests(*k) for k in self.emulators}
        policies_before = {k: self.installed(*k) for k in self.emulators}

        # Without --yes: plans and previews only (the table output), nothing written or deleted.
        table = self.regsweep("run", "--config", self.write_config(output="table"))
        self.assertEqual(table.returncode, 0, table.stdout + table.stderr)
        self.assertIn("Summary (preview only)", table.stdout)
        self.assertIn(f"{ACCOUNT_B}/{REGIONS[1]}", table.stdout)
        self.assertIn("plan only: nothing deleted", table.stdout)
        self.assertEqual(self.calls("BatchDeleteImage") + self.calls("PutLifecyclePolicy"), 0)
        self.assertEqual({k: self.digests(*k) for k in self.emulators}, before)
        self.assertEqual({k: self.installed(*k) for k in self.emulators}, policies_before)
        preview = self.run_json()
        self.assertEqual(preview["install-b"]["summary"]["created"], 20)   # 10 per region
        self.assertEqual(preview["install-b"]["summary"]["updated"], 20)
        self.assertEqual(preview["install-b"]["summary"]["unchanged"], 20)
        self.assertFalse(preview["install-b"]["summary"]["written"])
        self.assertEqual(preview["clean-a"]["summary"]["repositories"], 40)   # svc-00..19, 2 regions
        self.assertEqual(preview["clean-a"]["summary"]["expiring"], 40 * EXPIRING_UNDER_CLEANUP)
        self.assertEqual(preview["clean-a"]["summary"]["deleted"], 0)
        self.assertEqual(self.calls("BatchDeleteImage") + self.calls("PutLifecyclePolicy"), 0)

        done = self.run_json("--yes")
        self.assertEqual(done["clean-a"]["status"], "ok")
        self.assertEqual(done["clean-a"]["summary"]["deleted"], 40 * EXPIRING_UNDER_CLEANUP)
        self.assertEqual(done["install-b"]["summary"]["created"] + done["install-b"]["summary"]["updated"], 40)
        self.assertEqual(sorted(done["clean-a"]["registries"]), sorted(f"{ACCOUNT_A}/{r}" for r in REGIONS))

        for region in REGIONS:
            # Account A: exactly the expiring images are gone, and nothing in excluded repositories.
            after = self.digests(ACCOUNT_A, region)
            for name, digests in after.items():
                excluded = name.startswith("legacy-") or name.startswith("svc-2")
                expected = before[(ACCOUNT_A, region)][name] if excluded else \
                    self.expected_survivors(ACCOUNT_A, region, name)
                self.assertEqual(digests, expected, f"{ACCOUNT_A}/{region}/{name}")
            self.assertEqual(self.installed(ACCOUNT_A, region), policies_before[(ACCOUNT_A, region)],
                             "an apply target wrote policies")
            # Account B: the policy on every svc repository, legacy untouched, no image deleted.
            self.assertEqual(self.digests(ACCOUNT_B, region), before[(ACCOUNT_B, region)])
            for name, policy in self.installed(ACCOUNT_B, region).items():
                if name.startswith("legacy-"):
                    self.assertIsNone(policy, f"excluded {name} got a policy")
                elif int(name[4:]) % 3 == 1:
                    self.assertEqual(policy, {"rules": list(reversed(CLEANUP["rules"]))}, "unchanged one rewritten")
                else:
                    self.assertEqual(policy, CLEANUP, name)
            # The AWS CLI v2 reads back the same policies.
            endpoint = self.emulators[(ACCOUNT_B, region)].endpoint
            for name in ("svc-00", "svc-02", "legacy-0"):
                got = servers.aws_cli(endpoint, "--region", region, "ecr", "get-lifecycle-policy",
                                      "--repository-name", name, testcase=self)
                if name == "legacy-0":
                    self.assertIn("LifecyclePolicyNotFoundException", got.stderr)
                else:
                    self.assertEqual(got.returncode, 0, got.stderr)
                    self.assertEqual(json.loads(json.loads(got.stdout)["lifecyclePolicyText"]), CLEANUP)

        # The journal recorded the deletions.
        journal = (self.work / "journal.jsonl").read_text().splitlines()
        self.assertGreaterEqual(len(journal), 2 * 40 * EXPIRING_UNDER_CLEANUP)

        again = self.run_json("--yes")
        self.assertEqual(again["install-b"]["summary"]["unchanged"], 60)
        self.assertEqual(again["install-b"]["summary"]["created"] + again["install-b"]["summary"]["updated"], 0)
        self.assertEqual(again["clean-a"]["summary"]["expiring"], 0)
        self.assertEqual(again["clean-a"]["summary"]["deleted"], 0)

    def test_a_target_that_cannot_start_fails_the_run(self):
        extra = f"""  - name: unknown-account
    accounts: [arn:aws:iam::333333333333:role/regsweep]
    regions: [{REGIONS[0]}]
    policy: cleanup
    mode: apply
    endpoint_url: {self.router.endpoint}
"""
        result = self.regsweep("run", "--config", self.write_config(extra_target=extra))
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        targets = {t["name"]: t for t in json.loads(result.stdout)["targets"]}
        self.assertEqual(targets["unknown-account"]["status"], "failed")
        self.assertEqual(targets["clean-a"]["status"], "ok")


    def protected_config(self, keep_file):
        text = f"""settings:
  output: json
  journal: {self.work}/journal.jsonl
  protections:
    keep_files: [{keep_file}]
targets:
  - name: protected-a
    accounts: [{ROLE_A}]
    regions: [{REGIONS[0]}]
    repositories: ["svc-0?"]
    policy: {{file: cleanup.json}}
    mode: apply
    endpoint_url: {self.router.endpoint}
    protections:
      kubernetes_json: [k8s.json]
"""
        path = self.work / "protected.yaml"
        path.write_text(text)
        return str(path)

    def test_protections_in_the_config_keep_what_is_in_use(self):
        region = REGIONS[0]
        in_use = digest(ACCOUNT_A, region, "svc-01", "old0")
        (self.work / "keep.txt").write_text("# the release we roll back to\nsvc-00:v1\n")
        pods = {"apiVersion": "v1", "kind": "List", "items": [{
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api", "namespace": "prod"},
            "spec": {"containers": [{"name": "api", "image":
                     f"{ACCOUNT_A}.dkr.ecr.{region}.amazonaws.com/svc-01@{in_use}"}]}}]}
        (self.work / "k8s.json").write_text(json.dumps(pods))
        before = self.digests(ACCOUNT_A, region)

        # A keep file that cannot be read: the run stops before any request.
        for e in self.emulators.values():
            e.admin("POST", "/_emulator/counters/reset")
        missing = self.regsweep("run", "--config", self.protected_config("missing.txt"), "--yes")
        self.assertEqual(missing.returncode, 2, missing.stdout + missing.stderr)
        self.assertIn("missing.txt", missing.stderr)
        self.assertIn("nothing was contacted", missing.stderr)
        self.assertEqual(self.total_requests(), 0)

        done = self.regsweep("run", "--config", self.protected_config("keep.txt"), "--yes")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        summary = json.loads(done.stdout)["targets"][0]["summary"]
        self.assertEqual(summary["deleted"], 10 * EXPIRING_UNDER_CLEANUP - 2)
        after = self.digests(ACCOUNT_A, region)
        for name, digests in after.items():
            if not name.startswith("svc-0"):
                self.assertEqual(digests, before[name], name)
                continue
            expected = self.expected_survivors(ACCOUNT_A, region, name)
            if name == "svc-00":
                expected.add(digest(ACCOUNT_A, region, name, "v1"))  # the settings' keep file
            if name == "svc-01":
                expected.add(in_use)  # the target's Kubernetes workloads
            self.assertEqual(digests, expected, name)


class FleetPlanApplyPreviewTest(FleetCase):
    def fleet_args(self):
        return ["--role-arn", ROLE_A, "--role-arn", ROLE_B, "--region", REGIONS[0], "--region", REGIONS[1],
                "--endpoint-url", self.router.endpoint]

    def test_plan_reports_per_account_and_region_in_one_document(self):
        result = self.regsweep("plan", "--policy", str(self.work / "cleanup.json"), "--output", "json",
                               *self.fleet_args())
        self.assertEqual(result.returncode, 0, result.stderr)
        plan = json.loads(result.stdout)
        self.assertEqual(plan["schemaVersion"], PLAN_SCHEMA)
        self.assertEqual(sorted(s["label"] for s in plan["sources"]),
                         sorted(f"{a}/{r}" for a in (ACCOUNT_A, ACCOUNT_B) for r in REGIONS))
        self.assertEqual(len(plan["repositories"]), 160)
        self.assertEqual(plan["totals"]["repositories"], 160)
        self.assertEqual(plan["totals"]["expiring"], 160 * EXPIRING_UNDER_CLEANUP)
        seen = {(r["registryId"], r["region"], r["repositoryName"]) for r in plan["repositories"]}
        self.assertEqual(len(seen), 160)
        for repo in plan["repositories"]:
            for image in repo["images"]:
                self.assertTrue(image["imageDigest"] == digest(repo["registryId"], repo["region"],
                                                               repo["repositoryName"], image["imageTags"][0])
                                if image["imageTags"] else True)
        self.assertTrue(all(n >= 4 for n in (self.router.routed[(a, r, "ecr")]
                                             for a in (ACCOUNT_A, ACCOUNT_B) for r in REGIONS)))
        self.assertTrue(all(self.router.routed[(ACCOUNT_A, r, "sts")] >= 1 for r in REGIONS))

        table = self.regsweep("plan", "--policy", str(self.work / "cleanup.json"), "--output", "table",
                              "--quiet", *self.fleet_args())
        self.assertEqual(table.returncode, 0, table.stderr)
        for a in (ACCOUNT_A, ACCOUNT_B):
            for r in REGIONS:
                self.assertIn(f"== {a}/{r} (", table.stdout)
        self.assertIn("== all 4 registries ==", table.stdout)

    def test_apply_asks_once_and_deletes_per_registry(self):
        refused = self.regsweep("apply", "--policy", str(self.work / "cleanup.json"), *self.fleet_args())
        self.assertEqual(refused.returncode, 2, refused.stdout + refused.stderr)
        self.assertEqual(self.calls("BatchDeleteImage"), 0)
        done = self.regsweep("apply", "--policy", str(self.work / "cleanup.json"), "--yes", "--output", "json",
                             "--repository-name", "svc-0?", "--journal", str(self.work / "j.jsonl"),
                             *self.fleet_args())
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(len(report["deleted"]), 4 * 10 * EXPIRING_UNDER_CLEANUP)
        self.assertIn(f"{ACCOUNT_B}/{REGIONS[1]}/svc-03", {d["repositoryName"] for d in report["deleted"]})
        for (account, region) in self.emulators:
            for name, digests in self.digests(account, region).items():
                if name.startswith("svc-0"):
                    self.assertEqual(digests, self.expected_survivors(account, region, name))
                else:
                    self.assertEqual(len(digests), 9, f"{account}/{region}/{name} was touched")

    def test_policy_preview_plans_each_repository_with_its_installed_policy(self):
        result = self.regsweep("policy", "preview", "--all", "--output", "json", "--role-arn", ROLE_B,
                               "--region", REGIONS[0], "--endpoint-url", self.router.endpoint)
        self.assertEqual(result.returncode, 0, result.stderr)
        preview = json.loads(result.stdout)
        repos = {r["repositoryName"]: r for r in preview["repositories"]}
        self.assertEqual(len(repos), SERVICES + LEGACY)
        for name, repo in repos.items():
            expiring = repo["summary"]["expiring"]
            if name.startswith("legacy-") or int(name[4:]) % 3 == 0:
                self.assertIsNone(repo["policy"], name)
                self.assertEqual(expiring, 0, f"{name} has no policy: everything is kept")
            elif int(name[4:]) % 3 == 1:
                self.assertEqual(expiring, EXPIRING_UNDER_CLEANUP, name)
                self.assertEqual(len(repo["policy"]["rules"]), 2)
            else:
                self.assertEqual(expiring, 0, f"{name}: untagged images are 30 days old, OTHER waits 60")
        self.assertEqual(preview["totals"]["expiring"], 10 * EXPIRING_UNDER_CLEANUP)
        self.assertEqual(self.calls("BatchDeleteImage") + self.calls("PutLifecyclePolicy"), 0)
        table = self.regsweep("policy", "preview", "--repository-name", "svc-0*", "--output", "table",
                              "--role-arn", ROLE_B, "--region", REGIONS[0], "--endpoint-url", self.router.endpoint)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("no policy installed on 4 repositories", table.stdout)


class EmulatorStsTest(unittest.TestCase):
    """The emulator's STS AssumeRole, driven by the AWS CLI v2: its temporary keys work for ECR
    calls on the emulator of the role's account only, and only with their session token."""

    def aws(self, endpoint, *args, env=None):
        if not os.access(servers.AWS_CLI_V2, os.X_OK):
            self.fail(f"AWS CLI v2 not found at {servers.AWS_CLI_V2}")
        return subprocess.run([servers.AWS_CLI_V2, "--endpoint-url", endpoint, "--region", "us-east-1",
                               "--output", "json", *args], env=env or servers.aws_env(), capture_output=True,
                              text=True, timeout=120)

    def test_assume_role_keys_are_accepted_by_the_role_account_only(self):
        b = servers.start_emulator(self, "--account-id", ACCOUNT_B, seed={"repositories": [{"repositoryName": "app"}]})
        a = servers.start_emulator(self, "--account-id", ACCOUNT_A, seed={"repositories": [{"repositoryName": "app"}]})
        got = self.aws(a.endpoint, "sts", "assume-role", "--role-arn", ROLE_B, "--role-session-name", "e2e")
        self.assertEqual(got.returncode, 0, got.stderr)
        creds = json.loads(got.stdout)["Credentials"]
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA" + ACCOUNT_B), creds["AccessKeyId"])
        self.assertIn(f"arn:aws:sts::{ACCOUNT_B}:assumed-role/regsweep/e2e", got.stdout)
        env = dict(servers.aws_env(), AWS_ACCESS_KEY_ID=creds["AccessKeyId"],
                   AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"], AWS_SESSION_TOKEN=creds["SessionToken"])
        listed = self.aws(b.endpoint, "ecr", "describe-repositories", env=env)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual([r["repositoryName"] for r in json.loads(listed.stdout)["repositories"]], ["app"])
        other_account = self.aws(a.endpoint, "ecr", "describe-repositories", env=env)
        self.assertIn("UnrecognizedClientException", other_account.stderr)
        env.pop("AWS_SESSION_TOKEN")
        no_token = self.aws(b.endpoint, "ecr", "describe-repositories", env=env)
        self.assertIn("UnrecognizedClientException", no_token.stderr)
        bad = self.aws(a.endpoint, "sts", "assume-role", "--role-arn", "arn:aws:iam::12:role/x",
                       "--role-session-name", "e2e")
        self.assertIn("ValidationError", bad.stderr)
        counters = a.admin("GET", "/_emulator/counters")["operations"]
        self.assertEqual(counters.get("AssumeRole", {}).get("calls"), 2, counters)


if __name__ == "__main__":
    unittest.main()


class ExampleConfigsTest(unittest.TestCase):
    """The configs shipped in examples/ are valid as they are: the organisation example and the
    Kubernetes CronJob's ConfigMap (its config and policy written out as the pod would see them)."""

    def check(self, config):
        result = subprocess.run([REGSWEEP, "run", "--config", str(config), "--check"], capture_output=True,
                                text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("valid", result.stdout)

    def test_examples_pass_check(self):
        source = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
        self.check(source / "examples" / "regsweep.yaml")
        try:
            import yaml
        except ImportError:
            self.fail("PyYAML is needed to read examples/kubernetes/cronjob.yaml (it comes with moto)")
        documents = list(yaml.safe_load_all((source / "examples" / "kubernetes" / "cronjob.yaml").read_text()))
        config_map = next(d for d in documents if d["kind"] == "ConfigMap")
        cron_job = next(d for d in documents if d["kind"] == "CronJob")
        mounted = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-example-"))
        for name, text in config_map["data"].items():
            (mounted / name).write_text(text)
        self.check(mounted / "regsweep.yaml")
        # The run protects what the cluster runs, with the service account the CronJob uses and
        # the read-only role bound to it.
        settings = yaml.safe_load(config_map["data"]["regsweep.yaml"])["settings"]
        self.assertIs(settings["protections"]["in_cluster"], True)
        pod = cron_job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        binding = next(d for d in documents if d["kind"] == "ClusterRoleBinding")
        self.assertEqual(binding["subjects"][0]["name"], pod["serviceAccountName"])
        role = next(d for d in documents if d["kind"] == "ClusterRole")
        listed = {r for rule in role["rules"] for r in rule["resources"] if "list" in rule["verbs"]}
        self.assertEqual(listed, {"pods", "deployments", "statefulsets", "daemonsets", "replicasets",
                                  "jobs", "cronjobs"})
