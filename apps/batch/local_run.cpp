#include "local_run.hpp"

#include <unistd.h>

#include <chrono>
#include <exception>
#include <thread>

#include "progress.hpp"
#include "result_writer.hpp"
#include "scheduler.hpp"
#include "stop_signal.hpp"

namespace resample::cli::batch {

int run_single_process(const run_options& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto jobs = parse_job_file(read_job_file(options.jobs), options.jobs);
  check_not_the_job_file(options.out, options.jobs);
  const results_lock lock(options.out);
  const auto done = prepare_results_file(options.out, options.resume, options.overwrite);
  tally t;
  const auto todo = pending_jobs(jobs, done, options.out, t.skipped);
  result_writer writer(options.out);
  progress bar(todo.size(), ::isatty(STDERR_FILENO) == 1);
  // The jobs run on a thread of their own and this thread writes the lines: each line is a write()
  // and an fsync() of milliseconds, which on the TBB thread that finished the job would leave a
  // core idle (and other finishing jobs waiting for the lock) that long.
  line_queue queue;
  std::exception_ptr running_error;
  std::thread worker([&] {
    try {
      run_jobs(todo, -1, [&](const job_outcome& outcome) {
        if (!outcome.cancelled) queue.push(outcome.line);
      });
    } catch (...) {
      running_error = std::current_exception();
    }
    queue.close();
  });
  std::exception_ptr writing_error;
  while (true) {
    auto [lines, finished] = queue.take(std::chrono::milliseconds(100));
    for (const auto& line : lines) {
      if (writing_error) continue;
      try {
        writer.append(line);
      } catch (...) {
        // No more lines can be made durable: stop starting jobs, let the worker end, then report.
        writing_error = std::current_exception();
        request_stop();
        continue;
      }
      // The status is the only thing needed from a line to count it (key order is fixed).
      const bool ok = line.find("\"status\":\"ok\"") != std::string::npos;
      (ok ? t.ok : t.failed) += 1;
      bar.job_done(ok);
    }
    if (finished && lines.empty()) break;
  }
  worker.join();
  bar.finish();
  if (writing_error) std::rethrow_exception(writing_error);
  if (running_error) std::rethrow_exception(running_error);
  t.not_run = todo.size() - t.ok - t.failed;
  print_summary(t, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                options.out);
  return exit_code(t);
}

}  // namespace resample::cli::batch
