#include "commands.hpp"

namespace resample::cli {

std::map<std::string, batch_runner>& batch_runners() {
  static std::map<std::string, batch_runner> runners;
  return runners;
}

namespace {
thread_local batch_job_context current_context;
}  // namespace

const batch_job_context& current_batch_job() { return current_context; }

batch_job_scope::batch_job_scope(const batch_job_context& context) : previous_(current_context) {
  current_context = context;
}

batch_job_scope::~batch_job_scope() { current_context = previous_; }

}  // namespace resample::cli
