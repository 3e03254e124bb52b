#pragma once
// The message of the resample error (of type Error, resample::error by default) that f throws, or
// "(no error)": lets a test compare a whole message with one EXPECT. Other exceptions propagate.

#include <string>

#include "resample/error.hpp"

namespace resample::test {

template <class Error = error, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace resample::test
