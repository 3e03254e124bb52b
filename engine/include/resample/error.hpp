#pragma once
// Errors the engine raises. Every message is one line that names what was wrong and what was
// expected, so that a front end can print it as it is (the CLI exits with code 2 for all of them).

#include <stdexcept>
#include <string>

namespace resample {

// Base of every error caused by the caller's input rather than by the engine.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An argument outside its domain. Message: "resample::FUNCTION: ARGUMENT = VALUE, expected ...".
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

// A Monte Carlo run stopped because its cancel flag was set (monte_carlo_options::cancel,
// sign_flip_options::cancel), at a block boundary: no result exists. Not an `error`: nothing was
// wrong with the input, and a front end that reports errors must not report this as one.
class cancelled_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws invalid_argument with the conventional prefix naming the function.
[[noreturn]] void throw_invalid_argument(const char* function, const std::string& message);

}  // namespace resample
