"""E2E: one fleet split over several workers (--shard-index I --shard-count N), against the
multi-account emulator fleet of test_run_config.py (two accounts x two regions behind one endpoint).

Each shard runs as its own process with its own state directory (as on its own machine) and its
own router in front of the same emulators, so the requests of every shard are counted apart. Four
shards started at once (`run --config --yes`, the index from JOB_COMPLETION_INDEX as in a
Kubernetes Indexed Job) leave every registry exactly as one unsharded run does, and no registry is
touched by two shards: each registry's ECR calls come from the one shard the documented
assignment — (FNV-1a-64("ACCOUNT/REGION") >> 32) mod N, computed here independently — names.
Shard plans (`plan --save-plan`) merged with `plan merge --save-plan` equal one unsharded plan,
and `apply --plan merged.json` by shard deletes exactly what it lists."""
import json
import os
import pathlib
import subprocess
import tempfile
import unittest

from documents import DIGEST, PLAN_SCHEMA, REGISTRY_ID, REPOSITORY
from fleet_router import FleetRouter
from test_run_config import ACCOUNT_A, ACCOUNT_B, REGIONS, ROLE_A, ROLE_B, FleetCase, seed
import servers

REGSWEEP = os.environ.get("REGSWEEP_BIN", str(pathlib.Path(__file__).resolve().parents[2] / "build" / "regsweep"))
SHARDS = 4


def shard_of(account, region, count):
    """docs/config.md's assignment, written again from its description."""
    value = 14695981039346656037
    for byte in f"{account}/{region}".encode():
        value = ((value ^ byte) * 1099511628211) % 2 ** 64
    return (value >> 32) % count


