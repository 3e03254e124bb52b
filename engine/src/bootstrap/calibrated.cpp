// Calibrated (double-bootstrap) percentile interval; the definitions are in calibrated.hpp.

#include "resample/bootstrap/calibrated.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "log_gamma.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/error.hpp"

namespace resample::bootstrap {

namespace {

// Where t_hat sits in one inner bootstrap distribution.
struct inner_position {
  double at_most = 0.0;   // P**(T** <= t_hat)
  double at_least = 0.0;  // P**(T** >= t_hat)
};

struct outer_atom {
  double value = 0.0;  // T*
  double weight = 0.0;
  inner_position inner;
};

// Bootstrap coverage of the percentile interval with tail a.
double coverage_at(std::span<const outer_atom> outer, double a) {
  double c = 0.0;
  for (const auto& o : outer)
    if (a <= o.inner.at_most && a < o.inner.at_least) c += o.weight;
  return c;
}

// Every composition of n into k parts, in lexicographic order (deterministic).
void compositions(std::size_t n, std::size_t k, std::vector<std::uint32_t>& current,
                  std::vector<std::vector<std::uint32_t>>& out) {
  if (current.size() + 1 == k) {
    current.push_back(static_cast<std::uint32_t>(n));
    out.push_back(current);
    current.pop_back();
    return;
  }
  for (std::size_t c = 0; c <= n; ++c) {
    current.push_back(static_cast<std::uint32_t>(c));
    compositions(n - c, k, current, out);
    current.pop_back();
  }
}

std::string format(const char* pattern, double a, double b = 0.0) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, a, b);
  return buffer;
}

std::vector<outer_atom> exact_outer(const multiset& m, std::size_t n, const statistic& stat, double t_hat) {
  std::vector<std::vector<std::uint32_t>> all;
  std::vector<std::uint32_t> current;
  compositions(n, m.support.size(), current, all);
  std::vector<outer_atom> outer(all.size());
  const double log_n_factorial = log_gamma(static_cast<double>(n) + 1.0);
  resample::parallel_for(tbb::blocked_range<std::size_t>(0, all.size()), [&](const auto& range) {
    std::vector<double> resample;
    resample.reserve(n);
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const auto& counts = all[i];
      // Multinomial probability n!/prod c_j! * prod (m_j/n)^c_j, in logs (no overflow).
      double log_weight = log_n_factorial;
      resample.clear();
      for (std::size_t j = 0; j < counts.size(); ++j) {
        log_weight += -log_gamma(counts[j] + 1.0) +
                      counts[j] * std::log(static_cast<double>(m.counts[j]) / static_cast<double>(n));
        resample.insert(resample.end(), counts[j], m.support[j]);
      }
      outer[i].weight = std::exp(log_weight);
      outer[i].value = evaluate(stat, resample);
      const weighted_distribution inner = exact_bootstrap_distribution(resample, stat);
      outer[i].inner = {cdf(inner, t_hat), probability_at_least(inner, t_hat)};
    }
  });
  return outer;
}

