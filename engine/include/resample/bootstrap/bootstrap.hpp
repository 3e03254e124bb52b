#pragma once
// The bootstrap engine's entry points (issue 3): exact (enumeration or convolution) or Monte Carlo
// bootstrap distribution of a statistic of a paired sample, and intervals computed from it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/intervals.hpp"
#include "resample/distribution.hpp"
#include "resample/execution.hpp"
#include "resample/statistics.hpp"
#include "resample/vocabulary.hpp"

namespace resample::bootstrap {

// The one method vocabulary (vocabulary.hpp); the bootstrap has no approximation.
using method = resample::method_choice;
enum class mode { exact, monte_carlo };

std::string_view to_string(mode m);  // "exact" | "monte-carlo"

struct bootstrap_options {
  statistic stat{};
  method requested = method::automatic;
  std::uint64_t resamples = 10000;  // Monte Carlo B
  double level = 0.95;
  std::vector<interval_method> intervals = all_interval_methods();
  // se* inside each resample for a studentized interval of a statistic without an analytic SE.
  studentized_se_method se_method = default_studentized_se;
  std::uint64_t seed = 20020;
  double max_memory_bytes = 0;                     // a Monte Carlo run needing more is refused; 0: no limit
  double exact_budget = exact_enumeration_budget;  // auto/exact: enumerate up to this many compositions
  double convolution_budget = 5e9;  // auto/exact: convolve when at most this many multiply-adds
  // bootstrap() runs in an arena of exec.threads (0: all cores); exec.cancel and exec.distribute
  // apply to the Monte Carlo path only (monte_carlo_options). exec.progress is not used.
  execution exec{};
};

struct bootstrap_result {
  std::size_t n = 0;
  statistic stat{};
  double estimate = 0.0;
  mode mode_run = mode::exact;
  std::string mode_reason;
  std::string algorithm;  // "enumeration", "convolution", or the Monte Carlo path
  // Exact: the number of distinct multisets C(2n-1, n) (absent when it exceeds 2^53; see
  // resamples_log10). Monte Carlo: B.
  std::optional<double> resamples;
  double resamples_log10 = 0.0;
  double compositions_visited = 0.0;  // enumeration only
  weighted_distribution distribution;
  double se = 0.0;
  double bias = 0.0;
  std::optional<double> mc_se_se;  // Monte Carlo only
  std::vector<interval> intervals;
  // Studentized bookkeeping: the se* used ("analytic", or to_string(se_method) for a statistic
  // without an analytic SE) and its description; both empty when studentized was not computed.
  std::string studentized_se_name;
  std::string studentized_method;
  double studentized_se = 0.0;
  double studentized_dropped = 0;  // resamples with se* = 0 (compositions in exact mode)
  std::vector<std::string> notes;
};

// The bootstrap algorithms: exact enumeration of the multisets, the exact n-fold convolution of
// lattice scores (sum-type statistics), or Monte Carlo resampling.
enum class bootstrap_algorithm { enumeration, convolution, monte_carlo };
std::string_view to_string(bootstrap_algorithm a);  // "enumeration", "convolution", "monte_carlo"

// The routing decision, made once: which algorithm bootstrap() runs for these data and options,
// its work (compositions, multiply-adds, or B resamples), whether it is exact, and why. bootstrap(),
// the planner and the time limits consume it. Throws infeasible_error when exact is requested and
// neither exact algorithm fits its budget.
struct bootstrap_route {
  bootstrap_algorithm algorithm = bootstrap_algorithm::monte_carlo;
  double work = 0.0;
  bool exact = false;
  std::string reason;
  double compositions = 0.0;      // multisets the enumeration would visit
  double convolution_cost = 0.0;  // multiply-adds of the convolution (infinite off a lattice)
};
bootstrap_route plan_bootstrap(std::span<const double> sample, const bootstrap_options& options);

// Throws invalid_argument (n < 2, bad options, non-finite data), infeasible_error (exact requested
// but too large; Monte Carlo plan over the memory limit), cancelled_error (options.exec.cancel set).
bootstrap_result bootstrap(std::span<const double> sample, const bootstrap_options& options);

// The exact bootstrap distribution alone, serial and without interval work: the cheap path for
// power and coverage simulations that call it 10^4+ times at small n. Convolution for sum-type
// statistics on a lattice, enumeration otherwise (max_compositions as in enumeration_options).
weighted_distribution exact_bootstrap_distribution(
    std::span<const double> sample, const statistic& stat,
    double max_compositions = bootstrap_options{}.exact_budget);

}  // namespace resample::bootstrap
