#include "resample/error.hpp"

namespace resample {

void throw_invalid_argument(const char* function, const std::string& message) {
  throw invalid_argument(std::string(function) + ": " + message);
}

}  // namespace resample
