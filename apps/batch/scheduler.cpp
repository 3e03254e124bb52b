#include "scheduler.hpp"

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <new>

#include "../cli_common.hpp"
#include "../commands.hpp"
#include "option_errors.hpp"
#include "parallel_for.hpp"
#include "resample/error.hpp"
#include "resample/version.hpp"
#include "stop_signal.hpp"

namespace resample::cli::batch {

std::string result_line(const job& j, const nlohmann::json* result, const std::string* error,
                        double wall_seconds, int rank) {
  nlohmann::ordered_json line;
  line["id"] = j.id;
  line["command"] = j.command;
  line["options"] = j.options;
  // The seed the job ran with: its own option, else the one the command reports using (its
  // default), so that every Monte Carlo line can be reproduced on its own.
  if (j.seed.is_null() && result && result->is_object() && result->contains("seed"))
    line["seed"] = (*result)["seed"];
  else
    line["seed"] = j.seed;
  line["status"] = result ? "ok" : "error";
  if (result)
    line["result"] = *result;
  else
    line["error"] = error ? *error : std::string("unknown error");
  nlohmann::ordered_json timings;
  // Milliseconds are plenty for a job and keep the noisy key short.
  timings["wall_seconds"] = std::round(wall_seconds * 1000.0) / 1000.0;
  if (rank >= 0) timings["rank"] = rank;
  line["timings"] = timings;
  line["engine_version"] = resample::engine_version;
  // Replace invalid UTF-8 from a message rather than throwing while reporting an error.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

job_outcome run_job(const job& j, int rank, const block_distributor* distribute) {
  job_outcome outcome;
  outcome.source = &j;
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json result;
  std::string error;
  try {
    const auto& runner = batch_runners().at(j.command);
    const batch_job_scope context({&stop_flag(), distribute});
    result = runner(j.args);
    outcome.ok = true;
  } catch (const resample::cancelled_error&) {
    outcome.cancelled = true;
    return outcome;
  } catch (const share_handed_over&) {
    outcome.handed_over = true;
    return outcome;
  } catch (const CLI::ParseError& e) {
    error = e.what();
  } catch (const resample::error& e) {
    error = engine_message(e);
  } catch (const usage_error& e) {
    error = e.what();
  } catch (const std::bad_alloc&) {
    error = "out of memory; try a smaller --resamples or --max-memory";
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
  } catch (...) {
    // Whatever a job throws stays that job's error line: the other jobs and the batch carry on.
    error = "internal error: the job ended with an exception of unknown type";
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.line = result_line(j, outcome.ok ? &result : nullptr, outcome.ok ? nullptr : &error, seconds, rank);
  return outcome;
}

void run_jobs(const std::vector<const job*>& todo, int rank,
              const std::function<void(const job_outcome&)>& finished) {
  std::mutex report;
#ifdef RESAMPLE_THREAD_SANITIZER
  // Debian's libtbb is not TSan-instrumented: TSan cannot see a task_group task (and the copy of
  // this lambda it holds) being handed to a worker, and reports false races on the job data. The
  // TSan build runs the jobs on parallel_for's std::thread backend instead, so the batch tests
  // still run jobs concurrently and check them for real races (docs/hardening.md).
  resample::parallel_for(std::size_t{0}, todo.size(), [&](std::size_t i) {
    if (stop_requested()) return;
    const job_outcome outcome = run_job(*todo[i], rank);
    std::lock_guard lock(report);
    finished(outcome);
  });
#else
  tbb::task_group group;
  for (const job* j : todo) {
    group.run([j, rank, &finished, &report] {
      if (stop_requested()) return;
      job_outcome outcome;
      tbb::this_task_arena::isolate([&] { outcome = run_job(*j, rank); });
      std::lock_guard lock(report);
      finished(outcome);
    });
  }
  group.wait();
#endif
}

}  // namespace resample::cli::batch
