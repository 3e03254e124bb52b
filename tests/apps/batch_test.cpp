// `resample batch` end to end: the real binary on job files, checking the result lines, exit codes,
// messages, and that an interrupted run resumed gives the same lines as an uninterrupted one.
//
// The jobs are Monte Carlo bootstraps (`bootstrap --method mc`), whose lines depend on the
// counter-based streams alone, so that runs with any thread count or interruption compare equal.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/result_lines.hpp"
#include "support/sanitizer_slowdown.hpp"
#include "support/scratch_directory.hpp"

namespace {

namespace fs = std::filesystem;
using resample::test::comparable;
using resample::test::expect_usage_error;
using resample::test::lines_of;

using resample::test::slurp;
using resample::test::write_file;

class BatchTest : public resample::test::scratch_directory_test {
 protected:
  BatchTest() : scratch_directory_test("resample_batch_") {}

  resample::test::cli_result run(const std::string& args) const { return resample::test::run_cli(args); }

  // Starts `resample batch JOBS --out OUT EXTRA...` without waiting; returns its pid.
  pid_t start(const std::vector<std::string>& args) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      std::vector<char*> argv;
      std::string program = RESAMPLE_CLI;
      argv.push_back(program.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    return pid;
  }
};

std::size_t count_lines(const fs::path& path) {
  const std::string text = slurp(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Jobs big enough (with one thread) that a run can be interrupted between them.
std::string slow_jobs(int count, long long resamples) {
  nlohmann::json jobs = nlohmann::json::array();
  for (int i = 0; i < count; ++i)
    jobs.push_back({{"id", "slow" + std::to_string(i)},
                    {"values", i % 2 ? nlohmann::json{2, 9, 8, 10, 6, 4} : nlohmann::json{1, 1, 1, 0, 0, 3}},
                    {"seed", 100 + i}});
  return nlohmann::json{
      {"defaults",
       {{"command", "bootstrap"}, {"method", "mc"}, {"ci", "percentile"}, {"resamples", resamples}}},
      {"jobs", jobs}}
      .dump();
}

// Waits until the file has at least `lines` lines, or a timeout.
bool wait_for_lines(const fs::path& path, std::size_t lines, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path) && count_lines(path) >= lines) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(BatchTest, BadJobGetsAnErrorLineAndTheOthersRun) {
  write_file(path("jobs.json"), R"({"defaults": {"command": "bootstrap", "method": "mc", "resamples": 20000},
    "jobs": [{"id": "good1", "values": [2, 9, 8, 10, 6, 4], "seed": 1},
             {"id": "bad", "values": "2,x,8"},
             {"id": "good2", "values": [1, 1, 1, 0, 0, 3], "seed": 2},
             {"id": "good3", "values": "-1,2,-3", "seed": 3}]})");
  const auto r = run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("3 ok, 1 failed"), std::string::npos) << r.err;
  const auto lines = lines_of(slurp(path("out.jsonl")));
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& text : lines) {
    const auto line = nlohmann::json::parse(text);
    if (line["id"] == "bad") {
      EXPECT_EQ(line["status"], "error");
      EXPECT_NE(line["error"].get<std::string>().find("item 2 is 'x'"), std::string::npos) << text;
      EXPECT_FALSE(line.contains("result"));
    } else {
      EXPECT_EQ(line["status"], "ok") << text;
      EXPECT_EQ(line["result"]["resamples"], 20000);
    }
    EXPECT_EQ(line["command"], "bootstrap");
    EXPECT_TRUE(line.contains("engine_version"));
    EXPECT_TRUE(line["timings"].contains("wall_seconds"));
  }
  // Key order is fixed, so that lines compare as text.
  EXPECT_EQ(lines[0].rfind(R"({"id":)", 0), 0u);
  EXPECT_NE(lines[0].find(R"(,"command":"bootstrap","options":{)"), std::string::npos);
}

