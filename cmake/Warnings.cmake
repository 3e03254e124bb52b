add_library(resample_warnings INTERFACE)
target_compile_options(resample_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 reports a false -Wrestrict inside libstdc++'s std::string concatenation at -O3
  # (GCC bug 105329); it says nothing about our code.
  target_compile_options(resample_warnings INTERFACE -Wno-restrict)
endif()
if(RESAMPLE_WARNINGS_AS_ERRORS)
  target_compile_options(resample_warnings INTERFACE -Werror)
endif()
