// One option vocabulary across subcommands: an option that several commands take has the same
// type, group and meaning everywhere, and the shared conventions hold on every command that takes
// the option (--threads 0 = all cores, counts in 1e6 form, comma lists of tests and intervals).

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "run_cli.hpp"
#include "support/cli_runner.hpp"

namespace {

struct definition {
  std::string command;
  std::string type;
  std::string group;
};

// Every long option of every subcommand, by name.
std::map<std::string, std::vector<definition>> options_by_name() {
  CLI::App app{"resample", "resample"};
  resample::cli::register_commands(app);
  std::map<std::string, std::vector<definition>> out;
  for (const auto* command : app.get_subcommands({}))
    for (const auto* option : command->get_options())
      for (const auto& name : option->get_lnames())
        out["--" + name].push_back({command->get_name(), option->get_type_name(), option->get_group()});
  return out;
}

TEST(OptionVocabulary, SharedOptionsHaveOneTypeAndGroupEverywhere) {
  const auto all = options_by_name();
  ASSERT_GE(all.size(), 20u);
  for (const auto& [name, definitions] : all) {
    if (name == "--help") continue;
    for (const auto& d : definitions) {
      // A numeric type may carry its default ("FLOAT=0.95") or range: compare the kind only.
      const auto kind = [](const std::string& type) { return type.substr(0, type.find_first_of("=: ")); };
      EXPECT_EQ(kind(d.type), kind(definitions.front().type))
          << name << ": " << d.command << " says " << d.type << ", " << definitions.front().command
          << " says " << definitions.front().type;
      EXPECT_EQ(d.group, definitions.front().group) << name << " in " << d.command;
    }
  }
}

TEST(OptionVocabulary, OneNamePerConcept) {
  const auto all = options_by_name();
  // The Wilcoxon zeros are --zero-method everywhere (power's --zeros stays an alias of it).
  for (const auto& d : all.at("--zeros")) {
    const auto& same = all.at("--zero-method");
    EXPECT_TRUE(std::any_of(same.begin(), same.end(), [&](const auto& x) { return x.command == d.command; }))
        << d.command << " has --zeros without --zero-method";
  }
  // Every analysis command prints in the same formats.
  for (const char* command : {"bootstrap", "test", "power", "coverage", "plan", "report"}) {
    const auto& format = all.at("--format");
    EXPECT_TRUE(
        std::any_of(format.begin(), format.end(), [&](const auto& x) { return x.command == command; }))
        << command << " has no --format";
  }
}

resample::test::cli_result run_resample(const std::string& args) { return resample::test::run_cli(args); }

TEST(OptionVocabulary, ThreadsZeroMeansAllCoresOnEveryCommand) {
  const auto all = options_by_name();
  std::set<std::string> commands;
  for (const auto& d : all.at("--threads")) commands.insert(d.command);
  const std::map<std::string, std::string> runs = {
      {"bootstrap", "bootstrap --values 2,9,8,10,6,4"},
      {"test", "test --values 2,9,8,10,6,4"},
      {"power", "power --values 2,9,8,10,6,4 --n 6 --trials 20"},
      {"coverage", "coverage --values 2,9,8,10,6,4 --n 6 --trials 20"},
      {"plan", "plan --values 2,9,8,10,6,4 --ci percentile --precision 0.5"},
  };
  for (const auto& [command, args] : runs) {
    ASSERT_TRUE(commands.count(command)) << command << " has no --threads";
    const auto zero = run_resample(args + " --threads 0 --format json");
    const auto one = run_resample(args + " --threads 1 --format json");
    EXPECT_EQ(zero.exit_code, 0) << args << ": " << zero.err;
    EXPECT_EQ(one.exit_code, 0) << args << ": " << one.err;
  }
}

TEST(OptionVocabulary, CountsAcceptScientificWholeNumbersEverywhere) {
  const auto all = options_by_name();
  for (const char* name : {"--resamples", "--trials"})
    for (const auto& d : all.at(name)) EXPECT_EQ(d.type.substr(0, 4), "UINT") << name << " in " << d.command;
  const auto plain =
      run_resample("bootstrap --values 2,9,8,10,6,4,3,1 --method mc --resamples 2000 --format json");
  const auto scientific =
      run_resample("bootstrap --values 2,9,8,10,6,4,3,1 --method mc --resamples 2e3 --format json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, scientific.out);
  const auto trials = run_resample("power --values 2,9,8,10,6,4 --n 6 --trials 1e2 --format json");
  EXPECT_EQ(trials.exit_code, 0) << trials.err;
  const auto fractional = run_resample("test --values 2,9,8 --method mc --resamples 2.5e0");
  EXPECT_EQ(fractional.exit_code, 2);
  EXPECT_NE(fractional.err.find("--resamples"), std::string::npos) << fractional.err;
}

TEST(OptionVocabulary, AllAndCommaListsWhereAChoiceIsMade) {
  const auto ci = run_resample("bootstrap --values 2,9,8,10,6,4 --ci all --format json");
  ASSERT_EQ(ci.exit_code, 0) << ci.err;
  for (const char* method : {"percentile", "basic", "normal", "studentized", "bca", "calibrated"})
    EXPECT_NE(ci.out.find(std::string("\"method\": \"") + method + "\""), std::string::npos) << method;
  const auto tests = run_resample("test --values 2,9,8,10,6,4 --test wilcoxon,t --format json");
  EXPECT_EQ(tests.exit_code, 0) << tests.err;
  const auto zeros =
      run_resample("power --values 2,9,0,10,6,4 --n 6 --trials 20 --test wilcoxon --zero-method wilcox");
  EXPECT_EQ(zeros.exit_code, 0) << zeros.err;
}

TEST(OptionVocabulary, MisspellingsGetASuggestion) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bootstrp --values 1,2,3", "did you mean 'bootstrap'?"},
      {"bootstrap --values 1,2,3 --stt mean", "did you mean '--stat'?"},
      {"bootstrap --values 1,2,3 --stat meen", "did you mean 'mean'?"},
      {"test --values 1,2,3 --test wilcoxn", "did you mean 'wilcoxon'?"},
      {"bootstrap --values 1,2,3 --ci bka", "did you mean 'bca'?"},
      {"test --values 1,2,3 --alternative greter", "did you mean 'greater'?"},
      {"test --values 1,2,3 --zero-method prat", "did you mean 'pratt'?"},
      {"coverage --values 1,2,3 --ci hl,tt", "did you mean 't'?"},
  };
  for (const auto& [args, hint] : cases) {
    const auto r = run_resample(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(hint), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.err.find("resample::"), std::string::npos) << args << ": " << r.err;
  }
}

}  // namespace