TEST_F(BatchTest, MalformedJobFilesFailWithOneLine) {
  struct malformed {
    std::string text, message;
  };
  const std::vector<malformed> cases = {
      {"{\"jobs\": [\n{\"id\": \"a\", \"command\": \"bootstrap\",}]}", "jobs.json:2:"},
      {R"({"jobs": [{"id": "a", "command": "bootstrapp", "values": [1]}]})",
       R"(job 0 (id "a"): unknown command "bootstrapp")"},
      {R"({"jobs": [{"id": "a", "command": "bootstrap", "values": [1]}, {"id": "b", "command": "bootstrap", "sed": 4}]})",
       R"(job 1 (id "b"): unknown option "sed")"},
      {R"({"jobs": [{"id": "a", "command": "bootstrap", "values": {"x": 1}}]})",
       R"(job 0 (id "a"), key "values": expected a string, number, boolean or array, got an object)"},
      {R"({"jobs": [{"id": "a", "command": "bootstrap", "resamples": true}]})",
       R"(key "resamples": expected a value)"},
      {R"({"jobs": [{"id": "a", "command": "bootstrap"}, {"id": "a", "command": "bootstrap"}]})",
       "duplicate id"},
      {R"({"jobs": [{"command": "bootstrap"}]})", R"(job 0: expected "id")"},
      {R"({"jobz": []})", R"(unknown top-level key "jobz")"},
      {R"({"defaults": {"resampels": 5}, "jobs": [{"id": "a", "command": "bootstrap", "values": [1]}]})",
       R"("defaults" key "resampels" is not an option of any job's command)"},
      {R"({"jobs": []})", "empty"},
      // Valid JSON syntax beyond double's range: nlohmann throws out_of_range, not parse_error.
      {R"({"jobs": [{"id": "a", "command": "bootstrap", "resamples": 1e999}]})",
       "jobs.json: number overflow parsing '1e999', expected a number within the range of a double"},
  };
  for (const auto& c : cases) {
    write_file(path("jobs.json"), c.text);
    const auto r =
        run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << c.text;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << r.err;
    EXPECT_FALSE(fs::exists(path("out.jsonl"))) << "no results file for a job file that does not validate";
  }
}

// nlohmann reports where it stopped: the end of the unexpected token ("command", line 2 column 22).
TEST_F(BatchTest, SyntaxErrorNamesLineColumnAndByte) {
  write_file(path("jobs.json"), "{\"jobs\": [\n  {\"id\": \"a\" \"command\": \"bootstrap\"}]}");
  const auto r = run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("jobs.json:2:22: JSON syntax error (byte 33)"), std::string::npos) << r.err;
}

// The analysis commands run as jobs and give the reference values of the statistical conventions
// (repeat-treatment pain reductions 2, 9, 8, 10, 6, 4: percentile [4.1667, 8.6667], p = 0.03125).
TEST_F(BatchTest, BootstrapAndTestJobsGiveTheReferenceValues) {
  write_file(path("jobs.json"), R"({"defaults": {"values": [2, 9, 8, 10, 6, 4]},
    "jobs": [{"id": "boot", "command": "bootstrap", "method": "exact", "ci": ["percentile"]},
             {"id": "flip", "command": "test", "test": "signflip"},
             {"id": "bad", "command": "bootstrap", "method": "sometimes"}]})");
  const auto r = run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& text : lines_of(slurp(path("out.jsonl")))) {
    auto line = nlohmann::json::parse(text);
    by_id[line["id"].get<std::string>()] = line;
  }
  ASSERT_EQ(by_id.size(), 3u);
  const auto& interval = by_id["boot"]["result"]["intervals"].at(0);
  EXPECT_EQ(interval["method"], "percentile");
  EXPECT_NEAR(interval["lower"].get<double>(), 4.1667, 1e-4);
  EXPECT_NEAR(interval["upper"].get<double>(), 8.6667, 1e-4);
  EXPECT_DOUBLE_EQ(by_id["flip"]["result"]["endpoints"][0]["tests"][0]["p_value"].get<double>(), 0.03125);
  EXPECT_EQ(by_id["bad"]["status"], "error");
  EXPECT_NE(by_id["bad"]["error"].get<std::string>().find("sometimes"), std::string::npos) << by_id["bad"];

  write_file(path("jobs.json"),
             R"({"jobs": [{"id": "a", "command": "bootstrap", "values": [1, 2], "statt": "mean"}]})");
  const auto unknown =
      run("batch '" + path("jobs.json").string() + "' --out '" + path("other.jsonl").string() + "'");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find(R"(unknown option "statt" for command "bootstrap")"), std::string::npos)
      << unknown.err;
}

