#include "resample/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "resample/error.hpp"

namespace resample {

namespace {

// Weights are accumulated in floating point; a cumulative weight within this of p counts as p.
constexpr double cumulative_tolerance = 1e-12;

void require_nonempty(const weighted_distribution& d, const char* function) {
  if (d.empty()) throw_invalid_argument(function, "the distribution has no atoms");
}

}  // namespace

bool nearly_equal(double a, double b, double relative_tolerance) {
  const double scale = std::max({std::fabs(a), std::fabs(b), 1.0});
  return std::fabs(a - b) <= relative_tolerance * scale;
}

weighted_distribution weighted_distribution::from_atoms(std::vector<atom> atoms, double relative_tolerance) {
  constexpr const char* function = "resample::weighted_distribution::from_atoms";
  if (!(relative_tolerance >= 0.0) || !std::isfinite(relative_tolerance))
    throw_invalid_argument(function, "relative_tolerance must be finite and non-negative");
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
  d.relative_tolerance_ = relative_tolerance;
  d.atoms_.reserve(atoms.size());
  for (const atom& a : atoms) {
    if (a.weight == 0.0) continue;
    // Merge into the run's first value so that a chain of tiny steps cannot drift.
    if (!d.atoms_.empty() && nearly_equal(d.atoms_.back().value, a.value, relative_tolerance)) {
      d.atoms_.back().weight += a.weight;
    } else {
      d.atoms_.push_back({a.value, a.weight});
    }
  }
  for (atom& a : d.atoms_) a.weight /= total;
  return d;
}

weighted_distribution weighted_distribution::from_sample(std::span<const double> values,
                                                         double relative_tolerance) {
  std::vector<atom> atoms;
  atoms.reserve(values.size());
  for (double v : values) atoms.push_back({v, 1.0});
  return from_atoms(std::move(atoms), relative_tolerance);
}

double probability_below(const weighted_distribution& d, double x) {
  double p = 0.0;
  for (const atom& a : d.atoms()) {
    if (a.value >= x || nearly_equal(a.value, x, d.relative_tolerance())) break;
    p += a.weight;
  }
  return p;
}

double probability_at(const weighted_distribution& d, double x) {
  double p = 0.0;
  for (const atom& a : d.atoms())
    if (nearly_equal(a.value, x, d.relative_tolerance())) p += a.weight;
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
  if (!(p >= 0.0 && p <= 1.0)) throw_invalid_argument(function, "p = " + std::to_string(p) + ", expected 0 <= p <= 1");
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

double scaled_mean(const weighted_distribution& d, double scale) {
  double m = 0.0;
  for (const atom& a : d.atoms()) m += a.weight * (a.value / scale);
  return m;
}

}  // namespace

double mean(const weighted_distribution& d) {
  require_nonempty(d, "resample::mean");
  const double scale = value_scale(d);
  return scaled_mean(d, scale) * scale;
}

double standard_deviation(const weighted_distribution& d) {
  require_nonempty(d, "resample::standard_deviation");
  const double scale = value_scale(d);
  const double m = scaled_mean(d, scale);
  double v = 0.0;
  for (const atom& a : d.atoms()) v += a.weight * (a.value / scale - m) * (a.value / scale - m);
  return std::sqrt(v) * scale;
}

}  // namespace resample
