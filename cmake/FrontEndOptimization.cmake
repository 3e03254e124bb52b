# The command-line layer (apps/) and the tests are parse, call and format code around the engine,
# and most of a build's compile time: CLI11, nlohmann::json and fmt instantiated at -O3. Nothing
# hot runs in them (the resampling loops are engine code, compiled with the build type's flags), so
# in a Release build they are compiled at -O1, which the last -O on the command line selects.
# Measured on this 2-core machine (GCC 12): apps/test_command.cpp 28.1 s at -O3, 18.5 s at -O1,
# 14.1 s at -O0. The engine, the study layer, the benchmarks and the Python module keep -O3.
add_library(resample_front_end_optimization INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(resample_front_end_optimization INTERFACE $<$<CONFIG:Release>:-O1>)
endif()
