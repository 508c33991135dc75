"""ecr-emulator fault injection and SigV4 checking, judged by botocore's and the AWS CLI v2's
retry and error handling. Emulator only: moto has neither faults nor signature checks."""
import time
import unittest

import botocore.config
import botocore.exceptions

import servers


def counters(server, op):
    return server.admin("GET", "/_emulator/counters")["operations"].get(op, {})


class TestFaults(unittest.TestCase):
    def setUp(self):
        self.server = servers.start_emulator(self, "--fault-seed", "7")
        self.server.admin("POST", "/_emulator/counters/reset")

    def client(self, attempts=10, mode="standard", **kw):
        config = botocore.config.Config(retries={"total_max_attempts": attempts, "mode": mode}, **kw)
        return servers.boto3_client(self.server.endpoint, config=config)

    def test_throttling_is_retried_by_botocore(self):
        self.server.admin("POST", "/_emulator/faults",
                          {"operations": {"DescribeRepositories": {"throttle_probability": 0.5}}})
        ecr = self.client()
        for _ in range(10):
            ecr.describe_repositories()
        c = counters(self.server, "DescribeRepositories")
        self.assertGreater(c["throttled"], 0)
        self.assertEqual(c["calls"], 10 + c["throttled"])

    def test_throttling_without_retries_surfaces_throttling_exception(self):
        self.server.admin("POST", "/_emulator/faults", {"operations": {"*": {"throttle_probability": 1}}})
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.client(attempts=1).describe_registry()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ThrottlingException")
        self.assertEqual(ctx.exception.response["Error"]["Message"], "Rate exceeded")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_tps_limit_throttles_bursts(self):
        self.server.admin("POST", "/_emulator/faults", {"operations": {"DescribeRegistry": {"throttle_tps": 2}}})
        ecr = self.client(attempts=1)
        outcomes = []
        for _ in range(6):
            try:
                ecr.describe_registry()
                outcomes.append("ok")
            except botocore.exceptions.ClientError as e:
                outcomes.append(e.response["Error"]["Code"])
        self.assertEqual(outcomes[:2], ["ok", "ok"])
        self.assertIn("ThrottlingException", outcomes[2:])
        time.sleep(1.1)  # the bucket refills at 2/s
        ecr.describe_registry()

    def test_cli_retries_throttling_and_5xx(self):
        self.server.admin("POST", "/_emulator/faults", {"seed": 3, "operations": {
            "DescribeRegistry": {"throttle_probability": 0.3, "error_5xx_rate": 0.3}}})
        for _ in range(4):
            proc = servers.aws_cli(self.server.endpoint, "ecr", "describe-registry", testcase=self)
            if proc.returncode != 0:  # 3 attempts in standard mode; all three may be unlucky
                self.assertRegex(proc.stderr, "ThrottlingException|ServerException")
        c = counters(self.server, "DescribeRegistry")
        self.assertGreater(c["throttled"] + c["server_errors"], 0)
        self.assertGreater(c["calls"], 4)

    def test_server_errors_are_500_and_retried(self):
        self.server.admin("POST", "/_emulator/faults", {"operations": {"ListImages": {"error_5xx_rate": 1}}})
        ecr = self.client(attempts=2)
        ecr.create_repository(repositoryName="faults/five")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            ecr.list_images(repositoryName="faults/five")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ServerException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 500)
        self.assertEqual(counters(self.server, "ListImages")["server_errors"], 2)

    def test_dropped_connections_are_retried(self):
        self.server.admin("POST", "/_emulator/faults",
                          {"operations": {"DescribeRegistry": {"drop_connection_rate": 0.5}}})
        ecr = self.client()
        for _ in range(8):
            self.assertEqual(ecr.describe_registry()["registryId"], "123456789012")
        c = counters(self.server, "DescribeRegistry")
        self.assertGreater(c["dropped"], 0)
        self.assertEqual(c["calls"], 8 + c["dropped"])

    def test_latency_and_slow_response(self):
        self.server.admin("POST", "/_emulator/faults", {"operations": {
            "DescribeRegistry": {"latency_ms": 300, "jitter_ms": 50},
            "GetAuthorizationToken": {"slow_response_ms": 400}}})
        ecr = self.client()
        start = time.monotonic()
        ecr.describe_registry()
        self.assertGreaterEqual(time.monotonic() - start, 0.3)
        start = time.monotonic()
        self.assertTrue(ecr.get_authorization_token()["authorizationData"])
        self.assertGreaterEqual(time.monotonic() - start, 0.35)
        start = time.monotonic()
        ecr.describe_repositories()  # not configured: no delay
        self.assertLess(time.monotonic() - start, 0.3)

    def test_faults_are_deterministic_for_a_seed(self):
        def run():
            self.server.admin("POST", "/_emulator/faults",
                              {"seed": 42, "operations": {"*": {"throttle_probability": 0.5}}})
            ecr = self.client(attempts=1)
            out = []
            for _ in range(12):
                try:
                    ecr.describe_registry()
                    out.append(True)
                except botocore.exceptions.ClientError:
                    out.append(False)
            return out
        first = run()
        self.assertEqual(run(), first)
        self.assertIn(True, first)
        self.assertIn(False, first)

    def test_fault_config_is_validated_and_clearable(self):
        with self.assertRaises(servers.ServerError) as ctx:
            self.server.admin("POST", "/_emulator/faults", {"operations": {"*": {"explode": 1}}})
        self.assertIn("unknown fault", str(ctx.exception))
        self.server.admin("POST", "/_emulator/faults", {"operations": {"*": {"error_5xx_rate": 1}}})
        self.assertEqual(self.server.admin("GET", "/_emulator/faults")["operations"]["*"]["error_5xx_rate"], 1)
        self.server.admin("DELETE", "/_emulator/faults")
        self.assertEqual(self.server.admin("GET", "/_emulator/faults"), {"operations": {}})
        self.client(attempts=1).describe_registry()


