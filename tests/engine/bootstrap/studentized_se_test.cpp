// The se* of the studentized interval: the jackknife one (jackknife.hpp, multiset_jackknife_se)
// equal to the leave-one-out jackknife of the expanded sample, the order-statistic one
// (order_statistic_se.hpp) equal to its formula on the sorted values and Walsh averages; both
// unit-free and the same for any thread count.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/jackknife.hpp"
#include "resample/bootstrap/order_statistic_se.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "support/paper_table.hpp"

namespace resample::bootstrap {
namespace {

// Leave-one-out on the n values themselves, each patient in turn: the definition.
double leave_one_out_se(const std::vector<double>& x, const statistic& stat) {
  const std::size_t n = x.size();
  std::vector<double> theta;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> rest = x;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
    theta.push_back(evaluate(stat, rest));
  }
  double mean = 0.0;
  for (double v : theta) mean += v;
  mean /= static_cast<double>(n);
  double squares = 0.0;
  for (double v : theta) squares += (v - mean) * (v - mean);
  return std::sqrt(squares * static_cast<double>(n - 1) / static_cast<double>(n));
}

double multiset_se(const std::vector<double>& support, std::vector<std::uint32_t> counts,
                   const statistic& stat, std::vector<double>& expanded) {
  std::size_t n = 0;
  expanded.clear();
  for (std::size_t j = 0; j < support.size(); ++j) {
    n += counts[j];
    expanded.insert(expanded.end(), counts[j], support[j]);
  }
  const auto before = counts;
  const double se = visit_statistic(stat, [&](auto concrete) {
    return multiset_jackknife_se(concrete, std::span<const double>(support), std::span<std::uint32_t>(counts),
                                 n, statistic_equality(stat, expanded));
  });
  EXPECT_EQ(counts, before) << "counts restored";
  return se;
}

TEST(StudentizedSe, MultisetJackknifeEqualsLeaveOneOutOnTheExpandedSample) {
  // Zero counts (values absent from a resample), ties of every size, one value of weight n - 1.
  const std::vector<double> support{-2.5, -1.0, 0.0, 0.75, 2.0, 3.25, 7.0};
  const std::vector<std::vector<std::uint32_t>> multisets{
      {1, 1, 1, 1, 1, 1, 1}, {3, 0, 2, 0, 1, 4, 0}, {0, 5, 0, 0, 1, 0, 1}, {2, 2, 2, 0, 0, 0, 3},
      {0, 0, 1, 6, 0, 0, 1}, {1, 0, 0, 0, 0, 0, 8}, {4, 0, 0, 4, 0, 0, 0},
  };
  std::size_t nonzero = 0;
  for (const char* name : {"mean", "median", "hl", "sd", "trimmed:0.2", "rank_biserial", "superiority"}) {
    SCOPED_TRACE(name);
    const statistic stat = parse_statistic(name);
    for (const auto& counts : multisets) {
      std::vector<double> expanded;
      const double se = multiset_se(support, counts, stat, expanded);
      const double direct = leave_one_out_se(expanded, stat);
      if (se == 0.0) {
        // Zero only when the leave-one-out values agree to rounding.
        EXPECT_LE(direct, 1e-12 * std::max(1.0, std::fabs(evaluate(stat, expanded))));
      } else {
        ++nonzero;
        EXPECT_NEAR(se, direct, 1e-12 * std::max(1.0, direct));
      }
    }
  }
  EXPECT_GT(nonzero, 35u);  // the comparison is not vacuous
}

TEST(StudentizedSe, ConstantAndTooSmallMultisetsHaveNoSe) {
  std::vector<double> expanded;
  EXPECT_EQ(multiset_se({1.5, 2.0}, {5, 0}, parse_statistic("hl"), expanded), 0.0);
  // sd needs n - 1 >= 2.
  EXPECT_EQ(multiset_se({1.5, 2.0}, {1, 1}, parse_statistic("sd"), expanded), 0.0);
  EXPECT_GT(multiset_se({1.5, 2.0, 4.0}, {1, 1, 1}, parse_statistic("sd"), expanded), 0.0);
}

bootstrap_options studentized_options(const char* stat, method m, studentized_se_method se) {
  bootstrap_options o;
  o.stat = parse_statistic(stat);
  o.requested = m;
  o.resamples = 3000;
  o.seed = 99;
  o.intervals = {interval_method::percentile, interval_method::studentized};
  o.se_method = se;
  return o;
}

const std::vector<double> nine{3.1, -0.4, 2.7, 5.9, 1.2, 4.4, 0.8, 6.3, 2.2};
const std::vector<double> ordinal{3, 0, 4, 4, 1, 2, 4, 3, 0, 4};

TEST(StudentizedSe, EndpointsScaleWithTheData) {
  struct run {
    const std::vector<double>* x;
    const char* stat;
    method m;
    studentized_se_method se = studentized_se_method::jackknife;
  };
  constexpr auto order = studentized_se_method::order_statistic;
  for (const run& r :
       {run{&nine, "hl", method::monte_carlo}, run{&nine, "median", method::monte_carlo},
        run{&ordinal, "trimmed:0.2", method::monte_carlo}, run{&ordinal, "hl", method::exact},
        run{&nine, "sd", method::exact}, run{&nine, "hl", method::monte_carlo, order},
        run{&nine, "median", method::exact, order}, run{&ordinal, "hl", method::exact, order}}) {
    SCOPED_TRACE(std::string(r.stat) + " " + std::string(to_string(r.se)));
    const auto options = studentized_options(r.stat, r.m, r.se);
    const auto base = bootstrap(*r.x, options);
    ASSERT_EQ(base.studentized_se_name, to_string(r.se));
    const auto& b = base.intervals.at(1);
    ASSERT_TRUE(b.lower && b.upper) << b.note;
    for (double scale : {0x1p-20, 0.25, 8.0, 0x1p30, 3.0, 1e-3, 1e7}) {
      SCOPED_TRACE(scale);
      std::vector<double> y = *r.x;
      for (double& v : y) v *= scale;
      const auto scaled = bootstrap(y, options);
      const auto& s = scaled.intervals.at(1);
      ASSERT_TRUE(s.lower && s.upper) << s.note;
      EXPECT_EQ(scaled.studentized_dropped, base.studentized_dropped);
      if (std::exp2(std::ilogb(scale)) == scale) {
        // A power of two scales every operation exactly.
        EXPECT_EQ(*s.lower, *b.lower * scale);
        EXPECT_EQ(*s.upper, *b.upper * scale);
        EXPECT_EQ(scaled.studentized_se, base.studentized_se * scale);
      } else {
        EXPECT_NEAR(*s.lower, *b.lower * scale, 1e-9 * std::fabs(*b.lower * scale) + 1e-12 * scale);
        EXPECT_NEAR(*s.upper, *b.upper * scale, 1e-9 * std::fabs(*b.upper * scale) + 1e-12 * scale);
      }
    }
  }
}

TEST(StudentizedSe, SameBitsForOneTwoAndThreeThreads) {
  struct run {
    const char* stat;
    studentized_se_method se;
  };
  // The nested se* only for the median: 200 inner resamples each, the cheapest statistic.
  for (const run& r :
       {run{"hl", studentized_se_method::jackknife}, run{"median", studentized_se_method::jackknife},
        run{"rank_biserial", studentized_se_method::jackknife},
        run{"hl", studentized_se_method::order_statistic},
        run{"median", studentized_se_method::order_statistic},
        run{"median", studentized_se_method::nested}}) {
    {
      const char* stat = r.stat;
      const auto se = r.se;
      SCOPED_TRACE(std::string(stat) + " " + std::string(to_string(se)));
      auto options = studentized_options(stat, method::monte_carlo, se);
      // Several blocks of resamples, so that the threads share them.
      options.resamples = 3 * resamples_per_block + 11;
      options.exec.threads = 1;
      const auto one = bootstrap(nine, options);
      ASSERT_TRUE(one.intervals.at(1).lower) << one.intervals.at(1).note;
      EXPECT_EQ(one.studentized_se_name, to_string(se));
      for (std::size_t threads : {2u, 3u}) {
        options.exec.threads = threads;
        const auto other = bootstrap(nine, options);
        EXPECT_EQ(*other.intervals.at(1).lower, *one.intervals.at(1).lower) << threads;
        EXPECT_EQ(*other.intervals.at(1).upper, *one.intervals.at(1).upper) << threads;
        EXPECT_EQ(other.studentized_dropped, one.studentized_dropped);
        EXPECT_EQ(other.studentized_se, one.studentized_se);
      }
    }
  }
}

TEST(StudentizedSe, JackknifeSeOfTheDataGoesWithTheJackknifeSeStar) {
  const auto jack =
      bootstrap(nine, studentized_options("hl", method::monte_carlo, studentized_se_method::jackknife));
  EXPECT_EQ(jack.studentized_se, jackknife_standard_error(nine, parse_statistic("hl")));
  EXPECT_NEAR(jack.studentized_se, leave_one_out_se(nine, parse_statistic("hl")), 1e-12);
  const auto nested =
      bootstrap(nine, studentized_options("hl", method::monte_carlo, studentized_se_method::nested));
  EXPECT_EQ(nested.studentized_se_name, "nested");
  EXPECT_EQ(nested.studentized_se, nested.se);  // the sd of the bootstrap distribution
  const auto mean =
      bootstrap(nine, studentized_options("mean", method::monte_carlo, studentized_se_method::nested));
  EXPECT_EQ(mean.studentized_se_name, "analytic");
}

// The order-statistic SE written out on the expanded, sorted values: c from its formula, the two
// order statistics of the sorted values (median) or of all sorted Walsh averages (hl).
double order_statistic_se_by_sorting(statistic_kind kind, const std::vector<double>& x) {
  constexpr double z = 1.959963984540054;
  std::vector<double> values = x;
  const double n = static_cast<double>(x.size());
  double sd = std::sqrt(n) / 2;
  if (kind == statistic_kind::hl) {
    values.clear();
    for (std::size_t i = 0; i < x.size(); ++i)
      for (std::size_t j = i; j < x.size(); ++j) values.push_back(0.5 * (x[i] + x[j]));
    sd = std::sqrt(n * (n + 1) * (2 * n + 1) / 24);
  }
  std::sort(values.begin(), values.end());
  const double count = static_cast<double>(values.size());
  const double c = std::clamp(std::round((count + 1) / 2 - z * sd), 1.0, std::floor((count + 1) / 2));
  const auto low = static_cast<std::size_t>(c) - 1, high = values.size() - static_cast<std::size_t>(c);
  return (0.5 * values[high] - 0.5 * values[low]) / z;
}

TEST(StudentizedSe, OrderStatisticSeEqualsItsFormulaOnTheSortedValues) {
  // Hand-checked on the paper's repeat pain reductions: median c = 1, (10 - 2)/(2z); hl c = 2 of
  // the 21 Walsh averages, W_(2) = 3 and W_(20) = 9.5.
  const std::vector<double>& pain = resample::test::paper::pain;
  EXPECT_NEAR(order_statistic_se(statistic_kind::median, pain), 8 / (2 * 1.959963984540054), 1e-15);
  EXPECT_NEAR(order_statistic_se(statistic_kind::hl, pain), 6.5 / (2 * 1.959963984540054), 1e-15);
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> score(0, 4);
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> x(2 + trial % 40);
    for (double& v : x) v = trial % 2 == 0 ? score(rng) : normal(rng) * 1e3;
    for (auto kind : {statistic_kind::median, statistic_kind::hl}) {
      const multiset m = to_multiset(x);
      EXPECT_EQ(order_statistic_se(kind, m.support, m.counts, x.size()),
                order_statistic_se_by_sorting(kind, x))
          << "trial " << trial;
    }
  }
  EXPECT_FALSE(has_order_statistic_se(statistic_kind::trimmed_mean));
  EXPECT_THROW(order_statistic_se(statistic_kind::sd, pain), invalid_argument);
  const std::vector<double> constant(5, 3.0);
  EXPECT_EQ(order_statistic_se(statistic_kind::hl, constant), 0.0);
}

