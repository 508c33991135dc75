"""E2E: `-v` and `--debug` (issue 15), and the output conventions that do not depend on a terminal.

-v shows one line per HTTP call (method, URL, operation, status, latency, request id, attempt) and
the proxy and CA bundle per host; --debug adds headers. Secrets never appear: plan, apply, delete
and inuse scan run with --debug, a distinctive secret key, session token and Kubernetes bearer
token, and none of those values is found in stdout, stderr, the journal or any file written."""
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

from documents import DIGEST, REPORT_SCHEMA, REPOSITORY, SIZE
import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
SECRET = "SeCrEt-Key-6f1b9e2d-never-print-me"
SESSION_TOKEN = "SeSsIoN-Token-0a7c44e1-never-print-me"
KUBE_TOKEN = "KuBe-Bearer-93d2f7aa-never-print-me"
SECRETS = (SECRET, SESSION_TOKEN, KUBE_TOKEN)
NOW = time.time()
DAY = 86400
POLICY = {"rules": [{"rulePriority": 1, "description": "untagged after 14 days",
                     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                   "countUnit": "days", "countNumber": 14},
                     "action": {"type": "expire"}}]}


def digest(name):
    import hashlib
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def seed():
    images = [{"imageDigest": digest(f"old{i}"), "imagePushedAt": NOW - 30 * DAY,
               "imageSizeInBytes": 1000} for i in range(6)]
    images.append({"imageDigest": digest("v1"), "imageTags": ["v1"], "imagePushedAt": NOW - 30 * DAY,
                   "imageSizeInBytes": 1000})
    return {"repositories": [{"repositoryName": "team/app", "imageDetails": images}]}


