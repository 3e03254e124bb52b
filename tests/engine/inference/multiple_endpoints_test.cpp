#include "resample/inference/multiple_endpoints.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "support/paper_table.hpp"
#include "support/split_distributor.hpp"

namespace resample::inference {
namespace {

using resample::test::paper::mobility;
using resample::test::paper::pain;

TEST(MaxT, PaperEndpoints) {
  const auto r = max_t_test({pain, mobility}, alternative::two_sided);
  ASSERT_EQ(r.raw_p.size(), 2u);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.raw_p[0], 0.03125);
  EXPECT_DOUBLE_EQ(r.raw_p[1], 0.125);
  // The maximum over endpoints is at least each endpoint's own statistic.
  for (std::size_t j = 0; j < 2; ++j) EXPECT_GE(r.max_t_p[j], r.raw_p[j]);
  EXPECT_DOUBLE_EQ(r.holm_p[0], 0.0625);
  EXPECT_DOUBLE_EQ(r.holm_p[1], 0.125);
}

TEST(MaxT, EqualsBruteForce) {
  const std::vector<std::vector<double>> e{{2, -1, 0, 3, 1.5, -2, 1, 0, 5, 1},
                                           {0, 1, 1, -2, 0, 3, 0, 0, 1, 2},
                                           {0.3, -0.2, 0.1, 0.4, 0.2, 0.0, -0.1, 0.5, 0.2, 0.1}};
  for (auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
    const auto r = max_t_test(e, alt);
    const std::size_t n = e[0].size(), J = e.size();
    std::vector<double> norm(J), obs(J);
    auto ext = [&](double t) {
      return alt == alternative::two_sided ? std::fabs(t) : alt == alternative::greater ? t : -t;
    };
    for (std::size_t j = 0; j < J; ++j) {
      double s = 0, q = 0;
      for (double d : e[j]) s += d, q += d * d;
      norm[j] = std::sqrt(q);
      obs[j] = ext(s / norm[j]);
    }
    std::vector<double> raw(J, 0), adj(J, 0);
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
      std::vector<double> a(J);
      double mx = -1e300;
      for (std::size_t j = 0; j < J; ++j) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += (mask >> i) & 1 ? -e[j][i] : e[j][i];
        a[j] = ext(s / norm[j]);
        mx = std::max(mx, a[j]);
      }
      for (std::size_t j = 0; j < J; ++j) raw[j] += a[j] >= obs[j] - 1e-9, adj[j] += mx >= obs[j] - 1e-9;
    }
    for (std::size_t j = 0; j < J; ++j) {
      EXPECT_NEAR(r.raw_p[j], raw[j] / 1024, 1e-12);
      EXPECT_NEAR(r.max_t_p[j], adj[j] / 1024, 1e-12);
      EXPECT_NEAR(r.raw_p[j], sign_flip_test(e[j], parse_statistic("mean"), alt).p_value, 1e-12);
    }
  }
}

TEST(MaxT, HolmAndErrors) {
  const std::vector<double> p{0.01, 0.04, 0.03, 0.5};
  const auto h = holm_adjust(p);
  EXPECT_DOUBLE_EQ(h[0], 0.04);
  EXPECT_DOUBLE_EQ(h[2], 0.09);
  EXPECT_DOUBLE_EQ(h[1], 0.09);  // 2 * 0.04 = 0.08, raised to the running maximum 0.09
  EXPECT_DOUBLE_EQ(h[3], 0.5);
  EXPECT_THROW(max_t_test({pain, {1, 2}}, alternative::two_sided), invalid_argument);
  EXPECT_THROW(max_t_test({pain, {0, 0, 0, 0, 0, 0}}, alternative::two_sided), invalid_argument);
}

TEST(MaxT, MonteCarloCloseToExact) {
  const std::vector<std::vector<double>> e{{2, -1, 0, 3, 1.5, -2, 1, 0, 5, 1, 2, 2},
                                           {0, 1, 1, -2, 0, 3, 0, 0, 1, 2, 1, -1}};
  const auto exact = max_t_test(e, alternative::two_sided);
  sign_flip_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 100000;
  const auto mc = max_t_test(e, alternative::two_sided, o);
  for (std::size_t j = 0; j < 2; ++j)
    EXPECT_NEAR(mc.max_t_p[j], exact.max_t_p[j], 5 * mc.max_t_mc_se[j] + 1e-5);
}

// The Monte Carlo max-T split into block ranges (as a batch job over MPI ranks is) gives the same
// p-values as one run; a set stop flag ends it with cancelled_error.
TEST(MaxT, MonteCarloSplitByBlocksEqualsOneRunAndStops) {
  const std::vector<std::vector<double>> e{{2, -1, 0, 3, 1.5, -2, 1, 0, 5, 1, 2, 2},
                                           {0, 1, 1, -2, 0, 3, 0, 0, 1, 2, 1, -1}};
  sign_flip_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 100000;
  const auto whole = max_t_test(e, alternative::two_sided, o);
  std::uint64_t seen = 0;
  const block_distributor by_thirds = resample::test::split_in_three(seen);
  o.exec.distribute = &by_thirds;
  const auto split = max_t_test(e, alternative::two_sided, o);
  EXPECT_EQ(seen, monte_carlo_block_count(o.resamples));
  EXPECT_EQ(split.raw_p, whole.raw_p);
  EXPECT_EQ(split.max_t_p, whole.max_t_p);
  std::atomic<bool> stop{true};
  o.exec.distribute = nullptr;
  o.exec.cancel = &stop;
  EXPECT_THROW(max_t_test(e, alternative::two_sided, o), cancelled_error);
}

}  // namespace
}  // namespace resample::inference
