// Block ranges of the Monte Carlo engines (resample/monte_carlo_blocks.hpp): partials of any split
// of the blocks, merged in block order, finish to exactly the single-call result, and a cancel flag
// stops a run at a block boundary.

#include "resample/monte_carlo_blocks.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "resample/bootstrap/monte_carlo.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "support/paper_table.hpp"
#include "support/split_distributor.hpp"

namespace resample {
namespace {

// Not a multiple of the block size: the last block is short.
constexpr std::uint64_t B = 5 * resamples_per_block + 123;

std::vector<double> ordinal_sample(std::size_t n) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(static_cast<double>((i * 7 + i / 13) % 11));
  return x;
}

// Bit-for-bit equality of two distributions (not a tolerance: the split must not change a bit).
void expect_identical(const weighted_distribution& a, const weighted_distribution& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.atoms()[i].value, b.atoms()[i].value) << i;
    EXPECT_EQ(a.atoms()[i].weight, b.atoms()[i].weight) << i;
  }
}

void expect_identical(const bootstrap::monte_carlo_result& a, const bootstrap::monte_carlo_result& b) {
  EXPECT_EQ(a.path, b.path);
  expect_identical(a.distribution, b.distribution);
  ASSERT_EQ(a.studentized.has_value(), b.studentized.has_value());
  if (a.studentized) expect_identical(*a.studentized, *b.studentized);
  EXPECT_EQ(a.studentized_resamples, b.studentized_resamples);
  EXPECT_EQ(a.studentized_dropped, b.studentized_dropped);
}

struct bootstrap_case {
  const char* name;
  std::vector<double> sample;
  const char* stat;
  bool studentized;
  const char* path;  // the start of the path it must take, so that every path is covered
  bootstrap::studentized_se_method se = bootstrap::studentized_se_method::nested;
};

std::vector<bootstrap_case> bootstrap_cases() {
  return {
      {"histogram", {2, 9, 8, 10, 6, 4}, "mean", false, "exact histogram"},
      {"histogram 2d", {2, 9, 8, 10, 6, 4}, "mean", true, "exact histogram"},
      {"histogram multinomial", ordinal_sample(400), "mean", true, "exact histogram"},
      // Median without studentized: its nested-bootstrap se* would make the test slow; the
      // sum-type case below covers stored t* values.
      {"replicates", {2, 9, 8, 10, 6, 4, 7, 1}, "median", false, "replicates stored"},
      // Studentized median: t* stored (n = 5: exact inner enumeration of 126 multisets, cheap).
      {"replicates nested se", {2, 9, 8, 10, 6}, "median", true, "replicates stored"},
      {"replicates jackknife se",
       {2, 9, 8, 10, 6, 4.5, 3.25, 7},
       "hl",
       true,
       "replicates stored",
       bootstrap::studentized_se_method::jackknife},
      {"replicates sum type",
       {0.1, std::sqrt(2.0), 3.3, -1.7, 2.25, std::sqrt(5.0), 0.7, -0.2, 1.9},
       "mean",
       true,
       "replicates stored"},
      // Six distinct values: a tally of multisets, with analytic and jackknife se*.
      {"multisets sum type",
       {0.1, std::sqrt(2.0), 3.3, -1.7, 2.25, std::sqrt(5.0)},
       "mean",
       true,
       "exact tally of resampled multisets"},
      {"multisets jackknife se",
       {2, 9, 8.5, 10, 6, 4.5},
       "hl",
       true,
       "exact tally of resampled multisets",
       bootstrap::studentized_se_method::jackknife},
  };
}

bootstrap::monte_carlo_options mc_options(
    bool studentized, bootstrap::studentized_se_method se = bootstrap::studentized_se_method::nested) {
  bootstrap::monte_carlo_options o;
  o.resamples = B;
  o.seed = 77;
  o.studentized = studentized;
  o.se_method = se;
  return o;
}

TEST(MonteCarloBlocks, AnySplitMergedInBlockOrderFinishesToTheSingleCall) {
  const std::uint64_t blocks = monte_carlo_block_count(B);
  ASSERT_EQ(blocks, 6u);
  for (const auto& c : bootstrap_cases()) {
    SCOPED_TRACE(c.name);
    const statistic stat = parse_statistic(c.stat);
    const auto options = mc_options(c.studentized, c.se);
    const auto whole = bootstrap::monte_carlo_bootstrap(c.sample, stat, options);
    EXPECT_EQ(whole.path.rfind(c.path, 0), 0u) << whole.path;
    for (const std::vector<std::uint64_t>& cuts :
         {std::vector<std::uint64_t>{0, 6}, {0, 1, 6}, {0, 2, 3, 6}, {0, 0, 5, 6}, {0, 1, 2, 3, 4, 5, 6}}) {
      // Ranges computed last to first, merged first to last: where and when does not matter.
      std::vector<block_partial> parts(cuts.size() - 1);
      for (std::size_t i = parts.size(); i-- > 0;)
        parts[i] = bootstrap::monte_carlo_blocks(c.sample, stat, options, cuts[i], cuts[i + 1]);
      block_partial all;
      for (auto& part : parts) merge_partial(all, std::move(part));
      expect_identical(whole, bootstrap::monte_carlo_finish(c.sample, stat, options, std::move(all)));
    }
  }
}

