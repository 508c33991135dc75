"""regsweep against the ECR emulator over the real ECR API (SigV4-verified): plan, apply --yes,
delete by tag/digest/untagged, snapshot round trip, pagination over 2,500+ images, a repository
whose listing fails halfway (skipped, nothing deleted), throttling and 5xx at 20%, and the --yes
rule without a terminal. After every apply the AWS CLI v2 lists the repositories and must see
exactly the plan's survivors."""
import hashlib
import http.client
import http.server
import json
import os
import pathlib
import subprocess
import tempfile
import threading
import time
import unittest

import servers

DAY = 86400
NOW = time.time()
REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))

POLICY = {"rules": [
    {"rulePriority": 1, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 14}, "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "keep 3 newest v*",
     "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan",
                   "countNumber": 3}, "action": {"type": "expire"}},
]}


def digest(name):
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def image(name, tags=(), age_days=0, size=1_000_000, **extra):
    detail = {"imageDigest": digest(name), "imagePushedAt": NOW - age_days * DAY, "imageSizeInBytes": size,
              "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "artifactMediaType": "application/vnd.docker.container.image.v1+json"}
    if tags:
        detail["imageTags"] = list(tags)
    detail.update(extra)
    return detail


def multi_arch(name, tags, age_days):
    """An OCI index with two untagged children, as a multi-arch push leaves them."""
    children = [image(f"{name}-amd64", age_days=age_days, imageManifestMediaType="application/vnd.oci.image.manifest.v1+json",
                      artifactMediaType="application/vnd.oci.image.config.v1+json"),
                image(f"{name}-arm64", age_days=age_days, imageManifestMediaType="application/vnd.oci.image.manifest.v1+json",
                      artifactMediaType="application/vnd.oci.image.config.v1+json")]
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                           "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                          "digest": c["imageDigest"], "size": 500,
                                          "platform": {"architecture": arch, "os": "linux"}}
                                         for c, arch in zip(children, ("amd64", "arm64"))]},
                          separators=(",", ":"))
    index = {"imageManifest": manifest, "imagePushedAt": NOW - age_days * DAY, "imageTags": list(tags),
             "imageManifestMediaType": "application/vnd.oci.image.index.v1+json"}
    return [index] + children


def demo_seed():
    app = [image(f"app-v{i}", [f"v{i}"], age_days=30 - i) for i in range(1, 7)]        # v1..v3 expire
    app += [image(f"app-old-untagged{i}", age_days=20 + i) for i in range(4)]            # expire
    app += [image("app-new-untagged", age_days=2)]                                       # keeps
    app += multi_arch("app-multi", ["latest"], age_days=60)                              # children kept
    web = [image(f"web-{i}", [f"build-{i}"], age_days=100) for i in range(3)]            # no rule: kept
    web += [image(f"web-untagged{i}", age_days=40) for i in range(5)]                    # expire
    return {"repositories": [{"repositoryName": "team/app", "imageDetails": app},
                             {"repositoryName": "team/web", "imageDetails": web}]}


