#include "resample/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "parallel_for.hpp"
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
  const auto by_value = [](const atom& x, const atom& y) { return x.value < y.value; };
  // Checks, the largest weight and whether the atoms come sorted: one read of them, in parallel
  // chunks for the millions of atoms of an exact enumeration (a serial pass there was a fifth of
  // a two-thread run). Max, "all sorted" and "first bad index" do not depend on how it is cut.
  const std::size_t size = atoms.size();
  const std::size_t chunk = std::size_t{1} << 15;
  const std::size_t chunks = (size + chunk - 1) / chunk;
  struct chunk_scan {
    double largest = 0.0;
    bool sorted = true;
    std::size_t first_bad = std::numeric_limits<std::size_t>::max();
  };
  std::vector<chunk_scan> scans(chunks);
  const auto scan = [&](std::size_t c) {
    chunk_scan& r = scans[c];
    const std::size_t end = std::min(size, (c + 1) * chunk);
    for (std::size_t i = c * chunk; i < end; ++i) {
      const atom& a = atoms[i];
      if (!std::isfinite(a.value) || !std::isfinite(a.weight) || a.weight < 0.0) {
        r.first_bad = std::min(r.first_bad, i);
        continue;
      }
      r.largest = std::max(r.largest, a.weight);
      r.sorted = r.sorted && (i == 0 || !by_value(a, atoms[i - 1]));
    }
  };
  if (chunks > 2)
    resample::parallel_for(std::size_t{0}, chunks, scan);
  else
    for (std::size_t c = 0; c < chunks; ++c) scan(c);
  double largest = 0.0;
  bool sorted = true;
  std::size_t first_bad = std::numeric_limits<std::size_t>::max();
  for (const auto& r : scans)
    largest = std::max(largest, r.largest), sorted = sorted && r.sorted,
    first_bad = std::min(first_bad, r.first_bad);
  if (first_bad < size) {
    if (!std::isfinite(atoms[first_bad].value))
      throw_invalid_argument(function, "an atom has a non-finite value");
    throw_invalid_argument(function, "an atom has a negative or non-finite weight");
  }
  if (!(largest > 0.0)) throw_invalid_argument(function, "the total weight must be positive");
  // Weights of 1e308 would sum to inf and normalise to 0, weights of 1e-320 lose their digits:
  // bring the largest near 1 by a power of two, which changes no bits of a normal weight. A
  // multiplication by 2^-exponent rounds as ldexp does, at a fraction of its cost, wherever the
  // power of two is itself a normal double.
  const int exponent = std::ilogb(largest);
  const bool multiply = exponent > -1000 && exponent < 1000;
  const double scale = std::ldexp(1.0, multiply ? -exponent : 0);
  const auto scaled = [&](double w) { return multiply ? w * scale : std::ldexp(w, -exponent); };
  // The total is summed in the order the atoms came in; then sorted (callers that merge sorted
  // lists, as the exact enumeration does, pass them sorted: one pass then), and runs of equal
  // values merged in place into the run's first value, so that a chain of tiny steps cannot drift.
  double total = 0.0;
  std::size_t out = 0;
  const auto merge_in = [&](const atom& a) {
    if (a.weight == 0.0) return;
    if (out > 0 && equal(atoms[out - 1].value, a.value))
      atoms[out - 1].weight += a.weight;
    else
      atoms[out++] = a;
  };
  if (sorted) {
    for (std::size_t i = 0; i < atoms.size(); ++i) {
      const atom a{atoms[i].value, scaled(atoms[i].weight)};
      total += a.weight;
      merge_in(a);
    }
  } else {
    for (atom& a : atoms) a.weight = scaled(a.weight), total += a.weight;
    std::sort(atoms.begin(), atoms.end(), by_value);
    for (std::size_t i = 0; i < atoms.size(); ++i) merge_in(atoms[i]);
  }
  atoms.resize(out);
  const std::size_t out_chunks = (out + chunk - 1) / chunk;
  const auto normalise = [&](std::size_t c) {
    const std::size_t end = std::min(out, (c + 1) * chunk);
    for (std::size_t i = c * chunk; i < end; ++i) atoms[i].weight /= total;
  };
  if (out_chunks > 2)
    resample::parallel_for(std::size_t{0}, out_chunks, normalise);
  else
    for (std::size_t c = 0; c < out_chunks; ++c) normalise(c);
  // Merging can leave far fewer atoms than came in (discrete data): do not keep the capacity.
  if (atoms.capacity() > 2 * atoms.size() + 64) atoms.shrink_to_fit();
  weighted_distribution d;
  d.equality_ = equal;
  d.atoms_ = std::move(atoms);
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
