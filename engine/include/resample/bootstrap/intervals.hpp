#pragma once
// Bootstrap confidence intervals computed from one weighted_distribution, so that exact
// enumeration, convolution and Monte Carlo share every line of interval code. Definitions follow
// docs statistical-conventions.md exactly (quantile without interpolation, SE with divisor = total
// weight, BCa with ties split in half).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/statistics.hpp"

namespace resample::bootstrap {

// calibrated: the double-bootstrap percentile interval (calibrated.hpp). It needs the sample, not
// only the distribution, so bootstrap() computes it and compute_intervals() skips it; it is not in
// all_interval_methods() because it costs a bootstrap per bootstrap resample.
enum class interval_method { percentile, basic, normal, studentized, bca, calibrated };

std::string_view to_string(interval_method m);
// Parses "percentile", "basic", "normal", "studentized", "bca", "calibrated"; throws
// invalid_argument otherwise.
interval_method parse_interval_method(std::string_view name);
std::vector<interval_method> all_interval_methods();  // the five single-bootstrap methods
// A comma list of methods, each once in the order given; "all" adds the five single-bootstrap
// methods and calibrated. Empty or unknown items throw invalid_argument (with a suggestion).
std::vector<interval_method> parse_interval_methods(std::string_view comma_list);

// How se* of a studentized interval is computed inside each resample for a statistic without an
// analytic standard error (every statistic but the sum-type mean, prop_ge and superiority, whose
// se* = sd(scores*) / sqrt(n) is always used):
//   jackknife: the leave-one-out jackknife SE of the resample, K evaluations for a resample with K
//              distinct values (jackknife.hpp, multiset_jackknife_se); the SE of t_hat is the
//              jackknife SE of the data. About K + 1 times the cost of a percentile-only run.
//   nested:    the bootstrap SE of the resample from an inner bootstrap (exact up to 2000 inner
//              multisets, else 200 Monte Carlo inner resamples); the SE of t_hat is the sd of the
//              bootstrap distribution. About 200 times the cost.
//   order_statistic: median and hl only, the closed-form SE read off the resample's order
//              statistics (order_statistic_se.hpp: McKean-Schrader for the median, the same on the
//              Walsh averages for hl); the SE of t_hat is the same formula on the data. About 2 to
//              3 times the cost of a percentile-only run.
//   automatic: order_statistic where the statistic has one, else nested (resolve_studentized_se).
enum class studentized_se_method { jackknife, nested, order_statistic, automatic };
inline constexpr std::array<studentized_se_method, 4> all_studentized_se_methods{
    studentized_se_method::jackknife, studentized_se_method::nested, studentized_se_method::order_statistic,
    studentized_se_method::automatic};
std::string_view to_string(studentized_se_method m);  // "jackknife", "nested", "order_statistic", "auto"
// The default, in one place: automatic. For the median and hl the order-statistic se*, whose
// measured coverage is the best of the three on ordinal data and close to the nested one on
// continuous data at a hundredth of its cost (docs/simulation.md, "Studentized interval"); for the
// other statistics without an analytic SE (trimmed, sd, ...) the nested bootstrap, whose cost
// keeps studentized out of their default intervals (planning::default_intervals).
inline constexpr studentized_se_method default_studentized_se = studentized_se_method::automatic;
// Parses "jackknife", "nested", "order_statistic" or "auto"; throws invalid_argument (parameter
// "studentized_se", with a suggestion) otherwise.
studentized_se_method parse_studentized_se_method(std::string_view name);
// The method a run of `stat` uses: never automatic. Throws invalid_argument (parameter
// "studentized_se") for order_statistic on a statistic that has none. Sum-type statistics use
// their analytic se* whatever this says.
studentized_se_method resolve_studentized_se(studentized_se_method requested, const statistic& stat);
// How a resolved method computes se*, for the result's `studentized_method` text.
std::string_view describe_studentized_se(studentized_se_method resolved);

// One interval. An endpoint that is undefined (BCa with zero jackknife variance, studentized
// without a usable se*) is absent and `note` says why; no endpoint is ever NaN or infinite.
struct interval {
  interval_method method = interval_method::percentile;
  double level = 0.95;
  std::optional<double> lower;
  std::optional<double> upper;
  // Monte Carlo standard error of each endpoint (absent for exact distributions).
  std::optional<double> mc_se_lower;
  std::optional<double> mc_se_upper;
  std::string note;
};

// The bootstrap-t ingredients: the distribution of t* = (T* - t_hat) / se* and the SE of the
// original estimate computed the same way as se*.
struct studentized_input {
  const weighted_distribution* distribution = nullptr;  // null: studentized not available
  double standard_error = 0.0;                          // se of t_hat (same formula as se*)
  // True when standard_error is itself a Monte Carlo estimate (the sd of the MC distribution).
  bool standard_error_is_monte_carlo = false;
  std::uint64_t resamples = 0;   // Monte Carlo replicates behind `distribution` (0: exact)
  std::string unavailable_note;  // why distribution is null
};

struct interval_request {
  const weighted_distribution* distribution = nullptr;  // bootstrap distribution of T*
  double estimate = 0.0;                                // t_hat
  double level = 0.95;                                  // 1 - alpha, in (0, 1)
  std::vector<interval_method> methods;
  std::span<const double> jackknife;  // leave-one-out estimates, for the BCa acceleration
  std::string jackknife_note;         // non-empty: the jackknife is unavailable (BCa undefined)
  studentized_input studentized;
  std::uint64_t monte_carlo_resamples = 0;  // B of the Monte Carlo distribution; 0 for exact
  // E(T*) - t_hat where it is known without rounding; unset, it comes from the distribution.
  std::optional<double> bias;
};

std::vector<interval> compute_intervals(const interval_request& request);

// E(T*) - t_hat: request.bias when set, otherwise the mean of the distribution less the estimate.
double bootstrap_bias(const interval_request& request);

// BCa acceleration from leave-one-out estimates; nullopt when their variance is zero.
std::optional<double> jackknife_acceleration(std::span<const double> jackknife, value_equality equal);

// Monte Carlo standard error of the quantile Q(p) of a distribution estimated from replicates,
// when the level actually hit by the empirical distribution function has standard deviation
// level_sd (sqrt(p(1-p)/B) for a plain quantile). Plug-in: P(Q_hat = t_j) is approximated by
// Phi((F(t_j) - p)/level_sd) - Phi((F(t_{j-1}) - p)/level_sd) and the SD of that law is returned.
// Unlike the half distance between two order statistics it is not zero when p sits near the
// boundary of a heavy atom of a discrete distribution. Limitation: when atoms near p carry mass
// comparable to level_sd, the error is a jump between two atoms and this estimate (built on the
// estimated F) can be off by a factor of several; it is reliable when atoms are light or heavy.
double quantile_monte_carlo_se(const weighted_distribution& d, double p, double level_sd);

// Monte Carlo SE of the standard deviation of B replicates: sqrt((mu4 - sigma^4) / (4 sigma^2 B)).
double standard_deviation_monte_carlo_se(const weighted_distribution& d, std::uint64_t resamples);

}  // namespace resample::bootstrap
