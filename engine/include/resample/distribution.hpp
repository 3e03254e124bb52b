#pragma once
// A discrete distribution as weighted atoms: the single representation of a bootstrap or
// permutation distribution, whether it came from exact enumeration, convolution or Monte Carlo.
// Modelled on Boost.Math's value-type-plus-free-functions style: cdf(d, x), quantile(d, p).

#include <cstddef>
#include <span>
#include <vector>

#include "resample/equality.hpp"

namespace resample {

struct atom {
  double value;
  double weight;
};

class weighted_distribution {
 public:
  weighted_distribution() = default;

  // Sorts by value, merges values that are equal under `equal` (equality.hpp: the rounding of
  // the arithmetic that computed them; exact by default) and normalises the weights to sum to 1.
  // Weights must be finite and non-negative with a positive total; values must be finite.
  static weighted_distribution from_atoms(std::vector<atom> atoms, value_equality equal = {});

  // Each value gets weight 1/size (a Monte Carlo sample of replicates).
  static weighted_distribution from_sample(std::span<const double> values, value_equality equal = {});

  std::span<const atom> atoms() const { return atoms_; }
  std::size_t size() const { return atoms_.size(); }
  bool empty() const { return atoms_.empty(); }
  // The rule its values were merged with; cdf and friends compare with it too.
  value_equality equality() const { return equality_; }

 private:
  std::vector<atom> atoms_;  // sorted by value, distinct, weights sum to 1
  value_equality equality_;
};

// P(T <= x), counting atoms equal to x under d.equality().
double cdf(const weighted_distribution& d, double x);
// P(T < x), excluding atoms equal to x.
double probability_below(const weighted_distribution& d, double x);
// P(T equal to x).
double probability_at(const weighted_distribution& d, double x);
// P(T >= x), counting atoms equal to x.
double probability_at_least(const weighted_distribution& d, double x);

// Q(p) = inf{ t : F(t) >= p } (no interpolation). p in [0, 1]. The comparison F(t) >= p allows
// for rounding in the accumulated weights (probabilities: unit-free, so the allowance is an
// absolute 1e-12 on [0, 1], not a rule on values), so an exact F(t) = p is recognised as such.
double quantile(const weighted_distribution& d, double p);

double mean(const weighted_distribution& d);
// Standard deviation with the total weight as divisor (the bootstrap SE convention).
double standard_deviation(const weighted_distribution& d);

}  // namespace resample
