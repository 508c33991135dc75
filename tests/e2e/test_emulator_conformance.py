"""Conformance of ecr-emulator with the ECR API, judged by boto3 and the real AWS CLI v2.

Every case in ConformanceCases runs twice: against ecr-emulator (TestEmulatorConformance) and
against moto_server (TestMotoConformance), with the same assertions, so both servers must give the
same observable results. moto implements only part of ECR; the cases it cannot pass are listed in
MOTO_LACKS with the reason, and are skipped for moto only. Emulator-only features (faults,
signature checking, admin endpoint, seeding) are in test_emulator_faults.py / test_emulator_admin.py.
"""
import base64
import hashlib
import json
import unittest
import uuid

import botocore.exceptions

import servers

# What moto_server (5.x) does not implement, so these cases run against the emulator only.
MOTO_LACKS = {
    "test_pagination_boto3_paginator": "moto ignores maxResults/nextToken (no pagination)",
    "test_pagination_cli_max_items_and_page_size": "moto ignores maxResults/nextToken (no pagination)",
    "test_max_results_and_token_validation": "moto does not validate maxResults, nextToken or imageIds+maxResults",
    "test_list_images_filter_tag_status": "moto ignores filter.tagStatus on ListImages",
    "test_index_children_not_deletable": "moto has no ImageReferencedByManifestList protection",
    "test_batch_delete_rejects_more_than_100": "moto accepts more than 100 imageIds",
    "test_invalid_lifecycle_policy_rejected": "moto does not validate lifecycle policy documents",
    "test_invalid_repository_name_rejected": "moto does not validate repository names",
    "test_batch_delete_invalid_digest": "moto does not report InvalidImageDigest",
    "test_put_image_digest_and_byte_exact_batch_get": "moto digests a re-serialised manifest, not the sent bytes",
    "test_describe_images_filter_and_image_ids": "moto ignores filter.tagStatus on DescribeImages",
    "test_batch_delete_per_item_failures": "moto leaves the untagged image deleted by digest out of imageIds",
}

DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"

POLICY = json.dumps({"rules": [
    {"rulePriority": 1, "description": "expire untagged images older than 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 14},
     "action": {"type": "expire"}}]})
