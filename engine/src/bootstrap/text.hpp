#pragma once
// printf-style formatting for the engine's messages (the engine library does not link fmt).

#include <cstdarg>
#include <cstdio>
#include <string>

namespace resample::bootstrap::detail {

__attribute__((format(printf, 1, 2))) inline std::string printf_string(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int size = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string out(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size > 0) std::vsnprintf(out.data(), out.size() + 1, format, args);
  va_end(args);
  return out;
}

}  // namespace resample::bootstrap::detail
