#include "run_common.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli_common.hpp"
#include "resample/error.hpp"
#include "resample/study/csv.hpp"
#include "stop_signal.hpp"

namespace resample::cli::batch {

std::string read_job_file(const std::string& path) {
  try {
    return read_regular_file(path, "a JSON job file");
  } catch (const resample::error& e) {
    throw usage_error(std::string("JOBS: ") + e.what());
  }
}

std::vector<const job*> pending_jobs(const std::vector<job>& jobs, const previous_results& done,
                                     const std::string& out, std::size_t& skipped) {
  std::vector<const job*> todo;
  for (const auto& j : jobs) {
    auto found = done.ok_options.find(j.id);
    if (found == done.ok_options.end()) {
      todo.push_back(&j);
      continue;
    }
    if (found->second != j.options)
      throw usage_error("--resume: job \"" + j.id + "\" has different options than its result in '" + out +
                        "'; remove that line or give the job a new id");
    ++skipped;
  }
  return todo;
}

int exit_code(const tally& t) {
  if (const int signal = stop_signal_number(); signal != 0) return 128 + signal;
  if (t.not_run > 0) return 130;
  return t.failed > 0 ? 2 : 0;
}

void print_summary(const tally& t, double seconds, const std::string& out) {
  std::string text =
      fmt::format("resample batch: {} ok, {} failed, {} skipped (already done)", t.ok, t.failed, t.skipped);
  if (t.not_run > 0) text += fmt::format(", {} not run (stopped; --resume runs them)", t.not_run);
  text += fmt::format("; {:.1f} s; results in {}\n", seconds, out);
  std::cerr << text;
}

}  // namespace resample::cli::batch
