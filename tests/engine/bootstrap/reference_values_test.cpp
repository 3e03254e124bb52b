#include <gtest/gtest.h>

#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "support/paper_table.hpp"

namespace resample::bootstrap {
namespace {

const interval& find(const bootstrap_result& r, interval_method m) {
  for (const auto& i : r.intervals)
    if (i.method == m) return i;
  throw std::runtime_error("interval missing");
}

// The paper's repeat-treatment data (statistical-conventions.md, reference values), to 4 decimals.
TEST(BootstrapReferenceValues, PainReductionsMeanExact) {
  const std::vector<double>& pain = resample::test::paper::pain;
  bootstrap_options options;
  options.requested = method::exact;
  const auto r = bootstrap(pain, options);
  EXPECT_EQ(r.mode_run, mode::exact);
  EXPECT_DOUBLE_EQ(r.estimate, 6.5);
  EXPECT_NEAR(r.se, 1.14867, 5e-6);
  EXPECT_EQ(r.bias, 0.0);
  const auto& p = find(r, interval_method::percentile);
  EXPECT_NEAR(*p.lower, 4.1667, 5e-5);
  EXPECT_NEAR(*p.upper, 8.6667, 5e-5);
  const auto& b = find(r, interval_method::basic);
  EXPECT_NEAR(*b.lower, 4.3333, 5e-5);
  EXPECT_NEAR(*b.upper, 8.8333, 5e-5);
  const auto& bca = find(r, interval_method::bca);
  ASSERT_TRUE(bca.lower.has_value()) << bca.note;
  EXPECT_NEAR(*bca.lower, 4.0, 5e-5);
  EXPECT_NEAR(*bca.upper, 8.5, 5e-5);
}

TEST(BootstrapReferenceValues, MobilityImprovementsMeanExact) {
  const std::vector<double> mobility{1, 1, 1, 0, 0, 3};
  bootstrap_options options;
  options.requested = method::exact;
  const auto r = bootstrap(mobility, options);
  EXPECT_DOUBLE_EQ(r.estimate, 1.0);
  const auto& p = find(r, interval_method::percentile);
  EXPECT_NEAR(*p.lower, 0.3333, 5e-5);
  EXPECT_NEAR(*p.upper, 1.8333, 5e-5);
  const auto& bca = find(r, interval_method::bca);
  ASSERT_TRUE(bca.lower.has_value()) << bca.note;
  EXPECT_NEAR(*bca.lower, 0.3333, 5e-5);
  EXPECT_NEAR(*bca.upper, 2.0, 5e-5);
}

}  // namespace
}  // namespace resample::bootstrap