// Defaults serve every command: one applies to the jobs whose command has the option.
TEST_F(BatchTest, DefaultsApplyWhereTheCommandHasTheOption) {
  write_file(path("jobs.json"), R"({"defaults": {"ci": "percentile", "resamples": 5000, "seed": 3},
    "jobs": [{"id": "boot", "command": "bootstrap", "values": [2, 9, 8, 10, 6, 4], "method": "exact"},
             {"id": "mc", "command": "test", "test": "signflip", "method": "mc", "values": [2, 9, 8]}]})");
  const auto r = run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& text : lines_of(slurp(path("out.jsonl")))) {
    const auto line = nlohmann::json::parse(text);
    if (line["id"] == "boot") {
      EXPECT_EQ(line["options"]["ci"], "percentile");
      EXPECT_EQ(line["result"]["intervals"].size(), 1u) << text;
    } else {
      EXPECT_FALSE(line["options"].contains("ci")) << "test has no --ci: " << text;
      EXPECT_EQ(line["options"]["resamples"], 5000);
    }
    EXPECT_EQ(line["seed"], 3);
  }
}

TEST_F(BatchTest, SameLinesForAnyThreadCount) {
  write_file(path("jobs.json"), slow_jobs(6, 100000));
  const std::string jobs = "batch '" + path("jobs.json").string() + "' --out '";
  ASSERT_EQ(run(jobs + path("one.jsonl").string() + "' --threads 1").exit_code, 0);
  ASSERT_EQ(run(jobs + path("two.jsonl").string() + "' --threads 2").exit_code, 0);
  const auto one = comparable(slurp(path("one.jsonl")));
  EXPECT_EQ(one.size(), 6u);
  EXPECT_EQ(one, comparable(slurp(path("two.jsonl"))));
}

TEST_F(BatchTest, RefusesToAppendToResultsWithoutResume) {
  write_file(path("jobs.json"), slow_jobs(1, 1000));
  const std::string command =
      "batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'";
  ASSERT_EQ(run(command).exit_code, 0);
  const auto again = run(command);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;
  EXPECT_EQ(run(command + " --overwrite").exit_code, 0);
  EXPECT_EQ(count_lines(path("out.jsonl")), 1u);
}

