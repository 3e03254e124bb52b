#pragma once
// A diagnostic batch command, "selftest-mc": a Monte Carlo bootstrap of the mean on the shared
// counter-based streams, block by block on TBB. It exists to exercise and measure the batch
// machinery (durability, resume, signals, MPI, thread scaling) independently of the analysis
// commands, and is registered only when RESAMPLE_BATCH_SELFTEST=1 is in the environment so that
// users never see it.

namespace resample::cli::batch {

void register_selftest_runner_if_enabled();

}  // namespace resample::cli::batch
