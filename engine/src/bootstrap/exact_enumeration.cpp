#include "resample/bootstrap/exact_enumeration.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "bootstrap/multinomial.hpp"
#include "bootstrap/sampling.hpp"
#include "log_gamma.hpp"
#include "parallel_for.hpp"
#include "random_stream.hpp"
#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/jackknife.hpp"
#include "resample/error.hpp"
#include "text.hpp"

namespace resample::bootstrap {

double composition_count(std::size_t n, std::size_t k) {
  if (k == 0) return n == 0 ? 1.0 : 0.0;
  const double top = static_cast<double>(n + k - 1);
  const double r = static_cast<double>(k - 1);
  return std::round(std::exp(log_gamma(top + 1) - log_gamma(r + 1) - log_gamma(top - r + 1)));
}

double multiset_count(std::size_t n) { return composition_count(n, n); }

namespace {

// Inner enumeration limit and Monte Carlo size of nested_bootstrap_se.
constexpr double inner_enumeration_limit = 2000;
constexpr std::uint64_t inner_monte_carlo_resamples = 200;
// Outer compositions above which the exact nested bootstrap (studentized, non-sum statistic) is
// skipped: about 50000 * 2000 statistic evaluations at most.
constexpr double nested_outer_limit = 50000;

// term[j][c] = p_j^c / c!: the multinomial weight of a composition is n! * prod_j term[j][c_j].
std::vector<std::vector<double>> multinomial_terms(std::span<const double> probabilities, std::size_t n) {
  std::vector<std::vector<double>> term(probabilities.size(), std::vector<double>(n + 1));
  for (std::size_t j = 0; j < probabilities.size(); ++j) {
    term[j][0] = 1.0;
    for (std::size_t c = 1; c <= n; ++c)
      term[j][c] = term[j][c - 1] * probabilities[j] / static_cast<double>(c);
  }
  return term;
}

// Visits every composition of `remaining` into parts j..k-1 (parts < j fixed in counts), calling
// f(weight_without_n_factorial).
template <class F>
void walk(const std::vector<std::vector<double>>& term, std::size_t j, std::size_t remaining, double partial,
          std::uint32_t* counts, std::size_t k, F& f) {
  if (j + 1 == k) {
    counts[j] = static_cast<std::uint32_t>(remaining);
    f(partial * term[j][remaining]);
    return;
  }
  for (std::size_t c = 0; c <= remaining; ++c) {
    counts[j] = static_cast<std::uint32_t>(c);
    walk(term, j + 1, remaining - c, partial * term[j][c], counts, k, f);
  }
}

double factorial(std::size_t n) {
  double f = 1.0;
  for (std::size_t i = 2; i <= n; ++i) f *= static_cast<double>(i);
  return f;
}

// Sorts and merges exactly equal values: keeps per-task atom lists short before they are joined.
void compact(std::vector<atom>& atoms) {
  std::sort(atoms.begin(), atoms.end(), [](const atom& a, const atom& b) { return a.value < b.value; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (out > 0 && atoms[out - 1].value == atoms[i].value)
      atoms[out - 1].weight += atoms[i].weight;
    else
      atoms[out++] = atoms[i];
  }
  atoms.resize(out);
}

std::uint64_t counts_key(std::span<const std::uint32_t> counts) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: a fixed, platform-independent key
  for (auto c : counts) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Standard error of a mean of scores with the given counts: s / sqrt(n), s with divisor n - 1.
// Returns 0 when every selected score is equal.
double analytic_se(std::span<const double> scores, std::span<const std::uint32_t> counts, std::size_t n) {
  double total = 0.0;
  double first = 0.0;
  bool have_first = false, all_equal = true;
  for (std::size_t j = 0; j < scores.size(); ++j) {
    if (counts[j] == 0) continue;
    total += counts[j] * scores[j];
    if (!have_first) {
      first = scores[j];
      have_first = true;
    } else if (first != scores[j]) {  // scores of distinct data values: no arithmetic to round
      all_equal = false;
    }
  }
  if (all_equal) return 0.0;
  const double center = total / static_cast<double>(n);
  double squares = 0.0;
  for (std::size_t j = 0; j < scores.size(); ++j)
    if (counts[j] != 0) squares += counts[j] * (scores[j] - center) * (scores[j] - center);
  return std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
}

struct task_output {
  std::vector<atom> values;
  std::vector<atom> studentized;
  double dropped = 0;
  double dropped_weight = 0.0;
};

}  // namespace

double nested_bootstrap_se(const statistic& stat, std::span<const double> support,
                           std::span<const std::uint32_t> counts, std::uint64_t seed, std::uint64_t key) {
  std::vector<double> inner_support;
  std::vector<double> probabilities;
  std::vector<std::uint32_t> inner_counts;
  std::size_t n = 0;
  for (std::size_t j = 0; j < support.size(); ++j) n += counts[j];
  for (std::size_t j = 0; j < support.size(); ++j) {
    if (counts[j] == 0) continue;
    inner_support.push_back(support[j]);
    probabilities.push_back(static_cast<double>(counts[j]) / static_cast<double>(n));
  }
  const std::size_t k = inner_support.size();
  if (k == 1) return 0.0;
  inner_counts.assign(k, 0);
  return visit_statistic(stat, [&](auto concrete) {
    std::vector<atom> atoms;
    const std::span<const double> s(inner_support);
    const std::span<const std::uint32_t> c(inner_counts);
    if (composition_count(n, k) <= inner_enumeration_limit) {
      const auto term = multinomial_terms(probabilities, n);
      auto visit = [&](double weight) { atoms.push_back({concrete(s, c, n), weight}); };
      walk(term, 0, n, 1.0, inner_counts.data(), k, visit);
    } else {
      // Monte Carlo inner bootstrap: multinomial counts over the resample's distinct values,
      // by binomial splits when they are few, else by drawing n patients by index.
      detail::bulk_random_stream rng(seed, stream_id::nested_bootstrap, key);
      std::vector<std::uint32_t> multiplicities;
      for (std::size_t j = 0; j < support.size(); ++j)
        if (counts[j] != 0) multiplicities.push_back(counts[j]);
      if (detail::binomial_cost_in_draws * k < n) {
        const detail::multinomial_sampler sampler(multiplicities);
        for (std::uint64_t b = 0; b < inner_monte_carlo_resamples; ++b) {
          sampler.draw(rng, n, inner_counts);
          atoms.push_back({concrete(s, c, n), 1.0});
        }
      } else {
        std::vector<std::uint32_t> owner;
        for (std::size_t j = 0; j < k; ++j)
          owner.insert(owner.end(), multiplicities[j], static_cast<std::uint32_t>(j));
        detail::digit_source digits(n);
        for (std::uint64_t b = 0; b < inner_monte_carlo_resamples; ++b) {
          std::fill(inner_counts.begin(), inner_counts.end(), 0u);
          for (std::size_t i = 0; i < n; ++i) ++inner_counts[owner[digits.next(rng)]];
          atoms.push_back({concrete(s, c, n), 1.0});
        }
      }
    }
    return standard_deviation(weighted_distribution::from_atoms(std::move(atoms)));
  });
}

enumeration_result enumerate_bootstrap(std::span<const double> sample, const statistic& stat,
                                       const enumeration_options& options) {
  constexpr const char* function = "resample::bootstrap::enumerate_bootstrap";
  const std::size_t n = sample.size();
  if (n < 2) throw_invalid_argument(function, "n = " + std::to_string(n) + ", expected n >= 2");
  const multiset data = to_multiset(sample);
  const std::size_t k = data.support.size();
  const double compositions = composition_count(n, k);
  if (!(compositions <= options.max_compositions))
    throw infeasible_error(
        detail::printf_string(
            "exact enumeration at n = %zu (%zu distinct values) visits %.3g multisets, above "
            "the limit of %.3g%s",
            n, k, compositions, options.max_compositions,
            is_sum_type(stat) ? " (integer or lattice data would take the exact convolution)" : ""),
        "method", {use_monte_carlo()});

  std::vector<double> probabilities(k);
  for (std::size_t j = 0; j < k; ++j)
    probabilities[j] = static_cast<double>(data.counts[j]) / static_cast<double>(n);
  const auto term = multinomial_terms(probabilities, n);
  const double n_factorial = factorial(n);
  const double estimate = evaluate(stat, data);

  enumeration_result result;
  result.compositions = compositions;
  bool studentized = options.studentized;
  const bool sum_type = is_sum_type(stat);
  std::vector<double> scores;
  if (studentized) {
    if (sum_type) {
      scores = statistic_scores(stat, data.support);
      result.studentized_method = "analytic se* = sd(scores*) / sqrt(n)";
      result.studentized_se = analytic_se(scores, data.counts, n);
    } else if (options.se_method == studentized_se_method::jackknife) {
      if (compositions * static_cast<double>(k) > options.max_compositions) {
        studentized = false;
        result.studentized_note = detail::printf_string(
            "studentized with the jackknife se* takes %zu evaluations per multiset; %.3g multisets x %zu "
            "exceed the exact limit of %.3g; the Monte Carlo method computes it",
            k, compositions, k, options.max_compositions);
      } else {
        result.studentized_method =
            "jackknife se* of each multiset (leave-one-out over its distinct values, weighted by "
            "multiplicity)";
        result.studentized_se = jackknife_standard_error(sample, stat);
      }
    } else if (compositions > nested_outer_limit) {
      studentized = false;
      result.studentized_note = detail::printf_string(
          "studentized needs a nested bootstrap per resample; %.3g outer multisets exceed the exact nested "
          "limit "
          "of %.3g; the Monte Carlo method computes it",
          compositions, nested_outer_limit);
    } else {
      result.studentized_method =
          "exact nested bootstrap se* (Monte Carlo inner bootstrap of 200 when an inner "
          "enumeration exceeds 2000 multisets)";
    }
  }

  // Prefix tasks: the counts of the first one or two distinct values.
  struct prefix {
    std::uint32_t c0, c1;
  };
  std::vector<prefix> prefixes;
  const std::size_t depth = k >= 3 ? 2 : k - 1;
  if (depth == 0) {
    prefixes.push_back({static_cast<std::uint32_t>(n), 0});
  } else if (depth == 1) {
    for (std::uint32_t c0 = 0; c0 <= n; ++c0) prefixes.push_back({c0, 0});
  } else {
    for (std::uint32_t c0 = 0; c0 <= n; ++c0)
      for (std::uint32_t c1 = 0; c0 + c1 <= n; ++c1) prefixes.push_back({c0, c1});
  }
  std::vector<task_output> outputs(prefixes.size());

  const bool jackknife_se = options.se_method == studentized_se_method::jackknife;
  const value_equality equal = statistic_equality(stat, sample);
  visit_statistic(stat, [&](auto concrete) {
    const std::span<const double> support(data.support);
    auto run_task = [&](std::size_t task) {
      task_output& out = outputs[task];
      std::vector<std::uint32_t> counts(k, 0);
      const std::span<const std::uint32_t> counts_view(counts);
      auto visit = [&](double weight_part) {
        const double weight = n_factorial * weight_part;
        const double t = concrete(support, counts_view, n);
        out.values.push_back({t, weight});
        if (!studentized) return;
        // The jackknife changes `counts` and restores it before the walk goes on.
        const double se =
            sum_type ? analytic_se(scores, counts_view, n)
            : jackknife_se
                ? multiset_jackknife_se(concrete, support, std::span<std::uint32_t>(counts), n, equal)
                : nested_bootstrap_se(stat, support, counts_view, options.seed, counts_key(counts_view));
        if (se > 0.0) {
          out.studentized.push_back({(t - estimate) / se, weight});
        } else {
          out.dropped += 1;
          out.dropped_weight += weight;
        }
      };
      const prefix p = prefixes[task];
      if (depth == 0) {
        counts[0] = p.c0;
        visit(term[0][p.c0]);
      } else if (depth == 1) {
        counts[0] = p.c0;
        walk(term, 1, n - p.c0, term[0][p.c0], counts.data(), k, visit);
      } else {
        counts[0] = p.c0;
        counts[1] = p.c1;
        walk(term, 2, n - p.c0 - p.c1, term[0][p.c0] * term[1][p.c1], counts.data(), k, visit);
      }
      compact(out.values);
      compact(out.studentized);
    };
    if (options.parallel && prefixes.size() > 1) {
      resample::parallel_for(std::size_t{0}, prefixes.size(), run_task);
    } else {
      for (std::size_t task = 0; task < prefixes.size(); ++task) run_task(task);
    }
  });

  // Join in task order: the same atoms in the same order for any thread count.
  std::vector<atom> values, t_values;
  std::size_t total_values = 0, total_t_values = 0;
  for (const auto& out : outputs) {
    total_values += out.values.size();
    total_t_values += out.studentized.size();
  }
  values.reserve(total_values);
  t_values.reserve(total_t_values);
  for (auto& out : outputs) {
    values.insert(values.end(), out.values.begin(), out.values.end());
    t_values.insert(t_values.end(), out.studentized.begin(), out.studentized.end());
    // Free each task's atoms as they are joined: at n = 14 with distinct values there are 2e7.
    std::vector<atom>().swap(out.values);
    std::vector<atom>().swap(out.studentized);
    result.studentized_dropped += out.dropped;
    result.studentized_dropped_weight += out.dropped_weight;
  }
  result.distribution =
      weighted_distribution::from_atoms(std::move(values), statistic_equality(stat, sample));
  if (studentized) {
    if (!sum_type && !jackknife_se) result.studentized_se = standard_deviation(result.distribution);
    if (t_values.empty() || !(result.studentized_se > 0.0))
      result.studentized_note = "undefined: se* = 0 in every resample or se = 0 for the data";
    else
      result.studentized = weighted_distribution::from_atoms(std::move(t_values));
  }
  return result;
}

}  // namespace resample::bootstrap
