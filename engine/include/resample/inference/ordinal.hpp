#pragma once
// Paired ordinal data: the k x k table of (pre, post) levels and the tests of marginal homogeneity
// and symmetry, each exact conditional on the table's discordant pairs.
//
// Why one null for all of them: under "pre and post are exchangeable within a patient" every
// patient whose levels differ is equally likely to have them in either order, independently (a
// within-patient swap, the sign flip of ordinal data); concordant patients do not move. For the
// unordered cell pair {i, j} with c_ij = n_ij + n_ji discordant patients, n_ij is Binomial(c_ij,
// 1/2), independently over pairs, and every statistic below is a function of those counts. The
// exact p-value sums the product of binomial probabilities over every combination of counts
// (prod (c_ij + 1) terms, at most 2^m for m discordant patients); Monte Carlo draws each patient's
// order from the counter-based stream beyond ordinal_max_exact_combinations.
//
//   stuart_maxwell  d' L^+ d: d_i = n_i. - n_.i (row minus column margin), L the conditional
//                   covariance of d, which is the Laplacian of the pair counts c_ij (invariant
//                   under swaps); df = rank L = categories involved - connected components.
//   bhapkar         SM / (1 - SM/n), Bhapkar's Wald form: an increasing function of SM given n,
//                   so its exact conditional p-value is SM's; only the asymptotic p differs.
//   bowker          sum over pairs with c_ij > 0 of (n_ij - n_ji)^2 / c_ij, df = those pairs.
//   mcnemar         a dichotomy "level >= threshold": b = positive before only, c = after only;
//                   exact binomial two-sided p (doubled smaller tail, capped at 1), mid-p, the
//                   asymptotic (b - c)^2/(b + c) without continuity correction, and Newcombe's
//                   hybrid score interval (his method 10) for the difference of the paired
//                   proportions positive before minus after. Also unconditional on the number of
//                   discordant patients: Suissa and Shuster's exact test and Tango's score
//                   interval (mcnemar_result below).
// The ordered-scores (linear-by-linear) version of marginal homogeneity is the sign-flip test of
// the mean level change: exact at any n through the lattice null (sign_flip.hpp).
// Every p-value counts statistics within the rounding of the observed one as extreme.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"

namespace resample::inference {

struct paired_table {
  std::vector<double> levels;                      // the distinct levels seen, ascending
  std::vector<std::vector<std::uint64_t>> counts;  // counts[i][j]: pre = levels[i], post = levels[j]
  std::size_t n = 0;
  std::size_t discordant = 0;  // patients off the diagonal
};
// Throws invalid_argument for unequal lengths, n = 0, or a value that is not finite.
paired_table make_paired_table(std::span<const double> pre, std::span<const double> post);

// Exact enumeration up to this many combinations of pair counts (about a second).
inline constexpr double ordinal_max_exact_combinations = 2e7;

struct ordinal_options {
  method_choice method = method_choice::automatic;
  std::uint64_t resamples = 100000;  // Monte Carlo swap patterns
  std::uint64_t seed = 20021;
  // exec.cancel is checked once per Monte Carlo block; exec.threads is the Monte Carlo arena.
  execution exec{};
};

struct ordinal_test {
  std::string test;                 // "stuart_maxwell", "bhapkar", "bowker", "mcnemar"
  std::optional<double> statistic;  // nullopt when undefined (no discordant pairs, Bhapkar at SM = n)
  double df = 0.0;
  double p_value = 1.0;                // exact conditional, or Monte Carlo
  std::optional<double> mid_p;         // mcnemar only
  std::optional<double> asymptotic_p;  // chi-square(df)
  bool exact = true;
  std::string method;  // "exact_conditional", "monte_carlo", "binomial"
  std::optional<double> mc_se;
  std::uint64_t resamples = 0;
  double combinations = 0.0;  // exact: terms summed
  std::vector<std::string> notes;
};

struct marginal_homogeneity_result {
  ordinal_test stuart_maxwell, bhapkar, bowker;
};
marginal_homogeneity_result marginal_homogeneity(const paired_table& table,
                                                 const ordinal_options& options = {});

struct mcnemar_result {
  double threshold = 0.0;  // positive: level >= threshold
  std::uint64_t both = 0, before_only = 0, after_only = 0, neither = 0;
  ordinal_test test;
  double difference = 0.0;             // P(positive before) - P(positive after)
  std::optional<double> lower, upper;  // Newcombe hybrid score interval at `level`
  double level = 0.95;
  // Suissa and Shuster's exact unconditional test (1991): the number of discordant patients m is
  // itself random, Binomial(n, psi), and a table is as extreme as the observed one when its
  // McNemar statistic |b - c| / sqrt(m) is at least the observed one (compared in integers,
  // (b - c)^2 m_obs >= (b_obs - c_obs)^2 m; m = 0 only when b_obs = c_obs). The p-value is the
  // largest over psi in [0, 1] of sum_m Binomial(m; n, psi) P(as extreme | m): found on a grid
  // of mcnemar_unconditional_grid points refined by Brent's method around the three best.
  double unconditional_p = 1.0;
  double unconditional_psi = 0.0;  // the psi that attains it
  // Berger and Boos's version (1994): the largest over psi in the Clopper-Pearson
  // 1 - mcnemar_berger_boos_gamma interval of the discordant share only, plus gamma; never above
  // unconditional_p + gamma, and its size is still at most the nominal level.
  double berger_boos_p = 1.0;
  double berger_boos_psi = 0.0;
  // Tango's score interval (1998) for the same difference theta: {theta : |Z(theta)| < z},
  // Z(theta) = (b - c - n theta) / sqrt(n (2 q21(theta) + theta (1 - theta))), q21(theta) the
  // maximum-likelihood P(after only) given theta (a closed-form root of a quadratic).
  std::optional<double> tango_lower, tango_upper;
};
inline constexpr int mcnemar_unconditional_grid = 2000;
inline constexpr double mcnemar_berger_boos_gamma = 1e-4;

// Tango's restricted estimate q21(theta) for b before-only and c after-only patients of n, and
// the score statistic Z(theta) (both exposed for their tests).
double tango_restricted_q21(std::uint64_t before_only, std::uint64_t after_only, std::uint64_t n,
                            double theta);
double tango_score(std::uint64_t before_only, std::uint64_t after_only, std::uint64_t n, double theta);
mcnemar_result mcnemar(const paired_table& table, double threshold, double level = 0.95);

}  // namespace resample::inference
