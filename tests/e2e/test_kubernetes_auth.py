"""E2E: `regsweep inuse scan --kubeconfig` with users whose credentials come from an exec plugin
(client.authentication.k8s.io ExecCredential, as EKS's `aws eks get-token`), against a local fake
Kubernetes API server that accepts exactly the plugin's token; and `--in-cluster` outside a pod.
Every failure fails the scan, writes nothing, and the token never appears in the output."""
import base64
import http.server
import json
import os
import pathlib
import shutil
import ssl
import stat
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
PLUGIN_TOKEN = "exec-plugin-token-do-not-print"
V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"


def load(path):
    with open(path) as f:
        return json.load(f)


class Cluster(http.server.BaseHTTPRequestHandler):
    """Pods and cronjobs; any other list is empty. `accepts(token)` decides who may read."""
    accepts = staticmethod(lambda token: token == PLUGIN_TOKEN)
    seen = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        auth = self.headers.get("Authorization") or ""
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        Cluster.seen.append((self.path, token))
        path = self.path.partition("?")[0]
        if not Cluster.accepts(token):
            self.send_response(401)
            body = {"kind": "Status", "message": "Unauthorized"}
        else:
            self.send_response(200)
            items = []
            if path == "/api/v1/pods":
                items = [{"kind": "Pod", "metadata": {"name": "api", "namespace": "prod"},
                          "spec": {"containers": [{"name": "c", "image": f"{HOST}/team/api:v1"}]}}]
            elif path == "/apis/batch/v1/cronjobs":
                items = [{"kind": "CronJob", "metadata": {"name": "r", "namespace": "ops"},
                          "spec": {"jobTemplate": {"spec": {"template": {"spec": {
                              "containers": [{"name": "m", "image": f"{HOST}/ops/report:2"}]}}}}}}]
            body = {"kind": "List", "metadata": {}, "items": items}
        data = json.dumps(body).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class TestExecPlugins(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        Cluster.seen = []
        Cluster.accepts = staticmethod(lambda token: token == PLUGIN_TOKEN)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cluster)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        self.tmp = tempfile.mkdtemp(prefix="regsweep-kube-auth-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.out = os.path.join(self.tmp, "in-use.json")

    def kubeconfig(self, exec_section):
        path = os.path.join(self.tmp, "config")
        with open(path, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
current-context: test
clusters:
- name: local
  cluster:
    server: http://127.0.0.1:{self.httpd.server_address[1]}
users:
- name: eks
  user:
    exec:
{exec_section}
contexts:
- name: test
  context: {{cluster: local, user: eks}}
""")
        return path

    def plugin(self, body):
        """A Python plugin at <tmp>/bin/get-token; it records what it was given in seen.json."""
        os.makedirs(os.path.join(self.tmp, "bin"), exist_ok=True)
        path = os.path.join(self.tmp, "bin", "get-token")
        with open(path, "w") as f:
            f.write(f"#!{sys.executable}\nimport json, os, sys\n"
                    f"json.dump({{'argv': sys.argv[1:], 'env': os.environ.get('PLUGIN_ENV'),\n"
                    f"           'info': os.environ.get('KUBERNETES_EXEC_INFO'), 'stdin': sys.stdin.read()}},\n"
                    f"          open({os.path.join(self.tmp, 'seen.json')!r}, 'w'))\n{body}")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def scan(self, config, env=None):
        return subprocess.run([REGSWEEP, "inuse", "scan", "--kubeconfig", config, "--output-file", self.out],
                              env=env or servers.aws_env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)

    def test_the_plugin_token_reads_the_cluster(self):
        self.plugin("print(json.dumps({'apiVersion': %r, 'kind': 'ExecCredential',\n"
                    "                  'status': {'token': %r}}))\n" % (V1, PLUGIN_TOKEN))
        # A relative command with a '/' is found next to the kubeconfig, as kubectl does.
        config = self.kubeconfig(f"""      apiVersion: {V1}
      command: ./bin/get-token
      args: [eks, get-token, --cluster-name, prod]
      env: [{{name: PLUGIN_ENV, value: from-kubeconfig}}]
      interactiveMode: Never""")
        result = self.scan(config)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = load(self.out)
        self.assertEqual(sorted(r["image"] for r in doc["references"]),
                         [f"{HOST}/ops/report:2", f"{HOST}/team/api:v1"])
        self.assertEqual(doc["sources"], ["kubernetes api test"])
        self.assertTrue(Cluster.seen and all(token == PLUGIN_TOKEN for _, token in Cluster.seen))
        seen = load(os.path.join(self.tmp, "seen.json"))
        self.assertEqual(seen["argv"], ["eks", "get-token", "--cluster-name", "prod"])
        self.assertEqual(seen["env"], "from-kubeconfig")
        self.assertEqual(json.loads(seen["info"]),
                         {"apiVersion": V1, "kind": "ExecCredential", "spec": {"interactive": False}})
        self.assertEqual(seen["stdin"], "")
        self.assertNotIn(PLUGIN_TOKEN, result.stderr + result.stdout)

    def test_a_failing_plugin_fails_the_scan_and_writes_nothing(self):
        self.plugin("print(json.dumps({'kind': 'ExecCredential', 'status': {'token': %r}}))\n"
                    "sys.stderr.write('error: SSO session expired, run aws sso login\\n')\n"
                    "sys.exit(1)\n" % PLUGIN_TOKEN)
        config = self.kubeconfig(f"""      apiVersion: {V1BETA1}
      command: {os.path.join(self.tmp, 'bin', 'get-token')}""")
        result = self.scan(config)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("users.eks.exec", result.stderr)
        self.assertIn("exited with status 1: error: SSO session expired, run aws sso login", result.stderr)
        self.assertNotIn(PLUGIN_TOKEN, result.stderr + result.stdout)
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(Cluster.seen, [])

    def test_a_wrong_answer_fails_the_scan(self):
        # The kubeconfig asks for v1; the plugin answers v1beta1: refused, as kubectl does.
        self.plugin("print(json.dumps({'apiVersion': %r, 'kind': 'ExecCredential',\n"
                    "                  'status': {'token': %r}}))\n" % (V1BETA1, PLUGIN_TOKEN))
        config = self.kubeconfig(f"""      apiVersion: {V1}
      command: ./bin/get-token""")
        result = self.scan(config)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"apiVersion is '{V1BETA1}' but the kubeconfig asks for '{V1}'", result.stderr)
        self.assertNotIn(PLUGIN_TOKEN, result.stderr + result.stdout)
        self.assertFalse(os.path.exists(self.out))

    def test_aws_missing_from_path_says_to_install_it(self):
        config = self.kubeconfig(f"""      apiVersion: {V1BETA1}
      command: aws
      args: [eks, get-token, --cluster-name, prod]""")
        env = servers.aws_env()
        env["PATH"] = os.path.join(self.tmp, "empty-path")
        result = self.scan(config, env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("'aws': command not found in PATH; install the AWS CLI", result.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_real_aws_eks_get_token(self):
        """The AWS CLI v2 presigns an STS GetCallerIdentity URL offline: the EKS token format."""
        if not os.access(servers.AWS_CLI_V2, os.X_OK):
            self.fail(f"the AWS CLI v2 is missing at {servers.AWS_CLI_V2}; install Debian's awscli "
                      "(make deps does)")
        tokens = []
        Cluster.accepts = staticmethod(lambda token: tokens.append(token) or token.startswith("k8s-aws-v1."))
        config = self.kubeconfig(f"""      apiVersion: {V1BETA1}
      command: {servers.AWS_CLI_V2}
      args: [--region, us-east-1, eks, get-token, --cluster-name, prod]""")
        env = servers.aws_env()
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
            env.pop(name, None)
        result = self.scan(config, env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(tokens)
        encoded = tokens[0][len("k8s-aws-v1."):]
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
        self.assertEqual(query["Action"], ["GetCallerIdentity"])
        self.assertIn("x-k8s-aws-id", query["X-Amz-SignedHeaders"][0])
        self.assertNotIn(encoded[:40], result.stderr + result.stdout)
        self.assertEqual(len(load(self.out)["references"]), 2)


OPENSSL = "/usr/bin/openssl"


def make_certificate(directory, name):
    """A self-signed certificate for 127.0.0.1: <name>.crt and <name>.key."""
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class TestHttpsWithTheClusterCa(unittest.TestCase):
    """TLS as a real cluster (and --in-cluster, which uses ca.crt as a CA file) needs it: the
    server is verified against the kubeconfig's CA, given as a file or as data."""

    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        if not os.access(OPENSSL, os.X_OK):
            self.fail(f"openssl is missing at {OPENSSL}; install Debian's openssl (make deps does)")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-kube-tls-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.ca, key = make_certificate(self.tmp, "cluster")
        self.other_ca, _ = make_certificate(self.tmp, "other")
        Cluster.seen = []
        Cluster.accepts = staticmethod(lambda token: token == PLUGIN_TOKEN)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cluster)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        self.out = os.path.join(self.tmp, "in-use.json")

    def scan(self, ca_line):
        config = os.path.join(self.tmp, "config")
        with open(config, "w") as f:
            f.write(f"""current-context: tls
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:{self.httpd.server_address[1]}
    {ca_line}
users:
- name: sa
  user: {{token: {PLUGIN_TOKEN}}}
contexts:
- name: tls
  context: {{cluster: local, user: sa}}
""")
        return subprocess.run([REGSWEEP, "inuse", "scan", "--kubeconfig", config, "--output-file", self.out],
                              env=servers.aws_env(), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)

    def test_the_cluster_ca_as_a_file_or_as_data(self):
        result = self.scan("certificate-authority: cluster.crt")  # relative to the kubeconfig
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(load(self.out)["references"]), 2)
        os.remove(self.out)
        with open(self.ca, "rb") as f:
            data = base64.b64encode(f.read()).decode()
        result = self.scan(f"certificate-authority-data: {data}")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(load(self.out)["references"]), 2)

    def test_a_server_the_ca_did_not_sign_is_refused(self):
        result = self.scan("certificate-authority: other.crt")
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn(PLUGIN_TOKEN, result.stderr + result.stdout)
        self.assertFalse(os.path.exists(self.out))
        self.assertEqual(Cluster.seen, [])


