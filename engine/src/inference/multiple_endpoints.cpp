// Westfall-Young max-T over endpoints with joint sign flips: exact by Gray-code enumeration
// (O(J) update per pattern) or Monte Carlo in fixed blocks of the counter-based stream.

#include "resample/inference/multiple_endpoints.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <string>

#include "exact_p_values.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/error.hpp"
#include "resample/monte_carlo_blocks.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

std::vector<double> holm_adjust(std::span<const double> p) {
  const std::size_t J = p.size();
  std::vector<std::size_t> order(J);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> adjusted(J);
  double running = 0.0;  // step-down: adjusted p never decreases along the ordering
  for (std::size_t k = 0; k < J; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(J - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

namespace {

struct problem {
  std::size_t J = 0;
  std::vector<std::vector<double>> rows;  // rows[i][j]: patient i (non-zero somewhere), endpoint j
  std::vector<double> norm;               // sqrt(sum_i d_ij^2)
  std::vector<double> observed_extremeness, tolerance;
  alternative alt;
};

struct counts {
  std::vector<std::uint64_t> raw, max_t;
  explicit counts(std::size_t J = 0) : raw(J, 0), max_t(J, 0) {}
  counts& operator+=(const counts& o) {
    for (std::size_t j = 0; j < raw.size(); ++j) raw[j] += o.raw[j], max_t[j] += o.max_t[j];
    return *this;
  }
};

double extremeness(double standardized, alternative alt) {
  return alt == alternative::two_sided ? std::fabs(standardized)
         : alt == alternative::greater ? standardized
                                       : -standardized;
}

// Adds one pattern, given the endpoint sums; `scratch` holds J values (no allocation).
void add_pattern(const problem& p, const std::vector<double>& sums, std::vector<double>& scratch, counts& c) {
  double maximum = -INFINITY;
  for (std::size_t j = 0; j < p.J; ++j) {
    scratch[j] = extremeness(sums[j] / p.norm[j], p.alt);
    maximum = std::max(maximum, scratch[j]);
  }
  for (std::size_t j = 0; j < p.J; ++j) {
    const double threshold = p.observed_extremeness[j] - p.tolerance[j];
    c.raw[j] += scratch[j] >= threshold;
    c.max_t[j] += maximum >= threshold;
  }
}

counts enumerate_prefix(const problem& p, std::uint64_t prefix, int low) {
  const std::size_t m = p.rows.size();
  std::vector<double> sign(m, 1.0), sums(p.J, 0.0), scratch(p.J);
  for (std::size_t i = static_cast<std::size_t>(low); i < m; ++i)
    if ((prefix >> (i - static_cast<std::size_t>(low))) & 1u) sign[i] = -1.0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < p.J; ++j) sums[j] += sign[i] * p.rows[i][j];
  counts c(p.J);
  const std::uint64_t patterns = std::uint64_t{1} << low;
  for (std::uint64_t k = 0;;) {
    add_pattern(p, sums, scratch, c);
    if (++k == patterns) break;
    const auto i = static_cast<std::size_t>(std::countr_zero(k));
    for (std::size_t j = 0; j < p.J; ++j) sums[j] -= 2.0 * sign[i] * p.rows[i][j];
    sign[i] = -sign[i];
  }
  return c;
}

counts monte_carlo_block(const problem& p, std::uint64_t seed, std::uint64_t block, std::uint64_t count) {
  random_stream stream(seed, stream_id::sign_flip, block);
  const std::size_t m = p.rows.size();
  std::vector<double> sums(p.J), scratch(p.J);
  counts c(p.J);
  for (std::uint64_t r = 0; r < count; ++r) {
    std::fill(sums.begin(), sums.end(), 0.0);
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < m; ++i) {
      if (i % 64 == 0) bits = stream();
      const double s = (bits >> (i % 64)) & 1u ? -1.0 : 1.0;
      for (std::size_t j = 0; j < p.J; ++j) sums[j] += s * p.rows[i][j];
    }
    add_pattern(p, sums, scratch, c);
  }
  return c;
}

}  // namespace

multiple_endpoint_result max_t_test(const std::vector<std::vector<double>>& endpoints, alternative alt,
                                    const sign_flip_options& options) {
  constexpr const char* function = "resample::max_t_test";
  if (endpoints.empty()) throw_invalid_argument(function, "no endpoints, expected at least 1");
  const std::size_t n = endpoints[0].size();
  if (n == 0) throw_invalid_argument(function, "n = 0 patients, expected at least 1");
  problem p;
  p.J = endpoints.size();
  p.alt = alt;
  for (std::size_t j = 0; j < p.J; ++j) {
    if (endpoints[j].size() != n)
      throw_invalid_argument(function, "endpoint " + std::to_string(j + 1) + " has " +
                                           std::to_string(endpoints[j].size()) + " patients, expected " +
                                           std::to_string(n) + " like endpoint 1");
    double squares = 0.0, absolute = 0.0, sum = 0.0;
    for (double d : endpoints[j]) {
      if (!std::isfinite(d)) throw_invalid_argument(function, "a difference is not finite");
      squares += d * d, absolute += std::fabs(d), sum += d;
    }
    if (squares == 0.0)
      throw_invalid_argument(function, "all differences of endpoint " + std::to_string(j + 1) +
                                           " are zero, expected at least one non-zero difference");
    p.norm.push_back(std::sqrt(squares));
    p.observed_extremeness.push_back(extremeness(sum / p.norm.back(), alt));
    // The single-endpoint test's sum rule (bounded by the swing 2 sum|d|), plus the division by
    // the norm, on the standardised scale.
    p.tolerance.push_back(
        value_equality::after_rounding(detail::sum_rounding_operations(n) + 1.0, 2.0 * absolute).tolerance() /
        p.norm.back());
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> row(p.J);
    bool nonzero = false;
    for (std::size_t j = 0; j < p.J; ++j) row[j] = endpoints[j][i], nonzero = nonzero || row[j] != 0.0;
    if (nonzero) p.rows.push_back(std::move(row));
  }
  const std::size_t m = p.rows.size();
  multiple_endpoint_result r;
  r.alt = alt;
  r.n = n;
  r.n_nonzero = m;
  for (std::size_t j = 0; j < p.J; ++j) {
    double s = 0.0;
    for (double d : endpoints[j]) s += d;
    r.standardized.push_back(s / p.norm[j]);
  }
  bool exact = false;
  switch (options.method) {
    case method_choice::exact:
      if (m > max_t_max_exact)
        throw infeasible_error("exact max-T over " + std::to_string(m) + " patients: 2^" + std::to_string(m) +
                                   " joint sign patterns exceeds the limit 2^" +
                                   std::to_string(max_t_max_exact),
                               "method", {use_monte_carlo()});
      exact = true;
      break;
    case method_choice::automatic:
      exact = m <= 24;
      break;
    case method_choice::monte_carlo:
      exact = false;
      break;
    case method_choice::approximate:
      throw_invalid_argument(function,
                             "method = approx, expected exact, mc or auto for the max-T adjustment");
  }
  counts total(p.J);
  if (exact) {
    const int low = static_cast<int>(std::min<std::size_t>(m, 16));
    const std::uint64_t prefixes = std::uint64_t{1} << (m - static_cast<std::size_t>(low));
    std::vector<counts> parts(prefixes);
    detail::run_with_threads(options.exec.threads, [&] {
      resample::parallel_for(tbb::blocked_range<std::uint64_t>(0, prefixes), [&](const auto& range) {
        for (auto b = range.begin(); b != range.end(); ++b) parts[b] = enumerate_prefix(p, b, low);
      });
    });
    for (const auto& c : parts) total += c;
    const long double patterns = std::ldexp(1.0L, static_cast<int>(m));
    for (std::size_t j = 0; j < p.J; ++j) {
      r.raw_p.push_back(static_cast<double>(static_cast<long double>(total.raw[j]) / patterns));
      r.max_t_p.push_back(static_cast<double>(static_cast<long double>(total.max_t[j]) / patterns));
    }
    r.method = "gray_code";
    r.smallest_attainable_p = detail::smallest_sign_pattern_p(m, alt);
  } else {
    const std::uint64_t B = options.resamples;
    if (B < 1) throw_invalid_argument(function, "resamples = 0, expected at least 1");
    const std::uint64_t blocks = monte_carlo_block_count(B);
    // Blocks [first, last) here, as a partial of integer counts (raw then max-T per endpoint), so
    // that a batch job split over MPI ranks divides the blocks and adds the counts exactly.
    const block_range_runner run = [&](std::uint64_t first, std::uint64_t last) {
      std::vector<counts> parts(last - first);
      detail::run_with_threads(options.exec.threads, [&] {
        resample::parallel_for(tbb::blocked_range<std::uint64_t>(first, last), [&](const auto& range) {
          for (auto b = range.begin(); b != range.end(); ++b) {
            if (cancel_requested(options.exec))
              throw cancelled_error("max-T run stopped at a block boundary");
            parts[b - first] = monte_carlo_block(p, options.seed, b,
                                                 std::min(resamples_per_block, B - b * resamples_per_block));
          }
        });
      });
      counts sum(p.J);
      for (const auto& c : parts) sum += c;
      block_partial out;
      out.first_block = first, out.last_block = last;
      out.counts = sum.raw;
      out.counts.insert(out.counts.end(), sum.max_t.begin(), sum.max_t.end());
      return out;
    };
    const block_partial merged =
        options.exec.distribute ? (*options.exec.distribute)(blocks, run) : run(0, blocks);
    if (merged.first_block != 0 || merged.last_block != blocks || merged.counts.size() != 2 * p.J)
      throw_invalid_argument(function, "the merged Monte Carlo partial does not cover all blocks");
    for (std::size_t j = 0; j < p.J; ++j)
      total.raw[j] = merged.counts[j], total.max_t[j] = merged.counts[p.J + j];
    const double denominator = static_cast<double>(B) + 1.0;
    for (std::size_t j = 0; j < p.J; ++j) {
      r.raw_p.push_back((static_cast<double>(total.raw[j]) + 1.0) / denominator);
      const double q = (static_cast<double>(total.max_t[j]) + 1.0) / denominator;
      r.max_t_p.push_back(q);
      r.max_t_mc_se.push_back(std::sqrt(q * (1.0 - q) / static_cast<double>(B)));
    }
    r.method = "monte_carlo";
    r.resamples = B;
    r.smallest_attainable_p = 1.0 / denominator;
    if (options.method == method_choice::automatic)
      r.notes.push_back("2^" + std::to_string(m) +
                        " joint sign patterns is too many for automatic exact "
                        "enumeration; Monte Carlo used (exact: false)");
  }
  r.exact = exact;
  r.holm_p = holm_adjust(r.raw_p);
  return r;
}

}  // namespace resample::inference
