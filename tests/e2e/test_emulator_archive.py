"""Conformance of ecr-emulator's newer ECR operations (issue 13), judged by boto3 and by the
pip-installed AWS CLI v1 (the `aws` on PATH: its model has them; Debian's /usr/bin/aws does not):
UpdateImageStorageClass (archive, restore through ACTIVATING, re-push), pull recording by
BatchGetImage and the pull-time update exclusions, ListImageReferrers, and STS GetCallerIdentity
for the base key and for assumed roles. moto implements none of these, so they run against the
emulator only. Behaviour and the choices where AWS is silent: docs/emulator.md.
"""
import base64
import datetime
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import boto3
import botocore.exceptions

import servers
from images import DOCKER_V2, manifest, sha

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/emulator"
REPO = "team/app"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
SIGNATURE_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json"
SBOM_CONFIG_TYPE = "application/spdx+json"


def signature_for(subject_body):
    """A cosign-style OCI 1.1 signature: artifactType, annotations, subject."""
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": SIGNATURE_TYPE,
                       "config": {"mediaType": "application/vnd.oci.empty.v1+json", "size": 2,
                                  "digest": sha("{}")},
                       "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "size": 250,
                                   "digest": sha("payload-" + subject_body)}],
                       "subject": {"mediaType": DOCKER_V2, "digest": sha(subject_body), "size": len(subject_body)},
                       "annotations": {"dev.sigstore.cosign/signature": "MEUCIQ-test"}})


def sbom_for(subject_body):
    """An SBOM without artifactType: its config media type stands for it (OCI referrers rule)."""
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                       "config": {"mediaType": SBOM_CONFIG_TYPE, "size": 5000, "digest": sha("sbom-" + subject_body)},
                       "layers": [],
                       "subject": {"mediaType": DOCKER_V2, "digest": sha(subject_body), "size": len(subject_body)}})


