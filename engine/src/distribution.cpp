#include "resample/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "resample/error.hpp"

namespace resample {

namespace {

// Weights are accumulated in floating point; a cumulative weight within this of p counts as p.
// Weights are probabilities, the same in every unit of the data, so this is not an equality rule
// for values: it covers the rounding of up to about 1e3 * 2^20 accumulated weights.
constexpr double cumulative_tolerance = 1e-12;

void require_nonempty(const weighted_distribution& d, const char* function) {
  if (d.empty()) throw_invalid_argument(function, "the distribution has no atoms");
}

}  // namespace

weighted_distribution weighted_distribution::from_atoms(std::vector<atom> atoms, value_equality equal) {
  constexpr const char* function = "resample::weighted_distribution::from_atoms";
  double largest = 0.0;
  for (const atom& a : atoms) {
    if (!std::isfinite(a.value)) throw_invalid_argument(function, "an atom has a non-finite value");
    if (!std::isfinite(a.weight) || a.weight < 0.0)
      throw_invalid_argument(function, "an atom has a negative or non-finite weight");
    largest = std::max(largest, a.weight);
  }
  if (!(largest > 0.0)) throw_invalid_argument(function, "the total weight must be positive");
  // Weights of 1e308 would sum to inf and normalise to 0, weights of 1e-320 lose their digits:
  // bring the largest near 1 by a power of two, which changes no bits of a normal weight.
  const int exponent = std::ilogb(largest);
  for (atom& a : atoms) a.weight = std::ldexp(a.weight, -exponent);
  double total = 0.0;
  for (const atom& a : atoms) total += a.weight;

  std::sort(atoms.begin(), atoms.end(), [](const atom& x, const atom& y) { return x.value < y.value; });
  weighted_distribution d;
  d.equality_ = equal;
  d.atoms_.reserve(atoms.size());
  for (const atom& a : atoms) {
    if (a.weight == 0.0) continue;
    // Merge into the run's first value so that a chain of tiny steps cannot drift.
    if (!d.atoms_.empty() && equal(d.atoms_.back().value, a.value)) {
      d.atoms_.back().weight += a.weight;
    } else {
      d.atoms_.push_back({a.value, a.weight});
    }
  }
  for (atom& a : d.atoms_) a.weight /= total;
  return d;
}

weighted_distribution weighted_distribution::from_sample(std::span<const double> values,
                                                         value_equality equal) {
  std::vector<atom> atoms;
  atoms.reserve(values.size());
  for (double v : values) atoms.push_back({v, 1.0});
  return from_atoms(std::move(atoms), equal);
}

double probability_below(const weighted_distribution& d, double x) {
  double p = 0.0;
  for (const atom& a : d.atoms()) {
    if (a.value >= x || d.equality()(a.value, x)) break;
    p += a.weight;
  }
  return p;
}

double probability_at(const weighted_distribution& d, double x) {
  double p = 0.0;
  for (const atom& a : d.atoms())
    if (d.equality()(a.value, x)) p += a.weight;
  return p;
}

double cdf(const weighted_distribution& d, double x) {
  return std::min(1.0, probability_below(d, x) + probability_at(d, x));
}

double probability_at_least(const weighted_distribution& d, double x) {
  return std::max(0.0, 1.0 - probability_below(d, x));
}

double quantile(const weighted_distribution& d, double p) {
  constexpr const char* function = "resample::quantile";
  require_nonempty(d, function);
  if (!(p >= 0.0 && p <= 1.0))
    throw_invalid_argument(function, "p = " + std::to_string(p) + ", expected 0 <= p <= 1");
  double cumulative = 0.0;
  for (const atom& a : d.atoms()) {
    cumulative += a.weight;
    if (cumulative >= p - cumulative_tolerance) return a.value;
  }
  return d.atoms().back().value;
}

namespace {

// A power of two near the largest |value|, so that values near the double's limits neither
// overflow a product nor underflow a square (dividing by it is exact).
double value_scale(const weighted_distribution& d) {
  double largest = 0.0;
  for (const atom& a : d.atoms()) largest = std::max(largest, std::fabs(a.value));
  return largest > 0.0 ? std::exp2(static_cast<double>(std::ilogb(largest))) : 1.0;
}

// The mean of the values divided by `scale`, relative to a reference atom: with values such as
// 1e12 + x the deviations from a nearby atom are exact (Sterbenz), where v - mean would first
// round each v to the mean's ulp and lose the digits of the spread.
double scaled_mean_offset(const weighted_distribution& d, double scale, double reference) {
  double m = 0.0;
  for (const atom& a : d.atoms()) m += a.weight * (a.value / scale - reference);
  return m;
}

double reference_value(const weighted_distribution& d, double scale) {
  return d.atoms()[d.size() / 2].value / scale;
}

}  // namespace

double mean(const weighted_distribution& d) {
  require_nonempty(d, "resample::mean");
  const double scale = value_scale(d), reference = reference_value(d, scale);
  return (reference + scaled_mean_offset(d, scale, reference)) * scale;
}

double standard_deviation(const weighted_distribution& d) {
  require_nonempty(d, "resample::standard_deviation");
  const double scale = value_scale(d), reference = reference_value(d, scale);
  const double m = scaled_mean_offset(d, scale, reference);
  double v = 0.0;
  for (const atom& a : d.atoms()) {
    const double deviation = (a.value / scale - reference) - m;
    v += a.weight * deviation * deviation;
  }
  return std::sqrt(v) * scale;
}

}  // namespace resample
