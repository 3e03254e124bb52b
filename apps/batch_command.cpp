// `resample batch JOBS --out results.jsonl`: many analyses from one job file, concurrently on TBB
// and, with --mpi, across MPI ranks. This file holds the command's options; the runs are in
// apps/batch/ (local_run.hpp: one process, mpi_run.hpp: MPI ranks, run_common.hpp: what they share).
//
// Output: one JSON line per finished job, appended as soon as the job finishes (durability first),
// so lines are in completion order, which varies from run to run. Compare result files by id with
// the "timings" key removed (scripts/batch-compare.sh); everything else in a line is a function of
// the job alone. Exit codes: 0 all jobs ok; 2 a bad job file or any job failed; 128+signal
// (130 SIGINT, 143 SIGTERM) when stopped by a signal.

#include <oneapi/tbb/global_control.h>

#include <memory>
#include <optional>
#include <string>

#include "batch/command_shapes.hpp"
#include "batch/local_run.hpp"
#include "batch/run_common.hpp"
#include "batch/stop_signal.hpp"
#include "cli_common.hpp"
#include "commands.hpp"
#if RESAMPLE_MPI
#include "batch/mpi_run.hpp"
#endif

namespace resample::cli {

void register_batch_command(CLI::App& app) {
  batch::register_command_option_shapes();
  auto options = std::make_shared<batch::run_options>();
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
        code = batch::run_mpi(*options);
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
