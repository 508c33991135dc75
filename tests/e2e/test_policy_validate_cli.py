"""E2E: `regsweep policy validate FILE...` exit codes and messages (the real binary)."""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

BIN = os.environ.get("REGSWEEP_BIN", "regsweep")
SOURCE = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))

VALID = {"rules": [{"rulePriority": 1, "description": "Expire images older than 14 days",
                    "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                  "countUnit": "days", "countNumber": 14},
                    "action": {"type": "expire"}}]}


class PolicyValidateCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = pathlib.Path(self.dir.name)
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text):
        path = self.tmp / name
        path.write_text(text)
        return str(path)

    def validate(self, *files):
        return subprocess.run([BIN, "policy", "validate", *files], capture_output=True, text=True, timeout=60)

    def test_every_bundled_example_policy_is_valid(self):
        files = sorted(str(p) for p in (SOURCE / "examples/policies").glob("*.json"))
        self.assertGreaterEqual(len(files), 4)
        result = self.validate(*files)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.count(": valid ("), len(files))

    def test_get_lifecycle_policy_wrapper_is_accepted(self):
        wrapped = json.dumps({"registryId": "123456789012", "repositoryName": "app",
                              "lifecyclePolicyText": json.dumps(VALID)})
        result = self.validate(self.write("wrapped.json", wrapped))
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_invalid_files_exit_2_and_every_error_is_printed(self):
        good = self.write("good.json", json.dumps(VALID, indent=2))
        bad1 = self.write("bad1.json", '{\n  "rules": [\n    {"rulePriority": 0, "selection": {"tagStatus": "tagged",'
                                       ' "countType": "imageCountMoreThan", "countNumber": 1},'
                                       ' "action": {"type": "expire"}}\n  ]\n}')
        bad2 = self.write("bad2.json", '{"rules": [], "extra": 1}')
        result = self.validate(good, bad1, bad2)
        self.assertEqual(result.returncode, 2)
        self.assertIn("good.json: valid (1 rule)", result.stdout)
        self.assertRegex(result.stderr, r"bad1\.json:3:\d+: rules\[0\]\.rulePriority")
        self.assertIn("rules[0].selection", result.stderr)  # tagged without a list: a second problem
        self.assertIn("bad2.json:", result.stderr)

    def test_unreadable_file_exits_2(self):
        result = self.validate(str(self.tmp / "missing.json"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("missing.json", result.stderr)

    def test_no_file_is_a_usage_error(self):
        self.assertEqual(self.validate().returncode, 2)


if __name__ == "__main__":
    unittest.main()
