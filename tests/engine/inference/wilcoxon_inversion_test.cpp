#include "resample/inference/wilcoxon_inversion.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/rank_tests.hpp"
#include "support/paper_table.hpp"

namespace resample::inference {
namespace {

bool accepted(double p, double alpha) { return !p_value_at_most(p, alpha); }

// Data whose Walsh averages and their midpoints are exact in doubles (multiples of 2^-20 of
// moderate size), so the brute force below can form d - delta directly and every tie or zero of
// d - delta is an exact one: integers with ties and zeros, halves, negative values, and real
// values (normal draws rounded to 2^-20).
std::vector<double> random_data(std::mt19937_64& rng, std::size_t n, int kind) {
  std::uniform_int_distribution<int> small(-3, 7), tiny(-2, 3);
  std::normal_distribution<double> normal(0.7, 2.0);
  std::vector<double> d(n);
  for (auto& x : d) {
    switch (kind) {
      case 0:  // pain-like integer scores: many ties, zeros
        x = static_cast<double>(small(rng));
        break;
      case 1:  // halves
        x = 0.5 * static_cast<double>(small(rng));
        break;
      case 2:  // mostly negative, few levels
        x = -static_cast<double>(tiny(rng));
        break;
      default:  // real values
        x = std::ldexp(std::round(std::ldexp(normal(rng), 20)), -20);
    }
  }
  if (std::all_of(d.begin(), d.end(), [&](double v) { return v == d[0]; })) d[0] += 1.0;
  return d;
}

// The shifts the brute force tries: every distinct Walsh average, the midpoint of every two
// consecutive ones, and one beyond each end.
struct shift_grid {
  std::vector<double> averages;  // distinct, ascending
  std::vector<double> gaps;      // gaps[t] lies below averages[t]; gaps.back() above all
};
shift_grid brute_grid(const std::vector<double>& d) {
  shift_grid g;
  for (std::size_t i = 0; i < d.size(); ++i)
    for (std::size_t j = i; j < d.size(); ++j) g.averages.push_back(0.5 * (d[i] + d[j]));
  std::sort(g.averages.begin(), g.averages.end());
  g.averages.erase(std::unique(g.averages.begin(), g.averages.end()), g.averages.end());
  const double reach = 1.0 + largest_magnitude(d);
  g.gaps.push_back(g.averages.front() - reach);
  for (std::size_t t = 0; t + 1 < g.averages.size(); ++t)
    g.gaps.push_back(0.5 * (g.averages[t] + g.averages[t + 1]));
  g.gaps.push_back(g.averages.back() + reach);
  return g;
}

// wilcoxon_test itself on d - delta, formed directly (exact for these data).
bool test_accepts(const std::vector<double>& d, double delta, alternative alt, zero_method zeros,
                  double alpha) {
  std::vector<double> shifted(d);
  for (double& x : shifted) x -= delta;
  if (std::all_of(shifted.begin(), shifted.end(), [](double x) { return x == 0.0; })) return true;
  wilcoxon_options o;
  o.zeros = zeros;
  o.method = method_choice::exact;
  return accepted(wilcoxon_test(shifted, alt, o).p_value, alpha);
}

// The brute-force closure of the accepted shifts: its least and greatest members (nullopt when
// unbounded), and whether a rejected gap lies between them.
struct brute_set {
  std::optional<double> lower, upper;
  bool empty = false, connected = true;
  std::size_t rejected_inside = 0;  // Walsh averages in the closure that the test rejects
};
brute_set brute_force(const std::vector<double>& d, alternative alt, zero_method zeros, double level) {
  const auto g = brute_grid(d);
  const double alpha = 1.0 - level;
  // Shifts in order: gap 0, average 0, gap 1, ..., average G-1, gap G.
  std::vector<bool> ok;
  for (std::size_t t = 0; t < g.averages.size(); ++t) {
    ok.push_back(test_accepts(d, g.gaps[t], alt, zeros, alpha));
    ok.push_back(test_accepts(d, g.averages[t], alt, zeros, alpha));
  }
  ok.push_back(test_accepts(d, g.gaps.back(), alt, zeros, alpha));
  brute_set s;
  const auto first = std::find(ok.begin(), ok.end(), true);
  if (first == ok.end()) {
    s.empty = true;
    return s;
  }
  const auto lo = static_cast<std::size_t>(first - ok.begin());
  std::size_t hi = ok.size() - 1;
  while (!ok[hi]) --hi;
  if (lo > 0) s.lower = g.averages[lo % 2 == 1 ? (lo - 1) / 2 : lo / 2 - 1];
  if (hi < ok.size() - 1) s.upper = g.averages[hi % 2 == 1 ? (hi - 1) / 2 : hi / 2];
  // Averages (odd positions) from the lower end's to the upper end's.
  const std::size_t from = lo % 2 == 0 && lo > 0 ? lo - 1 : lo;
  const std::size_t to = hi % 2 == 0 && hi + 1 < ok.size() ? hi + 1 : hi;
  for (std::size_t x = from; x <= to; ++x) s.rejected_inside += x % 2 == 1 && !ok[x];
  for (std::size_t x = lo; x <= hi; ++x)
    if (x % 2 == 0 && !ok[x]) s.connected = false;
  return s;
}

bool has_note(const interval_estimate& s, const std::string& words) {
  return std::any_of(s.notes.begin(), s.notes.end(),
                     [&](const std::string& n) { return n.find(words) != std::string::npos; });
}

std::string describe(const std::vector<double>& d) {
  std::string out;
  for (double x : d) out += std::to_string(x) + " ";
  return out;
}

// The set's endpoints are the brute-force closure's, bit for bit, for every alternative, both
// zero methods and three levels, on 160 random small data sets of every kind.
TEST(WilcoxonInversion, EndpointsAreTheBruteForceClosureOfAcceptedShifts) {
  std::mt19937_64 rng(17);
  int disconnected = 0, checked = 0, rejected_points = 0;
  for (std::size_t n = 3; n <= 12; ++n)
    for (int rep = 0; rep < 16; ++rep) {
      const auto d = random_data(rng, n, rep % 4);
      for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
        for (auto zeros : {zero_method::pratt, zero_method::wilcox})
          for (double level : {0.8, 0.9, 0.95}) {
            wilcoxon_inversion_options o;
            o.level = level, o.alt = alt, o.zeros = zeros;
            const auto s = wilcoxon_confidence_set(d, o);
            const auto b = brute_force(d, alt, zeros, level);
            const std::string where = "d = " + describe(d) + "alt " + to_string(alt) + " zeros " +
                                      to_string(zeros) + " level " + std::to_string(level);
            ASSERT_EQ(s.lower, b.lower) << where;
            ASSERT_EQ(s.upper, b.upper) << where;
            ASSERT_EQ(has_note(s, "empty"), b.empty) << where;
            ASSERT_EQ(has_note(s, "not one interval"), !b.connected) << where;
            ASSERT_EQ(has_note(s, "the test rejects at " + std::to_string(b.rejected_inside) + " Walsh"),
                      b.rejected_inside > 0)
                << where;
            rejected_points += b.rejected_inside > 0;
            EXPECT_TRUE(s.exact) << where;
            disconnected += !b.connected;
            ++checked;
          }
    }
  std::printf("[ info ] %d of %d brute-force sets not connected, %d hold Walsh averages the test rejects\n",
              disconnected, checked, rejected_points);
}

// One-sided sets are rays: greater never has an upper end, less never a lower one.
TEST(WilcoxonInversion, OneSidedSetsAreBounds) {
  std::mt19937_64 rng(23);
  for (int rep = 0; rep < 40; ++rep) {
    const auto d = random_data(rng, 10, rep % 4);
    wilcoxon_inversion_options o;
    o.alt = alternative::greater;
    const auto g = wilcoxon_confidence_set(d, o);
    EXPECT_FALSE(g.upper);
    EXPECT_TRUE(g.one_sided);
    ASSERT_TRUE(g.lower) << describe(d);
    EXPECT_LE(*g.lower, g.estimate);
    o.alt = alternative::less;
    const auto l = wilcoxon_confidence_set(d, o);
    EXPECT_FALSE(l.lower);
    ASSERT_TRUE(l.upper) << describe(d);
    EXPECT_GE(*l.upper, l.estimate);
  }
}

// The unit of measurement changes nothing: at 2^k the endpoints are the scaled ones bit for bit,
// at 10^k and 1e-6 (where the data themselves round) equal within the data's rounding.
TEST(WilcoxonInversion, EveryScaleGivesTheScaledSet) {
  std::mt19937_64 rng(53);
  for (int rep = 0; rep < 24; ++rep) {
    const auto d = random_data(rng, 4 + static_cast<std::size_t>(rep % 9), rep % 4);
    for (auto alt : {alternative::two_sided, alternative::greater})
      for (auto zeros : {zero_method::pratt, zero_method::wilcox}) {
        wilcoxon_inversion_options o;
        o.alt = alt, o.zeros = zeros, o.level = 0.9;
        const auto base = wilcoxon_confidence_set(d, o);
        for (double scale : {0x1p-30, 0x1p-3, 0x1p40, 1e3, 1e-6, 1e12, 7.3}) {
          std::vector<double> x(d);
          for (double& v : x) v *= scale;
          const auto s = wilcoxon_confidence_set(x, o);
          const bool power_of_two = std::ilogb(scale) == std::log2(scale);
          // tol 0 at powers of two: bit-identical endpoints.
          const double tol = power_of_two ? 0.0 : 8.0 * machine_epsilon * largest_magnitude(x);
          const std::string where = "d = " + describe(d) + "scale " + std::to_string(scale);
          ASSERT_EQ(s.lower.has_value(), base.lower.has_value()) << where;
          ASSERT_EQ(s.upper.has_value(), base.upper.has_value()) << where;
          if (s.lower) {
            EXPECT_NEAR(*s.lower, *base.lower * scale, tol) << where;
          }
          if (s.upper) {
            EXPECT_NEAR(*s.upper, *base.upper * scale, tol) << where;
          }
          // The notes, up to the values they name.
          ASSERT_EQ(s.notes.size(), base.notes.size()) << where;
          for (std::size_t k = 0; k < s.notes.size(); ++k)
            EXPECT_EQ(s.notes[k].substr(0, 40), base.notes[k].substr(0, 40)) << where;
        }
      }
  }
}

// "p <= alpha" and "the set excludes 0" agree, for the test the CLI runs on d itself.
TEST(WilcoxonInversion, AgreesWithTheTestAtZero) {
  std::mt19937_64 rng(67);
  int checked = 0, zero_rejected_in_set = 0;
  for (int rep = 0; rep < 240; ++rep) {
    std::uniform_int_distribution<std::size_t> size(3, 20);
    const auto d = random_data(rng, size(rng), rep % 4);
    if (std::all_of(d.begin(), d.end(), [](double x) { return x == 0.0; })) continue;
    for (auto alt : {alternative::two_sided, alternative::greater, alternative::less})
      for (auto zeros : {zero_method::pratt, zero_method::wilcox}) {
        wilcoxon_inversion_options o;
        o.level = 0.9, o.alt = alt, o.zeros = zeros;
        const auto s = wilcoxon_confidence_set(d, o);
        wilcoxon_options t;
        t.zeros = zeros;
        const bool test_accepts_zero = accepted(wilcoxon_test(d, alt, t).p_value, 0.1);
        const bool in_hull = (!s.lower || *s.lower <= 0.0) && (!s.upper || 0.0 <= *s.upper);
        // The one way they may differ: 0 is an endpoint that the test itself rejects (the set is
        // the closure of the accepted shifts), and the set says so.
        const bool rejected_average_at_zero =
            in_hull && !test_accepts_zero && has_note(s, "Walsh average(s) that the set holds");
        if (has_note(s, "not one interval")) {
          if (test_accepts_zero) {
            EXPECT_TRUE(in_hull) << describe(d);
          }
        } else if (rejected_average_at_zero) {
          // 0 must then be a Walsh average: some d_i = 0 or d_i = -d_j.
          bool zero_is_average = false;
          for (double a : d)
            for (double b : d) zero_is_average = zero_is_average || a + b == 0.0;
          EXPECT_TRUE(zero_is_average) << describe(d);
          ++zero_rejected_in_set;
        } else {
          EXPECT_EQ(in_hull, test_accepts_zero) << "d = " << describe(d) << to_string(alt);
        }
        ++checked;
      }
  }
  EXPECT_GE(checked, 200 * 6);
  std::printf("[ info ] %d of %d sets hold 0 as a Walsh average the test rejects\n", zero_rejected_in_set,
              checked);
}

// Without ties among the data (real values), the tied test's own inversion is Hodges-Lehmann's.
TEST(WilcoxonInversion, WithoutTiesItIsTheHodgesLehmannInterval) {
  std::mt19937_64 rng(71);
  for (int rep = 0; rep < 30; ++rep) {
    const auto d = random_data(rng, 6 + static_cast<std::size_t>(rep % 12), 3);
    const auto hl = hodges_lehmann_interval(d, 0.95);
    const auto s = wilcoxon_confidence_set(d, {});
    EXPECT_EQ(s.estimate, hl.estimate);
    EXPECT_EQ(s.lower, hl.lower) << describe(d);
    EXPECT_EQ(s.upper, hl.upper) << describe(d);
  }
}

// The paper's repeat pain reductions: the tied test's inversion beside HL's (values checked by
// the brute force here and printed for the record).
TEST(WilcoxonInversion, PaperRepeatPainReductions) {
  const std::vector<double>& d = resample::test::paper::pain;
  for (double level : {0.95, 0.9, 0.8}) {
    wilcoxon_inversion_options o;
    o.level = level;
    const auto s = wilcoxon_confidence_set(d, o);
    const auto hl = hodges_lehmann_interval(d, level);
    const auto b = brute_force(d, alternative::two_sided, zero_method::pratt, level);
    EXPECT_EQ(s.lower, b.lower);
    EXPECT_EQ(s.upper, b.upper);
    auto show = [](const std::optional<double>& x) { return x ? std::to_string(*x) : std::string("inf"); };
    std::printf("[ info ] level %.2f: tied inversion [%s, %s], Hodges-Lehmann [%s, %s]\n", level,
                show(s.lower).c_str(), show(s.upper).c_str(), show(hl.lower).c_str(), show(hl.upper).c_str());
    // These data have no ties in |d| and no zeros: the two coincide (printed values, checked above).
    EXPECT_EQ(s.lower, hl.lower);
    EXPECT_EQ(s.upper, hl.upper);
    EXPECT_EQ(s.estimate, 6.5);
  }
  wilcoxon_inversion_options o;
  const auto s95 = wilcoxon_confidence_set(d, o);
  EXPECT_EQ(s95.lower, 2.0);
  EXPECT_EQ(s95.upper, 10.0);
  o.level = 0.9;
  const auto s90 = wilcoxon_confidence_set(d, o);
  EXPECT_EQ(s90.lower, 4.0);
  EXPECT_EQ(s90.upper, 9.0);
}

TEST(WilcoxonInversion, ConstantDataGiveThePoint) {
  const auto s = wilcoxon_confidence_set(std::vector<double>(8, 3.25), {});
  EXPECT_EQ(s.lower, 3.25);
  EXPECT_EQ(s.upper, 3.25);
}

TEST(WilcoxonInversion, TooFewPatientsAcceptEveryShift) {
  const auto s = wilcoxon_confidence_set(std::vector<double>{1.0, 2.0, 3.0, 4.0}, {});
  EXPECT_FALSE(s.lower);
  EXPECT_FALSE(s.upper);
  EXPECT_TRUE(has_note(s, "too small"));
}

TEST(WilcoxonInversion, RouteIsExactForSmallDataAndNormalPastTheLimit) {
  const std::vector<double>& small = resample::test::paper::pain;
  const auto r = plan_wilcoxon_inversion(small);
  EXPECT_EQ(r.algorithm, wilcoxon_inversion_algorithm::exact_scan);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.shifts, 2 * 14 + 1);  // the 21 Walsh sums of these data take 14 distinct values
  // Real values: n(n + 1)/2 distinct Walsh averages; at n = 160 the exact scan is past the limit.
  std::mt19937_64 rng(5);
  const auto large = random_data(rng, 160, 3);
  const auto automatic = plan_wilcoxon_inversion(large);
  EXPECT_EQ(automatic.algorithm, wilcoxon_inversion_algorithm::normal_scan);
  EXPECT_FALSE(automatic.exact);
  EXPECT_EQ(plan_wilcoxon_inversion(large, zero_method::pratt, method_choice::exact).algorithm,
            wilcoxon_inversion_algorithm::none);
  wilcoxon_inversion_options o;
  o.method = method_choice::exact;
  EXPECT_THROW(wilcoxon_confidence_set(large, o), infeasible_error);
  // Integer scores have few distinct Walsh averages: the exact scan stays feasible at large n.
  std::vector<double> pain(400);
  for (std::size_t i = 0; i < pain.size(); ++i)
    pain[i] = static_cast<double>(static_cast<int>(i * 7 % 11) - 3);
  EXPECT_EQ(plan_wilcoxon_inversion(pain).algorithm, wilcoxon_inversion_algorithm::exact_scan);
}

TEST(WilcoxonInversion, NormalScanIsLabelledApproximate) {
  std::mt19937_64 rng(9);
  const auto d = random_data(rng, 30, 0);
  wilcoxon_inversion_options o;
  o.method = method_choice::approximate;
  const auto s = wilcoxon_confidence_set(d, o);
  EXPECT_FALSE(s.exact);
  EXPECT_EQ(s.method, "tied_signed_rank_inversion_normal");
  ASSERT_TRUE(s.lower && s.upper);
  EXPECT_LT(*s.lower, *s.upper);
  EXPECT_FALSE(s.achieved_level);
}

TEST(WilcoxonInversion, RefusesBadInputNamingTheArgument) {
  wilcoxon_inversion_options o;
  o.level = 1.0;
  EXPECT_THROW(wilcoxon_confidence_set(std::vector<double>{1, 2, 3}, o), invalid_argument);
  EXPECT_THROW(wilcoxon_confidence_set(std::vector<double>{}, {}), invalid_argument);
  EXPECT_THROW(wilcoxon_confidence_set(std::vector<double>{1, NAN}, {}), invalid_argument);
  o = {};
  o.method = method_choice::monte_carlo;
  try {
    wilcoxon_confidence_set(std::vector<double>{1, 2, 3}, o);
    FAIL() << "monte_carlo accepted";
  } catch (const invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("wilcoxon_confidence_set"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("method"), std::string::npos);
  }
}

}  // namespace
}  // namespace resample::inference