class Cluster(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        ok = self.headers.get("Authorization") == "Bearer " + KUBE_TOKEN
        self.send_response(200 if ok else 401)
        body = json.dumps({"kind": "List", "metadata": {}, "items": []} if ok else
                          {"kind": "Status", "message": "Unauthorized"}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class DebugOutput(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-debug-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.policy = self.write("policy.json", POLICY)
        self.journal = os.path.join(self.tmp, "journal.jsonl")
        self.emulator = servers.start_emulator(self, "--secret-key", SECRET, seed=seed())

    def write(self, name, document):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(document, f)
        return path

    def env(self):
        env = servers.aws_env(secret=SECRET)
        env["AWS_SESSION_TOKEN"] = SESSION_TOKEN
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")
        env.pop("REGSWEEP_OUTPUT", None)
        for name in ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(name, None)
        return env

    def regsweep(self, *args, env=None):
        return subprocess.run([REGSWEEP, *args], env=env or self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)

    def ecr(self, *args):
        return self.regsweep(*args, "--endpoint-url", self.emulator.endpoint)

    def assert_no_secret(self, where, text):
        for secret in SECRETS:
            self.assertNotIn(secret, text, f"a secret reached {where}")

    def test_debug_runs_never_show_a_secret(self):
        cluster = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cluster)
        threading.Thread(target=cluster.serve_forever, daemon=True).start()
        self.addCleanup(cluster.server_close)
        self.addCleanup(cluster.shutdown)
        inputs = tempfile.mkdtemp(prefix="regsweep-debug-inputs-")  # holds the token: not scanned
        self.addCleanup(shutil.rmtree, inputs, True)
        kubeconfig = os.path.join(inputs, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: test
clusters:
- name: local
  cluster: {{server: "http://127.0.0.1:{cluster.server_address[1]}"}}
users:
- name: u
  user: {{token: {KUBE_TOKEN}}}
contexts:
- name: test
  context: {{cluster: local, user: u}}
""")
        in_use = os.path.join(self.tmp, "in-use.json")
        runs = [
            self.regsweep("--debug", "inuse", "scan", "--kubeconfig", kubeconfig,
                          "--output-file", in_use),
            self.ecr("plan", "--policy", self.policy, "--debug", "--save-plan",
                     os.path.join(self.tmp, "plan.json")),
            self.ecr("--debug", "apply", "--policy", self.policy, "--in-use", in_use, "--yes",
                     "--journal", self.journal, "--output", "json"),
            self.ecr("delete", "--repository-name", "team/app", "--tag", "v1", "--min-age", "0s", "--allow-empty",
                     "--yes", "--journal", self.journal, "--debug", "--output", "text"),
        ]
        for run in runs:
            self.assertEqual(run.returncode, 0, run.stderr[-3000:])
            self.assert_no_secret("stdout", run.stdout)
            self.assert_no_secret("stderr", run.stderr)
        # --debug showed the calls and their headers, with the credentials redacted.
        kube, plan, apply, delete = runs
        self.assertIn("http: GET http://127.0.0.1:", kube.stderr)
        self.assertIn("Authorization: <redacted>", kube.stderr)
        self.assertRegex(plan.stderr, r"regsweep: http: POST http://127\.0\.0\.1:\d+/? DescribeImages 200 \d+ ms "
                                      r"request-id \S+ attempt 1")
        self.assertIn("X-Amz-Security-Token: <redacted>", plan.stderr)
        self.assertIn("Authorization: <redacted>", plan.stderr)
        self.assertIn("X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeImages", plan.stderr)
        self.assertIn("BatchDeleteImage 200", apply.stderr)
        report = json.loads(apply.stdout)
        self.assertEqual(report["schemaVersion"], REPORT_SCHEMA)
        self.assertEqual(len(report["deleted"]), 6)
        self.assertEqual({item[REPOSITORY] for item in report["deleted"]}, {"team/app"})
        self.assertTrue(all(item[SIZE] == 1000 and item[DIGEST] for item in report["deleted"]))
        self.assertTrue(delete.stdout.startswith("ITEM\tdeleted\tteam/app\t"), delete.stdout)
        # Nothing written carries a secret either: the journal, the locks, the in-use file, the
        # saved plan (everything under tmp but the inputs).
        for root, _, files in os.walk(self.tmp):
            for name in files:
                with open(os.path.join(root, name), errors="replace") as f:
                    self.assert_no_secret(os.path.join(root, name), f.read())

    def test_verbose_shows_calls_and_the_proxy_without_headers(self):
        env = self.env()
        env["http_proxy"] = "http://user:proxy-password@127.0.0.1:9"
        env["no_proxy"] = "example.com"
        # Through a proxy that is not there: the failure says a proxy was used, without its password.
        failed = self.regsweep("plan", "--policy", self.policy, "--endpoint-url",
                               self.emulator.endpoint, "-v", env=env)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("through proxy http://127.0.0.1:9 from http_proxy", failed.stderr)
        self.assertIn(": proxy http://127.0.0.1:9 (from http_proxy)", failed.stderr)
        self.assertNotIn("proxy-password", failed.stderr)
        env["no_proxy"] = "127.0.0.1"
        plan = self.regsweep("-v", "plan", "--policy", self.policy, "--endpoint-url",
                             self.emulator.endpoint, env=env)
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertIn(": no proxy", plan.stderr)
        self.assertIn("DescribeRepositories 200", plan.stderr)
        self.assertNotIn("X-Amz-Target", plan.stderr)  # headers only with --debug
        quiet = self.ecr("plan", "--policy", self.policy)
        self.assertNotIn("regsweep: http:", quiet.stderr)

    def test_output_never_depends_on_a_terminal(self):
        # Captured (not a terminal): still the table, unless asked otherwise.
        table = self.ecr("plan", "--policy", self.policy, "--max-rows", "2")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("ACTION", table.stdout)
        self.assertIn("... and 4 more (--max-rows 0 lists all", table.stdout)
        env = self.env()
        env["REGSWEEP_OUTPUT"] = "json"
        as_json = self.regsweep("plan", "--policy", self.policy, "--endpoint-url",
                                self.emulator.endpoint, env=env)
        self.assertEqual(json.loads(as_json.stdout)["totals"]["expiring"], 6)
        flag_wins = self.regsweep("plan", "--policy", self.policy, "--endpoint-url",
                                  self.emulator.endpoint, "--output", "text", env=env)
        lines = flag_wins.stdout.splitlines()
        self.assertEqual(len([l for l in lines if l.startswith("IMAGE\t")]), 7)
        self.assertTrue(lines[-1].startswith("TOTALS\t1\t7\t6\t"), lines[-1])
        env["REGSWEEP_OUTPUT"] = "yaml"
        bad = self.regsweep("journal", "show", "--journal", self.journal, env=env)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("REGSWEEP_OUTPUT: 'yaml' is not an output format", bad.stderr)

    def test_misspelt_flags_are_named_with_a_suggestion(self):
        result = self.regsweep("plan", "--polcy", self.policy)
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown flag --polcy in `regsweep plan`; did you mean --policy?", result.stderr)
        result = self.regsweep("plan", "--policy", self.policy, "-o", "plan.json")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--save-plan FILE", result.stderr)


if __name__ == "__main__":
    unittest.main()
