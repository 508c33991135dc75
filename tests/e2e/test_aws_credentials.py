"""regsweep's AWS credential chain, end to end: the real binary runs `snapshot` against the ECR
emulator with strict SigV4 verification, getting its credentials from each source of the chain in
turn. STS, the container credentials endpoint and IMDS are small local HTTP servers in this file;
they hand out the emulator's test keys (with a session token) so the emulator accepts the calls.
FailClosedInputsE2E: a session token that would inject a header, a silent endpoint under
--cli-read-timeout, and bad timeout values.

Environment: REGSWEEP_BIN, ECR_EMULATOR_BIN (see servers.py).
"""
import datetime
import json
import os
import pathlib
import socket
import stat
import subprocess
import tempfile
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token"


def iso_in(minutes):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeServer:
    """A threaded HTTP server on 127.0.0.1:0 whose answers come from `handler(method, path, headers,
    body) -> (status, body)`; every request is recorded in `requests`."""

    def __init__(self, handler):
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.command, self.path, headers, body))
                status, answer = handler(self.command, self.path, headers, body)
                data = answer.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def sts_handler(method, path, headers, body):
    form = urllib.parse.parse_qs(body)
    action = form["Action"][0]
    return 200, ("<{a}Response><{a}Result><Credentials><AccessKeyId>{k}</AccessKeyId>"
                 "<SecretAccessKey>{s}</SecretAccessKey><SessionToken>{t}</SessionToken>"
                 "<Expiration>{e}</Expiration></Credentials></{a}Result></{a}Response>").format(
        a=action, k=servers.ACCESS_KEY, s=servers.SECRET_KEY, t=SESSION_TOKEN, e=iso_in(60))


def metadata_credentials(minutes):
    return json.dumps({"Code": "Success", "AccessKeyId": servers.ACCESS_KEY,
                       "SecretAccessKey": servers.SECRET_KEY, "Token": SESSION_TOKEN,
                       "Expiration": iso_in(minutes)})


