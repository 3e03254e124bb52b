#pragma once
// The common vocabulary of the paired tests: alternatives, method choice and one result type that
// every test (sign-flip, sign, Wilcoxon, t) returns, so the CLI and the report format them alike.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/vocabulary.hpp"

namespace resample::inference {

enum class alternative { two_sided, greater, less };
// "two-sided" (also "two_sided"), "greater", "less"; invalid_argument otherwise.
alternative parse_alternative(std::string_view text);
std::string to_string(alternative a);

// How a test is computed: the one method vocabulary (vocabulary.hpp).
using resample::method_choice;
using resample::parse_method;

// Zero differences in the Wilcoxon signed-rank test: pratt ranks them and gives them no sign,
// wilcox drops them before ranking.
enum class zero_method { pratt, wilcox };
zero_method parse_zero_method(std::string_view text);
std::string to_string(zero_method z);

struct test_result {
  std::string test;       // "sign_flip", "sign", "wilcoxon", "t"
  std::string statistic;  // what `observed` is: "mean", "V", "positives", "t", ...
  double observed = 0.0;
  alternative alt = alternative::two_sided;
  double p_value = 1.0;
  std::optional<double> mid_p;  // only when asked and defined (exact discrete tests)
  bool exact = true;
  std::string method;  // "gray_code", "meet_in_the_middle", "lattice_dp", "monte_carlo", ...
  std::optional<double> mc_se;
  // Exact p-values computed by a transform rather than by summing counts carry a bound on their
  // relative floating-point and truncation error (Wilcoxon by inversion).
  std::optional<double> relative_error_bound;
  // log10 of an exact p-value below the smallest double (2.2e-308), where p_value reads 0.
  std::optional<double> log10_p_value;
  std::uint64_t resamples = 0;               // Monte Carlo only
  std::size_t n = 0;                         // patients analysed
  std::size_t n_nonzero = 0;                 // patients whose sign can flip
  double smallest_attainable_p = 0.0;        // for this n and alternative
  std::string two_sided_convention;          // how the two-sided p-value is defined
  std::optional<double> degrees_of_freedom;  // t test
  // Exact null distribution of the statistic when it is small enough to draw (report figures).
  std::optional<weighted_distribution> null_distribution;
  std::vector<std::string> notes;
};

// p <= level up to the last-bit rounding of a p-value summed from probabilities, so that p = alpha
// rejects at level alpha. p-values are unit-free: this is not an equality rule for data values
// (equality.hpp), and 1e-9 relative is far above the rounding of any exact p-value here.
inline constexpr double p_value_relative_slack = 1e-9;
inline bool p_value_at_most(double p, double level) { return p <= level * (1.0 + p_value_relative_slack); }

// p-values from exact probabilities: P(strictly more extreme) and P(equally extreme).
struct tail_probability {
  long double more = 0.0L;
  long double equal = 0.0L;
  double p() const;      // more + equal, clamped to [0, 1]
  double mid_p() const;  // more + equal / 2
};

}  // namespace resample::inference
