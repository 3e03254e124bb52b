// libFuzzer target: the whole command line, in-process through run_cli(). The input is split at
// '\n' into arguments after the program name. Contract checked: the exit code is 0 or 2 (1 means
// an internal error escaped, which is a bug), and a 2 comes with exactly one line on stderr.
//
// Safety: the harness runs in a private temporary directory holding a few small CSV files, and
// drops every argument that could write a file or reach outside it (see allowed()).

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "run_cli.hpp"

namespace {

// Accepts and discards everything written to it.
class null_buffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

bool contains_ci(std::string_view text, std::string_view word) {
  return std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

// Options that write files (--out, and the --plots/--resume/--checkpoint of later commands) and
// paths leaving the working directory are never passed on.
bool allowed(std::string_view arg) {
  for (std::string_view word :
       {"out", "plot", "resume", "checkpoint", "save", "write", "log", "dump", "config"})
    if (contains_ci(arg, word)) return false;
  return arg.find('/') == std::string_view::npos && arg.find("..") == std::string_view::npos;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  namespace fs = std::filesystem;
  // Under TMPDIR when set (scripts/fuzz.sh points it into build-asan/ and cleans up after).
  std::string pattern = (fs::temp_directory_path() / "resample-cli-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  const fs::path dir(pattern);
  // Inputs the fuzzer can name with --data: the paper's table, its header alone, an empty file,
  // a table with the wrong columns and one with a value off the pain scale.
  std::ifstream paper(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv", std::ios::binary);
  std::stringstream text;
  text << paper.rdbuf();
  const std::string table = text.str();
  write_file(dir / "t.csv", table);
  const auto header_end = table.find("\npatient,");
  const auto header_stop = table.find('\n', header_end + 1);
  write_file(dir / "h.csv", table.substr(0, header_stop + 1));
  write_file(dir / "e.csv", "");
  write_file(dir / "w.csv", "a,b\n1,2\n3,4\n");
  std::string off_scale = table;
  if (const auto last = off_scale.rfind(",0,"); last != std::string::npos) off_scale.replace(last, 3, ",99,");
  write_file(dir / "s.csv", off_scale);
  fs::create_directory(dir / "d");
  fs::current_path(dir);
  // The directory is left behind on exit (a few hundred bytes); libFuzzer gives no hook that runs
  // after the last input.
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args{"resample"};
  std::size_t start = 0;
  while (start <= input.size() && args.size() < 64) {
    const auto end = std::min(input.find('\n', start), input.size());
    const std::string_view arg = input.substr(start, end - start);
    if (allowed(arg)) args.emplace_back(arg);
    start = end + 1;
  }
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  static null_buffer discard;
  std::ostringstream errors;
  auto* const out = std::cout.rdbuf(&discard);
  auto* const err = std::cerr.rdbuf(errors.rdbuf());
  const int rc = resample::cli::run_cli(static_cast<int>(args.size()), argv.data());
  std::cout.rdbuf(out);
  std::cerr.rdbuf(err);

  if (rc != 0 && rc != 2) __builtin_trap();
  const std::string message = errors.str();
  if (rc == 2 &&
      (message.empty() || message.back() != '\n' || std::count(message.begin(), message.end(), '\n') != 1))
    __builtin_trap();
  return 0;
}
