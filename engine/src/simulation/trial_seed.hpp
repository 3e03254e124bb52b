#pragma once
// The seed a simulation trial hands to the method it runs (a bootstrap inside a coverage trial, a
// Monte Carlo test inside a power trial): SplitMix64 mixes of (seed, n, trial), so that one trial's
// result is reproducible on its own, whatever chunk or thread ran it. Power and coverage share it,
// so the same (seed, n, trial) gives the same inner seed in both.

#include <cstdint>

namespace resample::simulation::detail {

// SplitMix64's output function (Steele, Lea and Flood 2014).
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t n, std::uint64_t trial) {
  return splitmix64(seed ^ splitmix64(n ^ splitmix64(trial)));
}

}  // namespace resample::simulation::detail
