#include "command_shapes.hpp"

#include "../bootstrap_command.hpp"
#include "../coverage_command.hpp"
#include "../power_command.hpp"
#include "../test_command.hpp"
#include "job_file.hpp"

namespace resample::cli::batch {

namespace {

// The shapes of a command from its add_X_options function and options struct.
template <typename Options, void (*add)(CLI::App&, Options&)>
option_shapes shapes_of() {
  Options options;
  CLI::App app;
  add(app, options);
  return describe_options(app);
}

}  // namespace

void register_command_option_shapes() {
  batch_option_shapes()["bootstrap"] = shapes_of<bootstrap_options, add_bootstrap_options>;
  batch_option_shapes()["test"] = shapes_of<test_options, add_test_options>;
  batch_option_shapes()["power"] = shapes_of<power_options, add_power_options>;
  batch_option_shapes()["coverage"] = shapes_of<coverage_options, add_coverage_options>;
}

}  // namespace resample::cli::batch
