"""Fail closed on every input (issue 11), against the ECR emulator.

Every file-taking flag is fed a directory, /dev/zero, a FIFO nobody writes, an unreadable file,
invalid UTF-8 and a dangling symlink: each run exits 2 naming the flag, and nothing is deleted.
Then the defects found by probing, one test each: a keep file that is a directory (a mounted
ConfigMap is read as its files, an empty one refused), a saved plan applied in another account,
--now in the future against --min-age, duplicate keys in a config, NaN and negative limits,
aborts, globs that match nothing, escapes in names and plurals."""
from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REGISTRY_LABEL  # noqa: F401
import json
import os
import pathlib
import stat
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

POLICY = {"rules": [
    {"rulePriority": 1, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 14}, "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "keep 2 releases",
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan",
                   "countNumber": 2}, "action": {"type": "expire"}}]}


def digest(name):
    import hashlib
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def image(name, tags=(), age_days=30.0):
    detail = {"imageDigest": digest(name), "imagePushedAt": NOW - age_days * DAY, "imageSizeInBytes": 1_000_000}
    if tags:
        detail["imageTags"] = list(tags)
    return detail


def seed(repo=REPO):
    images = [image(f"v{i}", [f"v{i}"], age_days=60 - i) for i in range(1, 6)]
    images += [image(f"junk{i}", age_days=30 + i) for i in range(4)]
    return {"repositories": [{"repositoryName": repo, "imageDetails": images},
                             {"repositoryName": "team/other", "imageDetails": [image("o1", ["v1"])]}]}


# What the policy expires in REPO: v1..v3 (2 newest kept) and the 4 junk images.
EXPIRING = {digest(f"v{i}") for i in (1, 2, 3)} | {digest(f"junk{i}") for i in range(4)}


class FailClosedCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-fail-closed-")
        self.server = servers.start_emulator(self, "--account-id", ACCOUNT_A, seed=seed())
        self.policy = self.write("policy.json", json.dumps(POLICY))

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path

    def env(self, **extra):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")
        env.update(extra)
        return env

    def regsweep(self, *args, server=None, env=None, timeout=60):
        server = server or self.server
        command = [REGSWEEP, *args]
        if args[0] in ("apply", "delete", "snapshot") or args[:2] in (("policy", "put"), ("policy", "diff")) \
                or (args[0] == "plan" and "--snapshot" not in args):
            command += ["--endpoint-url", server.endpoint]
        return subprocess.run(command, env=env or self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)

    def digests(self, server=None, repo=REPO):
        state = (server or self.server).admin("GET", "/_emulator/state")
        for r in state["repositories"]:
            if r["repositoryName"] == repo:
                return {d["imageDigest"] for d in r["imageDetails"]}
        return set()

    def calls(self, operation, server=None):
        counters = (server or self.server).admin("GET", "/_emulator/counters")
        return counters["operations"].get(operation, {}).get("calls", 0)

    def assert_nothing_deleted(self, server=None):
        self.assertEqual(self.calls("BatchDeleteImage", server), 0, "a delete call was made")


