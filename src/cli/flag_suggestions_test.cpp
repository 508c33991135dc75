// A misspelt flag is named with the nearest flag of its command, not reported as a missing one.
#include "cli/flag_suggestions.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <vector>

#include "cli/protection_options.hpp"

namespace regsweep::cli {
namespace {

struct Fixture {
  CLI::App app{"test"};
  std::string policy, output;
  bool yes = false, quiet = false, verbose = false;
  std::vector<std::string> files, kubeconfigs;

  Fixture() {
    app.add_flag("-v,--verbose", verbose);
    app.fallthrough();
    app.require_subcommand(1);
    CLI::App* plan = app.add_subcommand("plan");
    plan->add_option("--policy", policy)->required();
    plan->add_option("--output", output);
    plan->add_flag("--quiet,-q", quiet);
    plan->add_flag("--yes,-y", yes);
    add_kubeconfig_option(*plan, "kubeconfig", kubeconfigs);  // its value is optional
    CLI::App* policy_cmd = app.add_subcommand("policy");
    policy_cmd->require_subcommand(1);
    policy_cmd->add_subcommand("validate")->add_option("files", files);
  }

  std::optional<std::string> check(std::vector<const char*> args) {
    args.insert(args.begin(), "regsweep");
    return unknown_flag_message(app, static_cast<int>(args.size()), args.data());
  }
};

TEST(FlagSuggestions, EditDistance) {
  EXPECT_EQ(edit_distance("--polcy", "--policy"), 1u);
  EXPECT_EQ(edit_distance("--ouptut", "--output"), 1u);  // a swap
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(FlagSuggestions, NamesTheUnknownFlagAndTheNearestOne) {
  Fixture f;
  EXPECT_EQ(f.check({"plan", "--polcy", "p.json"}),
            "unknown flag --polcy in `regsweep plan`; did you mean --policy?");
  EXPECT_EQ(f.check({"plan", "--policy", "p.json", "--ouptut", "json"}),
            "unknown flag --ouptut in `regsweep plan`; did you mean --output?");
  EXPECT_EQ(f.check({"plan", "--policy=p.json", "--xyzzy"}),
            "unknown flag --xyzzy in `regsweep plan`; see `regsweep plan --help`");
  EXPECT_NE(f.check({"plan", "-o", "plan.json"})->find("--save-plan FILE"), std::string::npos);
}

TEST(FlagSuggestions, KnownFlagsValuesGlobalsAndShortRunsAreFine) {
  Fixture f;
  EXPECT_EQ(f.check({"plan", "--policy", "p.json", "-qy", "-v", "--output", "json"}), std::nullopt);
  EXPECT_EQ(f.check({"-v", "plan", "--policy", "--verbose"}), std::nullopt);
  EXPECT_EQ(f.check({"policy", "validate", "a.json", "b.json"}), std::nullopt);
  // A negative value is the option's (bad) value, for CLI11's own check to report.
  EXPECT_EQ(f.check({"plan", "--output", "-1", "--policy", "-0.1"}), std::nullopt);
}

TEST(FlagSuggestions, AfterAnOptionWhoseValueIsOptionalTheNextFlagIsChecked) {
  // A bare --kubeconfig (kubectl's default files) never takes a word starting with '-' as its
  // value, so that word is a flag: a misspelt one is named, not swallowed as a path.
  Fixture f;
  EXPECT_EQ(f.check({"plan", "--kubeconfig", "--polcy", "p.json"}),
            "unknown flag --polcy in `regsweep plan`; did you mean --policy?");
  EXPECT_NE(f.check({"plan", "--kubeconfig", "-o", "k.json"})->find("--save-plan FILE"),
            std::string::npos);
  EXPECT_EQ(f.check({"plan", "--kubeconfig", "--policy", "p.json"}), std::nullopt);
  EXPECT_EQ(f.check({"plan", "--kubeconfig", "k.yaml", "--policy", "p.json"}), std::nullopt);
}

TEST(FlagSuggestions, UnknownSubcommands) {
  Fixture f;
  EXPECT_EQ(f.check({"plna"}), "unknown command 'plna' in `regsweep`; did you mean plan?");
  EXPECT_EQ(f.check({"policy", "valdate", "x.json"}),
            "unknown command 'valdate' in `regsweep policy`; did you mean validate?");
}

}  // namespace
}  // namespace regsweep::cli