class CredentialChainE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(REGSWEEP, os.X_OK):
            raise unittest.SkipTest(f"regsweep binary not found at {REGSWEEP}")

    def setUp(self):
        self.emulator = servers.start_emulator(self)
        ecr = servers.boto3_client(self.emulator.endpoint)
        ecr.create_repository(repositoryName="team/app")
        ecr.create_repository(repositoryName="team/web")
        self.tmp = tempfile.mkdtemp(prefix="regsweep-creds-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))

    def base_env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"HOME": self.tmp, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": servers.REGION,
                    "AWS_CONFIG_FILE": self.write("config", ""),
                    "AWS_SHARED_CREDENTIALS_FILE": self.write("credentials", "")})
        env.update(extra)
        return env

    def write(self, name, text, executable=False):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        if executable:
            os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
        return path

    def fake(self, handler):
        server = FakeServer(handler)
        self.addCleanup(server.stop)
        return server

    def snapshot(self, env, *args):
        out = os.path.join(self.tmp, "snapshot.json")
        proc = subprocess.run([REGSWEEP, "snapshot", "--endpoint-url", self.emulator.endpoint, "--output-file", out,
                               "--quiet", *args], env=env, capture_output=True, text=True, timeout=120)
        return proc, out

    def assert_snapshot_ok(self, env, *args):
        proc, out = self.snapshot(env, *args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out) as f:
            names = sorted(r["repositoryName"] for r in json.load(f)["repositories"])
        self.assertEqual(names, ["team/app", "team/web"])
        self.assertNotIn(servers.SECRET_KEY, proc.stdout + proc.stderr)
        self.assertNotIn(SESSION_TOKEN, proc.stdout + proc.stderr)
        return proc

    def test_environment_variables(self):
        self.assert_snapshot_ok(self.base_env(AWS_ACCESS_KEY_ID=servers.ACCESS_KEY,
                                              AWS_SECRET_ACCESS_KEY=servers.SECRET_KEY))

    def test_profile_from_shared_credentials_file(self):
        env = self.base_env()
        self.write("credentials", "[ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                   % (servers.ACCESS_KEY, servers.SECRET_KEY))
        self.assert_snapshot_ok(env, "--profile", "ci")
        env["AWS_PROFILE"] = "ci"
        self.assert_snapshot_ok(env)

    def test_credential_process(self):
        script = self.write("creds.sh", "#!/bin/sh\necho '%s'\n" % json.dumps(
            {"Version": 1, "AccessKeyId": servers.ACCESS_KEY, "SecretAccessKey": servers.SECRET_KEY,
             "SessionToken": SESSION_TOKEN, "Expiration": iso_in(60)}), executable=True)
        env = self.base_env()
        self.write("config", "[profile proc]\ncredential_process = %s\n" % script)
        self.assert_snapshot_ok(env, "--profile", "proc")

    def test_assume_role_with_source_profile_via_sts(self):
        sts = self.fake(sts_handler)
        env = self.base_env(AWS_ENDPOINT_URL_STS=sts.url)
        self.write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n")
        self.write("config", "[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/cleanup\n"
                             "source_profile = base\n")
        self.assert_snapshot_ok(env, "--profile", "deployer")
        self.assertEqual(len(sts.requests), 1)
        method, _, headers, body = sts.requests[0]
        self.assertEqual(urllib.parse.parse_qs(body)["Action"], ["AssumeRole"])
        self.assertIn("Credential=AKIDBASE/", headers["authorization"])
        self.assertIn("/us-east-1/sts/aws4_request", headers["authorization"])

    def test_web_identity_from_environment(self):
        sts = self.fake(sts_handler)
        token = self.write("oidc-token", "eyJhbGciOiJSUzI1NiJ9.e30.sig\n")
        env = self.base_env(AWS_ENDPOINT_URL_STS=sts.url, AWS_WEB_IDENTITY_TOKEN_FILE=token,
                            AWS_ROLE_ARN="arn:aws:iam::123456789012:role/irsa")
        self.assert_snapshot_ok(env)
        _, _, headers, body = sts.requests[0]
        form = urllib.parse.parse_qs(body)
        self.assertEqual(form["Action"], ["AssumeRoleWithWebIdentity"])
        self.assertEqual(form["WebIdentityToken"], ["eyJhbGciOiJSUzI1NiJ9.e30.sig"])
        self.assertNotIn("authorization", headers)

    def test_container_credentials_eks_pod_identity(self):
        agent = self.fake(lambda m, p, h, b: (200, metadata_credentials(60)) if h.get("authorization") == "pod-token"
                          else (401, "{}"))
        token = self.write("pod-token", "pod-token\n")
        env = self.base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=agent.url + "/v1/credentials",
                            AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=token)
        self.assert_snapshot_ok(env)
        self.assertGreaterEqual(len(agent.requests), 1)

    def test_imds_v2(self):
        def imds(method, path, headers, body):
            if method == "PUT" and path == "/latest/api/token":
                return 200, "imds-token"
            if headers.get("x-aws-ec2-metadata-token") != "imds-token":
                return 401, ""
            if path == "/latest/meta-data/iam/security-credentials/":
                return 200, "instance-role"
            if path == "/latest/meta-data/iam/security-credentials/instance-role":
                return 200, metadata_credentials(360)
            return 404, ""
        server = self.fake(imds)
        env = self.base_env(AWS_EC2_METADATA_SERVICE_ENDPOINT=server.url)
        del env["AWS_EC2_METADATA_DISABLED"]
        self.assert_snapshot_ok(env)
        self.assertEqual(server.requests[0][0], "PUT")

    def test_credentials_near_expiry_are_fetched_again(self):
        # Credentials expiring within the refresh window (15 min) are re-fetched before use, so a
        # run that makes several calls asks the endpoint more than once.
        agent = self.fake(lambda m, p, h, b: (200, metadata_credentials(10)))
        env = self.base_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=agent.url + "/creds")
        self.assert_snapshot_ok(env)
        self.assertGreater(len(agent.requests), 1)

    def test_no_credentials_names_every_source(self):
        proc, _ = self.snapshot(self.base_env())
        self.assertNotEqual(proc.returncode, 0)
        for source in ("environment", "web identity", "profile 'default'", "container credentials",
                       "EC2 instance metadata"):
            self.assertIn(source, proc.stderr)

    def test_wrong_secret_is_rejected_and_never_printed(self):
        wrong = "TOTALLYWRONGsecretKEYvalue0000000000000000"
        proc, _ = self.snapshot(self.base_env(AWS_ACCESS_KEY_ID=servers.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=wrong,
                                              AWS_SESSION_TOKEN=SESSION_TOKEN))
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("InvalidSignatureException", proc.stderr)
        self.assertNotIn(wrong, proc.stdout + proc.stderr)
        self.assertNotIn(SESSION_TOKEN, proc.stdout + proc.stderr)