class TestClientCertificatesAndKubeconfigLists(unittest.TestCase):
    """A cluster that authenticates users by client certificate (mutual TLS), read through a
    kubeconfig whose user has client-certificate/client-key files or their -data forms; and the
    kubeconfig split over several files, given as KUBECONFIG (a bare --kubeconfig) or as
    --kubeconfig a:b, merged as kubectl merges them."""

    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        if not os.access(OPENSSL, os.X_OK):
            self.fail(f"openssl is missing at {OPENSSL}; install Debian's openssl (make deps does)")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-kube-mtls-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.ca, key = make_certificate(self.tmp, "cluster")
        os.makedirs(os.path.join(self.tmp, "certs"))
        self.client_cert, self.client_key = make_certificate(os.path.join(self.tmp, "certs"), "me")
        Cluster.seen = []
        Cluster.accepts = staticmethod(lambda token: True)  # the certificate is the credential
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cluster)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca, key)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(self.client_cert)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.addCleanup(self.httpd.server_close)
        self.addCleanup(self.httpd.shutdown)
        self.out = os.path.join(self.tmp, "in-use.json")

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def cluster_part(self):
        return f"""clusters:
- name: local
  cluster:
    server: https://127.0.0.1:{self.httpd.server_address[1]}
    certificate-authority: cluster.crt
"""

    def scan(self, *args, env_extra=None):
        env = servers.aws_env()
        env.pop("KUBECONFIG", None)
        env.update(env_extra or {})
        return subprocess.run([REGSWEEP, "inuse", "scan", *args, "--output-file", self.out], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)

    def test_client_certificate_files_and_data(self):
        user_files = "  user: {client-certificate: certs/me.crt, client-key: certs/me.key}\n"
        with open(self.client_cert, "rb") as f:
            cert_data = base64.b64encode(f.read()).decode()
        with open(self.client_key, "rb") as f:
            key_data = base64.b64encode(f.read()).decode()
        user_data = f"  user: {{client-certificate-data: {cert_data}, client-key-data: {key_data}}}\n"
        for user in (user_files, user_data):
            config = self.write("config", self.cluster_part() + "users:\n- name: me\n" + user +
                                "contexts:\n- name: c\n  context: {cluster: local, user: me}\n"
                                "current-context: c\n")
            result = self.scan("--kubeconfig", config)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(len(load(self.out)["references"]), 2)
            self.assertNotIn(key_data[:40], result.stderr + result.stdout)
            os.remove(self.out)

    def test_no_certificate_no_scan(self):
        config = self.write("config", self.cluster_part() + "users:\n- name: me\n  user: {token: t}\n"
                            "contexts:\n- name: c\n  context: {cluster: local, user: me}\ncurrent-context: c\n")
        result = self.scan("--kubeconfig", config)
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(os.path.exists(self.out))

    def test_kubeconfig_lists_merge_like_kubectl(self):
        # Clusters and users in one file (its relative paths against its own folder), contexts in
        # another folder's file; the first file's current-context wins.
        os.makedirs(os.path.join(self.tmp, "contexts"))
        first = self.write("clusters.yaml", self.cluster_part() +
                           "users:\n- name: me\n  user: {client-certificate: certs/me.crt, "
                           "client-key: certs/me.key}\n")
        second = self.write("contexts/config", "current-context: c\ncontexts:\n- name: c\n"
                            "  context: {cluster: local, user: me}\n- name: other\n"
                            "  context: {cluster: nowhere, user: me}\n")
        third = self.write("later.yaml", "current-context: other\n")
        listed = self.scan("--kubeconfig", f"{first}:{second}:{third}")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(len(load(self.out)["references"]), 2)
        os.remove(self.out)
        # A bare --kubeconfig: kubectl's default, $KUBECONFIG.
        from_env = self.scan("--kubeconfig", env_extra={"KUBECONFIG": f"{first}:{second}:{third}"})
        self.assertEqual(from_env.returncode, 0, from_env.stderr)
        self.assertEqual(len(load(self.out)["references"]), 2)
        os.remove(self.out)
        # ... or ~/.kube/config without KUBECONFIG: here there is none, and that is an error,
        # not an empty cluster.
        home = self.scan("--kubeconfig", env_extra={"HOME": self.tmp})
        self.assertEqual(home.returncode, 2, home.stderr)
        self.assertIn(os.path.join(self.tmp, ".kube/config") + ": no such file", home.stderr)
        # Without --kubeconfig, KUBECONFIG alone protects nothing by surprise: no source, no scan.
        nothing = self.scan(env_extra={"KUBECONFIG": first})
        self.assertEqual(nothing.returncode, 2, nothing.stderr)
        self.assertFalse(os.path.exists(self.out))
        # Every listed file must exist.
        absent = self.scan("--kubeconfig", f"{first}:{self.tmp}/absent")
        self.assertEqual(absent.returncode, 2, absent.stderr)
        self.assertIn("absent: no such file", absent.stderr)


class TestInCluster(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-in-cluster-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.out = os.path.join(self.tmp, "in-use.json")

    def scan(self, env):
        return subprocess.run([REGSWEEP, "inuse", "scan", "--in-cluster", "--output-file", self.out], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)

    def test_outside_a_pod_it_says_what_is_missing(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_")}
        result = self.scan(env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT not set; run inside a pod "
                      "with a service account, or use --kubeconfig", result.stderr)
        self.assertFalse(os.path.exists(self.out))
        if os.path.exists("/var/run/secrets/kubernetes.io/serviceaccount/token"):
            return  # running in a pod: the second half does not apply
        env.update(KUBERNETES_SERVICE_HOST="127.0.0.1", KUBERNETES_SERVICE_PORT="9")
        result = self.scan(env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("/var/run/secrets/kubernetes.io/serviceaccount/token: cannot read", result.stderr)
        self.assertFalse(os.path.exists(self.out))


if __name__ == "__main__":
    unittest.main()
