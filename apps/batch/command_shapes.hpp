#pragma once
// Option shapes of the analysis commands batch jobs can name, read from each command's own
// add_X_options so that job files are checked against the real option definitions (unknown keys
// and wrong JSON types fail before any job runs).

namespace resample::cli::batch {

void register_command_option_shapes();

}  // namespace resample::cli::batch
