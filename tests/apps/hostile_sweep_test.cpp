// A generated sweep of hostile inputs over every subcommand (issue 14): malformed CSV files, bad
// option values, degenerate data and scale extremes, drawn from fixed pools by a seeded generator,
// each run as a separate process of the real binary (RESAMPLE_CLI). Every run must end by itself
// with exit 0 or 2, never a signal, a hang or an internal failure (1); on exit 2 exactly one line
// on stderr that names an option, a file or a line:column, and nothing on stdout; and no output
// ever prints NaN or infinity as a number.

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/sanitizer_slowdown.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

// Release builds run this many generated cases; sanitizer builds a tenth, which still puts every
// pool through the instrumented binary.
constexpr std::size_t release_cases = 1200;

struct sweep_outcome {
  int exit_code = -1;  // -1: did not exit normally
  int signal = 0;
  std::string out, err;
};

using resample::test::write_file;

// Runs the binary under `timeout` through /bin/sh with its output in files of this worker.
sweep_outcome run_case(const std::string& arguments, const fs::path& scratch) {
  const fs::path out = scratch / "stdout", err = scratch / "stderr";
  const std::string command = "cd '" + scratch.string() + "' && exec timeout -s KILL 30 '" +
                              std::string(RESAMPLE_CLI) + "' " + arguments + " >'" + out.string() + "' 2>'" +
                              err.string() + "' </dev/null";
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  sweep_outcome o;
  if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) return o;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  o.out = resample::test::slurp(out);
  o.err = resample::test::slurp(err);
  return o;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }
// A value as one shell word (no value in the pools holds a single quote).
std::string word(const std::string& text) { return "'" + text + "'"; }

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& pool) {
  return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
}

// The files the cases read: a good paired table, the paper's table, and malformed variants.
std::vector<fs::path> make_data_files(const fs::path& dir, std::mt19937_64& rng) {
  const std::string good =
      "id,pre,post,diff\n1,7.3,2.1,5.2\n2,9,1,8\n3,6.5,6.5,0\n4,10,4.25,5.75\n5,3,5,-2\n6,8,0,8\n";
  std::ifstream paper_in(fs::path(RESAMPLE_SOURCE_DATA_DIR) / "gaughen2002_table1.csv", std::ios::binary);
  const std::string paper((std::istreambuf_iterator<char>(paper_in)), std::istreambuf_iterator<char>());
  std::vector<std::pair<std::string, std::string>> files{
      {"good.csv", good},
      {"paper.csv", paper},
      {"na.csv", "pre,post\n1,2\nNA,3\n4,5\n"},
      {"empty_cell.csv", "pre,post\n1,2\n,3\n4,5\n"},
      {"unterminated.csv", "pre,post\n\"1,2\n3,4\n"},
      {"cr_only.csv", "pre,post\r1,2\r3,4\r5,9\r"},
      {"bom_crlf.csv", "\xEF\xBB\xBFpre,post\r\n1,2\r\n3,4\r\n"},
      {"binary.csv", std::string("pre,post\n1,\0\x01\xff\n", 14)},
      {"ragged.csv", "pre,post\n1,2,3\n4\n"},
      {"duplicate.csv", "pre,pre\n1,2\n3,4\n"},
      {"overflow.csv", "pre,post\n1e308,-1e308\n1,2\n"},
      {"huge.csv", "pre,post\n1e308,1e307\n1e308,2e307\n9e307,1e307\n"},
      {"tiny.csv", "pre,post\n1e-300,2e-300\n3e-300,1e-300\n5e-300,0\n"},
      {"near_constant.csv", "pre,post\n0.3,0.1\n9.3,9.1\n5.3,5.1\n1.3,1.1\n"},
      {"constant.csv", "pre,post\n5,5\n5,5\n5,5\n"},
      {"one_row.csv", "pre,post\n1,2\n"},
      {"header_only.csv", "pre,post\n"},
      {"empty.csv", ""},
      {"semicolon.csv", "pre;post\n1,5;2\n3;4\n"},
      {"tab.csv", "pre\tpost\n1\t2\n3\t4\n"},
      {"offset.csv",
       "pre,post\n1000000000007.3,1000000000002.1\n1000000000009,1000000000001\n"
       "1000000000006,1000000000006\n1000000000010,1000000000004\n"},
      {"long_field.csv", "pre,post\n" + std::string(100000, '9') + ",1\n1,2\n"},
  };
  // Mutations of the good table: bytes replaced by the characters that matter to a CSV reader.
  const std::string specials = ",\"\n\r;\t.-+eE0 #\x01";
  for (int m = 0; m < 24; ++m) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) text[rng() % text.size()] = specials[rng() % specials.size()];
    files.emplace_back("mutated_" + std::to_string(m) + ".csv", text);
  }
  std::vector<fs::path> paths;
  for (const auto& [name, text] : files) {
    write_file(dir / name, text);
    paths.push_back(dir / name);
  }
  return paths;
}

