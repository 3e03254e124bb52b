#include "mpi_run.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "cli_common.hpp"
#include "mpi_transport.hpp"
#include "progress.hpp"
#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/parse_number.hpp"
#include "result_writer.hpp"
#include "scheduler.hpp"
#include "stop_signal.hpp"

namespace resample::cli::batch {

namespace {

// A job worth splitting over the ranks by block ranges: a Monte Carlo bootstrap, sign-flip test or
// Monte Carlo Wilcoxon test (--method mc) whose B fills at least `min_blocks` blocks. Decided from the job's
// options alone, so that every rank decides the same. A split job that turns out not to draw (an exact
// bootstrap chosen by --method auto, an exact test) runs whole on every rank, and rank 0 writes its line.
bool is_split_job(const job& j, std::uint64_t min_blocks) {
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
resample::block_partial distribute_over_ranks(const mpi::session& mpi, const job& j, std::uint64_t blocks,
                                              const resample::block_range_runner& run) {
  using share = mpi::session::share;
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
    if (!reply) throw share_handed_over{};
    share merged = mpi.receive_share(0, [] {});
    if (merged.outcome == share::status::cancelled)
      throw resample::cancelled_error("split job stopped at a block boundary on some rank");
    if (merged.outcome == share::status::failed) throw share_handed_over{};  // rank 0 reports it
    return std::move(merged.partial);
  }
  std::vector<share> shares;
  shares.push_back(std::move(mine));
  for (int source = 1; source < mpi.size(); ++source) {
    bool said = false;
    shares.push_back(mpi.receive_share(source, [&] {
      // A rank that died leaves rank 0 here until mpirun ends the run (it signals the survivors):
      // say which job and whose share was missing before that happens.
      if (stop_requested() && !said) {
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

// One rank's part of the run, in the steps of mpi_run.hpp. The members are declared in the order
// the steps create them, so they are destroyed in reverse: the writer closes before the results
// lock is released, and both before the MPI session ends.
class mpi_run {
 public:
  explicit mpi_run(const run_options& options) : options_(options) {}

  int run() {
    if (!share_plan()) return 2;
    assign_jobs();
    open_results();
    run_split_jobs();
    start_own_jobs();
    if (!root_) return forward_lines();
    collect_lines();
    return summary();
  }

 private:
  // Step 1. False (rank 0 has said why) when the job file or the results file is refused.
  bool share_plan() {
    // Rank 0 reads the files; the others may run on nodes that cannot see them.
    std::string plan;
    if (root_) {
      try {
        text_ = read_job_file(options_.jobs);
        const auto jobs = parse_job_file(text_, options_.jobs);
        check_not_the_job_file(options_.out, options_.jobs);
        lock_.emplace(options_.out);
        done_ = prepare_results_file(options_.out, options_.resume, options_.overwrite);
        nlohmann::json indices = nlohmann::json::array();
        for (const auto* j : pending_jobs(jobs, *done_, options_.out, skipped_)) indices.push_back(j->index);
        plan = nlohmann::json{{"pending", indices}}.dump();
      } catch (const usage_error& e) {
        plan = nlohmann::json{{"error", e.what()}}.dump();
      }
    }
    plan = mpi_.broadcast(plan);
    plan_ = nlohmann::json::parse(plan);
    if (plan_.contains("error")) {
      if (root_) std::cerr << "resample: " << plan_["error"].get<std::string>() << "\n";
      return false;
    }
    text_ = mpi_.broadcast(text_);
    jobs_ = parse_job_file(text_, options_.jobs);
    return true;
  }

  // Step 2. Jobs with a large B run first, one after another, each on every rank over its own
  // block range (see distribute_over_ranks); the rest go round-robin.
  void assign_jobs() {
    for (const auto& index : pending()) {
      const auto* j = &jobs_.at(index.get<std::size_t>());
      (is_split_job(*j, options_.split_blocks) ? split_ : shared_).push_back(j);
    }
    // Static round-robin over the other pending jobs: deterministic, and good enough when jobs are many.
    for (std::size_t k = static_cast<std::size_t>(mpi_.rank()); k < shared_.size();
         k += static_cast<std::size_t>(mpi_.size()))
      mine_.push_back(shared_[k]);
  }

  // Rank 0 writes every line; a failure to open --out must abort every rank (returning would leave
  // the others blocked sending to a rank that does not receive).
  void open_results() {
    if (root_) {
      try {
        writer_.emplace(options_.out);
      } catch (const std::exception& e) {
        std::cerr << "resample batch: " << e.what() << "\n";
        mpi_.abort(1);
      }
    }
    total_.skipped = skipped_;
    bar_.emplace(pending().size(), root_ && ::isatty(STDERR_FILENO) == 1);
  }

  // On rank 0: one line into --out, counted.
  void write(const std::string& line) {
    writer_->append(line);
    // The status is the only thing rank 0 needs from a line to count it.
    const bool ok = line.find("\"status\":\"ok\"") != std::string::npos;
    (ok ? total_.ok : total_.failed) += 1;
    bar_->job_done(ok);
  }

  // Step 3.
  void run_split_jobs() {
    for (const auto* j : split_) {
      // Every rank runs every split job, even after a stop request (the engines then stop at the
      // first block), so that the ranks exchange the same shares in the same order.
      const resample::block_distributor distribute = [&](std::uint64_t blocks,
                                                         const resample::block_range_runner& run) {
        return distribute_over_ranks(mpi_, *j, blocks, run);
      };
      const auto outcome = run_job(*j, mpi_.rank(), &distribute);
      if (!root_) continue;  // rank 0 computed the same line, or merged the shares into it
      if (outcome.cancelled) {
        ++total_.not_run;
        continue;
      }
      try {
        write(outcome.line);
      } catch (const std::exception& e) {
        std::cerr << "resample batch: job \"" << j->id << "\": " << e.what() << "\n";
        mpi_.abort(1);
      }
    }
  }

  // Step 4, first half: this rank's own jobs on TBB, their lines into queue_ as they finish.
  void start_own_jobs() {
    worker_ = std::thread([this] {
      try {
        run_jobs(mine_, mpi_.rank(), [&](const job_outcome& outcome) {
          if (outcome.cancelled) return;
          (outcome.ok ? local_.ok : local_.failed) += 1;
          {
            std::lock_guard lock(reported_mutex_);
            reported_.insert(outcome.source->id);
          }
          queue_.push(outcome.line);
        });
      } catch (const std::exception& e) {
        running_error_ = e.what();
      }
      queue_.close();
    });
  }

  [[noreturn]] void fail_rank(const std::string& why) {
    // Name the jobs this rank had not finished, so the user knows what --resume will redo.
    std::string ids;
    std::lock_guard lock(reported_mutex_);
    for (const auto* j : mine_)
      if (!reported_.contains(j->id)) ids += (ids.empty() ? "" : ", ") + j->id;
    std::cerr << "resample batch: rank " << mpi_.rank() << " failed (" << why
              << ") with jobs unfinished: " << ids
              << "; lines already written stay valid, --resume completes the rest\n";
    mpi_.abort(1);
  }

  // Step 4 on ranks other than 0: the lines to rank 0, then this rank's summary.
  int forward_lines() {
    while (true) {
      auto [lines, finished] = queue_.take(std::chrono::milliseconds(50));
      for (const auto& line : lines) mpi_.send_line(line);
      if (finished && lines.empty()) break;
    }
    worker_.join();
    if (!running_error_.empty()) fail_rank(running_error_);
    local_.not_run = mine_.size() - local_.ok - local_.failed;
    mpi_.send_done(
        nlohmann::json{{"ok", local_.ok}, {"failed", local_.failed}, {"not_run", local_.not_run}}.dump());
    return exit_code(local_) == 2 ? 0 : exit_code(local_);  // rank 0 reports failed jobs
  }

  // Step 4 on rank 0: its own lines and the other ranks' into --out, until every rank is done.
  void collect_lines() {
    // From here on a failure on rank 0 must abort every rank: returning would leave the others
    // blocked sending lines that nobody receives.
    int ranks_running = mpi_.size() - 1;
    bool local_finished = false;
    try {
      while (ranks_running > 0 || !local_finished) {
        while (auto message = mpi_.poll()) {
          if (!message->done) {
            write(message->payload);
            continue;
          }
          --ranks_running;
          total_.not_run += nlohmann::json::parse(message->payload).value("not_run", std::size_t{0});
        }
        if (!local_finished) {
          auto [lines, finished] = queue_.take(std::chrono::milliseconds(5));
          for (const auto& line : lines) write(line);
          local_finished = finished && lines.empty();
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    } catch (const std::exception& e) {
      bar_->finish();
      fail_rank(e.what());
    }
  }

  // Step 5, on rank 0.
  int summary() {
    worker_.join();
    bar_->finish();
    if (!running_error_.empty()) fail_rank(running_error_);
    total_.not_run += mine_.size() - local_.ok - local_.failed;
    print_summary(total_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(),
                  options_.out);
    return exit_code(total_);
  }

  const nlohmann::json& pending() const { return plan_.at("pending"); }

  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  const run_options& options_;
  mpi::session mpi_;
  const bool root_ = mpi_.rank() == 0;
  // Step 1.
  std::string text_;  // the job file, read by rank 0 and broadcast
  std::size_t skipped_ = 0;
  std::optional<previous_results> done_;
  std::optional<results_lock> lock_;  // rank 0 writes the file, so rank 0 holds the lock
  nlohmann::json plan_;               // {"pending": [job indices]} or {"error": why}
  std::vector<job> jobs_;
  // Step 2.
  std::vector<const job*> split_, shared_, mine_;
  // Step 3 on.
  std::optional<result_writer> writer_;
  tally total_;
  std::optional<progress> bar_;
  // Step 4.
  tally local_;
  std::set<std::string> reported_;  // ids of this rank's jobs that have a line
  std::mutex reported_mutex_;       // the worker adds while a failing main thread may read
  line_queue queue_;
  std::string running_error_;
  std::thread worker_;
};

}  // namespace

int run_mpi(const run_options& options) { return mpi_run(options).run(); }

}  // namespace resample::cli::batch