def write_json(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        json.dump(value, f)
    return path


class RegsweepCase(unittest.TestCase):
    """Starts the emulator with `seed()` and runs regsweep against it."""

    def seed(self):
        return demo_seed()

    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        self.server = servers.start_emulator(self, seed=self.seed())
        self.tmp = tempfile.mkdtemp(prefix="regsweep-e2e-")
        self.policy = write_json(self.tmp, "policy.json", POLICY)

    def regsweep(self, *args, endpoint=None, stdin=subprocess.DEVNULL, timeout=300):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        return subprocess.run([REGSWEEP, *args, "--endpoint-url", endpoint or self.server.endpoint],
                              env=env, stdin=stdin, capture_output=True, text=True, timeout=timeout)

    def plan_json(self, *extra):
        result = self.regsweep("plan", "--policy", self.policy, "--output", "json", *extra)
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return json.loads(result.stdout)

    @staticmethod
    def actions(plan):
        """{repository: {digest: action}} from plan JSON."""
        return {repo["repositoryName"]: {img["imageDigest"]: img["action"] for img in repo["images"]}
                for repo in plan["repositories"]}

    def survivors_seen_by_aws_cli(self, repository, endpoint=None):
        result = servers.aws_cli(endpoint or self.server.endpoint, "ecr", "describe-images",
                                 "--repository-name", repository, testcase=self)
        self.assertEqual(result.returncode, 0, result.stderr)
        return {d["imageDigest"] for d in json.loads(result.stdout)["imageDetails"]}

    def assert_survivors_match_plan(self, plan, endpoint=None):
        for repository, actions in self.actions(plan).items():
            expected = {d for d, action in actions.items() if action != "expire"}
            self.assertEqual(self.survivors_seen_by_aws_cli(repository, endpoint), expected, repository)

    def counter(self, operation, field="calls"):
        return self.server.admin("GET", "/_emulator/counters")["operations"].get(operation, {}).get(field, 0)


class TestPlanAndApply(RegsweepCase):
    def test_plan_sees_every_image_and_index_children(self):
        actions = self.actions(self.plan_json())
        app = actions["team/app"]
        self.assertEqual(len(app), 14)
        self.assertEqual(app[digest("app-v1")], "expire")
        self.assertEqual(app[digest("app-v4")], "keep")
        self.assertEqual(app[digest("app-new-untagged")], "keep")
        # Untagged and 60 days old, but children of the kept `latest` index: never expired.
        self.assertEqual(app[digest("app-multi-amd64")], "keep")
        self.assertEqual(sum(a == "expire" for a in actions["team/web"].values()), 5)

    def test_apply_yes_deletes_exactly_the_plan(self):
        plan = self.plan_json()
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        report = json.loads(result.stdout)
        expiring = sum(a == "expire" for repo in self.actions(plan).values() for a in repo.values())
        self.assertEqual(report["totals"]["deleted"], expiring)
        self.assertEqual(report["totals"]["failed"], 0)
        self.assertEqual(report["totals"]["bytesFreed"], expiring * 1_000_000)
        self.assert_survivors_match_plan(plan)
        # A second apply finds nothing left to do.
        again = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(json.loads(again.stdout)["totals"]["deleted"], 0)

    def test_apply_table_output_names_deletions_and_savings(self):
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--repository-name", "team/web")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Deleted (5):", result.stdout)
        self.assertIn("freed 4.77 MiB", result.stdout)
        self.assertIn("per month", result.stdout)
        self.assertEqual(len(self.survivors_seen_by_aws_cli("team/app")), 14)  # not selected: untouched

    def test_apply_without_yes_and_without_terminal_refuses(self):
        result = self.regsweep("apply", "--policy", self.policy)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("--yes", result.stderr)
        self.assertEqual(self.counter("BatchDeleteImage"), 0)
        self.assertEqual(len(self.survivors_seen_by_aws_cli("team/app")), 14)

    def test_snapshot_round_trip_gives_the_same_plan(self):
        path = os.path.join(self.tmp, "snap.json")
        result = self.regsweep("snapshot", "--output-file", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        now = str(int(NOW))
        live = self.plan_json("--now", now)
        # --snapshot excludes --endpoint-url: run it without the flag, and without credentials.
        offline = subprocess.run([REGSWEEP, "plan", "--snapshot", path, "--policy", self.policy,
                                  "--output", "json", "--now", now], capture_output=True, text=True)
        self.assertEqual(offline.returncode, 0, offline.stderr)
        offline = json.loads(offline.stdout)
        self.assertEqual(self.actions(offline), self.actions(live))
        self.assertEqual(offline["totals"], live["totals"])

    def test_apply_skips_an_image_retagged_after_planning(self):
        # `delete --untagged` plans, then (before its batch) the image gets a tag: it must survive.
        target = digest("web-untagged0")
        self.server.admin("POST", "/_emulator/tag",
                          {"repositoryName": "team/web", "imageDigest": target, "imageTag": "keep-me"})
        result = self.regsweep("delete", "--repository-name", "team/web", "--untagged", "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(target, self.survivors_seen_by_aws_cli("team/web"))


class TestDelete(RegsweepCase):
    def test_delete_by_tag_and_digest(self):
        result = self.regsweep("delete", "--repository-name", "team/app", "--tag", "v6",
                               "--digest", digest("app-v5"), "--yes", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["totals"]["deleted"], 2)
        left = self.survivors_seen_by_aws_cli("team/app")
        self.assertNotIn(digest("app-v6"), left)
        self.assertNotIn(digest("app-v5"), left)
        self.assertEqual(len(left), 12)

    def test_delete_unknown_tag_fails_and_deletes_nothing(self):
        result = self.regsweep("delete", "--repository-name", "team/app", "--tag", "nope", "--yes")
        self.assertEqual(result.returncode, 1)
        self.assertIn("nope: not found", result.stderr)
        self.assertEqual(self.counter("BatchDeleteImage"), 0)

    def test_delete_untagged_older_than_spares_index_children(self):
        result = self.regsweep("delete", "--repository-name", "team/app", "--untagged", "--older-than", "14d",
                               "--yes", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        left = self.survivors_seen_by_aws_cli("team/app")
        for i in range(4):
            self.assertNotIn(digest(f"app-old-untagged{i}"), left)
        self.assertIn(digest("app-new-untagged"), left)   # younger than 14 days
        self.assertIn(digest("app-multi-amd64"), left)    # child of the tagged index
        self.assertEqual(len(left), 10)

    def test_delete_without_yes_refuses(self):
        result = self.regsweep("delete", "--repository-name", "team/app", "--untagged")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Would delete", result.stdout)
        self.assertEqual(self.counter("BatchDeleteImage"), 0)


class TestScale(RegsweepCase):
    def seed(self):
        big = [image(f"big-untagged{i}", age_days=30 + i % 50, size=1000) for i in range(1300)]
        big += [image(f"big-v{i}", [f"v{i}"], age_days=1 + i % 300, size=1000) for i in range(1300)]
        return {"repositories": [{"repositoryName": "big", "imageDetails": big}]}

    def test_pagination_over_2600_images(self):
        plan = self.plan_json()
        self.assertEqual(len(self.actions(plan)["big"]), 2600)
        self.assertGreaterEqual(self.counter("DescribeImages"), 3)  # pages of 1,000
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["totals"]["deleted"], 1300 + 1297)
        self.assert_survivors_match_plan(plan)


class TestFaults(RegsweepCase):
    def seed(self):
        repos = []
        for r in range(4):
            images = [image(f"r{r}-untagged{i}", age_days=20 + i % 30) for i in range(150)]
            images += [image(f"r{r}-v{i}", [f"v{i}"], age_days=1 + i) for i in range(20)]
            repos.append({"repositoryName": f"svc{r}", "imageDetails": images})
        return {"repositories": repos}

    def test_throttling_and_5xx_at_20_percent_still_delete_exactly_the_plan(self):
        plan = self.plan_json()
        self.server.admin("POST", "/_emulator/faults", {"seed": 11, "operations": {
            "*": {"throttle_probability": 0.2, "error_5xx_rate": 0.2}}})
        self.server.admin("POST", "/_emulator/counters/reset")
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json",
                               "--concurrency", "4")
        self.server.admin("DELETE", "/_emulator/faults")
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout[-2000:])
        self.assertEqual(json.loads(result.stdout)["totals"]["deleted"], 4 * (150 + 17))
        counters = self.server.admin("GET", "/_emulator/counters")["operations"]
        self.assertGreater(sum(c.get("throttled", 0) for c in counters.values()), 0)
        self.assertGreater(sum(c.get("server_errors", 0) for c in counters.values()), 0)
        self.assert_survivors_match_plan(plan)


