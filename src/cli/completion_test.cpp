#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "cli/completion_scripts.hpp"
#include "cli/completion_tree.hpp"

namespace regsweep::cli {
namespace {

// A small app declared the way the real subcommands declare theirs.
struct SampleApp {
  CLI::App app{"sample"};
  std::string text;
  std::vector<std::string> many;
  int number = 0;
  bool flag = false;
  std::vector<std::string> files;

  SampleApp() {
    app.set_version_flag("--version", "v");
    app.add_flag("-v,--verbose", flag, "Each call")->group(k_global_options);
    CLI::App* plan = app.add_subcommand("plan", "Plan it");
    plan->add_option("--policy", text, "Policy file")->required();
    plan->add_option("--output", text, "table or json")->check(CLI::IsMember({"table", "json"}));
    plan->add_option("--concurrency", number, "At once")->check(CLI::Range(1, 64));
    plan->add_option("-o,--save-plan", text, "Also write [JSON] here");
    plan->add_option("--region", many, "Region, repeatable")->group("ECR");
    plan->add_flag("-q,--quiet", flag, "Quiet");
    plan->add_flag("--secret-switch", flag, "Hidden")->group("");
    CLI::Option_group* group = plan->add_option_group("Protections");
    group->add_option("--keep-file", many, "Keep file");
    CLI::App* policy = app.add_subcommand("policy", "Policies");
    policy->add_subcommand("validate", "Check files")->add_option("files", files, "Files");
    app.add_subcommand("internal", "Hidden command")->group("");
  }
};

const CompletionOption* find_option(const CompletionCommand& command, const std::string& name) {
  for (const auto& option : command.options) {
    for (const auto& n : option.names) {
      if (n == name) return &option;
    }
  }
  return nullptr;
}

TEST(CompletionTree, SubcommandsNestAndHiddenOnesAreLeftOut) {
  SampleApp sample;
  const CompletionCommand tree = completion_tree(sample.app);
  ASSERT_EQ(tree.subcommands.size(), 2u);
  EXPECT_EQ(tree.subcommands[0].path, (std::vector<std::string>{"plan"}));
  EXPECT_EQ(tree.subcommands[0].description, "Plan it");
  ASSERT_EQ(tree.subcommands[1].subcommands.size(), 1u);
  EXPECT_EQ(tree.subcommands[1].subcommands[0].path,
            (std::vector<std::string>{"policy", "validate"}));
  EXPECT_EQ(flatten(tree).size(), 4u);  // root, plan, policy, policy validate
}

TEST(CompletionTree, GlobalOptionsAreOfferedByEveryCommandBelow) {
  // `regsweep plan ... -v` works (CLI11 falls through to the parent), so it is completed there.
  SampleApp sample;
  const CompletionCommand tree = completion_tree(sample.app);
  for (const CompletionCommand* command : flatten(tree)) {
    const CompletionOption* verbose = find_option(*command, "--verbose");
    ASSERT_NE(verbose, nullptr) << command->name();
    EXPECT_EQ(verbose->names, (std::vector<std::string>{"-v", "--verbose"}));
    EXPECT_EQ(verbose->value, CompletionValue::nothing);
  }
  // Only the global group: the root's --version is not offered below it.
  EXPECT_EQ(find_option(tree.subcommands[0], "--version"), nullptr);
}

TEST(CompletionTree, EachOptionSaysWhatItsValueIs) {
  SampleApp sample;
  const CompletionCommand tree = completion_tree(sample.app);
  const CompletionCommand& plan = tree.subcommands[0];

  ASSERT_NE(find_option(plan, "--policy"), nullptr);
  EXPECT_EQ(find_option(plan, "--policy")->value, CompletionValue::file);
  EXPECT_EQ(find_option(plan, "--output")->value, CompletionValue::choice);
  EXPECT_EQ(find_option(plan, "--output")->choices, (std::vector<std::string>{"table", "json"}));
  EXPECT_EQ(find_option(plan, "--concurrency")->value, CompletionValue::other);
  EXPECT_EQ(find_option(plan, "-q")->value, CompletionValue::nothing);
  EXPECT_EQ(find_option(plan, "-o")->names, (std::vector<std::string>{"-o", "--save-plan"}));
  EXPECT_TRUE(find_option(plan, "--region")->repeatable);
  EXPECT_FALSE(find_option(plan, "--policy")->repeatable);
  EXPECT_NE(find_option(plan, "--keep-file"), nullptr);  // from an option group
  EXPECT_EQ(find_option(plan, "--secret-switch"), nullptr);
  EXPECT_NE(find_option(tree, "--version"), nullptr);
  EXPECT_EQ(plan.positionals.value, CompletionValue::nothing);
  EXPECT_EQ(tree.subcommands[1].subcommands[0].positionals.value, CompletionValue::file);
  EXPECT_TRUE(tree.subcommands[1].subcommands[0].positionals.repeatable);
}

TEST(CompletionScripts, BashTablesComeFromTheTree) {
  SampleApp sample;
  const std::string script = bash_completion_script(completion_tree(sample.app));
  EXPECT_NE(script.find("    '') echo 'plan policy' ;;\n"), std::string::npos) << script;
  EXPECT_NE(script.find("    'policy') echo 'validate' ;;\n"), std::string::npos);
  EXPECT_NE(script.find("    'plan --output') echo 'choice table json' ;;\n"), std::string::npos);
  EXPECT_NE(script.find("    'plan -o'|'plan --save-plan') echo 'file' ;;\n"), std::string::npos);
  EXPECT_NE(script.find("    'plan --concurrency') echo 'none' ;;\n"), std::string::npos);
  EXPECT_NE(script.find("    'policy validate') echo 'file' ;;\n"), std::string::npos);
  EXPECT_EQ(script.find("internal"), std::string::npos);
  EXPECT_EQ(script.find("secret-switch"), std::string::npos);
}

TEST(CompletionScripts, ZshAndFishEscapeDescriptions) {
  SampleApp sample;
  const CompletionCommand tree = completion_tree(sample.app);
  const std::string zsh = zsh_completion_script(tree);
  // Brackets would end the description of an _arguments spec.
  EXPECT_NE(zsh.find("'(-o --save-plan)-o+[Also write \\[JSON\\] here]:file:_files'"),
            std::string::npos)
      << zsh;
  EXPECT_NE(zsh.find("'--output=[table or json]:value:(table json)'"), std::string::npos);
  EXPECT_NE(zsh.find("'*--region=[Region, repeatable]:file:_files'"), std::string::npos);
  EXPECT_NE(zsh.find("(validate) _regsweep_policy_validate ;;"), std::string::npos);
  const std::string fish = fish_completion_script(tree);
  EXPECT_NE(fish.find("complete -c regsweep -n '__regsweep_at \\'plan\\'' -l output -x -a "
                      "'table json' -d 'table or json'"),
            std::string::npos)
      << fish;
}

}  // namespace
}  // namespace regsweep::cli
