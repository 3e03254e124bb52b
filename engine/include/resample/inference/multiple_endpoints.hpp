#pragma once
// Several endpoints measured on the same patients (pain and mobility): each patient's sign flips
// for all endpoints at once, which keeps the correlation between endpoints in the null.
//
// Endpoint j's statistic is standardised, T_j = sum_i e_i d_ij / sqrt(sum_i d_ij^2) (the mean
// divided by its permutation SD sqrt(sum d^2)/n), so endpoints on different scales compete fairly
// in the maximum. Westfall-Young single-step max-T: adjusted p_j = P(max_k A*_k >= A_j), A the
// extremeness (|T| two-sided, T greater, -T less). Holm's step-down adjustment of the raw p is
// given alongside.

#include <span>
#include <string>
#include <vector>

#include "resample/inference/sign_flip.hpp"

namespace resample::inference {

struct multiple_endpoint_result {
  std::vector<double> standardized;  // observed T_j
  std::vector<double> raw_p;         // per-endpoint sign-flip p (equals the mean's sign-flip test)
  std::vector<double> max_t_p;       // Westfall-Young single-step max-T
  std::vector<double> holm_p;        // Holm step-down on raw_p
  alternative alt = alternative::two_sided;
  bool exact = true;
  std::string method;  // "gray_code" or "monte_carlo"
  std::uint64_t resamples = 0;
  std::vector<double> max_t_mc_se;   // Monte Carlo only
  std::size_t n = 0, n_nonzero = 0;  // patients; patients with any non-zero difference
  double smallest_attainable_p = 0.0;
  std::vector<std::string> notes;
};

inline constexpr std::size_t max_t_max_exact = 30;

// endpoints[j] holds the n differences of endpoint j (same patients, same order). Exact
// enumeration for up to max_t_max_exact non-zero patients (automatic: up to 24), Monte Carlo
// otherwise. Throws invalid_argument for unequal lengths or an endpoint whose differences are all 0.
multiple_endpoint_result max_t_test(const std::vector<std::vector<double>>& endpoints, alternative alt,
                                    const sign_flip_options& options = {});

// Holm's step-down adjusted p-values, in the input order.
std::vector<double> holm_adjust(std::span<const double> p);

}  // namespace resample::inference
