"""E2E: the AWS conventions of issue 15 with the real binary.

- IAM Identity Center (SSO) profiles, sso_session and legacy sso_start_url: after `aws sso login`
  the AWS CLI leaves a token in ~/.aws/sso/cache; regsweep trades it for role credentials at a fake
  SSO portal (GetRoleCredentials, reached through AWS_ENDPOINT_URL_SSO) that mints them with the
  ECR emulator's STS, so the emulator verifies every ECR call signed with them. boto3 reads the same
  files and portal first, proving the fixture is what the AWS SDKs expect. An expired token says to
  run `aws sso login` and calls nothing.
- --external-id: an emulator started with --require-external-id refuses AssumeRole of that role
  without the id; plan with --role-arn --external-id (and a run config's external_id) gets in.
- inuse scan --lambda --role-arn ARN --region A --region B scans another account (moto's STS
  switches accounts) in each region."""
import datetime
import hashlib
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

import servers
from documents import REPOSITORY

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
ACCOUNT = "123456789012"          # the emulator's default account
ROLE = "RegsweepCleanup"
ACCESS_TOKEN = "sso-access-token-do-not-print"
START_URL = "https://d-1234567890.awsapps.com/start"
POLICY = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                      "countUnit": "days", "countNumber": 1},
                     "action": {"type": "expire"}}]}
SEED = {"repositories": [{"repositoryName": "app", "imageDetails": [
    {"imageDigest": "sha256:" + "a" * 64, "imageTags": ["v1"], "imagePushedAt": 1_700_000_000,
     "imageSizeInBytes": 1000}]}]}