// Batch job files: good and bad jobs, malformed JSON, a job whose data are missing.
std::vector<fs::path> make_job_files(const fs::path& dir, const fs::path& good_csv) {
  const std::string data = good_csv.string();
  const std::vector<std::pair<std::string, std::string>> files{
      {"jobs_good.json", R"({"jobs": [{"id": "a", "command": "bootstrap", "values": [2, 9, 8, 10, 6, 4]},
                                      {"id": "b", "command": "test", "values": [1, 1, 1, 0, 0, 3]}]})"},
      {"jobs_bad_value.json", R"({"jobs": [{"id": "a", "command": "bootstrap", "values": [2, "x", 8]},
                                           {"id": "b", "command": "test", "values": [2, 9, 8, 10, 6, 4]}]})"},
      {"jobs_missing_data.json",
       R"({"jobs": [{"id": "a", "command": "bootstrap", "data": "no-such.csv", "column": ["d"]}]})"},
      {"jobs_data.json", R"({"jobs": [{"id": "a", "command": "test", "data": ")" + data +
                             R"(", "pre": ["pre"], "post": ["post"]}]})"},
      {"jobs_degenerate.json",
       R"({"jobs": [{"id": "a", "command": "bootstrap", "values": [5, 5.0000000001, 5, 5]},
                                             {"id": "b", "command": "test", "values": [0, 0, 0]},
                                             {"id": "c", "command": "bootstrap", "values": [1e308, 1e308, 1e308]}]})"},
      {"jobs_syntax.json", R"({"jobs": [{"id": "a", "command": )"},
      {"jobs_unknown_key.json", R"({"jobs": [{"id": "a", "command": "bootstrap", "frobnicate": 1}]})"},
      {"jobs_duplicate.json", R"({"jobs": [{"id": "a", "command": "test", "values": [1, 2]},
                                           {"id": "a", "command": "test", "values": [1, 2]}]})"},
      {"jobs_empty.json", ""},
  };
  std::vector<fs::path> paths;
  for (const auto& [name, text] : files) {
    write_file(dir / name, text);
    paths.push_back(dir / name);
  }
  return paths;
}

struct pools {
  std::vector<std::string> values{"2,9,8,10,6,4",
                                  "1,1,1,0,0,3",
                                  "0,0,0,0",
                                  "5,5,5,5",
                                  "5,5.0000000001,5,5",
                                  "1e308,1e308,1e308",
                                  "-1e308,1e308,1",
                                  "1e-300,2e-300,-1e-300",
                                  "1e-9,2e-9,-3e-9,4e-9,0.5e-9",
                                  "1000000000000,1000000000003,999999999998,1000000000001",
                                  "7",
                                  "",
                                  ",",
                                  "1,,2",
                                  "1,2,",
                                  "nan,1,2",
                                  "inf,1,2",
                                  "1e999,1",
                                  "0x10,1",
                                  "1,2,abc",
                                  " 1 , 2 , 3 ",
                                  "+-1,2",
                                  "-0,0,0",
                                  "0.1,0.2,0.30000000000000004",
                                  "3,-3,3,-3",
                                  "2,9,8,10,6,4,7.5,3.1,5.5,0,0,-2"};
  std::vector<std::string> seeds{"1",  "0",   "18446744073709551615",   "18446744073709551616", "-1",
                                 "''", "abc", "99999999999999999999999"};
  std::vector<std::string> threads{"1", "2", "0", "64", "-1", "x"};
  std::vector<std::string> stats{"mean", "median",      "hl",          "sd",       "trimmed:0.2", "prop_ge:3",
                                 "meen", "trimmed:0.7", "prop_ge:nan", "trimmed:", "''"};
  std::vector<std::string> seconds{"5", "0", "-1", "abc", "1e-9", "nan", "inf"};
  std::vector<std::string> memory{"1G", "0", "-1", "abc", "1k", "1e999"};
  std::vector<std::string> levels{"0.9", "0", "1", "1.5", "nan", "-0.1", "abc"};
  std::vector<std::string> counts{"100", "2000", "0", "-5", "abc", "1e30", "1.5"};
  std::vector<std::string> ranges{"0:10", "10:0", "a:b", "0:1", "-1e308:1e308", "nan:1"};
};