TEST(StudentizedSe, AutoIsOrderStatisticForMedianAndHlAndNestedOtherwise) {
  EXPECT_EQ(resolve_studentized_se(studentized_se_method::automatic, parse_statistic("hl")),
            studentized_se_method::order_statistic);
  EXPECT_EQ(resolve_studentized_se(studentized_se_method::automatic, parse_statistic("median")),
            studentized_se_method::order_statistic);
  EXPECT_EQ(resolve_studentized_se(studentized_se_method::automatic, parse_statistic("trimmed:0.2")),
            studentized_se_method::nested);
  EXPECT_EQ(resolve_studentized_se(studentized_se_method::jackknife, parse_statistic("hl")),
            studentized_se_method::jackknife);
  EXPECT_THROW(resolve_studentized_se(studentized_se_method::order_statistic, parse_statistic("sd")),
               invalid_argument);
  // The run reports the method it used, never "auto".
  const auto r =
      bootstrap(nine, studentized_options("median", method::monte_carlo, studentized_se_method::automatic));
  EXPECT_EQ(r.studentized_se_name, "order_statistic");
  EXPECT_EQ(r.studentized_se, order_statistic_se(statistic_kind::median, nine));
}

TEST(StudentizedSe, ParsesItsNamesAndRefusesOthers) {
  for (auto m : all_studentized_se_methods) EXPECT_EQ(parse_studentized_se_method(to_string(m)), m);
  try {
    (void)parse_studentized_se_method("nestd");
    FAIL() << "no throw";
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "studentized_se");
    EXPECT_NE(std::string(e.what()).find("did you mean 'nested'?"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace resample::bootstrap
