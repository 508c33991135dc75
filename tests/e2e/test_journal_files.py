"""E2E (issue 11, item 8 and part of 10): regsweep writes only its own journal and lock files, and
reads only a journal file. Each case runs the real binary against the ECR emulator and reads the
registry back with boto3 (an independent client): when the journal or lock files are refused,
nothing is deleted, and the file a link points at is left byte for byte as it was."""
import hashlib
import json
import os
import pathlib
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

import servers

DAY = 86400
NOW = time.time()
REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
REPO = "journal/app"
POLICY = {"rules": [{"rulePriority": 1, "description": "untagged after 14 days",
                     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                   "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]}
VICTIM_TEXT = b"someone's file: not a journal, and no newline at its end"


def image(name, age_days, tags=()):
    detail = {"imageDigest": "sha256:" + hashlib.sha256(name.encode()).hexdigest(),
              "imagePushedAt": NOW - age_days * DAY, "imageSizeInBytes": 1_000_000,
              "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"}
    if tags:
        detail["imageTags"] = list(tags)
    return detail


class JournalFilesCase(unittest.TestCase):
    def setUp(self):
        if not os.access(REGSWEEP, os.X_OK):
            self.fail(f"regsweep binary not found at {REGSWEEP}; build it or set REGSWEEP_BIN")
        # Three untagged images the policy expires, and the release it keeps.
        self.release = image("release", 1, ["v1"])
        self.images = [image(f"junk{i}", 30 + i) for i in range(3)] + [self.release]
        self.server = servers.start_emulator(self, seed={"repositories": [
            {"repositoryName": REPO, "imageDetails": self.images}]})
        self.tmp = tempfile.mkdtemp(prefix="regsweep-journal-files-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.policy = os.path.join(self.tmp, "policy.json")
        pathlib.Path(self.policy).write_text(json.dumps(POLICY))
        self.victim = os.path.join(self.tmp, "victim.txt")
        pathlib.Path(self.victim).write_bytes(VICTIM_TEXT)

    def env(self):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["XDG_STATE_HOME"] = os.path.join(self.tmp, "state")
        return env

    def regsweep(self, *args):
        return subprocess.run([REGSWEEP, *args], env=self.env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)

    def apply(self, journal):
        return self.regsweep("apply", "--policy", self.policy, "--endpoint-url", self.server.endpoint,
                             "--journal", journal, "--yes", "--output", "json")

    def digests_left(self):
        ecr = servers.boto3_client(self.server.endpoint)
        pages = ecr.get_paginator("describe_images").paginate(repositoryName=REPO)
        return {d["imageDigest"] for page in pages for d in page["imageDetails"]}

    def assert_nothing_deleted(self):
        self.assertEqual(self.digests_left(), {i["imageDigest"] for i in self.images})

    def test_a_journal_that_is_a_symlink_is_refused_and_its_target_untouched(self):
        link = os.path.join(self.tmp, "journal.jsonl")
        os.symlink(self.victim, link)
        result = self.apply(link)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"journal {link}: is a symbolic link", result.stderr)
        self.assert_nothing_deleted()
        self.assertEqual(pathlib.Path(self.victim).read_bytes(), VICTIM_TEXT)
        self.assertTrue(os.path.islink(link))

    def test_a_device_as_the_journal_is_refused(self):
        # /dev/null used to be accepted: every record "written", none kept, the images deleted.
        # As root a private node, so that no regression can change the machine's /dev/null.
        device = "/dev/null"
        if os.geteuid() == 0:
            device = os.path.join(self.tmp, "null")
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        result = self.apply(device)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"journal {device}: is a character device", result.stderr)
        self.assert_nothing_deleted()

    def test_a_lock_directory_that_is_a_symlink_deletes_nothing(self):
        # The locks would be created wherever the link points; the repository is skipped instead.
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.makedirs(elsewhere)
        os.makedirs(os.path.join(self.tmp, "state", "regsweep"), mode=0o700)
        os.symlink(elsewhere, os.path.join(self.tmp, "state", "regsweep", "locks"))
        result = self.apply(os.path.join(self.tmp, "journal.jsonl"))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("LockUnavailable", result.stdout + result.stderr)
        self.assert_nothing_deleted()
        self.assertEqual(os.listdir(elsewhere), [])

    def test_the_journal_made_world_readable_is_private_again(self):
        journal = os.path.join(self.tmp, "journal.jsonl")
        pathlib.Path(journal).write_text("")
        os.chmod(journal, 0o644)
        result = self.apply(journal)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(os.stat(journal).st_mode & 0o777, 0o600)
        self.assertEqual(self.digests_left(), {self.release["imageDigest"]})  # it did delete

    def test_journal_show_of_a_directory_exits_2_naming_the_flag(self):
        result = self.regsweep("journal", "show", "--journal", self.tmp, "--output", "json")
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn(f"--journal {self.tmp}: is a directory", result.stderr)
        self.assertEqual(result.stdout, "")
        # A missing journal is still "nothing journaled yet", not an error.
        missing = self.regsweep("journal", "show", "--journal", os.path.join(self.tmp, "none.jsonl"),
                                "--output", "json")
        self.assertEqual(missing.returncode, 0, missing.stderr)
        self.assertIn("no journal at", missing.stderr)


if __name__ == "__main__":
    unittest.main()
