// `resample batch JOBS --out results.jsonl`: many analyses from one job file, concurrently on TBB
// and, with --mpi, across MPI ranks. See apps/batch/ for the parts (local_run.hpp: one process,
// run_common.hpp: what it shares with the MPI run below).
//
// Output: one JSON line per finished job, appended as soon as the job finishes (durability first),
// so lines are in completion order, which varies from run to run. Compare result files by id with
// the "timings" key removed (scripts/batch-compare.sh); everything else in a line is a function of
// the job alone. Exit codes: 0 all jobs ok; 2 a bad job file or any job failed; 128+signal
// (130 SIGINT, 143 SIGTERM) when stopped by a signal.

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "batch/command_shapes.hpp"
#include "batch/job_file.hpp"
#include "batch/local_run.hpp"
#include "batch/progress.hpp"
#include "batch/result_writer.hpp"
#include "batch/run_common.hpp"
#include "batch/scheduler.hpp"
#include "batch/stop_signal.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/study/csv.hpp"
#if RESAMPLE_MPI
#include "batch/mpi_transport.hpp"
#endif

namespace resample::cli {

namespace {

using batch::exit_code;
using batch::line_queue;
using batch::pending_jobs;
using batch::print_summary;
using batch::read_job_file;
using batch::tally;
using batch_options = batch::run_options;

#if RESAMPLE_MPI

// A job worth splitting over the ranks by block ranges: a Monte Carlo bootstrap, sign-flip test or
// Monte Carlo Wilcoxon test (--method mc) whose B fills at least `min_blocks` blocks. Decided from the job's
// options alone, so that every rank decides the same. A split job that turns out not to draw (an exact
// bootstrap chosen by --method auto, an exact test) runs whole on every rank, and rank 0 writes its line.
bool is_split_job(const batch::job& j, std::uint64_t min_blocks) {
  if (min_blocks == 0 || (j.command != "bootstrap" && j.command != "test")) return false;
  const std::string method = j.options.value("method", std::string("auto"));
  if (method == "exact" || method == "approx") return false;
  if (j.command == "test") {
    const std::string tests = j.options.value("test", std::string("all"));
    const bool draws = tests.find("all") != std::string::npos || tests.find("sign") != std::string::npos ||
                       (tests.find("wilcoxon") != std::string::npos && method == "mc");
    if (!draws) return false;
  }
  const auto found = j.options.find("resamples");
  if (found == j.options.end()) return false;  // the commands' default B is far below a split
  double resamples = 0;
  if (found->is_number()) {
    resamples = found->get<double>();
  } else if (found->is_string()) {
    resamples = parse_finite_number(found->get<std::string>()).value_or(0.0);
  }
  return resamples >= static_cast<double>(min_blocks) * static_cast<double>(resamples_per_block);
}

// Runs one Monte Carlo run of a split job on every rank: rank r takes the contiguous blocks
// [blocks*r/N, blocks*(r+1)/N), the others send their partials to rank 0, which merges them in
// rank (= block) order and finishes the run. A rank that failed or was stopped still sends a share
// saying so, so that rank 0 never waits for one that will not come.
// A job may make several such runs (a test job: one sign-flip run per endpoint), and every rank
// must take part in each. So a rank whose share holds only integer counts (sign-flip, histogram
// bootstrap: small) gets the merged counts back from rank 0 and carries on with the job exactly as
// rank 0 does; a rank whose share holds per-resample values (a bootstrap's stored replicates, up
// to B doubles) ends the job with share_handed_over instead of receiving B values: the bootstrap
// makes only one Monte Carlo run per job.
resample::block_partial distribute_over_ranks(const batch::mpi::session& mpi, const batch::job& j,
                                              std::uint64_t blocks, const resample::block_range_runner& run) {
  using share = batch::mpi::session::share;
  const auto rank = static_cast<std::uint64_t>(mpi.rank()), ranks = static_cast<std::uint64_t>(mpi.size());
  auto range_of = [&](std::uint64_t r) { return std::pair{blocks * r / ranks, blocks * (r + 1) / ranks}; };
  share mine;
  try {
    const auto [first, last] = range_of(rank);
    mine.partial = run(first, last);
  } catch (const resample::cancelled_error&) {
    mine.outcome = share::status::cancelled;
  } catch (const std::exception& e) {
    mine.outcome = share::status::failed;
    mine.message = e.what();
  }
  // Decided from the share itself, so that rank 0 knows which ranks wait for a reply.
  auto wants_reply = [](const share& s) { return s.partial.values.empty() && s.partial.t_values.empty(); };
  if (rank != 0) {
    const bool reply = wants_reply(mine);
    mpi.send_share(mine, 0);
    if (!reply) throw batch::share_handed_over{};
    share merged = mpi.receive_share(0, [] {});
    if (merged.outcome == share::status::cancelled)
      throw resample::cancelled_error("split job stopped at a block boundary on some rank");
    if (merged.outcome == share::status::failed) throw batch::share_handed_over{};  // rank 0 reports it
    return std::move(merged.partial);
  }
  std::vector<share> shares;
  shares.push_back(std::move(mine));
  for (int source = 1; source < mpi.size(); ++source) {
    bool said = false;
    shares.push_back(mpi.receive_share(source, [&] {
      // A rank that died leaves rank 0 here until mpirun ends the run (it signals the survivors):
      // say which job and whose share was missing before that happens.
      if (batch::stop_requested() && !said) {
        const auto [first, last] = range_of(static_cast<std::uint64_t>(source));
        std::cerr << fmt::format(
            "resample batch: job \"{}\" (split over {} ranks): stopped while waiting for rank {}'s share "
            "(blocks {} to {}); its line is not written, --resume runs it again\n",
            j.id, ranks, source, first, last);
        said = true;
      }
    }));
  }
  std::vector<bool> reply(shares.size());
  for (std::size_t source = 1; source < shares.size(); ++source) reply[source] = wants_reply(shares[source]);
  share merged;
  for (std::size_t source = 0; source < shares.size() && merged.outcome == share::status::ok; ++source) {
    if (shares[source].outcome == share::status::failed) {
      merged.outcome = share::status::failed;
      merged.message = fmt::format("rank {} of the split job: {}", source, shares[source].message);
    }
  }
  for (std::size_t source = 0; source < shares.size() && merged.outcome == share::status::ok; ++source) {
    if (shares[source].outcome == share::status::cancelled) merged.outcome = share::status::cancelled;
  }
  if (merged.outcome == share::status::ok) {
    try {
      for (auto& s : shares) resample::merge_partial(merged.partial, std::move(s.partial));
    } catch (const std::exception& e) {
      merged.outcome = share::status::failed;
      merged.message = e.what();
    }
  }
  // The merged counts (or the outcome alone) to the ranks carrying on with the job.
  share answer;
  answer.outcome = merged.outcome;
  answer.partial.first_block = merged.partial.first_block;
  answer.partial.last_block = merged.partial.last_block;
  answer.partial.counts = merged.partial.counts;
  for (std::size_t source = 1; source < shares.size(); ++source)
    if (reply[source]) mpi.send_share(answer, static_cast<int>(source));
  if (merged.outcome == share::status::failed) throw std::runtime_error(merged.message);
  if (merged.outcome == share::status::cancelled)
    throw resample::cancelled_error("split job stopped at a block boundary on some rank");
  return std::move(merged.partial);
}

int run_mpi(const batch_options& options) {
  const auto start = std::chrono::steady_clock::now();
  batch::mpi::session mpi;
  const bool root = mpi.rank() == 0;
  // Rank 0 reads the files; the others may run on nodes that cannot see them.
  std::string text, plan;
  std::size_t skipped = 0;
  std::optional<batch::previous_results> done;
  std::optional<batch::results_lock> lock;  // rank 0 writes the file, so rank 0 holds the lock
  if (root) {
    try {
      text = read_job_file(options.jobs);
      const auto jobs = batch::parse_job_file(text, options.jobs);
      batch::check_not_the_job_file(options.out, options.jobs);
      lock.emplace(options.out);
      done = batch::prepare_results_file(options.out, options.resume, options.overwrite);
      nlohmann::json indices = nlohmann::json::array();
      for (const auto* j : pending_jobs(jobs, *done, options.out, skipped)) indices.push_back(j->index);
      plan = nlohmann::json{{"pending", indices}}.dump();
    } catch (const usage_error& e) {
      plan = nlohmann::json{{"error", e.what()}}.dump();
    }
  }
  plan = mpi.broadcast(plan);
  const auto plan_json = nlohmann::json::parse(plan);
  if (plan_json.contains("error")) {
    if (root) std::cerr << "resample: " << plan_json["error"].get<std::string>() << "\n";
    return 2;
  }
  text = mpi.broadcast(text);
  const auto jobs = batch::parse_job_file(text, options.jobs);
  const auto& pending = plan_json["pending"];

  // Jobs with a large B run first, one after another, each on every rank over its own block range
  // (see distribute_over_ranks); the rest go round-robin.
  std::vector<const batch::job*> split, shared;
  for (const auto& index : pending) {
    const auto* j = &jobs.at(index.get<std::size_t>());
    (is_split_job(*j, options.split_blocks) ? split : shared).push_back(j);
  }
  // Static round-robin over the other pending jobs: deterministic, and good enough when jobs are many.
  std::vector<const batch::job*> mine;
  for (std::size_t k = static_cast<std::size_t>(mpi.rank()); k < shared.size();
       k += static_cast<std::size_t>(mpi.size()))
    mine.push_back(shared[k]);

  // Rank 0 writes every line; a failure to open --out must abort every rank (returning would leave
  // the others blocked sending to a rank that does not receive).
  std::optional<batch::result_writer> writer;
  if (root) {
    try {
      writer.emplace(options.out);
    } catch (const std::exception& e) {
      std::cerr << "resample batch: " << e.what() << "\n";
      mpi.abort(1);
    }
  }
  tally total;
  total.skipped = skipped;
  batch::progress bar(pending.size(), root && ::isatty(STDERR_FILENO) == 1);
  auto write = [&](const std::string& line) {
    writer->append(line);
    // The status is the only thing rank 0 needs from a line to count it.
    const bool ok = line.find("\"status\":\"ok\"") != std::string::npos;
    (ok ? total.ok : total.failed) += 1;
    bar.job_done(ok);
  };
  for (const auto* j : split) {
    // Every rank runs every split job, even after a stop request (the engines then stop at the
    // first block), so that the ranks exchange the same shares in the same order.
    const resample::block_distributor distribute = [&](std::uint64_t blocks,
                                                       const resample::block_range_runner& run) {
      return distribute_over_ranks(mpi, *j, blocks, run);
    };
    const auto outcome = batch::run_job(*j, mpi.rank(), &distribute);
    if (!root) continue;  // rank 0 computed the same line, or merged the shares into it
    if (outcome.cancelled) {
      ++total.not_run;
      continue;
    }
    try {
      write(outcome.line);
    } catch (const std::exception& e) {
      std::cerr << "resample batch: job \"" << j->id << "\": " << e.what() << "\n";
      mpi.abort(1);
    }
  }

  tally local;
  std::set<std::string> reported;  // ids of this rank's jobs that have a line
  std::mutex reported_mutex;       // the worker adds while a failing main thread may read
  line_queue queue;
  std::string running_error;
  std::thread worker([&] {
    try {
      batch::run_jobs(mine, mpi.rank(), [&](const batch::job_outcome& outcome) {
        if (outcome.cancelled) return;
        (outcome.ok ? local.ok : local.failed) += 1;
        {
          std::lock_guard lock(reported_mutex);
          reported.insert(outcome.source->id);
        }
        queue.push(outcome.line);
      });
    } catch (const std::exception& e) {
      running_error = e.what();
    }
    queue.close();
  });

  auto fail_rank = [&](const std::string& why) {
    // Name the jobs this rank had not finished, so the user knows what --resume will redo.
    std::string ids;
    std::lock_guard lock(reported_mutex);
    for (const auto* j : mine)
      if (!reported.contains(j->id)) ids += (ids.empty() ? "" : ", ") + j->id;
    std::cerr << "resample batch: rank " << mpi.rank() << " failed (" << why
              << ") with jobs unfinished: " << ids
              << "; lines already written stay valid, --resume completes the rest\n";
    mpi.abort(1);
  };

  if (!root) {
    while (true) {
      auto [lines, finished] = queue.take(std::chrono::milliseconds(50));
      for (const auto& line : lines) mpi.send_line(line);
      if (finished && lines.empty()) break;
    }
    worker.join();
    if (!running_error.empty()) fail_rank(running_error);
    local.not_run = mine.size() - local.ok - local.failed;
    mpi.send_done(
        nlohmann::json{{"ok", local.ok}, {"failed", local.failed}, {"not_run", local.not_run}}.dump());
    return exit_code(local) == 2 ? 0 : exit_code(local);  // rank 0 reports failed jobs
  }

  // From here on a failure on rank 0 must abort every rank: returning would leave the others
  // blocked sending lines that nobody receives.
  int ranks_running = mpi.size() - 1;
  bool local_finished = false;
  try {
    while (ranks_running > 0 || !local_finished) {
      while (auto message = mpi.poll()) {
        if (!message->done) {
          write(message->payload);
          continue;
        }
        --ranks_running;
        total.not_run += nlohmann::json::parse(message->payload).value("not_run", std::size_t{0});
      }
      if (!local_finished) {
        auto [lines, finished] = queue.take(std::chrono::milliseconds(5));
        for (const auto& line : lines) write(line);
        local_finished = finished && lines.empty();
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  } catch (const std::exception& e) {
    bar.finish();
    fail_rank(e.what());
  }
  worker.join();
  bar.finish();
  if (!running_error.empty()) fail_rank(running_error);
  total.not_run += mine.size() - local.ok - local.failed;
  print_summary(total, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                options.out);
  return exit_code(total);
}
#endif

}  // namespace

void register_batch_command(CLI::App& app) {
  batch::register_command_option_shapes();
  auto options = std::make_shared<batch_options>();
  auto* command = app.add_subcommand(
      "batch",
      "run the jobs of a JSON job file concurrently, one JSON result line per job (--mpi: across ranks)");
  command
      ->add_option("JOBS", options->jobs,
                   "job file: {\"defaults\": {...}, \"jobs\": [{\"id\", \"command\", ...}]}")
      ->required();
  command
      ->add_option("--out", options->out, "results file, one JSON line per finished job (completion order)")
      ->required()
      ->group("Output");
  command->add_flag("--resume", options->resume,
                    "skip jobs that already have an \"ok\" line in --out; rerun the rest");
  command->add_flag("--overwrite", options->overwrite, "discard the results already in --out");
  add_threads_option(*command, options->threads);
  command->add_flag("--mpi", options->mpi,
                    "spread jobs over MPI ranks (start with mpirun); rank 0 writes --out");
  command
      ->add_option_function<std::string>(
          "--split-blocks",
          [options](const std::string& text) {
            options->split_blocks =
                parse_whole_number(text, "--split-blocks", 0, max_count,
                                   "a whole number of blocks from 0 (never split) to 2^63");
          },
          "--mpi: a Monte Carlo bootstrap or sign-flip test job with at least this many blocks of "
          "16384 resamples runs on all ranks, each on its own block range (0: never split)")
      ->type_name("UINT")
      ->default_str(std::to_string(options->split_blocks));
  command->callback([options] {
    if (options->resume && options->overwrite) throw usage_error("--resume and --overwrite: choose one");
    batch::install_stop_handlers();
    int code = 0;
    {
      std::optional<tbb::global_control> threads;
      if (options->threads > 0)
        threads.emplace(tbb::global_control::max_allowed_parallelism, options->threads);
      if (options->mpi) {
#if RESAMPLE_MPI
        code = run_mpi(*options);
#else
        throw usage_error("--mpi: this resample was built without MPI (configure with -DRESAMPLE_MPI=ON)");
#endif
      } else {
        code = batch::run_single_process(*options);
      }
    }
    // A batch has more outcomes than success and usage error; main() returns this code.
    if (code != 0) throw exit_status{code};
  });
}

}  // namespace resample::cli
