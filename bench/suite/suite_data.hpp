#pragma once
// Fixed inputs of the issue-7 benchmark families (same generators as bench/bootstrap so that rates
// are comparable across files).

#include <cmath>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

namespace resample::bench {

// Distinct irrational values: no lattice, so Monte Carlo replicates are stored as doubles and no
// convolution applies.
inline std::vector<double> real_valued(std::size_t n) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(std::sqrt(2.0 + static_cast<double>(i)) * 1.37);
  return x;
}

// 11 ordinal levels 0..10, every level present once n >= 11 (the pain scale).
inline std::vector<double> ordinal(std::size_t n) {
  std::vector<double> x;
  for (std::size_t i = 0; i < n; ++i) x.push_back(static_cast<double>((i * 7 + i / 13) % 11));
  return x;
}

// Integer differences uniform in [lo, hi] from a fixed seed.
inline std::vector<double> integers(std::size_t n, int lo, int hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> ints(lo, hi);
  std::vector<double> d(n);
  for (auto& v : d) v = ints(rng);
  return d;
}

inline std::vector<double> normal(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(0.2, 1.0);
  std::vector<double> d(n);
  for (auto& v : d) v = dist(rng);
  return d;
}

inline int all_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace resample::bench