TEST_F(BatchTest, ResumeAfterSigkillGivesTheUninterruptedLines) {
  // Four jobs of about a quarter of a CPU second each (release build).
  constexpr int jobs = 4;
  write_file(path("jobs.json"), slow_jobs(jobs, 50000000 / resample::test::sanitizer_slowdown));
  const pid_t pid =
      start({"batch", path("jobs.json").string(), "--out", path("killed.jsonl").string(), "--threads", "1"});
  ASSERT_GT(pid, 0);
  const bool started = wait_for_lines(path("killed.jsonl"), 1, std::chrono::seconds(120));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(started) << "no line appeared before the timeout";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed; make the jobs bigger";
  const std::size_t before = count_lines(path("killed.jsonl"));
  ASSERT_LT(before, static_cast<std::size_t>(jobs));
  // SIGKILL leaves whole lines only.
  for (const auto& line : lines_of(slurp(path("killed.jsonl"))))
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;

  const auto resumed = run("batch '" + path("jobs.json").string() + "' --out '" +
                           path("killed.jsonl").string() + "' --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find(std::to_string(before) + " skipped"), std::string::npos) << resumed.err;
  const auto whole =
      run("batch '" + path("jobs.json").string() + "' --out '" + path("whole.jsonl").string() + "'");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(comparable(slurp(path("killed.jsonl"))), comparable(slurp(path("whole.jsonl"))));
}

TEST_F(BatchTest, SigtermStopsStartingJobsAndExits143) {
  // Four jobs of about a quarter of a CPU second each (release build).
  constexpr int jobs = 4;
  write_file(path("jobs.json"), slow_jobs(jobs, 50000000 / resample::test::sanitizer_slowdown));
  const pid_t pid =
      start({"batch", path("jobs.json").string(), "--out", path("out.jsonl").string(), "--threads", "1"});
  const bool started = wait_for_lines(path("out.jsonl"), 1, std::chrono::seconds(120));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(started);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  EXPECT_LT(count_lines(path("out.jsonl")), static_cast<std::size_t>(jobs));
  const auto resumed =
      run("batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "' --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(count_lines(path("out.jsonl")), static_cast<std::size_t>(jobs));
}

TEST_F(BatchTest, ResumeIgnoresATruncatedLastLineAndRerunsFailedJobs) {
  write_file(path("jobs.json"), slow_jobs(3, 20000));
  const std::string jobs = "batch '" + path("jobs.json").string() + "' --out '";
  ASSERT_EQ(run(jobs + path("whole.jsonl").string() + "'").exit_code, 0);
  const auto whole = lines_of(slurp(path("whole.jsonl")));
  ASSERT_EQ(whole.size(), 3u);
  // One good line, one error line for a job that now succeeds, and half of a third line.
  auto failed = nlohmann::ordered_json::parse(whole[1]);
  failed["status"] = "error";
  failed.erase("result");
  failed["error"] = "earlier failure";
  write_file(path("partial.jsonl"),
             whole[0] + "\n" + failed.dump() + "\n" + whole[2].substr(0, whole[2].size() / 2));
  const auto r = run(jobs + path("partial.jsonl").string() + "' --resume");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_EQ(comparable(slurp(path("partial.jsonl"))), comparable(slurp(path("whole.jsonl"))));
}

TEST_F(BatchTest, ResumeRefusesAJobWhoseOptionsChanged) {
  write_file(path("jobs.json"), slow_jobs(2, 20000));
  const std::string command =
      "batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'";
  ASSERT_EQ(run(command).exit_code, 0);
  write_file(path("jobs.json"), slow_jobs(2, 30000));
  const auto r = run(command + " --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("different options"), std::string::npos) << r.err;
}

TEST_F(BatchTest, SecondRunOnTheSameOutRefusesNamingTheLock) {
  constexpr int jobs = 8;
  write_file(path("jobs.json"), slow_jobs(jobs, 50000000 / resample::test::sanitizer_slowdown));
  const pid_t pid =
      start({"batch", path("jobs.json").string(), "--out", path("out.jsonl").string(), "--threads", "1"});
  ASSERT_GT(pid, 0);
  const bool started = wait_for_lines(path("out.jsonl"), 1, std::chrono::seconds(120));
  // A line written means the first run holds the lock; the second must neither truncate nor append.
  const std::string second =
      "batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'";
  const auto overwrite = run(second + " --overwrite");
  const auto resume = run(second + " --resume");
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(started);
  for (const auto* r : {&overwrite, &resume}) {
    SCOPED_TRACE(r->args);
    EXPECT_EQ(r->exit_code, 2);
    EXPECT_NE(r->err.find("in use by another resample batch run"), std::string::npos) << r->err;
    EXPECT_NE(r->err.find(path("out.jsonl").string() + ".lock"), std::string::npos) << r->err;
    EXPECT_EQ(std::count(r->err.begin(), r->err.end(), '\n'), 1) << r->err;
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(count_lines(path("out.jsonl")), static_cast<std::size_t>(jobs));
  // The lock ends with its run.
  const auto after = run(second + " --resume");
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.err.find(std::to_string(jobs) + " skipped"), std::string::npos) << after.err;
}

TEST_F(BatchTest, RefusesOutThatIsTheJobFile) {
  write_file(path("jobs.json"), slow_jobs(1, 1000));
  const std::string jobs = slurp(path("jobs.json"));
  fs::create_symlink("jobs.json", path("link.json"));
  fs::create_hard_link(path("jobs.json"), path("hard.json"));
  for (const std::string out : {"jobs.json", "link.json", "hard.json", "./jobs.json"}) {
    const auto r = run("batch '" + path("jobs.json").string() + "' --out '" + (dir_ / out).string() + "'");
    SCOPED_TRACE(out);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is the job file"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_EQ(slurp(path("jobs.json")), jobs);
}

TEST_F(BatchTest, FifoJobFileIsRefusedLikeAFifoCsv) {
  ASSERT_EQ(::mkfifo(path("jobs.fifo").c_str(), 0600), 0);
  const auto r = run("batch '" + path("jobs.fifo").string() + "' --out '" + path("out.jsonl").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("jobs.fifo: is not a regular file (device, pipe or socket), expected a JSON job file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(BatchTest, SymlinkedOutStaysALinkAndDevNullStaysADevice) {
  write_file(path("jobs.json"), slow_jobs(2, 1000));
  // One job at a time: this test is about the output file, not about jobs running side by side.
  const std::string jobs = "batch --threads 1 '" + path("jobs.json").string() + "' --out '";
  fs::create_symlink("/dev/null", path("null"));
  const auto to_null = run(jobs + path("null").string() + "' --overwrite");
  EXPECT_EQ(to_null.exit_code, 0) << to_null.err;
  EXPECT_TRUE(fs::is_character_file(fs::symlink_status("/dev/null")));
  EXPECT_TRUE(fs::is_symlink(path("null")));
  expect_usage_error(run(jobs + path("null").string() + "' --resume"), "not a regular file");

  // A resume rewrite (dropping a truncated line) replaces the link's target, keeping its mode.
  fs::create_symlink("real.jsonl", path("link.jsonl"));
  ASSERT_EQ(run(jobs + path("link.jsonl").string() + "'").exit_code, 0);
  const std::string whole = slurp(path("real.jsonl"));
  write_file(path("real.jsonl"), whole + "{\"id\":");
  fs::permissions(path("real.jsonl"), fs::perms(0600));
  const auto resumed = run(jobs + path("link.jsonl").string() + "' --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(fs::is_symlink(path("link.jsonl")));
  EXPECT_EQ(slurp(path("real.jsonl")), whole);
  EXPECT_EQ(fs::status(path("real.jsonl")).permissions(), fs::perms(0600));
}

// A job that fails is one error line every run: --resume runs it once more and records it again,
// it neither loops nor leaves the other jobs undone.
TEST_F(BatchTest, ResumeRunsAFailedJobOnceMoreAndRecordsIt) {
  write_file(path("jobs.json"), R"({"defaults": {"command": "bootstrap", "method": "mc", "resamples": 2000},
    "jobs": [{"id": "good1", "values": [2, 9, 8, 10, 6, 4], "seed": 1},
             {"id": "bad", "values": [2, 9, 8], "seed": -1},
             {"id": "good2", "values": [1, 1, 1, 0, 0, 3], "seed": 2}]})");
  const std::string command =
      "batch '" + path("jobs.json").string() + "' --out '" + path("out.jsonl").string() + "'";
  for (const std::string extra : {"", " --resume", " --resume"}) {
    const auto r = run(command + extra);
    SCOPED_TRACE(r.args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(extra.empty() ? "2 ok, 1 failed, 0 skipped" : "0 ok, 1 failed, 2 skipped"),
              std::string::npos)
        << r.err;
    const auto lines = lines_of(slurp(path("out.jsonl")));
    ASSERT_EQ(lines.size(), 3u);
    std::size_t errors = 0;
    for (const auto& text : lines)
      if (nlohmann::json::parse(text)["status"] == "error") {
        ++errors;
        EXPECT_NE(text.find("--seed: got '-1'"), std::string::npos) << text;
      }
    EXPECT_EQ(errors, 1u);
  }
}

}  // namespace
