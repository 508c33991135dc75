"""ecr-emulator seeding (--seed, snapshot format) and the admin endpoint (/_emulator/...).
Emulator only: these are the emulator's own features, not ECR's."""
import json
import os
import subprocess
import tempfile
import unittest

import servers

D1 = "sha256:" + "1" * 64
D2 = "sha256:" + "2" * 64
D3 = "sha256:" + "3" * 64
POLICY = json.dumps({"rules": [{"rulePriority": 1, "description": "keep the five newest images of this repo",
                                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                                              "countNumber": 5}, "action": {"type": "expire"}}]})
INDEX = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": D3, "size": 5}]})

SEED = {
    "registryId": "123456789012",
    "repositories": [{
        "repositoryName": "team/app",
        "createdAt": "2023-01-01T00:00:00Z",
        "lifecyclePolicyText": POLICY,
        "imageDetails": [
            {"imageDigest": D1, "imageTags": ["v1", "latest"], "imagePushedAt": 1700000000.5,
             "imageSizeInBytes": 1234, "lastRecordedPullTime": "2024-02-01T12:00:00Z", "imageStatus": "ACTIVE",
             "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "artifactMediaType": "application/vnd.docker.container.image.v1+json"},
            {"imageDigest": D2, "imagePushedAt": "2023-06-01T00:00:00Z", "imageSizeInBytes": 99,
             "imageStatus": "ARCHIVED", "lastArchivedAt": 1710000000, "lastActivatedAt": None},
            {"imageDigest": D3, "imagePushedAt": 1690000000, "imageSizeInBytes": 500,
             "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"},
            {"imageManifest": INDEX, "imageTags": ["multi"], "imagePushedAt": 1690000001},
        ]}]}


class TestSeedAndAdmin(unittest.TestCase):
    def setUp(self):
        self.server = servers.start_emulator(self, seed=SEED)
        self.ecr = servers.boto3_client(self.server.endpoint)

    def details(self):
        # imageStatus ANY: without it DescribeImages lists ACTIVE images only, and D2 is archived.
        return {d["imageDigest"]: d for d in
                self.ecr.describe_images(repositoryName="team/app", filter={"imageStatus": "ANY"})["imageDetails"]}

    def test_seeded_history_is_served(self):
        d = self.details()
        self.assertEqual(len(d), 4)
        self.assertEqual(d[D1]["imagePushedAt"].timestamp(), 1700000000.5)
        self.assertEqual(d[D1]["lastRecordedPullTime"].isoformat(), "2024-02-01T12:00:00+00:00")
        self.assertEqual(sorted(d[D1]["imageTags"]), ["latest", "v1"])
        self.assertEqual(d[D2]["imagePushedAt"].isoformat(), "2023-06-01T00:00:00+00:00")
        self.assertNotIn("imageTags", d[D2])
        self.assertNotIn("lastRecordedPullTime", d[D2])
        policy = self.ecr.get_lifecycle_policy(repositoryName="team/app")["lifecyclePolicyText"]
        self.assertEqual(json.loads(policy), json.loads(POLICY))

    def test_raw_wire_fields(self):
        # boto3 hides members its model lacks; read the wire JSON for the newer fields.
        import urllib.request
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        body = json.dumps({"repositoryName": "team/app", "imageIds": [{"imageDigest": D2}]})
        req = botocore.awsrequest.AWSRequest(method="POST", url=self.server.endpoint + "/", data=body, headers={
            "X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.DescribeImages",
            "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(servers.ACCESS_KEY, servers.SECRET_KEY),
                                "ecr", "us-east-1").add_auth(req)
        prepared = req.prepare()
        raw = urllib.request.urlopen(urllib.request.Request(prepared.url, data=body.encode(),
                                                            headers=dict(prepared.headers), method="POST"))
        self.assertEqual(raw.headers["Content-Type"], "application/x-amz-json-1.1")
        self.assertTrue(raw.headers["x-amzn-RequestId"])
        detail = json.loads(raw.read())["imageDetails"][0]
        self.assertEqual(detail["imageStatus"], "ARCHIVED")
        self.assertEqual(detail["lastArchivedAt"], 1710000000)
        self.assertIsInstance(detail["imagePushedAt"], (int, float))

    def test_seeded_index_protects_its_child_and_takes_its_size(self):
        index_digest = [k for k, v in self.details().items() if v.get("imageTags") == ["multi"]][0]
        self.assertEqual(self.details()[index_digest]["imageSizeInBytes"], 500)
        out = self.ecr.batch_delete_image(repositoryName="team/app", imageIds=[{"imageDigest": D3}])
        self.assertEqual(out["failures"][0]["failureCode"], "ImageReferencedByManifestList")
        got = self.ecr.batch_get_image(repositoryName="team/app", imageIds=[{"imageTag": "multi"}])
        self.assertEqual(got["images"][0]["imageManifest"], INDEX)

    def test_synthetic_manifest_for_seeded_image(self):
        got = self.ecr.batch_get_image(repositoryName="team/app", imageIds=[{"imageDigest": D1}])["images"][0]
        manifest = json.loads(got["imageManifest"])
        self.assertEqual(manifest["schemaVersion"], 2)
        self.assertEqual(manifest["mediaType"], "application/vnd.docker.distribution.manifest.v2+json")
        self.assertEqual(manifest["layers"][0]["size"], 1234)

    def test_admin_retag_is_visible_through_the_api(self):
        self.server.admin("POST", "/_emulator/tag", {"repositoryName": "team/app", "imageDigest": D2,
                                                     "imageTag": "latest"})
        d = self.details()
        self.assertEqual(d[D1]["imageTags"], ["v1"])
        self.assertEqual(d[D2]["imageTags"], ["latest"])
        self.server.admin("POST", "/_emulator/untag", {"repositoryName": "team/app", "imageTag": "latest"})
        self.assertNotIn("imageTags", self.details()[D2])
        with self.assertRaises(servers.ServerError):
            self.server.admin("POST", "/_emulator/tag", {"repositoryName": "team/app", "imageDigest": "sha256:00",
                                                         "imageTag": "x"})

    def test_admin_push_merges_images_with_history(self):
        d4 = "sha256:" + "4" * 64
        self.server.admin("POST", "/_emulator/images", {"repositories": [
            {"repositoryName": "team/app", "imageDetails": [
                {"imageDigest": d4, "imageTags": ["v1"], "imagePushedAt": "2020-01-01T00:00:00Z"}]},
            {"repositoryName": "team/new", "imageDetails": []}]})
        d = self.details()
        self.assertEqual(len(d), 5)
        self.assertEqual(d[d4]["imageTags"], ["v1"])  # the tag moved from D1
        self.assertEqual(d[D1]["imageTags"], ["latest"])
        self.assertEqual(d[d4]["imagePushedAt"].year, 2020)
        names = [r["repositoryName"] for r in self.ecr.describe_repositories()["repositories"]]
        self.assertEqual(sorted(names), ["team/app", "team/new"])

    def test_state_dump_round_trips_through_a_seed(self):
        dump = self.server.admin("GET", "/_emulator/state")
        self.assertEqual(dump["repositories"][0]["lifecyclePolicyText"], POLICY)
        manifests = [d.get("imageManifest") for d in dump["repositories"][0]["imageDetails"]]
        self.assertIn(INDEX, manifests)
        again = servers.start_emulator(self, seed=dump)
        self.assertEqual(again.admin("GET", "/_emulator/state"), dump)

    def test_replace_state(self):
        self.server.admin("PUT", "/_emulator/state", {"repositories": [{"repositoryName": "only/one"}]})
        names = [r["repositoryName"] for r in self.ecr.describe_repositories()["repositories"]]
        self.assertEqual(names, ["only/one"])
        with self.assertRaises(servers.ServerError) as ctx:
            self.server.admin("PUT", "/_emulator/state", {"repositories": [{"repositoryName": "BAD NAME"}]})
        self.assertIn("repositories[0].repositoryName", str(ctx.exception))

    def test_counters_count_and_reset(self):
        self.server.admin("POST", "/_emulator/counters/reset")
        self.ecr.describe_images(repositoryName="team/app")
        self.ecr.describe_images(repositoryName="team/app")
        with self.assertRaises(Exception):
            self.ecr.list_images(repositoryName="no/such")
        c = self.server.admin("GET", "/_emulator/counters")
        self.assertEqual(c["operations"]["DescribeImages"]["calls"], 2)
        self.assertEqual(c["operations"]["ListImages"]["errors"], 1)
        self.assertEqual(c["total"], 3)
        self.server.admin("POST", "/_emulator/counters/reset")
        self.assertEqual(self.server.admin("GET", "/_emulator/counters"), {"operations": {}, "total": 0})


class TestStartup(unittest.TestCase):
    def test_bad_seed_is_a_clear_startup_error(self):
        binary = servers.emulator_binary()
        if not os.access(binary, os.X_OK):
            self.fail(f"ecr-emulator binary not found at {binary}")
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump({"repositories": [{"repositoryName": "ok", "imageDetails": [{"imagePushedAt": 1}]}]}, f)
            f.flush()
            proc = subprocess.run([binary, "--seed", f.name], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("repositories[0].imageDetails[0].imageDigest: required", proc.stderr)

    def test_region_and_account_flags(self):
        server = servers.start_emulator(self, "--region", "eu-west-1", "--account-id", "000011112222")
        import boto3
        ecr = boto3.client("ecr", endpoint_url=server.endpoint, region_name="eu-west-1",
                           aws_access_key_id=servers.ACCESS_KEY, aws_secret_access_key=servers.SECRET_KEY)
        repo = ecr.create_repository(repositoryName="x/y")["repository"]
        self.assertEqual(repo["repositoryArn"], "arn:aws:ecr:eu-west-1:000011112222:repository/x/y")
        self.assertEqual(ecr.describe_registry()["registryId"], "000011112222")


if __name__ == "__main__":
    unittest.main()