def iso(delta_seconds):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakePortal(http.server.BaseHTTPRequestHandler):
    """GetRoleCredentials: accepts ACCESS_TOKEN only, and mints the role's keys with the emulator's
    STS AssumeRole (signed with the emulator's base keys), as the real portal hands out the role's
    temporary keys."""
    emulator = None
    seen = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        token = self.headers.get("x-amz-sso_bearer_token")
        FakePortal.seen.append((url.path, query, token))
        if url.path != "/federation/credentials" or token != ACCESS_TOKEN:
            return self.answer(401, {"message": "Session token not found or invalid"},
                               "UnauthorizedException")
        import boto3
        sts = boto3.client("sts", endpoint_url=FakePortal.emulator, region_name=servers.REGION,
                           aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY)
        role_arn = f"arn:aws:iam::{query['account_id'][0]}:role/{query['role_name'][0]}"
        creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="sso-user")["Credentials"]
        self.answer(200, {"roleCredentials": {
            "accessKeyId": creds["AccessKeyId"], "secretAccessKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
            "expiration": int(creds["Expiration"].timestamp() * 1000)}})

    def answer(self, status, body, error_type=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class TestSsoProfiles(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.emulator = servers.start_emulator(self, seed=SEED)
        FakePortal.emulator = self.emulator.endpoint
        FakePortal.seen = []
        self.portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakePortal)
        threading.Thread(target=self.portal.serve_forever, daemon=True).start()
        self.addCleanup(self.portal.server_close)
        self.addCleanup(self.portal.shutdown)
        self.home = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-sso-"))
        self.addCleanup(shutil.rmtree, self.home, True)
        (self.home / ".aws").mkdir()
        (self.home / ".aws" / "config").write_text(f"""[profile dev]
sso_session = corp
sso_account_id = {ACCOUNT}
sso_role_name = {ROLE}
region = {servers.REGION}

[profile legacy]
sso_start_url = {START_URL}
sso_region = eu-central-1
sso_account_id = {ACCOUNT}
sso_role_name = {ROLE}
region = {servers.REGION}

[sso-session corp]
sso_start_url = {START_URL}
sso_region = eu-central-1
sso_registration_scopes = sso:account:access
""")
        (self.home / "policy.json").write_text(json.dumps(POLICY))

    def login(self, cache_key, expires_at):
        """What `aws sso login` leaves behind."""
        cache = self.home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(cache_key.encode()).hexdigest() + ".json"
        (cache / name).write_text(json.dumps({"startUrl": START_URL, "region": "eu-central-1",
                                              "accessToken": ACCESS_TOKEN, "expiresAt": expires_at}))

    def env(self):
        env = {k: v for k, v in servers.aws_env().items()
               if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL")}
        env.update({"HOME": str(self.home), "AWS_CONFIG_FILE": str(self.home / ".aws" / "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(self.home / ".aws" / "credentials"),
                    "AWS_ENDPOINT_URL_SSO": f"http://127.0.0.1:{self.portal.server_address[1]}",
                    "XDG_STATE_HOME": str(self.home / "state")})
        return env

    def plan(self, profile, env=None):
        return subprocess.run([REGSWEEP, "plan", "--policy", str(self.home / "policy.json"), "--profile", profile,
                               "--endpoint-url", self.emulator.endpoint, "--output", "json"],
                              env=env or self.env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)

    def test_boto3_accepts_the_same_cache_and_portal(self):
        # The fixture is what the AWS SDKs read: botocore finds the token by the same file name and
        # calls the same portal, and the emulator accepts the keys the portal gave it. (A process
        # of its own: botocore fixes ~/.aws/sso/cache when it is imported.)
        self.login("corp", iso(3600))
        script = ("import boto3, sys; print(boto3.session.Session(profile_name='dev').client("
                  "'sts', endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])")
        result = subprocess.run([sys.executable, "-c", script, self.emulator.endpoint], env=self.env(),
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/sso-user")
        self.assertEqual(FakePortal.seen[-1][2], ACCESS_TOKEN)

    def test_an_sso_session_profile_plans_live_ecr(self):
        self.login("corp", iso(3600))
        result = self.plan("dev")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([r[REPOSITORY] for r in json.loads(result.stdout)["repositories"]], ["app"])
        path, query, token = FakePortal.seen[0]
        self.assertEqual(path, "/federation/credentials")
        self.assertEqual(query, {"account_id": [ACCOUNT], "role_name": [ROLE]})
        self.assertEqual(token, ACCESS_TOKEN)
        self.assertNotIn(ACCESS_TOKEN, result.stdout + result.stderr)
        # The emulator verified the signatures of the role's keys on every call.
        self.assertGreater(self.emulator.admin("GET", "/_emulator/counters")["operations"]
                           ["DescribeImages"]["calls"], 0)

    def test_a_legacy_profile_uses_the_start_urls_cache_entry(self):
        self.login(START_URL, iso(3600).replace("Z", "UTC"))  # older CLIs wrote "UTC"
        env = self.env()
        env["AWS_PROFILE"] = "legacy"  # the profile from the environment, as the AWS CLI takes it
        result = subprocess.run([REGSWEEP, "plan", "--policy", str(self.home / "policy.json"),
                                 "--endpoint-url", self.emulator.endpoint, "--output", "json"],
                                env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(FakePortal.seen), 1)

    def test_an_expired_token_says_to_log_in_and_calls_nothing(self):
        self.login("corp", iso(-60))
        result = self.plan("dev")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("the SSO token expired at", result.stderr)
        self.assertIn("run `aws sso login --profile dev`", result.stderr)
        self.assertEqual(FakePortal.seen, [])
        self.assertEqual(self.emulator.admin("GET", "/_emulator/counters")["total"], 0)

    def test_not_logged_in_and_a_refused_token_say_to_log_in(self):
        missing = self.plan("dev")
        self.assertEqual(missing.returncode, 1, missing.stderr)
        self.assertIn("not signed in", missing.stderr)
        self.assertIn("aws sso login --profile dev", missing.stderr)
        cache = self.home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True)
        (cache / (hashlib.sha1(b"corp").hexdigest() + ".json")).write_text(json.dumps(
            {"accessToken": "revoked-token", "expiresAt": iso(3600)}))
        refused = self.plan("dev")
        self.assertEqual(refused.returncode, 1, refused.stderr)
        self.assertIn("the SSO token was refused", refused.stderr)
        self.assertIn("aws sso login --profile dev", refused.stderr)
        self.assertNotIn("revoked-token", refused.stderr)


class TestExternalId(unittest.TestCase):
    ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/vendor-cleanup"

    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.emulator = servers.start_emulator(self, "--require-external-id", f"{self.ROLE_ARN}=ext-4242",
                                               seed=SEED)
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-external-id-"))
        self.addCleanup(shutil.rmtree, self.work, True)
        (self.work / "policy.json").write_text(json.dumps(POLICY))

    def regsweep(self, *args):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_ENDPOINT_URL_STS"] = self.emulator.endpoint
        env["XDG_STATE_HOME"] = str(self.work / "state")
        return subprocess.run([REGSWEEP, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)

    def plan(self, *extra):
        return self.regsweep("plan", "--policy", str(self.work / "policy.json"), "--role-arn", self.ROLE_ARN,
                             "--endpoint-url", self.emulator.endpoint, "--output", "json", *extra)

    def test_the_role_is_assumed_only_with_its_external_id(self):
        refused = self.plan()
        self.assertEqual(refused.returncode, 1, refused.stderr)
        self.assertIn("AccessDenied", refused.stderr)
        wrong = self.plan("--external-id", "ext-0000")
        self.assertEqual(wrong.returncode, 1, wrong.stderr)
        allowed = self.plan("--external-id", "ext-4242")
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        self.assertEqual(json.loads(allowed.stdout)["repositories"][0][REPOSITORY], "app")

    def test_a_run_configs_external_id(self):
        config = self.work / "regsweep.yaml"
        config.write_text(f"""settings:
  output: json
targets:
  - name: vendor
    accounts: [{self.ROLE_ARN}]
    external_id: ext-4242
    policy: {{file: policy.json}}
    mode: apply
    endpoint_url: {self.emulator.endpoint}
""")
        result = self.regsweep("run", "--config", str(config))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(json.loads(result.stdout)["targets"][0]["status"], "ok")

    def test_bad_external_ids_are_refused_before_any_request(self):
        alone = self.regsweep("plan", "--policy", str(self.work / "policy.json"), "--external-id", "ext-4242",
                              "--endpoint-url", self.emulator.endpoint)
        self.assertEqual(alone.returncode, 2, alone.stderr)
        self.assertIn("--external-id: given without a role to assume", alone.stderr)
        bad = self.plan("--external-id", "has space")
        self.assertEqual(bad.returncode, 2, bad.stderr)
        self.assertIn("--external-id: not an external id STS accepts", bad.stderr)
        self.assertEqual(self.emulator.admin("GET", "/_emulator/counters")["total"], 0)


class TestInUseAcrossAccountsAndRegions(unittest.TestCase):
    OTHER = "111111111111"

    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}")
        self.moto = servers.start_moto(self)
        self.tmp = tempfile.mkdtemp(prefix="regsweep-inuse-accounts-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def function(self, credentials, region, name):
        import boto3
        kw = dict(endpoint_url=self.moto.endpoint, region_name=region, **credentials)
        role = boto3.client("iam", **kw).create_role(
            RoleName=f"fn-{name}", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
        image = f"{self.OTHER}.dkr.ecr.{region}.amazonaws.com/{name}:v1"
        boto3.client("lambda", **kw).create_function(FunctionName=name, Role=role["Role"]["Arn"],
                                                     PackageType="Image", Code={"ImageUri": image})
        return image

    def test_lambda_of_another_account_in_each_region(self):
        import boto3
        base = dict(aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY)
        role_arn = f"arn:aws:iam::{self.OTHER}:role/regsweep"
        assumed = boto3.client("sts", endpoint_url=self.moto.endpoint, region_name=servers.REGION, **base) \
            .assume_role(RoleArn=role_arn, RoleSessionName="setup")["Credentials"]
        other = dict(aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"],
                     aws_session_token=assumed["SessionToken"])
        east = self.function(other, "us-east-1", "east-app")
        west = self.function(other, "eu-west-1", "west-app")
        self.function(base, "us-east-1", "base-app")  # the base account's: not scanned
        out = os.path.join(self.tmp, "in-use.json")
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_ENDPOINT_URL_STS"] = self.moto.endpoint
        result = subprocess.run([REGSWEEP, "inuse", "scan", "--lambda", "--role-arn", role_arn,
                                 "--region", "us-east-1", "--region", "eu-west-1",
                                 "--endpoint-url", self.moto.endpoint, "--output-file", out],
                                env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(pathlib.Path(out).read_text())
        self.assertEqual(sorted(doc["sources"]),
                         sorted([f"lambda {self.OTHER}/us-east-1", f"lambda {self.OTHER}/eu-west-1"]))
        images = {r["image"] for r in doc["references"]}
        self.assertIn(east, images)
        self.assertIn(west, images)
        self.assertFalse(any("base-app" in i for i in images), images)

    def test_region_and_role_without_a_service_are_refused(self):
        keep = os.path.join(self.tmp, "keep.txt")
        pathlib.Path(keep).write_text("v1\n")
        result = subprocess.run([REGSWEEP, "inuse", "scan", "--keep-file", keep, "--region", "us-east-1",
                                 "--output-file", os.path.join(self.tmp, "x.json")], env=servers.aws_env(),
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("they choose where --ecs and --lambda scan", result.stderr)


if __name__ == "__main__":
    unittest.main()