class _BreakingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the emulator unchanged (Host header included, so SigV4 still verifies), except
    DescribeImages pages after the first for one repository, which get 500 ServerException."""
    upstream_port = 0
    broken_repository = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "")
        request = json.loads(body or b"{}")
        if (target.endswith(".DescribeImages") and request.get("repositoryName") == self.broken_repository
                and "nextToken" in request):
            payload = b'{"__type":"ServerException","message":"injected: page 2 fails"}'
            self.send_response(500)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        conn.request("POST", self.path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        conn.close()

    def log_message(self, *args):
        pass


class TestListingFailsHalfway(RegsweepCase):
    def seed(self):
        broken = [image(f"broken-untagged{i}", age_days=30) for i in range(1500)]
        fine = [image(f"fine-untagged{i}", age_days=30) for i in range(10)] + [image("fine-v1", ["v1"], 1)]
        return {"repositories": [{"repositoryName": "broken", "imageDetails": broken},
                                 {"repositoryName": "fine", "imageDetails": fine}]}

    def test_repository_whose_listing_fails_is_skipped_with_nothing_deleted(self):
        handler = type("Proxy", (_BreakingProxy,), {"upstream_port": self.server.port,
                                                    "broken_repository": "broken"})
        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        self.addCleanup(proxy.server_close)
        self.addCleanup(proxy.shutdown)
        endpoint = f"http://127.0.0.1:{proxy.server_address[1]}"
        result = self.regsweep("apply", "--policy", self.policy, "--yes", "--output", "json", endpoint=endpoint)
        self.assertEqual(result.returncode, 1, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual(report["totals"]["skippedRepositories"], 1)
        self.assertEqual(report["totals"]["deleted"], 10)
        self.assertEqual(len(self.survivors_seen_by_aws_cli("broken")), 1500)  # untouched
        self.assertEqual(self.survivors_seen_by_aws_cli("fine"), {digest("fine-v1")})


if __name__ == "__main__":
    unittest.main()
