#pragma once
// Effect models of power and coverage simulations: where a simulated patient's difference comes
// from. Every model except `normal` is a discrete law on finitely many values, so its population
// statistics (mean, median, pseudo-median, ...) are computed exactly and are the "true values" a
// coverage simulation checks intervals against.
//
//   bootstrap: the observed differences, each with probability 1/n (resampling with replacement);
//   shift:     the observed differences plus a constant that makes their mean `shift_to`. With
//              shift_to = 0 the mean-zero null holds, but the law is symmetric only when the data
//              are: the sign test and Wilcoxon test hypotheses (median / symmetry) may still be
//              false. That is the user's model; the CLI says so.
//   discrete:  a user-given law "value:probability,..." on the score scale;
//   normal:    N(mean, sd^2), drawn with Boost.Random from the counter-based stream (used by tests
//              of the t interval, whose nominal coverage is exact only for normal data).

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resample/distribution.hpp"
#include "resample/statistics.hpp"

namespace resample {
class random_stream;  // the engine's counter-based generator (private: engine/src/random_stream.hpp)
}  // namespace resample

namespace resample::simulation {

enum class model_kind { bootstrap, shift, discrete, normal };
std::string_view to_string(model_kind k);

class effect_model {
 public:
  static effect_model bootstrap(std::span<const double> observed);
  static effect_model shift(std::span<const double> observed, double shift_to);
  // values and probabilities of equal length; probabilities non-negative summing to 1 (within
  // 1e-9; they are then normalised).
  static effect_model discrete(std::vector<double> values, std::vector<double> probabilities);
  // "v:p,v:p,...", e.g. "-1:0.1,0:0.3,1:0.4,3:0.2". Throws invalid_argument naming the bad item.
  static effect_model parse_discrete(std::string_view spec);
  static effect_model normal(double mean, double sd);

  model_kind kind() const { return kind_; }
  // One line, e.g. "bootstrap from 6 observed differences (mean 6.5)".
  std::string description() const;
  // The law of one difference (absent for normal).
  const weighted_distribution& law() const { return law_; }

  // Fills `out` with independent draws. No allocation: the per-trial hot path.
  void draw(random_stream& stream, std::span<double> out) const;

  // The population value of a statistic under the model: mean, sd (population SD), prop_ge
  // (P(X >= K)), median (midpoint of the median interval when F hits 1/2 on an atom boundary), hl
  // (the pseudo-median: the median of (X1 + X2)/2); a registered statistic: its
  // population_value on the law (not under normal). trimmed_mean: invalid_argument.
  double population_value(const statistic& s) const;

 private:
  model_kind kind_ = model_kind::discrete;
  weighted_distribution law_;
  std::vector<double> equal_values_;  // bootstrap/shift: the n values, drawn uniformly
  std::vector<double> values_;        // discrete: atoms and their cumulative probabilities
  std::vector<double> cumulative_;
  double shift_ = 0.0;
  double normal_mean_ = 0.0, normal_sd_ = 1.0;
};

}  // namespace resample::simulation