// One command line: a subcommand, its input, and a few options from the pools.
std::string make_case(std::mt19937_64& rng, const pools& p, const std::vector<fs::path>& data,
                      const std::vector<fs::path>& jobs, const fs::path& dir) {
  auto coin = [&](double probability) {
    return std::uniform_real_distribution<double>(0, 1)(rng) < probability;
  };
  auto input = [&]() -> std::string {
    if (coin(0.55)) return " --values=" + word(pick(rng, p.values));
    const auto& file = pick(rng, data);
    const std::string columns = pick(rng, std::vector<std::string>{" --pre pre --post post", " --column diff",
                                                                   " --pre pre", " --column nope", ""});
    return " --data " + quoted(file) + columns + (coin(0.2) ? " --range " + pick(rng, p.ranges) : "");
  };
  auto common = [&](std::string& s) {
    if (coin(0.3)) s += " --seed " + pick(rng, p.seeds);
    if (coin(0.2)) s += " --threads " + pick(rng, p.threads);
    if (coin(0.3)) s += " --json";
    if (coin(0.1))
      s += " --out " + pick(rng, std::vector<std::string>{quoted(dir / "out.txt"),
                                                          quoted(dir / "missing" / "x"), quoted(dir)});
  };
  const std::string command =
      pick(rng, std::vector<std::string>{"bootstrap", "bootstrap", "test", "test", "power", "coverage",
                                         "plan", "report", "batch"});
  std::string s = command;
  if (command == "bootstrap") {
    s += input();
    if (coin(0.5)) s += " --stat " + pick(rng, p.stats);
    if (coin(0.4)) s += " --method " + pick(rng, std::vector<std::string>{"exact", "mc", "auto", "foo"});
    s += " --resamples " + (coin(0.7) ? std::string("500") : pick(rng, p.counts));
    if (coin(0.4))
      s += " --ci " + pick(rng, std::vector<std::string>{"percentile", "bca", "studentized", "calibrated",
                                                         "percentile,bca", "foo", "''"});
    if (coin(0.2)) s += " --conf " + pick(rng, p.levels);
    if (coin(0.15)) s += " --max-memory " + pick(rng, p.memory);
    s += " --max-seconds " + (coin(0.8) ? std::string("5") : pick(rng, p.seconds));
  } else if (command == "test") {
    s += input();
    if (coin(0.5))
      s += " --test " + pick(rng, std::vector<std::string>{"signflip", "sign", "wilcoxon", "t",
                                                           "signflip,wilcoxon", "foo", "''"});
    if (coin(0.3)) s += " --stat " + pick(rng, p.stats);
    if (coin(0.3))
      s +=
          " --alternative " + pick(rng, std::vector<std::string>{"two-sided", "greater", "less", "sideways"});
    if (coin(0.2)) s += " --zero-method " + pick(rng, std::vector<std::string>{"pratt", "wilcox", "foo"});
    if (coin(0.4))
      s += " --method " + pick(rng, std::vector<std::string>{"exact", "mc", "approx", "auto", "foo"});
    s += " --resamples " + (coin(0.7) ? std::string("2000") : pick(rng, p.counts));
    if (coin(0.2)) s += " --mid-p";
    if (coin(0.2))
      s += " --improved-by " + pick(rng, std::vector<std::string>{"3", "nan", "inf", "1e999", "-1", "abc"});
    if (coin(0.15)) s += " --max-memory " + pick(rng, p.memory);
    s += " --max-seconds " + (coin(0.8) ? std::string("5") : pick(rng, p.seconds));
  } else if (command == "power" || command == "coverage") {
    s += input();
    if (command == "power") {
      if (coin(0.4))
        s += " --test " + pick(rng, std::vector<std::string>{"signflip", "sign", "wilcoxon", "t", "foo"});
      s +=
          " --n " + pick(rng, std::vector<std::string>{"10", "6:12:2", "0", "-1", "abc", "12:6:2", "6:12:0"});
      if (coin(0.2)) s += " --alpha " + pick(rng, p.levels);
      if (coin(0.15))
        s += " --target-power " + pick(rng, std::vector<std::string>{"0.8", "1.5", "abc", "nan"});
    } else {
      if (coin(0.4)) s += " --stat " + pick(rng, p.stats);
      s += " --n " + pick(rng, std::vector<std::string>{"6", "10", "0", "-1", "abc"});
      if (coin(0.3))
        s += " --ci " + pick(rng, std::vector<std::string>{"percentile", "bca", "t", "hl", "foo"});
      if (coin(0.2)) s += " --conf " + pick(rng, p.levels);
      s += " --resamples " + (coin(0.8) ? std::string("200") : pick(rng, p.counts));
    }
    if (coin(0.2))
      s +=
          " --model " + pick(rng, std::vector<std::string>{"bootstrap", "shift --shift-to 0", "shift",
                                                           "discrete", "discrete --distribution -1:0.5,1:0.5",
                                                           "discrete --distribution 1:nan", "foo"});
    s += " --trials " + (coin(0.8) ? std::string("20") : pick(rng, p.counts));
    if (coin(0.1)) s += " --plot " + quoted(dir / "plot.svg");
    s += " --max-seconds " + (coin(0.8) ? std::string("5") : pick(rng, p.seconds));
  } else if (command == "plan") {
    s += input();
    if (coin(0.5))
      s += " --ci " + pick(rng, std::vector<std::string>{"percentile", "bca", "foo"});
    else
      s += " --test " + pick(rng, std::vector<std::string>{"signflip", "wilcoxon", "foo"});
    if (coin(0.3)) s += " --stat " + pick(rng, p.stats);
    if (coin(0.3))
      s += " --precision " + pick(rng, std::vector<std::string>{"0.01", "0", "-1", "abc", "nan"});
    if (coin(0.2)) s += " --relative " + pick(rng, std::vector<std::string>{"0.05", "0", "abc", "inf"});
  } else if (command == "report") {
    if (coin(0.8)) s += " --data " + quoted(pick(rng, data));
    if (coin(0.3)) s += " --format " + pick(rng, std::vector<std::string>{"markdown", "json", "text", "foo"});
    if (coin(0.1))
      s += " --plots " + pick(rng, std::vector<std::string>{quoted(dir / "plots"), quoted(dir / "good.csv")});
    if (coin(0.2)) s += " --conf " + pick(rng, p.levels);
    if (coin(0.2)) s += " --alpha " + pick(rng, p.levels);
    if (coin(0.2)) s += " --all-intervals";
  } else {
    s += " " + quoted(pick(rng, jobs)) + " --out " + quoted(dir / "results.jsonl") + " --overwrite";
    if (coin(0.2)) s += " --split-blocks " + pick(rng, std::vector<std::string>{"-3", "0", "4", "abc"});
    if (coin(0.2)) s += " --threads " + pick(rng, p.threads);
    return s;
  }
  common(s);
  return s;
}