class EmulatorCase(unittest.TestCase):
    restore_delay_ms = None

    def setUp(self):
        args = [] if self.restore_delay_ms is None else ["--restore-delay-ms", str(self.restore_delay_ms)]
        self.server = servers.start_emulator(self, *args, seed={"repositories": [{"repositoryName": REPO}]})
        self.ecr = servers.boto3_client(self.server.endpoint)

    def put(self, body, tag=None, client=None):
        kwargs = {"repositoryName": REPO, "imageManifest": body}
        if tag:
            kwargs["imageTag"] = tag
        return (client or self.ecr).put_image(**kwargs)["image"]["imageId"]["imageDigest"]

    def assert_error(self, code, call, *args, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            call(*args, **kwargs)
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400, err)
        return err["Error"]["Message"]

    def detail(self, digest):
        return self.ecr.describe_images(repositoryName=REPO, imageIds=[{"imageDigest": digest}])["imageDetails"][0]

    def archive(self, image_id, target="ARCHIVE"):
        return self.ecr.update_image_storage_class(repositoryName=REPO, imageId=image_id, targetStorageClass=target)

    def pull(self, *ids, client=None):
        return (client or self.ecr).batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": d} for d in ids])

    def sts(self, **credentials):
        if not credentials:
            credentials = {"aws_access_key_id": servers.ACCESS_KEY, "aws_secret_access_key": servers.SECRET_KEY}
        return boto3.client("sts", endpoint_url=self.server.endpoint, region_name=servers.REGION, **credentials)

    def assume(self, role_arn, session="e2e"):
        creds = self.sts().assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
        return {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"]}

    def ecr_as(self, credentials):
        return boto3.client("ecr", endpoint_url=self.server.endpoint, region_name=servers.REGION, **credentials)


class ArchiveTest(EmulatorCase):
    def test_archived_image_is_listed_as_archived_only_and_cannot_be_pulled(self):
        body = manifest("a")
        digest = self.put(body, "v1")
        kept = self.put(manifest("b"), "v2")
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        out = self.archive({"imageTag": "v1"})
        self.assertEqual(out["imageStatus"], "ARCHIVED")
        self.assertEqual(out["imageId"], {"imageDigest": digest, "imageTag": "v1"})
        self.assertEqual((out["registryId"], out["repositoryName"]), (ACCOUNT, REPO))
        # Without a filter only ACTIVE images are listed (API reference, DescribeImagesFilter).
        listed = self.ecr.describe_images(repositoryName=REPO)["imageDetails"]
        self.assertEqual([d["imageDigest"] for d in listed], [kept])
        self.assertEqual([r["imageDigest"] for r in self.ecr.list_images(repositoryName=REPO)["imageIds"]], [kept])
        every = {d["imageDigest"]: d for d in
                 self.ecr.describe_images(repositoryName=REPO, filter={"imageStatus": "ANY"})["imageDetails"]}
        self.assertEqual(every[digest]["imageStatus"], "ARCHIVED")
        self.assertEqual(every[kept]["imageStatus"], "ACTIVE")
        self.assertGreaterEqual(every[digest]["lastArchivedAt"], before)
        self.assertNotIn("lastActivatedAt", every[digest])
        archived = self.ecr.list_images(repositoryName=REPO, filter={"imageStatus": "ARCHIVED"})["imageIds"]
        self.assertEqual(archived, [{"imageDigest": digest, "imageTag": "v1"}])
        self.assertEqual(self.detail(digest)["imageStatus"], "ARCHIVED")  # named: described whatever the status
        # "Archived images cannot be pulled" (user guide): a per-item failure, no manifest.
        got = self.ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "v1"}, {"imageDigest": kept}])
        self.assertEqual([i["imageId"]["imageDigest"] for i in got["images"]], [kept])
        self.assertEqual(got["failures"][0]["imageId"], {"imageTag": "v1"})
        self.assertEqual(got["failures"][0]["failureCode"], "ImageNotFound")
        self.assertIn("archived", got["failures"][0]["failureReason"])
        self.assertNotIn("lastRecordedPullTime", self.detail(digest))  # a refused pull is no pull
        message = self.assert_error("ImageStorageClassUpdateNotSupportedException", self.archive, {"imageDigest": digest})
        self.assertIn("already in the ARCHIVE storage class", message)

    def test_archived_image_can_be_deleted(self):
        digest = self.put(manifest("a"), "v1")
        self.archive({"imageDigest": digest})
        out = self.ecr.batch_delete_image(repositoryName=REPO, imageIds=[{"imageDigest": digest}])
        self.assertEqual(out["failures"], [])
        self.assertEqual(out["imageIds"], [{"imageDigest": digest, "imageTag": "v1"}])
        self.assertEqual(self.ecr.describe_images(repositoryName=REPO, filter={"imageStatus": "ANY"})["imageDetails"], [])

    def test_restore_without_delay_answers_activating_and_is_active_at_once(self):
        digest = self.put(manifest("a"), "v1")
        self.archive({"imageDigest": digest})
        restored = self.archive({"imageDigest": digest}, "STANDARD")
        self.assertEqual(restored["imageStatus"], "ACTIVATING")  # as the API reference's example answers
        detail = self.detail(digest)
        self.assertEqual(detail["imageStatus"], "ACTIVE")
        self.assertGreaterEqual(detail["lastActivatedAt"], detail["lastArchivedAt"])
        self.assertEqual(self.pull(digest)["failures"], [])

    def test_repush_restores_an_archived_image_at_once(self):
        body = manifest("a")
        digest = self.put(body, "v1")
        self.archive({"imageDigest": digest})
        self.assertEqual(self.put(body), digest)  # no ImageAlreadyExistsException: a re-push restores
        detail = self.detail(digest)
        self.assertEqual(detail["imageStatus"], "ACTIVE")
        self.assertIn("lastActivatedAt", detail)
        self.assertEqual(detail["imageTags"], ["v1"])
        self.assertEqual(self.pull(digest)["images"][0]["imageManifest"], body)
        self.assertEqual(self.put(body, "v2"), digest)  # now active again: a plain retag
        self.assert_error("ImageAlreadyExistsException", self.put, body, "v2")

    def test_update_image_storage_class_errors(self):
        digest = self.put(manifest("a"), "v1")
        message = self.assert_error("ImageStorageClassUpdateNotSupportedException", self.archive,
                                    {"imageDigest": digest}, "STANDARD")
        self.assertIn("already in the STANDARD storage class", message)
        self.assert_error("ImageNotFoundException", self.archive, {"imageTag": "nope"})
        self.assert_error("ImageNotFoundException", self.archive, {"imageDigest": sha("absent")})
        self.assert_error("ImageNotFoundException", self.archive, {"imageDigest": sha("absent"), "imageTag": "v1"})
        self.assert_error("InvalidParameterException", self.archive, {})
        self.assert_error("InvalidParameterException", self.archive, {"imageDigest": "not-a-digest"})
        self.assert_error("InvalidParameterException", self.archive, {"imageDigest": digest}, "GLACIER")
        self.assert_error("RepositoryNotFoundException", self.ecr.update_image_storage_class,
                          repositoryName="no/such", imageId={"imageDigest": digest}, targetStorageClass="ARCHIVE")
        counters = self.server.admin("GET", "/_emulator/counters")["operations"]["UpdateImageStorageClass"]
        self.assertEqual((counters["calls"], counters["errors"]), (8, 8))

    def test_archived_pull_failure_code_is_a_setting(self):
        digest = self.put(manifest("a"))
        self.archive({"imageDigest": digest})
        settings = self.server.admin("POST", "/_emulator/settings", {"archived_pull_failure_code": "ImageInaccessible"})
        self.assertEqual(settings, {"restore_delay_ms": 0, "archived_pull_failure_code": "ImageInaccessible"})
        self.assertEqual(self.pull(digest)["failures"][0]["failureCode"], "ImageInaccessible")
        with self.assertRaises(servers.ServerError) as bad:
            self.server.admin("POST", "/_emulator/settings", {"archived_pull_failure_code": "Nope",
                                                               "restore_delay_ms": 5})
        self.assertIn("archived_pull_failure_code", str(bad.exception))
        self.assertEqual(self.server.admin("GET", "/_emulator/settings")["restore_delay_ms"], 0)  # nothing changed

    def test_seeded_statuses(self):
        seed = {"repositories": [{"repositoryName": REPO, "imageDetails": [
            {"imageDigest": sha("x"), "imageStatus": "ACTIVATING", "lastArchivedAt": 1700000000},
            {"imageDigest": sha("y"), "imageStatus": "ARCHIVED"}]}]}
        server = servers.start_emulator(self, seed=seed)
        ecr = servers.boto3_client(server.endpoint)
        activating = ecr.describe_images(repositoryName=REPO, filter={"imageStatus": "ACTIVATING"})["imageDetails"]
        self.assertEqual([d["imageDigest"] for d in activating], [sha("x")])  # a seeded restore never completes
        got = ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageDigest": sha("x")}])
        self.assertIn("being restored", got["failures"][0]["failureReason"])
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            ecr.update_image_storage_class(repositoryName=REPO, imageId={"imageDigest": sha("x")},
                                           targetStorageClass="STANDARD")
        self.assertIn("already being restored", ctx.exception.response["Error"]["Message"])
        tmp = tempfile.mkdtemp(prefix="archive-test-")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        path = os.path.join(tmp, "bad.json")
        with open(path, "w") as f:
            json.dump({"repositories": [{"repositoryName": REPO, "imageDetails": [
                {"imageDigest": sha("z"), "imageStatus": "FROZEN"}]}]}, f)
        proc = subprocess.run([servers.emulator_binary(), "--seed", path], capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("repositories[0].imageDetails[0].imageStatus: 'FROZEN' is not an image status", proc.stderr)


class RestoreDelayTest(EmulatorCase):
    restore_delay_ms = 1500

    def test_restore_passes_through_activating(self):
        digest = self.put(manifest("a"), "v1")
        self.archive({"imageTag": "v1"})
        started = time.monotonic()
        self.assertEqual(self.archive({"imageTag": "v1"}, "STANDARD")["imageStatus"], "ACTIVATING")
        detail = self.detail(digest)
        self.assertEqual(detail["imageStatus"], "ACTIVATING")
        self.assertNotIn("lastActivatedAt", detail)
        listed = self.ecr.describe_images(repositoryName=REPO, filter={"imageStatus": "ACTIVATING"})["imageDetails"]
        self.assertEqual([d["imageDigest"] for d in listed], [digest])
        self.assertEqual(self.ecr.describe_images(repositoryName=REPO)["imageDetails"], [])
        # "the image remains in archive and cannot be pulled until the restore completes"
        self.assertIn("being restored", self.pull(digest)["failures"][0]["failureReason"])
        self.assert_error("ImageStorageClassUpdateNotSupportedException", self.archive, {"imageDigest": digest}, "STANDARD")
        self.assert_error("ImageStorageClassUpdateNotSupportedException", self.archive, {"imageDigest": digest})
        self.assertLess(time.monotonic() - started, 1.4, "the checks above must run inside the restore delay")
        time.sleep(1.6)
        detail = self.detail(digest)
        self.assertEqual(detail["imageStatus"], "ACTIVE")
        self.assertGreaterEqual(detail["lastActivatedAt"] - detail["lastArchivedAt"], datetime.timedelta(seconds=1.5))
        self.assertEqual(self.pull(digest)["failures"], [])
        # The delay is a setting too.
        self.server.admin("POST", "/_emulator/settings", {"restore_delay_ms": 0})
        self.archive({"imageDigest": digest})
        self.archive({"imageDigest": digest}, "STANDARD")
        self.assertEqual(self.detail(digest)["imageStatus"], "ACTIVE")


class PullTimeTest(EmulatorCase):
    def pulled_at(self, digest):
        return self.detail(digest).get("lastRecordedPullTime")

    def test_batch_get_image_records_the_pull_unless_the_caller_is_excluded(self):
        digest = self.put(manifest("a"), "v1")
        self.assertIsNone(self.pulled_at(digest))
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        self.ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "v1"}])
        first = self.pulled_at(digest)
        self.assertGreaterEqual(first, before)
        caller = self.sts().get_caller_identity()["Arn"]
        self.assertEqual(caller, USER_ARN)
        added = self.ecr.register_pull_time_update_exclusion(principalArn=caller)
        self.assertEqual(added["principalArn"], caller)
        self.assertGreaterEqual(added["createdAt"], before)
        time.sleep(0.05)
        self.pull(digest)
        self.assertEqual(self.pulled_at(digest), first)
        self.assertEqual(self.ecr.deregister_pull_time_update_exclusion(principalArn=caller)["principalArn"], caller)
        self.pull(digest)
        self.assertGreater(self.pulled_at(digest), first)

    def test_an_excluded_role_covers_its_sessions_only(self):
        digest = self.put(manifest("a"), "v1")
        scanner = self.ecr_as(self.assume(f"arn:aws:iam::{ACCOUNT}:role/security/scanner", "trivy"))
        deployer = self.ecr_as(self.assume(f"arn:aws:iam::{ACCOUNT}:role/deployer", "ci"))
        # The role's IAM ARN, path or not, names the role (IAM role names are unique in an account).
        self.ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:role/scanner")
        self.pull(digest, client=scanner)
        self.assertIsNone(self.pulled_at(digest))
        self.pull(digest, client=deployer)
        by_deployer = self.pulled_at(digest)
        self.assertIsNotNone(by_deployer)
        time.sleep(0.05)
        self.pull(digest, client=scanner)
        self.assertEqual(self.pulled_at(digest), by_deployer)
        # An exclusion of a user of the same name is not one of the role.
        self.ecr.deregister_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:role/scanner")
        self.ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:user/scanner")
        self.pull(digest, client=scanner)
        self.assertGreater(self.pulled_at(digest), by_deployer)

    def test_exclusion_errors_limit_and_pagination(self):
        role = f"arn:aws:iam::{ACCOUNT}:role/scanner"
        self.ecr.register_pull_time_update_exclusion(principalArn=role)
        self.assert_error("ExclusionAlreadyExistsException", self.ecr.register_pull_time_update_exclusion,
                          principalArn=role)
        self.assert_error("ExclusionNotFoundException", self.ecr.deregister_pull_time_update_exclusion,
                          principalArn=f"arn:aws:iam::{ACCOUNT}:role/other")
        for bad in [f"arn:aws:sts::{ACCOUNT}:assumed-role/scanner/s", "scanner", f"arn:aws:iam::{ACCOUNT}:group/g",
                    "arn:aws:iam::12345:role/r", f"arn:aws:iam::{ACCOUNT}:role/", f"arn:aws:iam::{ACCOUNT}:role/a//b",
                    f"arn:aws:iam::{ACCOUNT}:role/bad name", f"arn:aws:iam::{ACCOUNT}:role/" + "r" * 180]:
            message = self.assert_error("InvalidParameterException", self.ecr.register_pull_time_update_exclusion,
                                        principalArn=bad)
            self.assertIn("principalArn", message)
        self.ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws-us-gov:iam::{OTHER_ACCOUNT}:user/a/b.c@d")
        for i in range(98):
            self.ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:role/r{i:03d}")
        message = self.assert_error("LimitExceededException", self.ecr.register_pull_time_update_exclusion,
                                    principalArn=f"arn:aws:iam::{ACCOUNT}:role/one-too-many")
        self.assertIn("100", message)
        self.assertEqual(len(self.ecr.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"]), 100)
        pages, token = [], None
        while True:
            kwargs = {"maxResults": 30, **({"nextToken": token} if token else {})}
            page = self.ecr.list_pull_time_update_exclusions(**kwargs)
            pages.append(page["pullTimeUpdateExclusions"])
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual([len(p) for p in pages], [30, 30, 30, 10])
        flat = [arn for page in pages for arn in page]
        self.assertEqual(flat, sorted(flat))
        self.assertIn(role, flat)
        self.assert_error("InvalidParameterException", self.ecr.list_pull_time_update_exclusions, maxResults=1001)
        self.assert_error("InvalidParameterException", self.ecr.list_pull_time_update_exclusions, nextToken="forged")
        self.ecr.deregister_pull_time_update_exclusion(principalArn=role)
        self.ecr.register_pull_time_update_exclusion(principalArn=f"arn:aws:iam::{ACCOUNT}:role/one-more")


class ReferrersTest(EmulatorCase):
    def test_list_image_referrers(self):
        subject_body = manifest("subject")
        subject = self.put(subject_body, "v1")
        signature_body, sbom_body = signature_for(subject_body), sbom_for(subject_body)
        signature, sbom = self.put(signature_body), self.put(sbom_body)
        self.put(signature_for(manifest("unrelated")))
        self.put(manifest("unrelated"))
        got = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject})["referrers"]
        self.assertEqual(sorted(got, key=lambda r: r["digest"]), sorted([
            {"digest": signature, "mediaType": OCI_MANIFEST, "artifactType": SIGNATURE_TYPE,
             "size": len(signature_body), "annotations": {"dev.sigstore.cosign/signature": "MEUCIQ-test"},
             "artifactStatus": "ACTIVE"},
            {"digest": sbom, "mediaType": OCI_MANIFEST, "artifactType": SBOM_CONFIG_TYPE, "size": len(sbom_body),
             "artifactStatus": "ACTIVE"}], key=lambda r: r["digest"]))
        self.assertEqual(self.detail(signature)["subjectManifestDigest"], subject)
        typed = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject},
                                              filter={"artifactTypes": [SIGNATURE_TYPE]})["referrers"]
        self.assertEqual([r["digest"] for r in typed], [signature])
        # Status: ACTIVE only by default (API reference, ListImageReferrersFilter).
        self.archive({"imageDigest": signature})
        active = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject})["referrers"]
        self.assertEqual([r["digest"] for r in active], [sbom])
        every = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject},
                                              filter={"artifactStatus": "ANY"})["referrers"]
        self.assertEqual({r["digest"]: r["artifactStatus"] for r in every}, {signature: "ARCHIVED", sbom: "ACTIVE"})
        # Pages of one, with a token bound to the subject and filter.
        first = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject},
                                              filter={"artifactStatus": "ANY"}, maxResults=1)
        self.assertEqual(len(first["referrers"]), 1)
        second = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": subject},
                                               filter={"artifactStatus": "ANY"}, maxResults=1,
                                               nextToken=first["nextToken"])
        self.assertEqual(len(second["referrers"]), 1)
        self.assertNotIn("nextToken", second)
        self.assertEqual({first["referrers"][0]["digest"], second["referrers"][0]["digest"]}, {signature, sbom})
        self.assert_error("InvalidParameterException", self.ecr.list_image_referrers, repositoryName=REPO,
                          subjectId={"imageDigest": subject}, maxResults=1, nextToken=first["nextToken"])
        # An unknown subject has no referrers; malformed input is refused.
        none = self.ecr.list_image_referrers(repositoryName=REPO, subjectId={"imageDigest": sha("absent")})
        self.assertEqual(none["referrers"], [])
        self.assert_error("InvalidParameterException", self.ecr.list_image_referrers, repositoryName=REPO,
                          subjectId={"imageDigest": "nope"})
        self.assert_error("InvalidParameterException", self.ecr.list_image_referrers, repositoryName=REPO,
                          subjectId={"imageDigest": subject}, maxResults=51)
        self.assert_error("InvalidParameterException", self.ecr.list_image_referrers, repositoryName=REPO,
                          subjectId={"imageDigest": subject}, filter={"artifactTypes": ["t"] * 6})
        self.assert_error("RepositoryNotFoundException", self.ecr.list_image_referrers, repositoryName="no/such",
                          subjectId={"imageDigest": subject})


