// `resample batch` stopping a long Monte Carlo job at a block boundary: SIGTERM while a bootstrap
// and a sign-flip test job with a huge B run must end the run promptly, write no line for them
// (a partial result is no result), and --resume must then give exactly the uninterrupted lines.
// (It starts and signals the process itself; reading and comparing lines come from tests/support.)

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/result_lines.hpp"
#include "support/sanitizer_slowdown.hpp"

namespace {

namespace fs = std::filesystem;
using resample::test::comparable;

using resample::test::slurp;

class BatchCancelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("resample_batch_cancel_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path path(const std::string& name) const { return dir_ / name; }

  // Starts `resample ARGS` with stdout discarded and stderr to stderr.txt; returns its pid.
  pid_t start(const std::vector<std::string>& args) const {
    const std::string err = path("stderr.txt").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      const int log = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
      std::vector<std::string> copy = args;
      std::string program = RESAMPLE_CLI;
      std::vector<char*> argv{program.data()};
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    return pid;
  }

  // Waits for the process; its exit code (-1 if killed) and the CPU seconds it used.
  std::pair<int, double> wait_exit(pid_t pid) const {
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    const double cpu =
        static_cast<double>(usage.ru_utime.tv_sec) + 1e-6 * static_cast<double>(usage.ru_utime.tv_usec);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, cpu};
  }

  // User CPU seconds the running process has used so far (/proc/PID/stat field 14, in ticks).
  static double cpu_seconds(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    std::stringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 14 && fields >> field; ++i) {
    }
    return std::stod(field.empty() ? "0" : field) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

  fs::path dir_;
};

using resample::test::sanitizer_slowdown;

// Two jobs of about 0.9 s of CPU each (measured: 1.1e8 bootstrap resamples and 1.1e7 sign patterns
// per CPU second in a release build); --threads 1 runs one job at a time, so the second has not
// started when the first is stopped.
std::string long_jobs() {
  return R"({"defaults": {"values": [2, 9, 8, 10, 6, 4, 7, 1, 3, 5, 8, 2]},
  "jobs": [{"id": "boot", "command": "bootstrap", "method": "mc", "resamples": )" +
         std::to_string(100000000 / sanitizer_slowdown) + R"(,
            "ci": ["percentile"], "seed": 11},
           {"id": "flip", "command": "test", "test": "signflip", "method": "mc", "resamples": )" +
         std::to_string(10000000 / sanitizer_slowdown) + R"(,
            "seed": 12}]})";
}

TEST_F(BatchCancelTest, SigtermStopsARunningMonteCarloJobWithoutALineAndResumeCompletesIt) {
  std::ofstream(path("jobs.json")) << long_jobs();
  const std::vector<std::string> run{
      "batch", path("jobs.json").string(), "--out", path("out.jsonl").string(), "--threads", "1"};
  const pid_t pid = start(run);
  ASSERT_GT(pid, 0);
  // Signal once the first job has computed for a while (CPU time, not wall time: the machine may
  // be loaded), so that it is surely inside its Monte Carlo loop.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (cpu_seconds(pid) < 0.1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(pid, SIGTERM);
  const auto [code, cpu] = wait_exit(pid);
  const std::string err = slurp(path("stderr.txt"));
  EXPECT_EQ(code, 143) << err;
  // Finishing the running job would have taken about 0.9 s of CPU; a block takes milliseconds.
  EXPECT_LT(cpu, 0.5) << "the running job did not stop at a block boundary";
  EXPECT_TRUE(slurp(path("out.jsonl")).empty()) << "a stopped job must not write a line";
  EXPECT_NE(err.find("2 not run"), std::string::npos) << err;

  std::vector<std::string> resume = run;
  resume.push_back("--resume");
  resume[5] = "2";
  EXPECT_EQ(wait_exit(start(resume)).first, 0) << slurp(path("stderr.txt"));
  EXPECT_EQ(
      wait_exit(start({"batch", path("jobs.json").string(), "--out", path("whole.jsonl").string()})).first, 0)
      << slurp(path("stderr.txt"));
  const auto resumed = comparable(slurp(path("out.jsonl")));
  EXPECT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed, comparable(slurp(path("whole.jsonl"))));
}

}  // namespace
