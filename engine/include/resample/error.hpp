#pragma once
// Errors the engine raises. Every message is one line that names what was wrong and what was
// expected. The engine speaks in its own parameters (level, resamples, method, ...), never in a
// front end's words: the parameter at fault and the remedies are carried as data, so that a front
// end can say them in its own vocabulary (the CLI: "--conf", "use --method mc").

#include <stdexcept>
#include <string>
#include <vector>

namespace resample {

// Something the caller could change to make a refused request run, said about one parameter:
// `phrase` holds "{}" where the parameter's name goes ("{} mc" for method, "fewer {}" for
// resamples), so that each front end can put its own name for it.
struct remedy {
  std::string parameter;
  std::string phrase;
};

// Base of every error caused by the caller's input rather than by the engine.
// what() = [FUNCTION ": "] REASON ["; use " REMEDY [" or " REMEDY ...]], remedies said with the
// engine's parameter names.
class error : public std::runtime_error {
 public:
  explicit error(const std::string& reason, std::string parameter = {}, std::vector<remedy> remedies = {},
                 std::string function = {});
  // The message without the function or the remedies.
  const std::string& reason() const noexcept { return reason_; }
  // The engine parameter at fault ("level", "resamples", "n" for the sample's size), empty when
  // the error is about the data as a whole or has no single parameter.
  const std::string& parameter() const noexcept { return parameter_; }
  const std::vector<remedy>& remedies() const noexcept { return remedies_; }
  // The engine function that raised it ("resample::sign_flip_test"), for C++ callers; empty when
  // not recorded.
  const std::string& function() const noexcept { return function_; }

 private:
  std::string reason_;
  std::string parameter_;
  std::vector<remedy> remedies_;
  std::string function_;
};

// An argument outside its domain. Reason: "ARGUMENT = VALUE, expected ...".
class invalid_argument : public error {
 public:
  using error::error;
};

// Malformed input data. Message: "FILE:LINE:COLUMN: ...".
class data_error : public error {
 public:
  using error::error;
};

// A well-formed request that cannot be carried out within the limits (exact enumeration too large,
// memory budget exceeded, counts that would overflow). The message says how big it would be.
class infeasible_error : public error {
 public:
  using error::error;
};

// A Monte Carlo run stopped because its cancel flag was set (execution::cancel, in the options'
// `exec`), at a block boundary: no result exists. Not an `error`: nothing was wrong with the
// input, and a front end that reports errors must not report this as one.
class cancelled_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The remedies in one phrase, each parameter named by `name_of` ("method mc or method approx").
template <class NameOf>
std::string say_remedies(const std::vector<remedy>& remedies, NameOf&& name_of) {
  std::string out;
  for (const auto& r : remedies) {
    if (!out.empty()) out += " or ";
    const auto at = r.phrase.find("{}");
    out += at == std::string::npos
               ? r.phrase
               : r.phrase.substr(0, at) + std::string(name_of(r.parameter)) + r.phrase.substr(at + 2);
  }
  return out;
}

// Throws invalid_argument for `function`. The reason follows the convention "ARGUMENT = VALUE,
// expected ...": ARGUMENT, when it leads the reason so, is recorded as the parameter at fault.
[[noreturn]] void throw_invalid_argument(const char* function, const std::string& reason);
// The same with the parameter named explicitly (a reason that does not start with it).
[[noreturn]] void throw_invalid_argument(const char* function, const std::string& parameter,
                                         const std::string& reason, std::vector<remedy> remedies = {});

// The common remedies, one definition each.
inline remedy use_monte_carlo() { return {"method", "{} mc"}; }
inline remedy use_approximation() { return {"method", "{} approx"}; }

}  // namespace resample
