// A fresh directory per test under the system temporary directory, named by test and process (the
// tests of one binary run in parallel processes), removed when the test passes and kept for a look
// when it fails.

#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace resample::test {

class scratch_directory_test : public ::testing::Test {
 protected:
  explicit scratch_directory_test(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + std::string(info->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

}  // namespace resample::test