std::vector<outer_atom> monte_carlo_outer(const multiset& m, std::span<const std::size_t> support_index,
                                          std::size_t n, const statistic& stat, double t_hat,
                                          const calibrated_options& options) {
  std::vector<outer_atom> outer(options.outer_resamples);
  const double weight = 1.0 / static_cast<double>(options.outer_resamples);
  const double inner_total = static_cast<double>(options.inner_resamples);
  const value_equality equal = statistic_equality(stat, n, largest_magnitude(m.support));
  visit_statistic(stat, [&](auto kernel) {
    resample::parallel_for(
        tbb::blocked_range<std::uint64_t>(0, options.outer_resamples), [&](const auto& range) {
          // Buffers per task; the resample loops below do not allocate.
          std::vector<std::size_t> drawn(n);
          std::vector<std::uint32_t> outer_counts(m.support.size()), inner_counts(m.support.size());
          for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
            random_stream outer_stream(options.seed, stream_id::nested_bootstrap, b, 1);
            std::fill(outer_counts.begin(), outer_counts.end(), 0u);
            for (std::size_t i = 0; i < n; ++i) {
              drawn[i] = support_index[outer_stream.below(n)];
              ++outer_counts[drawn[i]];
            }
            outer[b].value =
                kernel(std::span<const double>(m.support), std::span<const std::uint32_t>(outer_counts), n);
            outer[b].weight = weight;
            random_stream inner_stream(options.seed, stream_id::nested_bootstrap, b, 2);
            std::uint64_t at_most = 0, at_least = 0;
            for (std::uint64_t r = 0; r < options.inner_resamples; ++r) {
              std::fill(inner_counts.begin(), inner_counts.end(), 0u);
              for (std::size_t i = 0; i < n; ++i) ++inner_counts[drawn[inner_stream.below(n)]];
              const double t =
                  kernel(std::span<const double>(m.support), std::span<const std::uint32_t>(inner_counts), n);
              const bool tie = equal(t, t_hat);
              at_most += tie || t < t_hat;
              at_least += tie || t > t_hat;
            }
            outer[b].inner = {static_cast<double>(at_most) / inner_total,
                              static_cast<double>(at_least) / inner_total};
          }
        });
  });
  return outer;
}

