// The unit of measurement must never change an answer (docs/equality.md, "Equality of computed
// values"). For every statistic, interval method and test, exact and Monte Carlo:
// - results on 2^k * x are 2^k times the results on x, bit for bit, and p-values and counts are
//   bit-identical (k in {-60, -30, -10, 10, 30, 60});
// - for c in {1e-9, 1e-6, 1e3, 1e12} they agree to 1e-12 of the data's scale c * max|x|
//   (values) or to 1e-12 relative (p-values).

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"

namespace resample {
namespace {

using inference::alternative;
using inference::method_choice;

// Real-valued without ties (the audit's bootstrap data at scale 1), integer with ties and zeros,
// and four-decimal data (the audit's test data at scale 1).
const std::vector<double> real_valued{-1.6203, -0.5141, -0.1676, -0.8932, -1.1925, 0.3366, 1.1972};
const std::vector<double> tied_integers{2, 9, 8, 10, 6, 4, 0, 9, -3};
const std::vector<double> decimals{1.1176, 2.1351, 0.3287,  0.1405, -0.5582,
                                   0.6494, 0.6645, -0.3597, 0.3675, 0.3819};

std::vector<double> scaled(const std::vector<double>& x, double c) {
  std::vector<double> out;
  for (double v : x) out.push_back(c * v);
  return out;
}

double magnitude(const std::vector<double>& x) {
  double m = 0.0;
  for (double v : x) m = std::max(m, std::fabs(v));
  return m;
}

// Every number a run produces that carries the data's unit, and every number that does not.
struct snapshot {
  std::vector<std::optional<double>> values;  // in the data's unit (unit-free for prop_ge's bootstrap)
  bool unit_free_values = false;
  std::vector<double> probabilities;  // unit-free: p-values, levels, counts
  std::vector<std::string> labels;    // which value is which, for failure messages
};

void add(snapshot& s, const std::string& label, std::optional<double> v) {
  s.values.push_back(v);
  s.labels.push_back(label);
}

statistic with_threshold(statistic stat, double c) {
  if (stat.kind == statistic_kind::prop_ge) stat.parameter *= c;
  return stat;
}

snapshot bootstrap_snapshot(const std::vector<double>& x, statistic stat, bootstrap::method method) {
  bootstrap::bootstrap_options o;
  o.stat = stat;
  o.requested = method;
  o.resamples = 2000;
  o.seed = 7;
  // Studentized with the default jackknife se* for statistics without an analytic SE, exact and
  // Monte Carlo.
  o.intervals = {bootstrap::interval_method::percentile, bootstrap::interval_method::basic,
                 bootstrap::interval_method::normal, bootstrap::interval_method::bca,
                 bootstrap::interval_method::studentized};
  if (method == bootstrap::method::monte_carlo && !is_sum_type(stat)) o.resamples = 300;
  const auto r = bootstrap::bootstrap(x, o);
  snapshot s;
  s.unit_free_values = stat.kind == statistic_kind::prop_ge;  // a proportion
  add(s, "estimate", r.estimate);
  add(s, "se", r.se);
  add(s, "bias", r.bias);
  for (const auto& i : r.intervals) {
    add(s, std::string(to_string(i.method)) + " lower", i.lower);
    add(s, std::string(to_string(i.method)) + " upper", i.upper);
    if (i.mc_se_lower) add(s, std::string(to_string(i.method)) + " mc_se_lower", i.mc_se_lower);
    if (i.mc_se_upper) add(s, std::string(to_string(i.method)) + " mc_se_upper", i.mc_se_upper);
  }
  s.probabilities.push_back(static_cast<double>(r.distribution.size()));
  for (const auto& a : r.distribution.atoms()) s.probabilities.push_back(a.weight);
  s.probabilities.push_back(r.studentized_dropped);
  return s;
}

void add_test(snapshot& s, const inference::test_result& r) {
  s.probabilities.push_back(r.p_value);
  if (r.mc_se) s.probabilities.push_back(*r.mc_se);
  s.probabilities.push_back(static_cast<double>(r.n_nonzero));
}

// Every test and interval estimate on differences x, statistic `stat` for the sign-flip tests.
snapshot test_snapshot(const std::vector<double>& x, statistic stat) {
  snapshot s;
  inference::sign_flip_options exact;
  exact.method = method_choice::exact;
  inference::sign_flip_options mc;
  mc.method = method_choice::monte_carlo;
  mc.resamples = 4000;
  for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
    add_test(s, inference::sign_flip_test(x, stat, alt, exact));
    add_test(s, inference::sign_flip_gray(x, stat, alt, exact));
    add_test(s, inference::sign_flip_test(x, stat, alt, mc));
    if (stat.kind == statistic_kind::mean) add_test(s, inference::sign_flip_meet_in_middle(x, alt, exact));
  }
  for (auto zeros : {inference::zero_method::pratt, inference::zero_method::wilcox}) {
    inference::wilcoxon_options w;
    w.zeros = zeros;
    w.method = method_choice::exact;
    add_test(s, inference::wilcoxon_test(x, alternative::two_sided, w));
    w.method = method_choice::monte_carlo;
    add_test(s, inference::wilcoxon_test(x, alternative::two_sided, w));
    w.method = method_choice::approximate;
    add_test(s, inference::wilcoxon_test(x, alternative::greater, w));
  }
  add_test(s, inference::sign_test(x, alternative::two_sided));
  add_test(s, inference::t_test(x, alternative::two_sided));
  for (const auto& e :
       {inference::hodges_lehmann_interval(x), inference::median_interval(x), inference::t_interval(x)}) {
    add(s, e.name + " estimate", e.estimate);
    add(s, e.name + " lower", e.lower);
    add(s, e.name + " upper", e.upper);
    if (e.achieved_level) s.probabilities.push_back(*e.achieved_level);
  }
  const std::vector<std::vector<double>> two{x, std::vector<double>(x.rbegin(), x.rend())};
  for (const auto& r : {inference::max_t_test(two, alternative::two_sided, exact),
                        inference::max_t_test(two, alternative::two_sided, mc)}) {
    for (double p : r.max_t_p) s.probabilities.push_back(p);
    for (double p : r.raw_p) s.probabilities.push_back(p);
  }
  return s;
}

// Scaling by a power of two is exact: the results must be the same bits, times c.
void expect_power_of_two_scaled(const snapshot& base, const snapshot& at_scale, double c) {
  ASSERT_EQ(base.values.size(), at_scale.values.size());
  for (std::size_t i = 0; i < base.values.size(); ++i) {
    ASSERT_EQ(base.values[i].has_value(), at_scale.values[i].has_value()) << base.labels[i];
    if (base.values[i]) {
      EXPECT_EQ(c * *base.values[i], *at_scale.values[i]) << base.labels[i];
    }
  }
  ASSERT_EQ(base.probabilities.size(), at_scale.probabilities.size());
  for (std::size_t i = 0; i < base.probabilities.size(); ++i)
    EXPECT_EQ(base.probabilities[i], at_scale.probabilities[i]) << "unit-free value " << i;
}

void expect_scaled(const snapshot& base, const snapshot& at_scale, double c, double data_scale) {
  ASSERT_EQ(base.values.size(), at_scale.values.size());
  for (std::size_t i = 0; i < base.values.size(); ++i) {
    ASSERT_EQ(base.values[i].has_value(), at_scale.values[i].has_value()) << base.labels[i];
    if (base.values[i]) {
      EXPECT_NEAR(c * *base.values[i], *at_scale.values[i], 1e-12 * c * data_scale) << base.labels[i];
    }
  }
  ASSERT_EQ(base.probabilities.size(), at_scale.probabilities.size());
  for (std::size_t i = 0; i < base.probabilities.size(); ++i)
    EXPECT_NEAR(base.probabilities[i], at_scale.probabilities[i], 1e-12 * std::fabs(base.probabilities[i]))
        << "unit-free value " << i;
}

struct scale_case {
  std::string name;
  double c;
  bool power_of_two;
  friend void PrintTo(const scale_case& s, std::ostream* os) { *os << s.name; }
};

class ScaleInvariance : public ::testing::TestWithParam<scale_case> {};

const std::vector<statistic> statistics{{statistic_kind::mean, 0.0},         {statistic_kind::median, 0.0},
                                        {statistic_kind::trimmed_mean, 0.2}, {statistic_kind::sd, 0.0},
                                        {statistic_kind::hl, 0.0},           {statistic_kind::prop_ge, 0.25}};

template <class Snap>
void check_all(const scale_case& sc, Snap&& snap) {
  for (const auto* data : {&real_valued, &tied_integers, &decimals}) {
    for (const auto& stat : statistics) {
      SCOPED_TRACE(to_string(stat) + " on " + std::to_string(data->size()) + " values");
      const auto base = snap(*data, stat);
      const auto at_scale = snap(scaled(*data, sc.c), with_threshold(stat, sc.c));
      const double factor = base.unit_free_values ? 1.0 : sc.c;
      if (sc.power_of_two)
        expect_power_of_two_scaled(base, at_scale, factor);
      else
        expect_scaled(base, at_scale, factor, base.unit_free_values ? 1.0 : magnitude(*data));
    }
  }
}

TEST_P(ScaleInvariance, ExactBootstrap) {
  check_all(GetParam(), [](const std::vector<double>& x, const statistic& s) {
    return bootstrap_snapshot(x, s, bootstrap::method::exact);
  });
}

TEST_P(ScaleInvariance, MonteCarloBootstrap) {
  check_all(GetParam(), [](const std::vector<double>& x, const statistic& s) {
    return bootstrap_snapshot(x, s, bootstrap::method::monte_carlo);
  });
}

TEST_P(ScaleInvariance, TestsAndIntervalEstimates) {
  check_all(GetParam(), [](const std::vector<double>& x, const statistic& s) { return test_snapshot(x, s); });
}

INSTANTIATE_TEST_SUITE_P(
    Units, ScaleInvariance,
    ::testing::Values(scale_case{"two_to_minus_60", 0x1p-60, true},
                      scale_case{"two_to_minus_30", 0x1p-30, true},
                      scale_case{"two_to_minus_10", 0x1p-10, true}, scale_case{"two_to_10", 0x1p10, true},
                      scale_case{"two_to_30", 0x1p30, true}, scale_case{"two_to_60", 0x1p60, true},
                      scale_case{"1e_minus_9", 1e-9, false}, scale_case{"1e_minus_6", 1e-6, false},
                      scale_case{"1e3", 1e3, false}, scale_case{"1e12", 1e12, false}),
    [](const auto& info) { return info.param.name; });

// Adding a constant to every value moves a shift-equivariant statistic's bootstrap intervals by
// that constant and leaves its spread alone: 1e12 added to integer data of spread about 10 (the
// sums stay exact integers below 2^53, so only the final division by n rounds).
TEST(ShiftInvariance, BootstrapOfTheMeanMovesWithTheOffset) {
  constexpr double offset = 1e12;
  for (auto method : {bootstrap::method::exact, bootstrap::method::monte_carlo}) {
    const auto base = bootstrap_snapshot(tied_integers, {statistic_kind::mean, 0.0}, method);
    std::vector<double> shifted;
    for (double v : tied_integers) shifted.push_back(v + offset);
    const auto moved = bootstrap_snapshot(shifted, {statistic_kind::mean, 0.0}, method);
    ASSERT_EQ(base.values.size(), moved.values.size());
    // The rounding of a mean of values near 1e12: a few ulps of 1e12.
    const double rounding = 8 * std::ldexp(1.0, std::ilogb(offset) - 52);
    for (std::size_t i = 0; i < base.values.size(); ++i) {
      ASSERT_EQ(base.values[i].has_value(), moved.values[i].has_value()) << base.labels[i];
      if (!base.values[i]) continue;
      const std::string& label = base.labels[i];
      const bool located = label == "estimate" || ((label.ends_with(" lower") || label.ends_with(" upper")) &&
                                                   label.find("mc_se") == std::string::npos);
      EXPECT_NEAR(*base.values[i] + (located ? offset : 0.0), *moved.values[i], rounding) << base.labels[i];
    }
    EXPECT_EQ(base.probabilities, moved.probabilities);
  }
}

}  // namespace
}  // namespace resample