class ShardingTest(FleetCase):
    def setUp(self):
        super().setUp()
        backends = {k: e.endpoint for k, e in self.emulators.items()}
        self.routers = [FleetRouter(backends, ACCOUNT_A).start() for _ in range(SHARDS)]
        for router in self.routers:
            self.addCleanup(router.stop)
        self.registries = sorted(self.emulators)
        self.owner = {k: shard_of(*k, SHARDS) for k in self.registries}

    def env(self, name, router, extra=None):
        env = servers.aws_env()
        env.pop("AWS_ENDPOINT_URL", None)
        env["AWS_ENDPOINT_URL_STS"] = router.endpoint
        env["XDG_STATE_HOME"] = str(self.work / name / "state")  # a machine of its own
        env.update(extra or {})
        return env

    def plain_env(self, extra=None):
        """An environment without REGSWEEP_OUTPUT (unless given): the default format is tested."""
        env = {k: v for k, v in os.environ.items() if k != "REGSWEEP_OUTPUT"}
        env.update(extra or {})
        return env

    def start(self, args, env):
        return subprocess.Popen([REGSWEEP, *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def finish(self, processes):
        results = []
        for p in processes:
            out, err = p.communicate(timeout=600)
            results.append((p.returncode, out, err))
        return results

    def config(self, name, router):
        path = self.work / f"{name}.yaml"
        path.write_text(f"""version: 1
settings:
  output: json
policies:
  cleanup:
    file: cleanup.json
targets:
  - name: everything
    accounts: [{ROLE_A}, {ROLE_B}]
    regions: [{REGIONS[0]}, {REGIONS[1]}]
    policy: cleanup
    mode: apply
    endpoint_url: {router.endpoint}
""")
        return str(path)

    def fleet_state(self):
        return {k: self.digests(*k) for k in self.registries}

    def reseed(self):
        for (account, region), emulator in self.emulators.items():
            emulator.admin("PUT", "/_emulator/state", seed(account, region))
            emulator.admin("POST", "/_emulator/counters/reset")

    def ecr_registries_touched(self, router):
        return {(account, region) for (account, region, service) in router.routed if service == "ecr"}

    def test_the_assignment_spreads_this_fleet(self):
        # Guards the test itself: with every registry in one shard there would be nothing to prove.
        self.assertGreaterEqual(len(set(self.owner.values())), 3, self.owner)

    def test_four_shards_at_once_delete_exactly_what_one_run_deletes(self):
        before = self.fleet_state()
        single = self.finish([self.start(["run", "--config", self.config("single", self.router), "--yes"],
                                         self.env("single", self.router))])[0]
        self.assertEqual(single[0], 0, single[1] + single[2])
        after_one_run = self.fleet_state()
        self.assertNotEqual(after_one_run, before)
        deleted_by_one_run = self.calls("BatchDeleteImage")
        roles_assumed_by_one_run = self.calls("AssumeRole")

        self.reseed()
        self.assertEqual(self.fleet_state(), before)
        processes = [self.start(["run", "--config", self.config(f"shard-{i}", self.routers[i]), "--yes",
                                 "--shard-count", str(SHARDS)],
                                self.env(f"shard-{i}", self.routers[i], {"JOB_COMPLETION_INDEX": str(i)}))
                     for i in range(SHARDS)]
        results = self.finish(processes)
        for i, (code, out, err) in enumerate(results):
            self.assertEqual(code, 0, f"shard {i}: {out}{err}")
            target = json.loads(out)["targets"][0]
            owned = sorted(f"{a}/{r}" for (a, r), s in self.owner.items() if s == i)
            self.assertEqual(sorted(target["registries"]), owned, f"shard {i}")
        self.assertEqual(self.fleet_state(), after_one_run)
        self.assertEqual(self.calls("BatchDeleteImage"), deleted_by_one_run)
        # Each (role, region) pair is opened by its owner only: another shard's role is never
        # even assumed.
        self.assertEqual(self.calls("AssumeRole"), roles_assumed_by_one_run)
        # No registry touched by two shards; every registry by its owner.
        for i, router in enumerate(self.routers):
            touched = self.ecr_registries_touched(router)
            self.assertEqual(touched, {k for k, s in self.owner.items() if s == i}, f"shard {i}")

    def plan_content(self, document):
        return {(r[REGISTRY_ID], r["region"], r[REPOSITORY]):
                sorted(i[DIGEST] for i in r["images"] if i["action"] == "expire")
                for r in document["repositories"]}

    def test_shard_plans_merge_into_the_unsharded_plan_and_apply_by_shard(self):
        common = ["--policy", str(self.work / "cleanup.json"), "--role-arn", ROLE_A, "--role-arn", ROLE_B,
                  "--region", REGIONS[0], "--region", REGIONS[1], "--now", "2030-01-01"]
        whole = self.finish([self.start(["plan", *common, "--endpoint-url", self.router.endpoint,
                                         "--save-plan", str(self.work / "whole.json"), "--output", "json"],
                                        self.env("whole", self.router))])[0]
        self.assertEqual(whole[0], 0, whole[2])
        processes = [self.start(["plan", *common, "--endpoint-url", self.routers[i].endpoint,
                                 "--shard-index", str(i), "--shard-count", str(SHARDS),
                                 "--save-plan", str(self.work / f"plan-{i}.json"), "--output", "json"],
                                self.env(f"plan-{i}", self.routers[i])) for i in range(SHARDS)]
        for i, (code, _, err) in enumerate(self.finish(processes)):
            self.assertEqual(code, 0, f"shard {i}: {err}")
            shard_doc = json.loads((self.work / f"plan-{i}.json").read_text())
            self.assertEqual(shard_doc["schemaVersion"], PLAN_SCHEMA)
            self.assertEqual(shard_doc["shard"], {"index": i, "count": SHARDS})
            self.assertEqual(len(shard_doc["sources"]), sum(1 for s in self.owner.values() if s == i))
            for source in shard_doc["sources"]:
                self.assertEqual(source["label"], f"{source[REGISTRY_ID]}/{source['region']}")

        # A shard's plan missing, or given twice, is refused; all of them merge.
        missing = subprocess.run([REGSWEEP, "plan", "merge", *(str(self.work / f"plan-{i}.json") for i in range(3))],
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(missing.returncode, 2, missing.stderr)
        self.assertIn("the plans of shard 3 (of 4) are missing", missing.stderr)
        twice = subprocess.run([REGSWEEP, "plan", "merge", *(str(self.work / f"plan-{i}.json") for i in range(4)),
                                str(self.work / "plan-0.json")], capture_output=True, text=True, timeout=60)
        self.assertEqual(twice.returncode, 2, twice.stderr)
        shard_plans = [str(self.work / f"plan-{i}.json") for i in range(4)]
        merged_path = self.work / "merged.json"
        merge = subprocess.run([REGSWEEP, "plan", "merge", *shard_plans, "--save-plan", str(merged_path)],
                               capture_output=True, text=True, timeout=60, env=self.plain_env())
        self.assertEqual(merge.returncode, 0, merge.stderr)
        merged = json.loads(merged_path.read_text())
        unsharded = json.loads((self.work / "whole.json").read_text())
        self.assertEqual(merged["schemaVersion"], PLAN_SCHEMA)
        self.assertEqual(self.plan_content(merged), self.plan_content(unsharded))
        self.assertEqual(merged["totals"], unsharded["totals"])
        self.assertEqual(len(merged["sources"]), 4)
        self.assertTrue(all(REGISTRY_ID in s and "account" not in s for s in merged["sources"]))
        # Like every command, a table by default (not the document, even into a pipe): a row per
        # shard's plan and the totals; --output json is the document --save-plan wrote; text is a
        # PLAN record per plan and the TOTALS record.
        self.assertEqual(merge.stdout.splitlines()[0].split(), ["PLAN", "SHARD", "REGISTRIES", "REPOSITORIES",
                                                               "IMAGES", "EXPIRE", "FREED", "TRANSITION",
                                                               "SKIPPED"])
        self.assertIn("Merged 4 plans: 4 registries,", merge.stdout)
        self.assertIn(f"Saved to {merged_path}", merge.stdout)
        as_json = subprocess.run([REGSWEEP, "plan", "merge", *shard_plans, "--output", "json"],
                                 capture_output=True, text=True, timeout=60, env=self.plain_env())
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        self.assertEqual(as_json.stdout, merged_path.read_text())
        as_text = subprocess.run([REGSWEEP, "plan", "merge", *shard_plans], capture_output=True, text=True,
                                 timeout=60, env=self.plain_env({"REGSWEEP_OUTPUT": "text"}))
        self.assertEqual(as_text.returncode, 0, as_text.stderr)
        records = [line.split("\t") for line in as_text.stdout.splitlines()]
        self.assertEqual([r[0] for r in records], ["PLAN"] * 4 + ["TOTALS"])
        self.assertEqual([r[1] for r in records[:4]], shard_plans)
        self.assertEqual([(r[2], r[3]) for r in records[:4]], [(str(i), str(SHARDS)) for i in range(4)])
        self.assertEqual(int(records[4][3]), merged["totals"]["expiring"])
        old_flag = subprocess.run([REGSWEEP, "plan", "merge", *shard_plans, "-o", str(merged_path)],
                                  capture_output=True, text=True, timeout=60, env=self.plain_env())
        self.assertEqual(old_flag.returncode, 2)
        self.assertIn("--save-plan FILE", old_flag.stderr)

        # The merged plan applied by shard, all at once: exactly what it lists is deleted.
        for router in self.routers:
            router.routed.clear()
        before = self.fleet_state()
        apply_common = ["--role-arn", ROLE_A, "--role-arn", ROLE_B, "--region", REGIONS[0], "--region", REGIONS[1],
                        "--yes", "--output", "json", "--shard-count", str(SHARDS)]
        processes = [self.start(["apply", "--plan", str(merged_path), *apply_common,
                                 "--endpoint-url", self.routers[i].endpoint],
                                self.env(f"apply-{i}", self.routers[i], {"AWS_BATCH_JOB_ARRAY_INDEX": str(i)}))
                     for i in range(SHARDS)]
        for i, (code, out, err) in enumerate(self.finish(processes)):
            self.assertEqual(code, 0, f"shard {i}: {out}{err}")
        after = self.fleet_state()
        for key, repositories in before.items():
            for name, digests in repositories.items():
                expiring = set(self.plan_content(merged).get((key[0], key[1], name), []))
                self.assertTrue(expiring, f"{key}/{name}: the plan expires nothing here")
                self.assertEqual(after[key][name], digests - expiring, f"{key}/{name}")
        for i, router in enumerate(self.routers):
            self.assertEqual(self.ecr_registries_touched(router), {k for k, s in self.owner.items() if s == i})

    def test_base_credentials_are_sharded_by_their_own_account(self):
        # No role: the account comes from the registry itself (its listing) before assignment.
        processes = [self.start(["plan", "--policy", str(self.work / "cleanup.json"), "--region", REGIONS[0],
                                 "--region", REGIONS[1], "--endpoint-url", self.routers[i].endpoint,
                                 "--shard-index", str(i), "--shard-count", "2", "--output", "json"],
                                self.env(f"base-{i}", self.routers[i])) for i in range(2)]
        labels = []
        for i, (code, out, err) in enumerate(self.finish(processes)):
            self.assertEqual(code, 0, f"shard {i}: {err}")
            mine = [s["label"] for s in json.loads(out)["sources"]]
            self.assertEqual(mine, [f"{ACCOUNT_A}/{r}" for r in REGIONS if shard_of(ACCOUNT_A, r, 2) == i])
            labels += mine
        self.assertEqual(sorted(labels), sorted(f"{ACCOUNT_A}/{r}" for r in REGIONS))

    def test_bad_shard_flags_stop_before_any_request(self):
        for args, expected in ((["--shard-count", "4"], "which shard is this?"),
                               (["--shard-index", "4", "--shard-count", "4"], "--shard-index: 4 is not from 0 to 3"),
                               (["--shard-index", "1"], "--shard-index: needs --shard-count")):
            result = self.regsweep("plan", "--policy", str(self.work / "cleanup.json"), "--role-arn", ROLE_A,
                                   "--endpoint-url", self.router.endpoint, *args)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(expected, result.stderr)
        self.assertEqual(self.total_requests(), 0)


class IndexedJobExampleTest(unittest.TestCase):
    """examples/kubernetes/indexed-job.yaml: its config passes --check with the pod's flags and
    index, its Job is Indexed with as many completions as shards, and each index has its own
    state directory."""

    def test_the_example_is_consistent(self):
        try:
            import yaml
        except ImportError:
            self.fail("PyYAML is needed to read the example (it comes with moto)")
        source = pathlib.Path(os.environ.get("REGSWEEP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
        documents = list(yaml.safe_load_all((source / "examples" / "kubernetes" / "indexed-job.yaml").read_text()))
        config_map = next(d for d in documents if d["kind"] == "ConfigMap")
        job = next(d for d in documents if d["kind"] == "CronJob")["spec"]["jobTemplate"]["spec"]
        container = job["template"]["spec"]["containers"][0]
        args = container["args"]
        self.assertEqual(job["completionMode"], "Indexed")
        self.assertEqual(int(args[args.index("--shard-count") + 1]), job["completions"])
        env = {e["name"]: e for e in container["env"]}
        self.assertIn("$(SHARD)", env["XDG_STATE_HOME"]["value"])
        self.assertEqual(env["SHARD"]["valueFrom"]["fieldRef"]["fieldPath"],
                         "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        mounted = pathlib.Path(tempfile.mkdtemp(prefix="regsweep-indexed-example-"))
        for name, text in config_map["data"].items():
            (mounted / name).write_text(text)
        config = str(mounted / "regsweep.yaml")
        for index in range(job["completions"]):
            run_args = [a if a != "/etc/regsweep/regsweep.yaml" else config for a in args]
            result = subprocess.run([REGSWEEP, *run_args, "--check"], capture_output=True, text=True, timeout=60,
                                    stdin=subprocess.DEVNULL, env={**os.environ, "JOB_COMPLETION_INDEX": str(index)})
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("valid", result.stdout)


if __name__ == "__main__":
    unittest.main()
