"""E2E: `regsweep completion bash|zsh|fish` scripts complete what the binary accepts, in the real
shells (bash always; zsh and fish when installed, as `make package` installs them), and
`regsweep --version` names the version, the commit and the build type."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("REGSWEEP_BIN", "regsweep")
SOURCE = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kwargs)


def help_subcommands(*path):
    """The subcommands `regsweep PATH --help` lists: the truth the completion must match."""
    text = run(BIN, *path, "--help").stdout
    if "\nSubcommands:\n" not in text:
        return []
    lines = text.split("\nSubcommands:\n", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.startswith("  ") and line.strip()]


class Completion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.tmp = pathlib.Path(cls.dir.name)
        for shell in ("bash", "zsh", "fish"):
            result = run(BIN, "completion", shell)
            assert result.returncode == 0, result.stderr
            (cls.tmp / f"regsweep.{shell}").write_text(result.stdout)
        # Files for file-name completion, in a directory the shells run in.
        cls.files = cls.tmp / "files"
        (cls.files / "policies").mkdir(parents=True)
        (cls.files / "policy.json").write_text("{}")
        (cls.files / "policies" / "standard.json").write_text("{}")
        (cls.files / "snapshot.json").write_text("{}")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def bash_complete(self, *words):
        """COMPREPLY for the command line `words` with the cursor on the last word."""
        script = (f'source {self.tmp}/regsweep.bash\n'
                  'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _regsweep\n'
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        result = run("bash", "-c", script, "bash", *words, cwd=self.files)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        return sorted(line for line in result.stdout.splitlines() if line)

    def test_bash_completes_every_subcommand_at_every_level(self):
        top = help_subcommands()
        self.assertIn("completion", top)
        self.assertEqual(self.bash_complete("regsweep", ""), sorted(top))
        for parent in ("policy", "inuse", "journal"):
            children = help_subcommands(parent)
            self.assertTrue(children, parent)
            self.assertEqual(self.bash_complete("regsweep", parent, ""), sorted(children), parent)
        self.assertEqual(sorted(help_subcommands("policy")),
                         ["delete", "diff", "get", "preview", "put", "validate"])
        self.assertEqual(self.bash_complete("regsweep", "p"), ["plan", "policy"])

    def test_bash_completes_the_flags_of_the_command_typed(self):
        self.assertEqual(self.bash_complete("regsweep", "policy", "put", "--ou"), ["--output"])
        self.assertEqual(self.bash_complete("regsweep", "inuse", "scan", "--ke"), ["--keep-file"])
        self.assertEqual(self.bash_complete("regsweep", "journal", "show", "--"),
                         ["--debug", "--help", "--journal", "--max-rows", "--output", "--since",
                          "--verbose"])
        # The global flags (-v, --debug) work after any subcommand, so they are offered there.
        self.assertEqual(self.bash_complete("regsweep", "policy", "put", "--de"), ["--debug"])
        self.assertEqual(self.bash_complete("regsweep", "plan", "merge", "-v"), ["-v"])
        # Flags of plan are not offered after apply's subcommand path, and vice versa.
        self.assertNotIn("--yes", self.bash_complete("regsweep", "plan", "--"))
        self.assertIn("--yes", self.bash_complete("regsweep", "apply", "--"))
        # Options and their values before the cursor leave the command path as it is.
        self.assertEqual(self.bash_complete("regsweep", "plan", "--policy", "p.json", "--output",
                                            "json", "--out"), ["--output"])

    def test_bash_completes_choices_and_file_names(self):
        self.assertEqual(self.bash_complete("regsweep", "plan", "--output", ""),
                         ["json", "table", "text"])
        self.assertEqual(self.bash_complete("regsweep", "plan", "--output", "=", "j"), ["json"])
        self.assertEqual(self.bash_complete("regsweep", "completion", ""), ["bash", "fish", "zsh"])
        self.assertEqual(self.bash_complete("regsweep", "plan", "--policy", "pol"),
                         ["policies", "policy.json"])
        self.assertEqual(self.bash_complete("regsweep", "plan", "--save-plan", "sn"),
                         ["snapshot.json"])
        self.assertEqual(self.bash_complete("regsweep", "policy", "validate", "policies/s"),
                         ["policies/standard.json"])
        self.assertEqual(self.bash_complete("regsweep", "plan", "--concurrency", ""), [])

    def test_bash_script_registers_itself(self):
        result = run("bash", "-c", f"source {self.tmp}/regsweep.bash && complete -p regsweep")
        self.assertEqual(result.stdout.strip(), "complete -F _regsweep regsweep")

    @unittest.skipUnless(shutil.which("fish"), "fish is not installed")
    def test_fish_completes_subcommands_flags_and_files(self):
        def complete(line):
            result = run("fish", "-c", f"source {self.tmp}/regsweep.fish; complete -C '{line}'",
                         cwd=self.files)
            self.assertEqual(result.returncode, 0, result.stderr)
            return sorted(line.split("\t")[0] for line in result.stdout.splitlines())
        self.assertEqual(complete("regsweep policy "), sorted(help_subcommands("policy")))
        self.assertEqual(complete("regsweep inuse "), ["scan"])
        self.assertEqual(complete("regsweep policy put --ou"), ["--output"])
        self.assertEqual(complete("regsweep plan --output "), ["json", "table", "text"])
        self.assertEqual(complete("regsweep plan --policy pol"), ["policies/", "policy.json"])
        # After plan's options: its one subcommand (plan merge), no files.
        self.assertEqual(complete("regsweep plan --policy x --output json "), ["merge"])
        self.assertEqual(complete("regsweep plan merge --"),
                         ["--debug", "--help", "--max-rows", "--output", "--save-plan", "--verbose"])

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_script_parses_and_registers_when_sourced(self):
        script = self.tmp / "regsweep.zsh"
        self.assertEqual(run("zsh", "-n", str(script)).returncode, 0)
        result = run("zsh", "-f", "-c", f"autoload -Uz compinit; compinit -u -D; source {script}; "
                                        "print -r -- $_comps[regsweep]")
        self.assertEqual(result.stdout.strip(), "_regsweep", result.stderr)

    def test_unknown_shell_is_a_usage_error(self):
        result = run(BIN, "completion", "powershell")
        self.assertEqual(result.returncode, 2)
        self.assertIn("shell", result.stderr)
        self.assertEqual(result.stdout, "")


class Version(unittest.TestCase):
    def test_version_names_the_commit_and_the_build_type(self):
        result = run(BIN, "--version")
        self.assertEqual(result.returncode, 0)
        m = re.fullmatch(r"regsweep (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(-dirty)?|unknown), (\w+)\)\n",
                         result.stdout)
        self.assertIsNotNone(m, result.stdout)
        head = run("git", "-C", str(SOURCE), "rev-parse", "--short=12", "HEAD") if shutil.which("git") else None
        if head is not None and head.returncode == 0:
            self.assertEqual(m.group(2).removesuffix("-dirty"), head.stdout.strip())


if __name__ == "__main__":
    unittest.main()