// With n = 8 (6435 multisets) the nested se* of each resample is a Monte Carlo bootstrap seeded by
// the resample's absolute index, so a range must not renumber its resamples from 0.
TEST(MonteCarloBlocks, NestedMonteCarloSeIsSeededByTheAbsoluteResampleIndex) {
  const std::vector<double> x{2, 9, 8, 10, 6, 4, 7, 1};
  const statistic stat = parse_statistic("median");
  auto options = mc_options(true);
  options.resamples = 2 * resamples_per_block + 7;
  const auto whole = bootstrap::monte_carlo_bootstrap(x, stat, options);
  block_partial all = bootstrap::monte_carlo_blocks(x, stat, options, 0, 1);
  merge_partial(all, bootstrap::monte_carlo_blocks(x, stat, options, 1, 3));
  expect_identical(whole, bootstrap::monte_carlo_finish(x, stat, options, std::move(all)));
}

TEST(MonteCarloBlocks, DistributorSeesTheBlockCountAndItsMergeIsTheResult) {
  const auto c = bootstrap_cases()[3];  // a copy: the vector is a temporary
  const statistic stat = parse_statistic(c.stat);
  auto options = mc_options(c.studentized, c.se);
  const auto whole = bootstrap::monte_carlo_bootstrap(c.sample, stat, options);
  std::uint64_t seen = 0;
  const block_distributor by_thirds = resample::test::split_in_three(seen);
  options.exec.distribute = &by_thirds;
  expect_identical(whole, bootstrap::monte_carlo_bootstrap(c.sample, stat, options));
  EXPECT_EQ(seen, monte_carlo_block_count(B));
}

TEST(MonteCarloBlocks, GapsOverlapsAndIncompletePartialsAreRejected) {
  const std::vector<double>& x = resample::test::paper::pain;
  const statistic stat = parse_statistic("mean");
  const auto options = mc_options(false);
  block_partial all = bootstrap::monte_carlo_blocks(x, stat, options, 0, 2);
  EXPECT_THROW(merge_partial(all, bootstrap::monte_carlo_blocks(x, stat, options, 3, 6)), invalid_argument);
  EXPECT_THROW(merge_partial(all, bootstrap::monte_carlo_blocks(x, stat, options, 1, 6)), invalid_argument);
  EXPECT_THROW(bootstrap::monte_carlo_finish(x, stat, options, std::move(all)), invalid_argument);
  EXPECT_THROW(bootstrap::monte_carlo_blocks(x, stat, options, 2, 7), invalid_argument);
  // A partial of another path (replicates where this run keeps a histogram) does not fit.
  block_partial median = bootstrap::monte_carlo_blocks(x, parse_statistic("median"), options, 0, 6);
  EXPECT_THROW(bootstrap::monte_carlo_finish(x, stat, options, std::move(median)), invalid_argument);
}

TEST(MonteCarloBlocks, CancelFlagStopsTheRunAtABlockBoundary) {
  for (const auto& c : bootstrap_cases()) {
    SCOPED_TRACE(c.name);
    const statistic stat = parse_statistic(c.stat);
    auto options = mc_options(c.studentized, c.se);
    std::atomic<bool> cancel{false};
    options.exec.cancel = &cancel;
    // Unset, the flag changes nothing.
    expect_identical(bootstrap::monte_carlo_bootstrap(c.sample, stat, mc_options(c.studentized, c.se)),
                     bootstrap::monte_carlo_bootstrap(c.sample, stat, options));
    // Set between two ranges of the run: the next block sees it.
    std::uint64_t ran = 0;
    const block_distributor stop_midway = [&](std::uint64_t blocks, const block_range_runner& run) {
      block_partial all = run(0, 1);
      ran = all.last_block;
      cancel.store(true);
      merge_partial(all, run(1, blocks));
      ran = all.last_block;
      return all;
    };
    options.exec.distribute = &stop_midway;
    EXPECT_THROW(bootstrap::monte_carlo_bootstrap(c.sample, stat, options), cancelled_error);
    EXPECT_EQ(ran, 1u);
  }
}

TEST(SignFlipMonteCarloBlocks, AnySplitFinishesToTheSingleCallAndCancels) {
  const std::vector<double> d{2.5, -1.25, 3, 4.75, -0.5, 6, 1, 2, -3.5, 0, 5.25, 0.75};
  for (const char* name : {"mean", "median", "sd"}) {
    SCOPED_TRACE(name);
    const statistic stat = parse_statistic(name);
    inference::sign_flip_options options;
    options.resamples = B;
    options.seed = 5;
    for (auto alt : {inference::alternative::two_sided, inference::alternative::greater}) {
      const auto whole = inference::sign_flip_monte_carlo(d, stat, alt, options);
      block_partial all;
      for (std::uint64_t first : {0u, 2u, 5u})
        merge_partial(all, inference::sign_flip_monte_carlo_blocks(
                               d, stat, options, first, first == 5 ? 6 : first + (first == 0 ? 2 : 3)));
      ASSERT_EQ(all.counts.size(), 5u);
      const auto merged = inference::sign_flip_monte_carlo_finish(d, stat, alt, options, all);
      EXPECT_EQ(whole.p_value, merged.p_value);
      ASSERT_TRUE(whole.mc_se && merged.mc_se);
      EXPECT_EQ(*whole.mc_se, *merged.mc_se);
      EXPECT_EQ(whole.notes, merged.notes);
    }
    block_partial short_of_one = inference::sign_flip_monte_carlo_blocks(d, stat, options, 0, 5);
    EXPECT_THROW(
        inference::sign_flip_monte_carlo_finish(d, stat, inference::alternative::less, options, short_of_one),
        invalid_argument);
    std::atomic<bool> cancel{true};
    options.exec.cancel = &cancel;
    EXPECT_THROW(inference::sign_flip_monte_carlo(d, stat, inference::alternative::less, options),
                 cancelled_error);
    // Through the dispatcher, as the test command calls it.
    options.method = inference::method_choice::monte_carlo;
    EXPECT_THROW(inference::sign_flip_test(d, stat, inference::alternative::less, options), cancelled_error);
  }
}

}  // namespace
}  // namespace resample
