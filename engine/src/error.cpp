#include "resample/error.hpp"

#include <cctype>

namespace resample {

namespace {

std::string message(const std::string& function, const std::string& reason,
                    const std::vector<remedy>& remedies) {
  std::string out = function.empty() ? reason : function + ": " + reason;
  if (!remedies.empty()) out += "; use " + say_remedies(remedies, [](const std::string& p) { return p; });
  return out;
}

// "level = 0.95, expected ..." -> "level"; "" when the reason does not start with an identifier
// followed by " = ".
std::string leading_argument(const std::string& reason) {
  std::size_t i = 0;
  while (i < reason.size() && (std::islower(static_cast<unsigned char>(reason[i])) != 0 || reason[i] == '_' ||
                               (i > 0 && std::isdigit(static_cast<unsigned char>(reason[i])) != 0)))
    ++i;
  if (i == 0 || reason.compare(i, 3, " = ") != 0) return {};
  return reason.substr(0, i);
}

}  // namespace

error::error(const std::string& reason, std::string parameter, std::vector<remedy> remedies,
             std::string function)
    : std::runtime_error(message(function, reason, remedies)),
      reason_(reason),
      parameter_(std::move(parameter)),
      remedies_(std::move(remedies)),
      function_(std::move(function)) {}

void throw_invalid_argument(const char* function, const std::string& reason) {
  throw invalid_argument(reason, leading_argument(reason), {}, function);
}

void throw_invalid_argument(const char* function, const std::string& parameter, const std::string& reason,
                            std::vector<remedy> remedies) {
  throw invalid_argument(reason, parameter, std::move(remedies), function);
}

}  // namespace resample
