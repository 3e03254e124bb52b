# All dependencies come from Debian 12 packages; scripts/install-deps.sh installs them.
# A missing one stops the configure step with the name of the package that provides it.

macro(resample_require_package name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR
      "resample: dependency '${name}' not found. Install the Debian package '${debian_package}' "
      "(or run scripts/install-deps.sh, which installs everything the build needs).")
  endif()
endmacro()

resample_require_package(Boost libboost-math-dev CONFIG)          # header-only parts: Math, Random
resample_require_package(TBB libtbb-dev CONFIG)
resample_require_package(CLI11 libcli11-dev CONFIG)
resample_require_package(nlohmann_json nlohmann-json3-dev CONFIG)
resample_require_package(fmt libfmt-dev CONFIG)
if(RESAMPLE_BUILD_TESTS)
  resample_require_package(GTest libgtest-dev CONFIG)
endif()
if(RESAMPLE_BUILD_BENCH)
  resample_require_package(benchmark libbenchmark-dev CONFIG)
endif()

# Random123 (counter-based generators) is header-only and ships no CMake package: cmake/FindRandom123.cmake.
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})
find_package(Random123 QUIET)
if(NOT Random123_FOUND)
  message(FATAL_ERROR "resample: Random123 headers not found. Install the Debian package 'librandom123-dev' "
                      "(or run scripts/install-deps.sh).")
endif()