// What a one-line error must name: an option, a file (any path in this sweep's directory, or a
// job file position), or a line:column.
bool names_its_subject(const std::string& line) {
  static const std::regex subject(R"((--[a-z][a-z-]*)|(\.csv|\.json|\.svg|\.txt|\.jsonl)|(:\d+:\d+)|('/))");
  return std::regex_search(line, subject);
}

TEST(HostileSweep, EveryGeneratedCaseExitsCleanlyWithOneLineOrAResult) {
  const fs::path dir = fs::temp_directory_path() / ("resample-sweep-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937_64 rng(20261201);
  const auto data = make_data_files(dir, rng);
  const auto jobs = make_job_files(dir, dir / "good.csv");
  const pools p;
  const std::size_t total = std::max<std::size_t>(100, release_cases / resample::test::sanitizer_slowdown);
  std::vector<std::string> cases;
  for (std::size_t i = 0; i < total; ++i) cases.push_back(make_case(rng, p, data, jobs, dir));

  std::atomic<std::size_t> next{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  auto worker = [&](int w) {
    const fs::path scratch = dir / ("worker" + std::to_string(w));
    fs::create_directories(scratch);
    for (std::size_t i; (i = next++) < cases.size();) {
      const sweep_outcome o = run_case(cases[i], scratch);
      std::string problem;
      if (o.signal != 0)
        problem = "ended by signal " + std::to_string(o.signal);
      else if (o.exit_code != 0 && o.exit_code != 2)
        problem = "exit code " + std::to_string(o.exit_code);
      else if (o.exit_code == 2) {
        const auto lines = std::count(o.err.begin(), o.err.end(), '\n');
        if (lines != 1 || o.err.back() != '\n')
          problem = "exit 2 with " + std::to_string(lines) + " stderr lines";
        else if (o.err.find("resample::") != std::string::npos || o.err.find("std::") != std::string::npos)
          problem = "the error names a C++ function";
        else if (!names_its_subject(o.err))
          problem = "the error names no option, file, line or column";
        else if (!o.out.empty())
          problem = "exit 2 with output on stdout";
      }
      if (problem.empty()) {
        static const std::regex not_a_number(R"((^|[^A-Za-z_])(-?nan|-?inf|NaN|-?Infinity)([^A-Za-z_]|$))");
        if (std::regex_search(o.out, not_a_number)) problem = "NaN or infinity printed as a number";
      }
      if (!problem.empty()) {
        std::lock_guard<std::mutex> lock(failures_mutex);
        failures.push_back(problem + ": resample " + cases[i] + "\n    stderr: " + o.err.substr(0, 300));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) workers.emplace_back(worker, w);
  for (auto& t : workers) t.join();
  fs::remove_all(dir);
  std::sort(failures.begin(), failures.end());
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << cases.size() << " generated cases failed";
}

}  // namespace
