#pragma once
// A discrete distribution as weighted atoms: the single representation of a bootstrap or
// permutation distribution, whether it came from exact enumeration, convolution or Monte Carlo.
// Modelled on Boost.Math's value-type-plus-free-functions style: cdf(d, x), quantile(d, p).

#include <cstddef>
#include <span>
#include <vector>

namespace resample {

struct atom {
  double value;
  double weight;
};

// Relative tolerance used when merging atoms and when comparing a value with an observed
// statistic: sums of the same integers taken in a different order must count as equal.
inline constexpr double default_relative_tolerance = 1e-9;

// True when a and b are equal up to the relative tolerance (absolute near zero).
bool nearly_equal(double a, double b, double relative_tolerance = default_relative_tolerance);

class weighted_distribution {
 public:
  weighted_distribution() = default;

  // Sorts by value, merges values that are nearly equal and normalises the weights to sum to 1.
  // Weights must be finite and non-negative with a positive total; values must be finite.
  static weighted_distribution from_atoms(std::vector<atom> atoms,
                                          double relative_tolerance = default_relative_tolerance);

  // Each value gets weight 1/size (a Monte Carlo sample of replicates).
  static weighted_distribution from_sample(std::span<const double> values,
                                           double relative_tolerance = default_relative_tolerance);

  std::span<const atom> atoms() const { return atoms_; }
  std::size_t size() const { return atoms_.size(); }
  bool empty() const { return atoms_.empty(); }
  double relative_tolerance() const { return relative_tolerance_; }

 private:
  std::vector<atom> atoms_;  // sorted by value, distinct, weights sum to 1
  double relative_tolerance_ = default_relative_tolerance;
};

// P(T <= x), counting atoms nearly equal to x.
double cdf(const weighted_distribution& d, double x);
// P(T < x), excluding atoms nearly equal to x.
double probability_below(const weighted_distribution& d, double x);
// P(T nearly equal to x).
double probability_at(const weighted_distribution& d, double x);
// P(T >= x), counting atoms nearly equal to x.
double probability_at_least(const weighted_distribution& d, double x);

// Q(p) = inf{ t : F(t) >= p } (no interpolation). p in [0, 1]. The comparison F(t) >= p allows
// for rounding in the accumulated weights, so an exact F(t) = p is recognised as such.
double quantile(const weighted_distribution& d, double p);

double mean(const weighted_distribution& d);
// Standard deviation with the total weight as divisor (the bootstrap SE convention).
double standard_deviation(const weighted_distribution& d);

}  // namespace resample
