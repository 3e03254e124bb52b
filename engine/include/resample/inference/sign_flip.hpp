#pragma once
// Sign-flip (paired permutation) test: under H0 each patient's difference is +d or -d with equal
// probability, so the reference set is all 2^n sign patterns, equally likely.
//
// Definitions (docs: statistical-conventions.md, "Tests"):
//   greater P(T* >= t), less P(T* <= t), ties with t (relative tolerance) count as extreme.
//   Two-sided depends on the statistic and is stated in test_result::two_sided_convention:
//   - odd statistics (mean, median, trimmed, hl: flipping every sign negates T), null centre 0:
//     P(|T*| >= |t|);
//   - prop_ge (not odd): P(|T* - T0| >= |t - T0|), T0 = E*(T*) the null mean, which the sum of
//     the per-patient two-point scores makes exact and symmetric;
//   - sd (neither odd nor symmetric): min(1, 2 * min(P(T* >= t), P(T* <= t))).
// Sum-type statistics (mean, prop_ge) are compared on the sum scale with tolerance
// 1e-9 * max(1, sum of swings), the same in every algorithm, so the exact algorithms agree.
// Patients with a zero difference keep their value 0: their sign patterns are identical, so the
// enumeration runs over the m non-zero patients and the p-value is a count over 2^m.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/execution.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "resample/statistics.hpp"

namespace resample::inference {

struct sign_flip_options {
  method_choice method = method_choice::automatic;
  std::uint64_t resamples = 100000;  // Monte Carlo sign patterns
  std::uint64_t seed = 20021;
  bool mid_p = false;
  bool keep_null_distribution = true;  // when exact and at most null_distribution_max_atoms atoms
  // exec.threads: the arena of Gray code, meet in the middle and Monte Carlo (0: TBB's default;
  // the lattice DP is serial); exec.cancel (checked once per block) and exec.distribute apply to
  // Monte Carlo only. exec.progress is not used.
  execution exec{};
};

// Exact enumeration limits (patients with a non-zero difference).
inline constexpr std::size_t sign_flip_max_gray = 30;
inline constexpr std::size_t sign_flip_max_meet_in_middle = 44;
inline constexpr std::size_t null_distribution_max_atoms = std::size_t{1} << 20;

// The sign-flip algorithms, in the order automatic mode tries them.
enum class sign_flip_algorithm { lattice_dp, meet_in_the_middle, gray_code, monte_carlo };
std::string_view to_string(
    sign_flip_algorithm a);  // "lattice_dp", "meet_in_the_middle", "gray_code", "monte_carlo"
// What work counts for each algorithm: "additions", "half-list entries", "pattern evaluations",
// "pattern sums".
std::string_view work_unit(sign_flip_algorithm a);

// Automatic enumeration by Gray code stays within about a second of work: at most this many
// pattern evaluations (cost per pattern times 2^m).
inline constexpr double sign_flip_automatic_gray_work = 5e8;
// Meet in the middle runs for the mean above this many non-zero patients (below, Gray code is as
// fast and serves every statistic).
inline constexpr std::size_t sign_flip_meet_in_middle_from = 21;

// The routing decision, made once: which algorithm sign_flip_test runs for these data, statistic
// and method, its work (in work_unit(algorithm); Monte Carlo: resamples times n), whether it is
// exact, and why. The test, the planner and the time and memory limits all consume it.
// method exact throws infeasible_error when no exact algorithm applies; approximate is an
// invalid_argument (there is no sign-flip approximation); bad data throw like sign_flip_test.
struct sign_flip_route {
  sign_flip_algorithm algorithm = sign_flip_algorithm::monte_carlo;
  double work = 0.0;
  bool exact = false;
  std::string reason;
};
sign_flip_route plan_sign_flip(std::span<const double> differences, const statistic& stat,
                               method_choice method, std::uint64_t resamples = 100000);
// The work of one algorithm on these data (the planner scales timings of prefixes by it), as in
// plan_sign_flip, whether or not the algorithm is the one plan_sign_flip would choose.
double sign_flip_work(sign_flip_algorithm algorithm, std::span<const double> differences,
                      const statistic& stat, std::uint64_t resamples = 100000);
// Runs the given algorithm (the planner times prefixes of the data on the route's algorithm).
test_result run_sign_flip(sign_flip_algorithm algorithm, std::span<const double> differences,
                          const statistic& stat, alternative alt, const sign_flip_options& options = {});

// The dispatcher: runs plan_sign_flip's algorithm; exact when feasible (lattice DP,
// meet-in-the-middle, Gray code), Monte Carlo otherwise (automatic) or when asked, with the
// fallback stated in the notes.
test_result sign_flip_test(std::span<const double> differences, const statistic& stat, alternative alt,
                           const sign_flip_options& options = {});

// Bytes a Monte Carlo run of `resamples` sign patterns keeps beyond the input: one tally per
// block (the p-value's counts), so a huge --resamples is refused by --max-memory, not by the OS.
double sign_flip_monte_carlo_memory_estimate(std::size_t n, std::uint64_t resamples);

// The algorithms, each usable on its own (tests check that they agree):
// Gray-code enumeration of all 2^m patterns, any statistic, m <= sign_flip_max_gray.
test_result sign_flip_gray(std::span<const double> differences, const statistic& stat, alternative alt,
                           const sign_flip_options& options = {});
// Meet in the middle for the mean of real-valued data, m <= sign_flip_max_meet_in_middle.
test_result sign_flip_meet_in_middle(std::span<const double> differences, alternative alt,
                                     const sign_flip_options& options = {});
// DP over the signed sum for the mean of lattice data (integers, halves, a common rational step)
// or prop_ge (always a lattice); throws invalid_argument for data off a lattice.
test_result sign_flip_lattice(std::span<const double> differences, const statistic& stat, alternative alt,
                              const sign_flip_options& options = {});
// Monte Carlo: p = (b + 1)/(B + 1) with its Monte Carlo standard error.
test_result sign_flip_monte_carlo(std::span<const double> differences, const statistic& stat, alternative alt,
                                  const sign_flip_options& options = {});
// The same run in block ranges (resample/monte_carlo_blocks.hpp): the exceedance counts of blocks
// [first, last) as partial.counts = {greater, less, equal, abs_more, abs_equal} (integers, merged
// by adding), and the test result from the merged partial of all blocks, equal to
// sign_flip_monte_carlo's.
block_partial sign_flip_monte_carlo_blocks(std::span<const double> differences, const statistic& stat,
                                           const sign_flip_options& options, std::uint64_t first,
                                           std::uint64_t last);
test_result sign_flip_monte_carlo_finish(std::span<const double> differences, const statistic& stat,
                                         alternative alt, const sign_flip_options& options,
                                         const block_partial& all);

// values[i] = k[i] * step with integer k and step > 0, when the values lie on a common lattice
// through 0 (find_lattice in equality.hpp: up to the rounding of the data as given, at any
// scale) and sum |k| fits the exact DP. nullopt otherwise.
struct lattice_form {
  std::vector<std::int64_t> k;
  double step = 1.0;
};
std::optional<lattice_form> detect_lattice(std::span<const double> values);

}  // namespace resample::inference
