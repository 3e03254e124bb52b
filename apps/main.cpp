// The resample executable: everything lives in run_cli() (apps/run_cli.cpp) so that tests and
// fuzz targets can run the command line without exiting the process.

#include "run_cli.hpp"

int main(int argc, char** argv) { return resample::cli::run_cli(argc, argv); }