class TestEveryFileFlagFailsClosed(FailClosedCase):
    """The fuzz-style matrix: every file-taking flag x every kind of unreadable input."""

    def bad_inputs(self):
        inputs = {}
        empty_dir = os.path.join(self.tmp, "bad", "a-directory")
        os.makedirs(empty_dir)
        inputs["directory"] = empty_dir
        inputs["/dev/zero"] = "/dev/zero"
        fifo = os.path.join(self.tmp, "bad", "fifo")
        os.mkfifo(fifo)
        inputs["FIFO"] = fifo
        if os.geteuid() == 0:
            # root reads any file whatever its mode; this one is a regular file whose read fails.
            inputs["unreadable"] = "/proc/self/mem"
        else:
            unreadable = self.write("bad/unreadable.json", "{}")
            os.chmod(unreadable, 0)
            inputs["unreadable"] = unreadable
        inputs["invalid UTF-8"] = self.write("bad/latin1.json", b'{"rules": "caf\xe9"}\n', mode="wb")
        dangling = os.path.join(self.tmp, "bad", "dangling")
        os.symlink(os.path.join(self.tmp, "bad", "absent"), dangling)
        inputs["dangling symlink"] = dangling
        return inputs

    def commands(self, bad):
        snapshot = str(pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
                       / "examples" / "demo-registry.json")
        apply = ["apply", "--policy", self.policy, "--yes", "--min-age", "0s", "--allow-empty",
                 "--journal", os.path.join(self.tmp, "journal.jsonl")]
        config = self.write("run.yaml", json.dumps({"targets": [{
            "name": "t", "policy": {"file": self.policy}, "mode": "apply",
            "protections": {"keep_files": [bad], "min_age": "0s"}}]}))
        return [
            ("--policy", ["plan", "--snapshot", snapshot, "--policy", bad]),
            ("--snapshot", ["plan", "--snapshot", bad, "--policy", self.policy]),
            ("--policy", ["apply", "--policy", bad, "--yes"]),
            ("--plan", ["apply", "--plan", bad, "--yes"]),
            ("--keep-file", apply + ["--keep-file", bad]),
            ("--in-use", apply + ["--in-use", bad]),
            ("--kubernetes-json", apply + ["--kubernetes-json", bad]),
            ("--kubeconfig", apply + ["--kubeconfig", bad]),
            ("--policy", ["policy", "put", "--policy", bad, "--all", "--yes"]),
            ("--policy", ["policy", "diff", "--policy", bad, "--all"]),
            ("policy file", ["policy", "validate", bad]),
            ("--config", ["run", "--config", bad, "--yes"]),
            ("keep_files", ["run", "--config", config, "--yes"]),
            ("--keep-file", ["inuse", "scan", "--keep-file", bad, "--output-file", os.path.join(self.tmp, "o.json")]),
            ("--kubernetes-json", ["inuse", "scan", "--kubernetes-json", bad, "--output-file", os.path.join(self.tmp, "o.json")]),
            ("--in-use", ["inuse", "scan", "--in-use", bad, "--output-file", os.path.join(self.tmp, "o.json")]),
            ("--kubeconfig", ["inuse", "scan", "--kubeconfig", bad, "--output-file", os.path.join(self.tmp, "o.json")]),
        ]

    def test_every_file_flag_refuses_every_unreadable_input_and_deletes_nothing(self):
        before = self.digests()
        for kind, bad in self.bad_inputs().items():
            for flag, args in self.commands(bad):
                with self.subTest(flag=flag, input=kind, command=args[0]):
                    env = self.env(AWS_ENDPOINT_URL_ECR=self.server.endpoint)
                    result = subprocess.run([REGSWEEP, *args], env=env, stdin=subprocess.DEVNULL,
                                            capture_output=True, text=True, timeout=30)
                    self.assertEqual(result.returncode, 2, f"{result.stderr}\n{result.stdout[-500:]}")
                    self.assertIn(flag, result.stderr)
                    self.assertNotIn("internal error", result.stderr)
        self.assertEqual(self.digests(), before)
        self.assert_nothing_deleted()