calibrated_result run(std::span<const double> sample, const statistic& stat, double level,
                      const calibrated_options& options) {
  const std::size_t n = sample.size();
  const multiset m = to_multiset(sample);
  const double t_hat = evaluate(stat, m);
  const double outer_count = composition_count(n, m.support.size());
  const double exact_cost = outer_count * outer_count;
  bool exact = false;
  switch (options.requested) {
    case method::automatic:
      exact = n <= options.exact_max_n;
      break;
    case method::monte_carlo:
      exact = false;
      break;
    case method::approximate:
      check_not_approximate("resample::bootstrap::calibrated_percentile_interval", options.requested);
      break;
    case method::exact:
      if (!(exact_cost <= options.exact_budget))
        throw infeasible_error(
            format("exact double bootstrap needs %.3g outer x inner multisets (limit %.3g); "
                   "use Monte Carlo",
                   exact_cost, options.exact_budget));
      exact = true;
      break;
  }

  calibrated_result r;
  r.exact = exact;
  std::vector<outer_atom> outer;
  if (exact) {
    outer = exact_outer(m, n, stat, t_hat);
    r.algorithm = "exact double bootstrap";
    r.outer = outer_count;
    r.inner = outer_count;
  } else {
    std::vector<std::size_t> support_index(n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < m.support.size(); ++j)
        if (sample[i] == m.support[j]) {  // m is built from the sample: exact
          support_index[i] = j;
          break;
        }
    outer = monte_carlo_outer(m, support_index, n, stat, t_hat, options);
    r.algorithm = "Monte Carlo double bootstrap";
    r.outer = static_cast<double>(options.outer_resamples);
    r.inner = static_cast<double>(options.inner_resamples);
  }

  // Exact: the outer distribution is the plain exact bootstrap, so the endpoints are bit-identical
  // with those of the percentile interval; Monte Carlo: the B1 outer replicates.
  const weighted_distribution outer_distribution = [&] {
    if (exact) return exact_bootstrap_distribution(sample, stat);
    std::vector<atom> atoms;
    atoms.reserve(outer.size());
    for (const auto& o : outer) atoms.push_back({o.value, o.weight});
    return weighted_distribution::from_atoms(std::move(atoms), statistic_equality(stat, sample));
  }();

  const double plain_a = (1.0 - level) / 2.0;
  r.uncalibrated_coverage = coverage_at(outer, plain_a);
  // C(a) only changes at the inner probabilities, so the supremum of {a : C(a) >= level} is one of
  // them (or 1/2). Just below a breakpoint b, C(b-) = sum w [P** <= and P** >= both at least b];
  // at b, C(b) = sum w [P**(<=) >= b and P**(>=) > b]. Comparing stored numbers with each other
  // needs no tolerance. When only C(b-) reaches the level, the supremum is not attained and the
  // interval is the limit a -> b from below.
  std::vector<double> breakpoints{0.5};
  for (const auto& o : outer) {
    if (o.inner.at_most <= 0.5) breakpoints.push_back(o.inner.at_most);
    if (o.inner.at_least <= 0.5) breakpoints.push_back(o.inner.at_least);
  }
  std::sort(breakpoints.begin(), breakpoints.end(), std::greater<>());
  breakpoints.erase(std::unique(breakpoints.begin(), breakpoints.end()), breakpoints.end());
  double a = 0.0;
  bool attained = true;
  bool found = false;
  for (double b : breakpoints) {
    double at = 0.0, below = 0.0;
    for (const auto& o : outer) {
      if (o.inner.at_most >= b && o.inner.at_least > b) at += o.weight;
      if (o.inner.at_most >= b && o.inner.at_least >= b) below += o.weight;
    }
    if (at >= level || (b > 0.0 && below >= level)) {
      a = b;
      attained = at >= level;
      r.bootstrap_coverage = attained ? at : below;
      found = true;
      break;
    }
  }
  if (!found) {
    r.bootstrap_coverage = coverage_at(outer, 0.0);
    r.notes.push_back(
        format("calibration cannot reach the target: even the whole outer range covers t_hat in "
               "only %.4g of the outer resamples; the widest interval (a = 0) is reported",
               r.bootstrap_coverage));
  }
  r.nominal_level = 1.0 - 2.0 * a;
  r.ci.method = interval_method::calibrated;
  r.ci.level = level;
  // Q is left-continuous, so Q(b-) = Q(b); the upper end Q((1 - b)+) is the first atom whose
  // distribution function exceeds 1 - b (beyond rounding of the accumulated weights).
  r.ci.lower = quantile(outer_distribution, a);
  if (attained) {
    r.ci.upper = quantile(outer_distribution, 1.0 - a);
  } else {
    double cumulative = 0.0;
    r.ci.upper = outer_distribution.atoms().back().value;
    for (const atom& x : outer_distribution.atoms()) {
      cumulative += x.weight;
      if (cumulative > 1.0 - a + 1e-12) {
        r.ci.upper = x.value;
        break;
      }
    }
  }
  r.attained = attained;
  r.ci.note =
      format("percentile interval at calibrated nominal level %.6g (double-bootstrap coverage %.4g",
             r.nominal_level, r.bootstrap_coverage) +
      format("; uncalibrated %.4g); ", r.uncalibrated_coverage) +
      (exact
           ? format(
                 "exact double bootstrap, %.0f distinct outer resamples each with its exact inner bootstrap",
                 outer_count)
           : format("Monte Carlo double bootstrap, %.0f outer x %.0f inner resamples", r.outer, r.inner));
  return r;
}

}  // namespace

calibrated_result calibrated_percentile_interval(std::span<const double> sample, const statistic& stat,
                                                 double level, const calibrated_options& options) {
  constexpr const char* function = "resample::bootstrap::calibrated_percentile_interval";
  if (sample.size() < 2)
    throw_invalid_argument(function, "n = " + std::to_string(sample.size()) + ", expected n >= 2");
  if (!(level > 0.0 && level < 1.0)) throw_invalid_argument(function, "level outside (0, 1)");
  for (double x : sample)
    if (!std::isfinite(x)) throw_invalid_argument(function, "the sample holds a non-finite value");
  if (sample.size() < minimum_sample_size(stat))
    throw_invalid_argument(function, "n = " + std::to_string(sample.size()) +
                                         " is too small for statistic '" + to_string(stat) + "'");
  if (options.outer_resamples == 0 || options.inner_resamples == 0)
    throw_invalid_argument(function, "outer and inner resamples must be at least 1");
  if (options.exec.threads == 0) return run(sample, stat, level, options);
  tbb::task_arena arena(static_cast<int>(options.exec.threads));
  return arena.execute([&] { return run(sample, stat, level, options); });
}

}  // namespace resample::bootstrap