# Valid JSON and long enough, but "tagged" needs tagPrefixList or tagPatternList.
INVALID_POLICY = json.dumps({"rules": [
    {"rulePriority": 1, "description": "tagged rule without any tag prefix or pattern list at all",
     "selection": {"tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 3},
     "action": {"type": "expire"}}]})


def manifest(seed, layer_size=1000):
    """A Docker v2 manifest unique to `seed`, with deliberately odd spacing (digest is over bytes)."""
    config = "sha256:" + hashlib.sha256(f"config-{seed}".encode()).hexdigest()
    layer = "sha256:" + hashlib.sha256(f"layer-{seed}".encode()).hexdigest()
    return ('{"schemaVersion": 2,  "mediaType": "%s",\n "config": {"mediaType": '
            '"application/vnd.docker.container.image.v1+json", "size": 100, "digest": "%s"},\n'
            ' "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": %d, '
            '"digest": "%s"}]}' % (DOCKER_V2, config, layer_size, layer))


def digest_of(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class ConformanceCases:
    """Mixin: subclasses provide start_server()."""
    server = None

    def setUp(self):
        if self.server_kind == "moto" and self._testMethodName in MOTO_LACKS:
            self.skipTest("moto lacks this: " + MOTO_LACKS[self._testMethodName])
        self.server = self.start_server()
        self.ecr = servers.boto3_client(self.server.endpoint)
        self.repo = "conf/" + uuid.uuid4().hex[:8]
        self.ecr.create_repository(repositoryName=self.repo)

    # --- helpers ---
    def put(self, seed, tag=None, repo=None):
        kwargs = {"repositoryName": repo or self.repo, "imageManifest": manifest(seed)}
        if tag:
            kwargs["imageTag"] = tag
        return self.ecr.put_image(**kwargs)["image"]["imageId"]["imageDigest"]

    def assert_error(self, code, call, *args, status=400, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call(*args, **kwargs)
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def cli(self, *args):
        return servers.aws_cli(self.server.endpoint, *args, testcase=self)

    def cli_json(self, *args):
        proc = self.cli(*args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def all_list_rows(self, **filter_kwargs):
        rows, kwargs = [], dict(repositoryName=self.repo, **filter_kwargs)
        for page in self.ecr.get_paginator("list_images").paginate(**kwargs):
            rows += page["imageIds"]
        return rows

    # --- repositories ---
    def test_repository_create_describe_delete(self):
        self.assert_error("RepositoryAlreadyExistsException", self.ecr.create_repository, repositoryName=self.repo)
        repos = self.ecr.describe_repositories(repositoryNames=[self.repo])["repositories"]
        self.assertEqual([r["repositoryName"] for r in repos], [self.repo])
        self.assertEqual(repos[0]["repositoryArn"], f"arn:aws:ecr:us-east-1:123456789012:repository/{self.repo}")
        self.assertEqual(repos[0]["registryId"], "123456789012")
        self.assertEqual(repos[0]["imageTagMutability"], "MUTABLE")
        self.assert_error("RepositoryNotFoundException", self.ecr.describe_repositories, repositoryNames=["no/such"])
        self.put("a", "v1")
        self.assert_error("RepositoryNotEmptyException", self.ecr.delete_repository, repositoryName=self.repo)
        deleted = self.ecr.delete_repository(repositoryName=self.repo, force=True)["repository"]
        self.assertEqual(deleted["repositoryName"], self.repo)
        self.assert_error("RepositoryNotFoundException", self.ecr.describe_images, repositoryName=self.repo)
        self.assert_error("RepositoryNotFoundException", self.ecr.delete_repository, repositoryName=self.repo)

    def test_repository_via_cli(self):
        out = self.cli_json("ecr", "describe-repositories", "--repository-names", self.repo)
        self.assertEqual(out["repositories"][0]["repositoryName"], self.repo)
        proc = self.cli("ecr", "describe-images", "--repository-name", "no/such-repo")
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assertIn("An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation",
                      proc.stderr)

    def test_invalid_repository_name_rejected(self):
        self.assert_error("InvalidParameterException", self.ecr.create_repository, repositoryName="Upper/Case")
        self.assert_error("InvalidParameterException", self.ecr.create_repository, repositoryName="bad--/x")

    def test_list_tags_and_describe_registry(self):
        name = self.repo + "-tagged"
        self.ecr.create_repository(repositoryName=name, tags=[{"Key": "team", "Value": "core"}])
        arn = self.ecr.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryArn"]
        self.assertEqual(self.ecr.list_tags_for_resource(resourceArn=arn)["tags"], [{"Key": "team", "Value": "core"}])
        self.assertEqual(self.ecr.describe_registry()["registryId"], "123456789012")

    def test_get_authorization_token(self):
        data = self.ecr.get_authorization_token()["authorizationData"][0]
        user, password = base64.b64decode(data["authorizationToken"]).decode().split(":")
        self.assertEqual(user, "AWS")
        self.assertTrue(password)
        self.assertTrue(data["proxyEndpoint"].startswith("https://123456789012.dkr.ecr.us-east-1.amazonaws.com"))
        proc = self.cli("ecr", "get-login-password")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.strip())

    # --- PutImage / BatchGetImage ---
    def test_put_image_digest_and_byte_exact_batch_get(self):
        body = manifest("exact", layer_size=4242)
        image = self.ecr.put_image(repositoryName=self.repo, imageManifest=body, imageTag="v1")["image"]
        self.assertEqual(image["imageId"], {"imageDigest": digest_of(body), "imageTag": "v1"})
        got = self.ecr.batch_get_image(repositoryName=self.repo, imageIds=[{"imageTag": "v1"}],
                                       acceptedMediaTypes=[DOCKER_V2])
        self.assertEqual(got["failures"], [])
        self.assertEqual(got["images"][0]["imageManifest"], body)
        self.assertEqual(got["images"][0]["imageId"]["imageDigest"], digest_of(body))
        missing = self.ecr.batch_get_image(repositoryName=self.repo, imageIds=[{"imageTag": "nope"}])
        self.assertEqual(missing["images"], [])
        self.assertEqual(missing["failures"][0]["failureCode"], "ImageNotFound")
        detail = self.ecr.describe_images(repositoryName=self.repo)["imageDetails"][0]
        self.assertEqual(detail["imageDigest"], digest_of(body))
        self.assertEqual(detail["imageTags"], ["v1"])
        self.assertEqual(detail["imageManifestMediaType"], DOCKER_V2)

    def test_put_image_already_exists_and_retag(self):
        digest = self.put("same", "v1")
        self.assert_error("ImageAlreadyExistsException", self.ecr.put_image, repositoryName=self.repo,
                          imageManifest=manifest("same"), imageTag="v1")
        self.assertEqual(self.put("same", "v2"), digest)  # same bytes, new tag: a retag
        detail = self.ecr.describe_images(repositoryName=self.repo)["imageDetails"]
        self.assertEqual(len(detail), 1)
        self.assertEqual(sorted(detail[0]["imageTags"]), ["v1", "v2"])
        # Moving a tag to another image takes it off the first one.
        other = self.put("other", "v2")
        tags = {d["imageDigest"]: sorted(d.get("imageTags", [])) for d in
                self.ecr.describe_images(repositoryName=self.repo)["imageDetails"]}
        self.assertEqual(tags, {digest: ["v1"], other: ["v2"]})

    # --- ListImages / DescribeImages ---
    def test_list_images_one_row_per_tag(self):
        multi = self.put("multi", "a")
        self.put("multi", "b")
        untagged = self.put("untagged")
        rows = self.all_list_rows()
        self.assertEqual(sorted((r["imageDigest"], r.get("imageTag")) for r in rows),
                         sorted([(multi, "a"), (multi, "b"), (untagged, None)]))

    def test_list_images_filter_tag_status(self):
        multi = self.put("multi", "a")
        self.put("multi", "b")
        untagged = self.put("untagged")
        tagged_rows = self.all_list_rows(filter={"tagStatus": "TAGGED"})
        self.assertEqual(sorted(r["imageTag"] for r in tagged_rows), ["a", "b"])
        self.assertEqual([r["imageDigest"] for r in self.all_list_rows(filter={"tagStatus": "UNTAGGED"})], [untagged])
        self.assertEqual(len(self.all_list_rows(filter={"tagStatus": "ANY"})), 3)
        self.assertIn(multi, [r["imageDigest"] for r in tagged_rows])

    def test_describe_images_filter_and_image_ids(self):
        tagged = self.put("t", "v1")
        untagged = self.put("u")
        by = lambda f: sorted(d["imageDigest"] for d in
                              self.ecr.describe_images(repositoryName=self.repo, filter={"tagStatus": f})["imageDetails"])
        self.assertEqual(by("TAGGED"), [tagged])
        self.assertEqual(by("UNTAGGED"), [untagged])
        self.assertEqual(by("ANY"), sorted([tagged, untagged]))
        details = self.ecr.describe_images(repositoryName=self.repo, imageIds=[{"imageTag": "v1"}])["imageDetails"]
        self.assertEqual([d["imageDigest"] for d in details], [tagged])
        self.assertNotIn("imageTags", self.ecr.describe_images(
            repositoryName=self.repo, imageIds=[{"imageDigest": untagged}])["imageDetails"][0])
        self.assert_error("ImageNotFoundException", self.ecr.describe_images, repositoryName=self.repo,
                          imageIds=[{"imageTag": "v1"}, {"imageTag": "missing"}])

    def test_pagination_boto3_paginator(self):
        digests = {self.put(f"p{i}", f"t{i}") for i in range(25)}
        pages = list(self.ecr.get_paginator("describe_images").paginate(
            repositoryName=self.repo, PaginationConfig={"PageSize": 10}))
        self.assertEqual([len(p["imageDetails"]) for p in pages], [10, 10, 5])
        tokens = [p.get("nextToken") for p in pages]
        self.assertEqual(len(set(tokens[:2])), 2)
        self.assertIsNone(tokens[2])
        self.assertEqual({d["imageDigest"] for p in pages for d in p["imageDetails"]}, digests)
        rows = [r for p in self.ecr.get_paginator("list_images").paginate(
            repositoryName=self.repo, PaginationConfig={"PageSize": 7}) for r in p["imageIds"]]
        self.assertEqual(len(rows), 25)
        repos = [r for p in self.ecr.get_paginator("describe_repositories").paginate(
            PaginationConfig={"PageSize": 1}) for r in p["repositories"]]
        self.assertIn(self.repo, [r["repositoryName"] for r in repos])

    def test_pagination_cli_max_items_and_page_size(self):
        for i in range(12):
            self.put(f"c{i}", f"t{i}")
        first = self.cli_json("ecr", "describe-images", "--repository-name", self.repo, "--max-items", "5",
                              "--page-size", "2")
        self.assertEqual(len(first["imageDetails"]), 5)
        self.assertIn("NextToken", first)
        rest = self.cli_json("ecr", "describe-images", "--repository-name", self.repo, "--starting-token",
                             first["NextToken"], "--page-size", "2")
        self.assertEqual(len(rest["imageDetails"]), 7)
        self.assertNotIn("NextToken", rest)
        seen = [d["imageDigest"] for d in first["imageDetails"] + rest["imageDetails"]]
        self.assertEqual(len(set(seen)), 12)
        rows = self.cli_json("ecr", "list-images", "--repository-name", self.repo, "--page-size", "5")
        self.assertEqual(len(rows["imageIds"]), 12)
        one = self.cli_json("ecr", "list-images", "--repository-name", self.repo, "--no-paginate", "--max-results", "3")
        self.assertEqual(len(one["imageIds"]), 3)
        self.assertIn("nextToken", one)

    def test_max_results_and_token_validation(self):
        self.put("x", "v1")
        self.assert_error("InvalidParameterException", self.ecr.describe_images, repositoryName=self.repo,
                          maxResults=1001)
        self.assert_error("InvalidParameterException", self.ecr.list_images, repositoryName=self.repo,
                          maxResults=5000)
        self.assert_error("InvalidParameterException", self.ecr.describe_images, repositoryName=self.repo,
                          nextToken="garbage!")
        self.assert_error("InvalidParameterException", self.ecr.describe_images, repositoryName=self.repo,
                          imageIds=[{"imageTag": "v1"}], maxResults=10)
        self.assert_error("InvalidParameterException", self.ecr.describe_repositories, repositoryNames=[self.repo],
                          maxResults=10)
        self.assertEqual(len(self.ecr.describe_images(repositoryName=self.repo, maxResults=1000)["imageDetails"]), 1)

    # --- BatchDeleteImage ---
    def test_batch_delete_per_item_failures(self):
        tagged = self.put("d1", "v1")
        untagged = self.put("d2")
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[
            {"imageTag": "v1"}, {"imageDigest": untagged}, {"imageTag": "no-such-tag"}])
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(sorted(json.dumps(i, sort_keys=True) for i in out["imageIds"]),
                         sorted(json.dumps(i, sort_keys=True) for i in [
                             {"imageDigest": tagged, "imageTag": "v1"}, {"imageDigest": untagged}]))
        self.assertEqual(out["failures"], [{"imageId": {"imageTag": "no-such-tag"}, "failureCode": "ImageNotFound",
                                            "failureReason": "Requested image not found"}])
        self.assertEqual(self.ecr.describe_images(repositoryName=self.repo)["imageDetails"], [])
        again = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageDigest": untagged}])
        self.assertEqual(again["failures"][0]["failureCode"], "ImageNotFound")

    def test_batch_delete_invalid_digest(self):
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageDigest": "not a digest"}])
        self.assertEqual(out["failures"][0]["failureCode"], "InvalidImageDigest")

    def test_batch_delete_rejects_more_than_100(self):
        ids = [{"imageDigest": digest_of(str(i))} for i in range(101)]
        self.assert_error("InvalidParameterException", self.ecr.batch_delete_image, repositoryName=self.repo,
                          imageIds=ids)
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=ids[:100])
        self.assertEqual(len(out["failures"]), 100)

    def test_tag_only_deletion_on_multi_tag_image(self):
        digest = self.put("m", "a")
        self.put("m", "b")
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageTag": "a"}])
        self.assertEqual(out["imageIds"], [{"imageDigest": digest, "imageTag": "a"}])
        details = self.ecr.describe_images(repositoryName=self.repo)["imageDetails"]
        self.assertEqual([(d["imageDigest"], d["imageTags"]) for d in details], [(digest, ["b"])])
        self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageTag": "b"}])
        self.assertEqual(self.ecr.describe_images(repositoryName=self.repo)["imageDetails"], [])

    def test_batch_delete_via_cli(self):
        self.put("cli", "v1")
        out = self.cli_json("ecr", "batch-delete-image", "--repository-name", self.repo, "--image-ids",
                            "imageTag=v1", "imageTag=gone")
        self.assertEqual(len(out["imageIds"]), 1)
        self.assertEqual(out["failures"][0]["failureCode"], "ImageNotFound")

    def test_index_children_not_deletable(self):
        children = [self.put("child-a"), self.put("child-b")]
        index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": 10} for d in children]})
        index_digest = self.ecr.put_image(repositoryName=self.repo, imageManifest=index, imageTag="multi",
                                          imageManifestMediaType=OCI_INDEX)["image"]["imageId"]["imageDigest"]
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageDigest": children[0]}])
        self.assertEqual(out["failures"][0]["failureCode"], "ImageReferencedByManifestList")
        # Index and child in one call: the child is still referenced while the call runs.
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[
            {"imageDigest": index_digest}, {"imageDigest": children[1]}])
        self.assertEqual([i["imageDigest"] for i in out["imageIds"]], [index_digest])
        self.assertEqual(out["failures"][0]["failureCode"], "ImageReferencedByManifestList")
        out = self.ecr.batch_delete_image(repositoryName=self.repo, imageIds=[{"imageDigest": d} for d in children])
        self.assertEqual(out["failures"], [])
        self.assertEqual(len(out["imageIds"]), 2)

    # --- lifecycle policies ---
    def test_lifecycle_policy_get_put_delete(self):
        self.assert_error("LifecyclePolicyNotFoundException", self.ecr.get_lifecycle_policy, repositoryName=self.repo)
        put = self.ecr.put_lifecycle_policy(repositoryName=self.repo, lifecyclePolicyText=POLICY)
        self.assertEqual(put["repositoryName"], self.repo)
        got = self.ecr.get_lifecycle_policy(repositoryName=self.repo)
        self.assertEqual(json.loads(got["lifecyclePolicyText"]), json.loads(POLICY))
        cli = self.cli_json("ecr", "get-lifecycle-policy", "--repository-name", self.repo)
        self.assertEqual(json.loads(cli["lifecyclePolicyText"]), json.loads(POLICY))
        deleted = self.ecr.delete_lifecycle_policy(repositoryName=self.repo)
        self.assertEqual(json.loads(deleted["lifecyclePolicyText"]), json.loads(POLICY))
        self.assert_error("LifecyclePolicyNotFoundException", self.ecr.delete_lifecycle_policy, repositoryName=self.repo)
        self.assert_error("RepositoryNotFoundException", self.ecr.get_lifecycle_policy, repositoryName="no/such")

    def test_invalid_lifecycle_policy_rejected(self):
        err = self.assert_error("InvalidParameterException", self.ecr.put_lifecycle_policy, repositoryName=self.repo,
                                lifecyclePolicyText=INVALID_POLICY)
        self.assertIn("Lifecycle policy validation failure", err["Error"]["Message"])
        self.assert_error("InvalidParameterException", self.ecr.put_lifecycle_policy, repositoryName=self.repo,
                          lifecyclePolicyText="x" * 120)
        self.assert_error("LifecyclePolicyNotFoundException", self.ecr.get_lifecycle_policy, repositoryName=self.repo)


class TestEmulatorConformance(ConformanceCases, unittest.TestCase):
    server_kind = "emulator"

    @classmethod
    def setUpClass(cls):
        cls._server = servers.start_emulator()

    @classmethod
    def tearDownClass(cls):
        cls._server.stop()

    def start_server(self):
        return self._server


class TestMotoConformance(ConformanceCases, unittest.TestCase):
    server_kind = "moto"

    @classmethod
    def setUpClass(cls):
        cls._server = servers.start_moto()

    @classmethod
    def tearDownClass(cls):
        cls._server.stop()

    def start_server(self):
        return self._server


if __name__ == "__main__":
    unittest.main()