class TestDefectsFoundByProbing(FailClosedCase):
    def apply(self, *extra, server=None):
        return self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json",
                             "--journal", os.path.join(self.tmp, "journal.jsonl"), *extra, server=server)

    # 1. A keep file that is a directory was read as empty, and the kept image deleted.
    def test_a_keep_file_directory_is_read_as_its_files_or_refused_when_empty(self):
        empty = os.path.join(self.tmp, "empty-configmap")
        os.makedirs(empty)
        result = self.apply("--keep-file", empty)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"--keep-file {empty}: a directory with no files in it", result.stderr)
        self.assert_nothing_deleted()
        # A mounted ConfigMap: keys are links into ..data; the kept digest survives.
        configmap = os.path.join(self.tmp, "configmap")
        os.makedirs(os.path.join(configmap, "..2026_12_01"))
        self.write("configmap/..2026_12_01/keep.txt", digest("junk0") + "\n")
        os.symlink("..2026_12_01", os.path.join(configmap, "..data"))
        os.symlink("..data/keep.txt", os.path.join(configmap, "keep.txt"))
        result = self.apply("--keep-file", configmap)
        self.assertEqual(result.returncode, 0, result.stderr)
        left = self.digests()
        self.assertIn(digest("junk0"), left)
        self.assertEqual(EXPIRING - left, EXPIRING - {digest("junk0")})

    def test_a_keep_file_directory_in_a_run_config_stops_the_run_before_any_request(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        config = self.write("run.yaml", f"""
settings:
  protections:
    keep_files: [{empty}]
targets:
  - name: prod
    endpoint_url: {self.server.endpoint}
    policy: {{file: {self.policy}}}
    mode: apply
""")
        self.server.admin("POST", "/_emulator/counters/reset")
        result = self.regsweep("run", "--config", config, "--yes")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("keep_files", result.stderr)
        self.assertEqual(self.server.admin("GET", "/_emulator/counters")["total"], 0)

    # 2. A saved plan of account 111... deleted images in account 222... (same names and digests,
    # as with replication) because the registry's account was unknown.
    def test_a_saved_plan_is_never_applied_in_another_account(self):
        other = servers.start_emulator(self, "--account-id", ACCOUNT_B, seed=seed())
        plan = os.path.join(self.tmp, "plan.json")
        made = self.regsweep("plan", "--policy", self.policy, "--output", "json", "--save-plan", plan)
        self.assertEqual(made.returncode, 0, made.stderr)
        with open(plan) as f:
            self.assertEqual({r["registryId"] for r in json.load(f)["repositories"]}, {ACCOUNT_A})
        before = self.digests(other)
        result = self.regsweep("apply", "--plan", plan, "--yes", server=other)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("belongs to none of the registries opened (222222222222/us-east-1)", result.stderr)
        self.assertEqual(self.digests(other), before)
        self.assert_nothing_deleted(other)
        # The plan's own account: applied.
        result = self.regsweep("apply", "--plan", plan, "--yes", "--journal", os.path.join(self.tmp, "j"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.digests() & EXPIRING, set())

    def test_an_empty_registry_learns_its_account_from_sts(self):
        empty = servers.start_emulator(self, "--account-id", ACCOUNT_B, seed={"repositories": []})
        plan = os.path.join(self.tmp, "plan.json")
        self.assertEqual(self.regsweep("plan", "--policy", self.policy, "--save-plan", plan, "--quiet").returncode, 0)
        result = self.regsweep("apply", "--plan", plan, "--yes", server=empty,
                               env=self.env(AWS_ENDPOINT_URL_STS=empty.endpoint))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("222222222222/us-east-1", result.stderr)
        self.assertEqual(self.calls("GetCallerIdentity", empty), 1)
        # Without a reachable STS the account stays unknown: refused, not assumed.
        result = self.regsweep("apply", "--plan", plan, "--yes", server=empty,
                               env=self.env(AWS_ENDPOINT_URL_STS="http://127.0.0.1:9"))
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertIn("cannot tell which account", result.stderr)
        self.assert_nothing_deleted(empty)

    # 3. --now in the future defeated --min-age.
    def test_now_in_the_future_is_refused_and_never_ages_a_fresh_image(self):
        self.server.admin("POST", "/_emulator/images", {"repositories": [
            {"repositoryName": REPO, "imageDetails": [image("building", age_days=60 / DAY)]}]})
        result = self.apply("--now", "9999-12-31")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--now: 9999-12-31T00:00:00Z is later than the clock", result.stderr)
        self.assert_nothing_deleted()
        result = self.apply("--now", "2030-01-01", "--allow-future-now")
        self.assertEqual(result.returncode, 0, result.stderr)
        left = self.digests()
        self.assertIn(digest("building"), left, "an image pushed a minute ago was deleted")
        self.assertEqual(left & {digest(f"junk{i}") for i in range(4)}, set())
        config = self.write("run.yaml", f"""
targets:
  - name: prod
    endpoint_url: {self.server.endpoint}
    policy: {{file: {self.policy}}}
    mode: apply
""")
        result = self.regsweep("run", "--config", config, "--yes", "--now", "2030-01-01")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("later than the clock", result.stderr)

    # 4. Duplicate YAML keys: the first won, so an exclusion was ignored.
    def test_duplicate_keys_in_a_config_are_refused_before_any_request(self):
        config = self.write("run.yaml", f"""
targets:
  - name: prod
    endpoint_url: {self.server.endpoint}
    policy: {{file: {self.policy}}}
    mode: apply
    exclude: []
    exclude: [{REPO}]
""")
        self.server.admin("POST", "/_emulator/counters/reset")
        result = self.regsweep("run", "--config", config, "--yes")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(":8:5: targets[0].exclude: duplicate key \"exclude\" (first at line 7)", result.stderr)
        self.assertEqual(self.server.admin("GET", "/_emulator/counters")["total"], 0)

    # 5. Safety limits silently off.
    def test_negative_nan_and_infinite_numbers_are_usage_errors(self):
        for flag, value in (("--max-delete", "-1"), ("--max-delete-percent", "nan"),
                            ("--max-delete-percent", "inf"), ("--price-per-gb-month", "nan"),
                            ("--price-per-gb-month", "-0.1"), ("--max-rows", "-1"),
                            ("--concurrency", "nan")):
            with self.subTest(flag=flag, value=value):
                result = self.apply(flag, value)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(flag, result.stderr)
        self.assert_nothing_deleted()

    # 6. Aborts (exit 134).
    def test_inputs_that_used_to_abort_are_errors(self):
        result = self.regsweep("apply", "--plan", self.tmp, "--yes")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"--plan {self.tmp}: is a directory", result.stderr)
        bad_policy = dict(POLICY)
        text = json.dumps(bad_policy).replace("untagged after 14 days", "caf\udce9").encode("utf-8", "surrogateescape")
        path = self.write("latin1-policy.json", text, mode="wb")
        for args in (["policy", "put", "--policy", path, "--all", "--yes"], ["policy", "validate", path],
                     ["plan", "--policy", path, "--save-plan", os.path.join(self.tmp, "p.json")]):
            with self.subTest(command=args[:2]):
                result = self.regsweep(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("not valid UTF-8", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "p.json")))
        self.assertEqual(self.calls("PutLifecyclePolicy"), 0)

    # 8 (the part about consent). A delete refused for lack of --yes opened and appended to the
    # journal; nothing is touched before consent now.
    def test_a_refused_delete_touches_no_journal(self):
        journal = os.path.join(self.tmp, "never.jsonl")
        result = self.regsweep("delete", "--repository-name", REPO, "--untagged", "--journal", journal)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("without --yes: stdin is not a terminal", result.stderr)
        self.assertFalse(os.path.exists(journal), "the journal was created before consent")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "state")), "the state directory was created")
        self.assert_nothing_deleted()

    # 10. Smaller ones.
    def test_impossible_dates_are_refused(self):
        result = self.regsweep("plan", "--policy", self.policy, "--now", "2026-02-30")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--now", result.stderr)

    def test_a_glob_that_matches_nothing_is_said_and_fails_a_run(self):
        result = self.apply("--repository-name", "team/ap")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--repository-name 'team/ap' matches no repository", result.stderr)
        config = self.write("run.yaml", f"""
targets:
  - name: prod
    endpoint_url: {self.server.endpoint}
    repositories: [team/ap]
    policy: {{file: {self.policy}}}
    mode: apply
""")
        result = self.regsweep("run", "--config", config, "--yes")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("'team/ap' match nothing", result.stdout)
        self.assert_nothing_deleted()

    def test_a_wrong_secret_is_a_registry_that_cannot_be_listed_not_a_repository(self):
        env = self.env(AWS_SECRET_ACCESS_KEY="wrong")
        result = self.regsweep("plan", "--policy", self.policy, "--output", "json", env=env)
        self.assertEqual(result.returncode, 1, result.stderr)
        document = json.loads(result.stdout)
        self.assertEqual(document["skippedRepositories"], [])
        self.assertEqual([s[REGISTRY_LABEL] for s in document["skippedRegistries"]], ["us-east-1"])
        self.assertIn("registry us-east-1 could not be listed", result.stderr)
        self.assertIn("InvalidSignatureException", result.stderr)

    def test_names_cannot_write_terminal_escapes_and_counts_read_well(self):
        snapshot = self.write("snap.json", json.dumps({"repositories": [
            {"repositoryName": "evil\x1b[2Jname", "imageDetails": [image("x", ["v\x1b]0;pwned\x07"], 90),
                                                                   image("y", age_days=90)]}]}))
        result = self.regsweep("plan", "--snapshot", snapshot, "--policy", self.policy, "--output", "table")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("\x1b", result.stdout)
        self.assertIn("evil\\x1b[2Jname", result.stdout)
        self.assertIn("for 1 repository, 2 images", result.stdout)


if __name__ == "__main__":
    unittest.main()
