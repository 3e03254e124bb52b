#include "commands.hpp"

namespace resample::cli {

std::map<std::string, batch_runner>& batch_runners() {
  static std::map<std::string, batch_runner> runners;
  return runners;
}

}  // namespace resample::cli
