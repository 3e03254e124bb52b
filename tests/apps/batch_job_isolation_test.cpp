// A batch job that throws anything at all ends as one error line for that job, and the jobs
// around it still run (issue 14). The scheduler is called in-process with runners that throw what
// no real command should, so that the catch-all is exercised without a command that misbehaves.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch/scheduler.hpp"
#include "commands.hpp"

namespace {

using resample::cli::batch::job;
using resample::cli::batch::job_outcome;

struct thrown {
  const char* command;
  const char* message;  // what the error line must contain
};

class BatchJobIsolation : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& runners = resample::cli::batch_runners();
    runners["throws_int"] = [](const std::vector<std::string>&) -> nlohmann::json { throw 42; };
    runners["throws_logic_error"] = [](const std::vector<std::string>&) -> nlohmann::json {
      throw std::logic_error("an engine invariant");
    };
    runners["throws_invalid_argument"] = [](const std::vector<std::string>&) -> nlohmann::json {
      throw std::invalid_argument("an engine precondition");
    };
    runners["succeeds"] = [](const std::vector<std::string>&) -> nlohmann::json { return {{"value", 1}}; };
  }
  void TearDown() override {
    for (const char* name : {"throws_int", "throws_logic_error", "throws_invalid_argument", "succeeds"})
      resample::cli::batch_runners().erase(name);
  }
};

TEST_F(BatchJobIsolation, EveryFailureIsOneErrorLineAndTheOtherJobsFinish) {
  const std::vector<thrown> cases = {{"throws_int", "exception of unknown type"},
                                     {"throws_logic_error", "an engine invariant"},
                                     {"throws_invalid_argument", "an engine precondition"}};
  std::vector<job> jobs;
  for (const auto& c : cases) jobs.push_back({jobs.size(), c.command, c.command, {}, nullptr, {}});
  for (int i = 0; i < 3; ++i)
    jobs.push_back({jobs.size(), "ok" + std::to_string(i), "succeeds", {}, nullptr, {}});
  std::vector<const job*> todo;
  for (const auto& j : jobs) todo.push_back(&j);

  std::map<std::string, std::string> lines;
  resample::cli::batch::run_jobs(todo, -1, [&](const job_outcome& outcome) {
    EXPECT_FALSE(outcome.cancelled);
    EXPECT_TRUE(lines.emplace(outcome.source->id, outcome.line).second) << outcome.source->id;
  });
  ASSERT_EQ(lines.size(), jobs.size());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.command);
    const auto& text = lines.at(c.command);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    const auto line = nlohmann::json::parse(text);
    EXPECT_EQ(line["status"], "error");
    EXPECT_NE(line["error"].get<std::string>().find(c.message), std::string::npos) << text;
  }
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(nlohmann::json::parse(lines.at("ok" + std::to_string(i)))["status"], "ok");
}

}  // namespace
