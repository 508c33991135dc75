"""E2E: `regsweep inuse scan --lambda` against moto_server (image functions, published versions,
aliases) and `inuse scan --kubeconfig` against a local fake Kubernetes API server (pagination with
`continue`, bearer token, every workload list). Both fail closed: a refused call fails the scan and
writes nothing; the token never appears in the output. `plan --kubeconfig` protects what the
cluster runs, and fails when the cluster cannot be read."""
import http.server
import json
import os
import pathlib
import subprocess
import tempfile
import threading
import unittest

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
TOKEN = "k8s-token-do-not-print"


def run(*args, env=None):
    return subprocess.run([REGSWEEP, *args], env=env or servers.aws_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)


class TestLambda(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.moto = servers.start_moto(self)
        self.tmp = tempfile.mkdtemp(prefix="regsweep-lambda-")

    def test_image_functions_versions_and_aliases_are_in_use(self):
        import boto3
        kw = dict(endpoint_url=self.moto.endpoint, region_name=servers.REGION,
                  aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY)
        iam = boto3.client("iam", **kw)
        role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
        lam = boto3.client("lambda", **kw)
        lam.create_function(FunctionName="api", Role=role, PackageType="Image",
                            Code={"ImageUri": f"{HOST}/team/api:v1"}, Publish=True)
        lam.create_alias(FunctionName="api", Name="live", FunctionVersion="1")
        lam.create_function(FunctionName="zipped", Role=role, Runtime="python3.11", Handler="x.h",
                            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
        out = os.path.join(self.tmp, "in-use.json")
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        result = run("inuse", "scan", "--lambda", "--region", servers.REGION, "--endpoint-url",
                     self.moto.endpoint, "--output-file", out, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.load(open(out))
        self.assertEqual(doc["sources"], [f"lambda {servers.REGION}"])
        images = {(r["image"], r["source"]) for r in doc["references"]}
        code = lam.get_function(FunctionName="api", Qualifier="1")["Code"]
        self.assertIn((code["ResolvedImageUri"], f"lambda {servers.REGION} api:1"), images)
        self.assertIn((f"{HOST}/team/api:v1", f"lambda {servers.REGION} api:$LATEST"), images)
        self.assertFalse(any("zipped" in source for _, source in images))

    def test_a_refused_call_fails_the_scan(self):
        out = os.path.join(self.tmp, "in-use.json")
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        # Nothing listens there: every attempt fails; the scan must fail and write nothing.
        result = run("inuse", "scan", "--lambda", "--region", servers.REGION, "--endpoint-url",
                     "http://127.0.0.1:9", "--output-file", out, env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(os.path.exists(out))


class FakeKubernetes(http.server.BaseHTTPRequestHandler):
    pages = {}
    seen = []
    status = 200

    def log_message(self, *args):
        pass

    def do_GET(self):
        FakeKubernetes.seen.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}" or FakeKubernetes.status != 200:
            self.send_response(403 if FakeKubernetes.status == 200 else FakeKubernetes.status)
            body = json.dumps({"kind": "Status", "message": "forbidden: list pods"}).encode()
        else:
            path, _, query = self.path.partition("?")
            params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
            page = int(params.get("continue", "0"))
            items = FakeKubernetes.pages.get(path, [[]])
            more = page + 1 < len(items)
            body = json.dumps({"kind": "List", "metadata": {"continue": str(page + 1) if more else ""},
                               "items": items[page]}).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def pod(name, image):
    return {"kind": "Pod", "metadata": {"name": name, "namespace": "prod"},
            "spec": {"containers": [{"name": "c", "image": image}]}}


class TestKubernetesApi(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        FakeKubernetes.seen = []
        FakeKubernetes.status = 200
        FakeKubernetes.pages = {
            "/api/v1/pods": [[pod("a", f"{HOST}/team/api:v1")], [pod("b", f"{HOST}/team/api@sha256:" + "b" * 64)]],
            "/apis/batch/v1/cronjobs": [[{"kind": "CronJob", "metadata": {"name": "r", "namespace": "ops"},
                                          "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                                              "containers": [{"name": "m", "image": f"{HOST}/ops/report:2"}]}}}}}}]],
        }
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeKubernetes)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.addCleanup(self.httpd.shutdown)
        self.tmp = tempfile.mkdtemp(prefix="regsweep-kube-")
        self.kubeconfig = os.path.join(self.tmp, "config")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: other
clusters:
- name: local
  cluster:
    server: http://127.0.0.1:{self.httpd.server_address[1]}
users:
- name: sa
  user:
    token: {TOKEN}
contexts:
- name: test
  context: {{cluster: local, user: sa}}
- name: other
  context: {{cluster: missing, user: sa}}
""")

    def test_reads_every_workload_list_with_pagination(self):
        out = os.path.join(self.tmp, "in-use.json")
        result = run("inuse", "scan", "--kubeconfig", self.kubeconfig, "--context", "test", "--output-file", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.load(open(out))
        images = sorted(r["image"] for r in doc["references"])
        self.assertEqual(images, sorted([f"{HOST}/team/api:v1", f"{HOST}/team/api@sha256:" + "b" * 64,
                                         f"{HOST}/ops/report:2"]))
        paths = [p for p, _ in FakeKubernetes.seen]
        self.assertIn("/api/v1/pods?limit=500&continue=1", paths)
        for kind in ("deployments", "statefulsets", "daemonsets", "replicasets"):
            self.assertIn(f"/apis/apps/v1/{kind}?limit=500", paths)
        self.assertIn("/apis/batch/v1/jobs?limit=500", paths)
        self.assertNotIn(TOKEN, result.stderr + result.stdout)

    def test_a_refused_list_or_a_bad_context_fails_the_scan(self):
        out = os.path.join(self.tmp, "in-use.json")
        FakeKubernetes.status = 500
        result = run("inuse", "scan", "--kubeconfig", self.kubeconfig, "--context", "test", "--output-file", out)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("HTTP 500", result.stderr)
        self.assertNotIn(TOKEN, result.stderr)
        self.assertFalse(os.path.exists(out))
        bad = run("inuse", "scan", "--kubeconfig", self.kubeconfig, "--output-file", out)  # current-context: no cluster
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn("no cluster named 'missing'", bad.stderr)

    def test_plan_and_run_keep_what_the_cluster_runs(self):
        """--kubeconfig on plan (and `kubeconfig:` in a run config's protections) reads the cluster
        when the plan starts; its images are kept, and a cluster that fails fails the plan."""
        digest = lambda c: "sha256:" + c * 64
        images = [{"imageDigest": digest("a"), "imageTags": ["v1"], "imagePushedAt": 1600000000},
                  {"imageDigest": digest("b"), "imagePushedAt": 1600000100},
                  {"imageDigest": digest("c"), "imageTags": ["v0"], "imagePushedAt": 1600000200},
                  {"imageDigest": digest("d"), "imagePushedAt": 1700000000}]
        snapshot = os.path.join(self.tmp, "snapshot.json")
        with open(snapshot, "w") as f:
            json.dump({"repositories": [{"repositoryName": "team/api", "imageDetails": images}]}, f)
        policy = os.path.join(self.tmp, "policy.json")
        with open(policy, "w") as f:
            json.dump({"rules": [{"rulePriority": 1, "selection": {
                "tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 30},
                "action": {"type": "expire"}}]}, f)
        result = run("plan", "--snapshot", snapshot, "--policy", policy, "--now", "2026-01-01T00:00:00Z",
                     "--kubeconfig", self.kubeconfig, "--context", "test", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        verdicts = {i["imageDigest"]: i for i in json.loads(result.stdout)["repositories"][0]["images"]}
        # Pod a runs team/api:v1 (image a), pod b runs image b by digest; c and d are not in use.
        self.assertEqual(verdicts[digest("a")]["action"], "keep")
        self.assertEqual(verdicts[digest("a")]["protection"], "in_use")
        self.assertEqual(verdicts[digest("b")]["protection"], "in_use")
        self.assertEqual(verdicts[digest("c")]["action"], "expire")
        self.assertEqual(verdicts[digest("d")]["action"], "expire")
        self.assertIn("/api/v1/pods?limit=500", [p for p, _ in FakeKubernetes.seen])
        self.assertNotIn(TOKEN, result.stderr + result.stdout)

        FakeKubernetes.status = 500
        failed = run("plan", "--snapshot", snapshot, "--policy", policy, "--kubeconfig", self.kubeconfig,
                     "--context", "test", "--output", "json")
        self.assertNotEqual(failed.returncode, 0)
        self.assertEqual(failed.stdout, "", "a plan was printed without the protection asked for")
        self.assertIn("HTTP 500", failed.stderr)


if __name__ == "__main__":
    unittest.main()