class TestSignatures(unittest.TestCase):
    def setUp(self):
        self.server = servers.start_emulator(self)

    def error_of(self, client, call="describe_repositories"):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            getattr(client, call)()
        return ctx.exception.response

    def test_wrong_secret_rejected(self):
        err = self.error_of(servers.boto3_client(self.server.endpoint, secret="not-the-secret"))
        self.assertEqual(err["Error"]["Code"], "InvalidSignatureException")
        self.assertIn("does not match the signature you provided", err["Error"]["Message"])
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_unknown_access_key_rejected(self):
        import boto3
        client = boto3.client("ecr", endpoint_url=self.server.endpoint, region_name="us-east-1",
                              aws_access_key_id="AKIDUNKNOWN", aws_secret_access_key=servers.SECRET_KEY)
        self.assertEqual(self.error_of(client)["Error"]["Code"], "UnrecognizedClientException")

    def test_wrong_region_rejected(self):
        import boto3
        client = boto3.client("ecr", endpoint_url=self.server.endpoint, region_name="eu-west-1",
                              aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY)
        self.assertEqual(self.error_of(client)["Error"]["Code"], "InvalidSignatureException")

    def test_session_token_accepted(self):
        import boto3
        client = boto3.client("ecr", endpoint_url=self.server.endpoint, region_name="us-east-1",
                              aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY,
                              aws_session_token="IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN")
        self.assertEqual(client.describe_registry()["registryId"], "123456789012")

    def test_missing_signature_rejected(self):
        import urllib.request
        req = urllib.request.Request(self.server.endpoint + "/", data=b"{}", method="POST", headers={
            "X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.DescribeRegistry",
            "Content-Type": "application/x-amz-json-1.1"})
        with self.assertRaises(urllib.error.HTTPError) as ctx:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(ctx.exception.code, 400)
        self.assertIn(b"MissingAuthenticationTokenException", ctx.exception.read())

    def test_cli_with_wrong_secret_fails(self):
        proc = servers.aws_cli(self.server.endpoint, "ecr", "describe-repositories", secret="wrong", testcase=self)
        self.assertEqual(proc.returncode, 254)
        self.assertIn("InvalidSignatureException", proc.stderr)
        ok = servers.aws_cli(self.server.endpoint, "ecr", "describe-repositories", testcase=self)
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_no_verify_signature_flag_accepts_anything(self):
        lax = servers.start_emulator(self, "--no-verify-signature")
        client = servers.boto3_client(lax.endpoint, secret="anything")
        self.assertEqual(client.describe_registry()["registryId"], "123456789012")


if __name__ == "__main__":
    unittest.main()