class CallerIdentityTest(EmulatorCase):
    def test_get_caller_identity_for_the_base_key_and_assumed_roles(self):
        me = self.sts().get_caller_identity()
        self.assertEqual((me["Account"], me["Arn"], me["UserId"]), (ACCOUNT, USER_ARN, "AIDA" + ACCOUNT))
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/team/cleaner"
        assumed = self.sts().assume_role(RoleArn=role_arn, RoleSessionName="nightly")
        creds = assumed["Credentials"]
        session = self.sts(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                           aws_session_token=creds["SessionToken"])
        who = session.get_caller_identity()
        self.assertEqual(who["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/cleaner/nightly")
        self.assertEqual(who["Arn"], assumed["AssumedRoleUser"]["Arn"])
        self.assertEqual(who["UserId"], assumed["AssumedRoleUser"]["AssumedRoleId"])
        self.assertRegex(who["UserId"], r"^AROA[0-9A-Z]{17}:nightly$")
        self.assertEqual(who["Account"], ACCOUNT)
        # STS is global: the keys of a role in another account work for STS here (not for ECR).
        other = self.assume(f"arn:aws:iam::{OTHER_ACCOUNT}:role/regsweep", "xa")
        self.assertEqual(self.sts(**other).get_caller_identity()["Arn"],
                         f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/regsweep/xa")
        self.assert_error("UnrecognizedClientException", self.ecr_as(other).describe_repositories)

    def test_session_token_names_the_role_and_cannot_be_altered(self):
        creds = self.assume(f"arn:aws:iam::{ACCOUNT}:role/reader", "s1")
        token = creds["aws_session_token"]
        prefix, rest = token.split("/", 1)
        payload, mac = rest.split(".")
        self.assertEqual(base64.b64decode(payload).decode(), f"arn:aws:iam::{ACCOUNT}:role/reader\ns1")
        forged_payload = base64.b64encode(f"arn:aws:iam::{ACCOUNT}:role/admin\ns1".encode()).decode()
        forged = dict(creds, aws_session_token=f"{prefix}/{forged_payload}.{mac}")
        self.assert_error("UnrecognizedClientException", self.ecr_as(forged).describe_repositories)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sts(**forged).get_caller_identity()
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidClientTokenId")
        self.assertEqual(self.ecr_as(creds).describe_repositories()["repositories"][0]["repositoryName"], REPO)


class CurrentCliTest(EmulatorCase):
    """The same operations through the pip-installed AWS CLI v1."""

    def cli(self, *args, env=None, ok=True):
        proc = servers.aws_cli_current(self.server.endpoint, *args, env=env, testcase=self)
        if ok:
            self.assertEqual(proc.returncode, 0, proc.stderr)
            return json.loads(proc.stdout) if proc.stdout.strip() else {}
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        return proc.stderr

    def test_archive_restore_pull_and_referrers(self):
        subject_body = manifest("cli")
        subject = self.put(subject_body, "v1")
        signature = self.put(signature_for(subject_body))
        out = self.cli("ecr", "update-image-storage-class", "--repository-name", REPO,
                       "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE")
        self.assertEqual((out["imageStatus"], out["imageId"]["imageDigest"]), ("ARCHIVED", subject))
        listed = self.cli("ecr", "describe-images", "--repository-name", REPO, "--filter", "imageStatus=ANY")
        details = {d["imageDigest"]: d for d in listed["imageDetails"]}
        self.assertEqual(details[subject]["imageStatus"], "ARCHIVED")
        self.assertIn("lastArchivedAt", details[subject])
        default = self.cli("ecr", "describe-images", "--repository-name", REPO)["imageDetails"]
        self.assertEqual([d["imageDigest"] for d in default], [signature])
        got = self.cli("ecr", "batch-get-image", "--repository-name", REPO, "--image-ids", "imageTag=v1")
        self.assertEqual((got["images"], got["failures"][0]["failureCode"]), ([], "ImageNotFound"))
        stderr = self.cli("ecr", "update-image-storage-class", "--repository-name", REPO, "--image-id",
                          f"imageDigest={subject}", "--target-storage-class", "ARCHIVE", ok=False)
        self.assertIn("An error occurred (ImageStorageClassUpdateNotSupportedException) when calling the "
                      "UpdateImageStorageClass operation", stderr)
        restored = self.cli("ecr", "update-image-storage-class", "--repository-name", REPO,
                            "--image-id", f"imageDigest={subject}", "--target-storage-class", "STANDARD")
        self.assertEqual(restored["imageStatus"], "ACTIVATING")
        detail = self.cli("ecr", "describe-images", "--repository-name", REPO, "--image-ids",
                          f"imageDigest={subject}")["imageDetails"][0]
        self.assertEqual(detail["imageStatus"], "ACTIVE")
        self.assertIn("lastActivatedAt", detail)
        pulled = self.cli("ecr", "batch-get-image", "--repository-name", REPO, "--image-ids", "imageTag=v1")
        self.assertEqual(pulled["images"][0]["imageManifest"], subject_body)
        self.assertIn("lastRecordedPullTime", self.detail(subject))
        referrers = self.cli("ecr", "list-image-referrers", "--repository-name", REPO,
                             "--subject-id", f"imageDigest={subject}")["referrers"]
        self.assertEqual([(r["digest"], r["artifactType"]) for r in referrers], [(signature, SIGNATURE_TYPE)])

    def test_exclusions_and_caller_identity(self):
        me = self.cli("sts", "get-caller-identity")
        self.assertEqual(me["Arn"], USER_ARN)
        assumed = self.cli("sts", "assume-role", "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/scanner",
                           "--role-session-name", "cli")
        creds = assumed["Credentials"]
        env = dict(servers.aws_env(), AWS_ACCESS_KEY_ID=creds["AccessKeyId"],
                   AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"], AWS_SESSION_TOKEN=creds["SessionToken"])
        who = self.cli("sts", "get-caller-identity", env=env)
        self.assertEqual(who["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/scanner/cli")
        role = f"arn:aws:iam::{ACCOUNT}:role/scanner"
        added = self.cli("ecr", "register-pull-time-update-exclusion", "--principal-arn", role)
        self.assertEqual(added["principalArn"], role)
        self.assertIn("createdAt", added)
        stderr = self.cli("ecr", "register-pull-time-update-exclusion", "--principal-arn", role, ok=False)
        self.assertIn("ExclusionAlreadyExistsException", stderr)
        listed = self.cli("ecr", "list-pull-time-update-exclusions")
        self.assertEqual(listed["pullTimeUpdateExclusions"], [role])
        digest = self.put(manifest("pulled"), "v1")
        self.cli("ecr", "batch-get-image", "--repository-name", REPO, "--image-ids", "imageTag=v1", env=env)
        self.assertNotIn("lastRecordedPullTime", self.detail(digest))
        self.cli("ecr", "batch-get-image", "--repository-name", REPO, "--image-ids", "imageTag=v1")
        self.assertIn("lastRecordedPullTime", self.detail(digest))
        removed = self.cli("ecr", "deregister-pull-time-update-exclusion", "--principal-arn", role)
        self.assertEqual(removed["principalArn"], role)
        stderr = self.cli("ecr", "deregister-pull-time-update-exclusion", "--principal-arn", role, ok=False)
        self.assertIn("ExclusionNotFoundException", stderr)
        stderr = self.cli("ecr", "register-pull-time-update-exclusion", "--principal-arn", "not-an-arn", ok=False)
        self.assertIn("InvalidParameterException", stderr)
        self.assertEqual(self.cli("ecr", "list-pull-time-update-exclusions")["pullTimeUpdateExclusions"], [])


if __name__ == "__main__":
    unittest.main()