POLICY = {"rules": [{"rulePriority": 1, "description": "untagged",
                     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                   "countUnit": "days", "countNumber": 14},
                     "action": {"type": "expire"}}]}


class SilentEndpoint:
    """Accepts TCP connections, reads what is sent, never answers; counts connections (one per
    attempt: a timed-out attempt drops its connection)."""

    def __init__(self):
        self.connections = 0
        self._open = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)  # kept open, never answered

    def stop(self):
        self._sock.close()
        for conn in self._open:
            conn.close()


class FailClosedInputsE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(REGSWEEP, os.X_OK):
            raise unittest.SkipTest(f"regsweep binary not found at {REGSWEEP}")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="regsweep-failclosed-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp]))
        self.policy = os.path.join(self.tmp, "policy.json")
        with open(self.policy, "w") as f:
            json.dump(POLICY, f)

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"HOME": self.tmp, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": servers.REGION,
                    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                    "AWS_ACCESS_KEY_ID": servers.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": servers.SECRET_KEY})
        env.update(extra)
        return env

    def plan(self, endpoint, env, *args):
        return subprocess.run([REGSWEEP, "plan", "--policy", self.policy, "--endpoint-url", endpoint, *args],
                              env=env, capture_output=True, text=True, timeout=120)

    def test_session_token_with_a_line_break_is_refused_before_any_request(self):
        emulator = servers.start_emulator(self)
        emulator.admin("POST", "/_emulator/counters/reset")
        result = self.plan(emulator.endpoint, self.env(AWS_SESSION_TOKEN="tok\r\nX-Injected: yes"))
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("AWS_SESSION_TOKEN", result.stderr)
        self.assertIn("control character", result.stderr)
        self.assertNotIn("X-Injected", result.stdout + result.stderr)
        self.assertEqual(emulator.admin("GET", "/_emulator/counters")["total"], 0)
        # The same run with a clean token reaches the emulator (so the zero above means something).
        clean = self.plan(emulator.endpoint, self.env(AWS_SESSION_TOKEN="tok"))
        self.assertGreater(emulator.admin("GET", "/_emulator/counters")["total"], 0, clean.stderr)

    def test_read_timeout_fails_a_silent_endpoint_after_the_configured_attempts(self):
        silent = SilentEndpoint()
        self.addCleanup(silent.stop)
        result = self.plan(silent.url, self.env(AWS_MAX_ATTEMPTS="2"), "--cli-read-timeout", "0.3")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        # plan reports the failed listing in the plan itself (JSON when stdout is not a terminal)
        # and says on stderr that the registry could not be listed.
        self.assertIn("registry us-east-1 could not be listed", result.stderr)
        self.assertIn("timed out: nothing received for 0.3 s", result.stdout)
        self.assertIn("gave up after 2 attempts", result.stdout)
        self.assertEqual(silent.connections, 2)

    def test_run_config_timeouts_and_the_flags_over_them(self):
        silent = SilentEndpoint()
        self.addCleanup(silent.stop)
        config = os.path.join(self.tmp, "regsweep.yaml")

        def run(read_timeout, *args):
            with open(config, "w") as f:
                f.write("settings:\n  read_timeout: %s\ntargets:\n  - name: t\n    endpoint_url: %s\n"
                        "    policy: {file: policy.json}\n    mode: apply\n" % (read_timeout, silent.url))
            return subprocess.run([REGSWEEP, "run", "--config", config, *args], env=self.env(AWS_MAX_ATTEMPTS="1"),
                                  capture_output=True, text=True, timeout=120)

        result = run("0.3")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("timed out: nothing received for 0.3 s", result.stdout)
        result = run("0.3", "--cli-read-timeout", "0.2")
        self.assertIn("timed out: nothing received for 0.2 s", result.stdout)
        self.assertEqual(silent.connections, 2)
        result = run(".nan")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("regsweep.yaml:2:17: settings.read_timeout:", result.stderr)
        self.assertEqual(silent.connections, 2)  # an invalid config contacts nothing

    def test_bad_timeouts_are_usage_errors_naming_the_flag(self):
        for flag in ("--cli-read-timeout", "--cli-connect-timeout"):
            for value in ("-1", "nan", "inf", "ten"):
                result = self.plan("http://127.0.0.1:9", self.env(), flag + "=" + value)
                self.assertEqual(result.returncode, 2, (flag, value, result.stderr))
                self.assertIn(flag + ": ", result.stderr)
                self.assertIn("is not a number of seconds from 0 to 86400", result.stderr)


if __name__ == "__main__":
    unittest.main()
