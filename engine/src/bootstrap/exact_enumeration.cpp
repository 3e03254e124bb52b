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
#include "resample/bootstrap/order_statistic_se.hpp"
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

// Joins the tasks' sorted atom lists into one sorted list, the stable merge of all of them (equal
// values in task order): the serial sort of the joined atoms was a third of a two-thread
// enumeration (ThreadScalingExactEnumeration 1.34x), and a merge tree over the whole lists is
// bound by memory. So the value range is cut at splitters taken from the lists themselves, every
// list is cut at the same splitters (lower_bound: equal values fall in one piece), and each piece
// merges its runs in a tree of stable merges small enough for the cache, in parallel, straight
// into its place in the result. Pieces and splitters depend on the lists only, so the order of
// equal values, and with it every merged weight, is the same for any thread count.
std::vector<atom> merge_sorted(std::vector<std::vector<atom>> lists, bool parallel) {
  const auto by_value = [](const atom& a, const atom& b) { return a.value < b.value; };
  std::size_t total = 0;
  for (const auto& list : lists) total += list.size();
  std::vector<atom> out(total);
  if (total == 0) return out;
  constexpr std::size_t piece_atoms = std::size_t{1} << 14;  // 256 KB of atoms: within L2
  const std::size_t pieces = std::clamp<std::size_t>(total / piece_atoms, 1, 256);
  // Splitters: quantiles of a regular sample of every list.
  std::vector<double> sample;
  const std::size_t stride = std::max<std::size_t>(1, total / (16 * pieces));
  for (const auto& list : lists)
    for (std::size_t i = stride / 2; i < list.size(); i += stride) sample.push_back(list[i].value);
  std::sort(sample.begin(), sample.end());
  std::vector<double> splitters;
  for (std::size_t p = 1; p < pieces && !sample.empty(); ++p) {
    const double v = sample[p * sample.size() / pieces];
    if (splitters.empty() || v > splitters.back()) splitters.push_back(v);
  }
  const std::size_t piece_count = splitters.size() + 1;
  // cut[t * (piece_count + 1) + p]: where piece p starts in list t.
  std::vector<std::size_t> cut(lists.size() * (piece_count + 1));
  std::vector<std::size_t> offset(piece_count + 1, 0);
  for (std::size_t t = 0; t < lists.size(); ++t) {
    std::size_t* c = cut.data() + t * (piece_count + 1);
    c[0] = 0, c[piece_count] = lists[t].size();
    for (std::size_t p = 1; p < piece_count; ++p)
      c[p] = static_cast<std::size_t>(
          std::lower_bound(lists[t].begin(), lists[t].end(), atom{splitters[p - 1], 0.0}, by_value) -
          lists[t].begin());
    for (std::size_t p = 0; p < piece_count; ++p) offset[p + 1] += c[p + 1] - c[p];
  }
  for (std::size_t p = 0; p < piece_count; ++p) offset[p + 1] += offset[p];
  auto merge_piece = [&](std::size_t p) {
    // The piece's runs in task order, gathered, then merged pairwise level by level.
    std::vector<atom> a, b;
    a.reserve(offset[p + 1] - offset[p]);
    std::vector<std::size_t> bounds{0};
    for (std::size_t t = 0; t < lists.size(); ++t) {
      const std::size_t* c = cut.data() + t * (piece_count + 1);
      if (c[p + 1] == c[p]) continue;
      a.insert(a.end(), lists[t].begin() + static_cast<std::ptrdiff_t>(c[p]),
               lists[t].begin() + static_cast<std::ptrdiff_t>(c[p + 1]));
      bounds.push_back(a.size());
    }
    if (bounds.size() <= 2) {  // one run: nothing to merge
      std::copy(a.begin(), a.end(), out.begin() + static_cast<std::ptrdiff_t>(offset[p]));
      return;
    }
    b.resize(a.size());
    const auto at = [](std::vector<atom>& v, std::size_t i) {
      return v.begin() + static_cast<std::ptrdiff_t>(i);
    };
    for (;;) {
      // The last level (two runs) writes straight into the result.
      const bool last = bounds.size() == 3;
      std::vector<std::size_t> next{0};
      for (std::size_t r = 0; r + 1 < bounds.size(); r += 2) {
        const std::size_t end = r + 2 < bounds.size() ? bounds[r + 2] : bounds[r + 1];
        const auto target = last ? at(out, offset[p] + bounds[r]) : at(b, bounds[r]);
        std::merge(at(a, bounds[r]), at(a, bounds[r + 1]), at(a, bounds[r + 1]), at(a, end), target,
                   by_value);
        next.push_back(end);
      }
      if (last) return;
      std::swap(a, b);
      bounds = std::move(next);
    }
  };
  if (parallel)
    resample::parallel_for(std::size_t{0}, piece_count, merge_piece);
  else
    for (std::size_t p = 0; p < piece_count; ++p) merge_piece(p);
  return out;
}

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
  const studentized_se_method se_method = studentized && !sum_type
                                              ? resolve_studentized_se(options.se_method, stat)
                                              : studentized_se_method::nested;
  std::vector<double> scores;
  if (studentized) {
    if (sum_type) {
      scores = statistic_scores(stat, data.support);
      result.studentized_method = "analytic se* = sd(scores*) / sqrt(n)";
      result.studentized_se = analytic_se(scores, data.counts, n);
    } else if (se_method == studentized_se_method::order_statistic) {
      // Two order statistics per multiset: about two evaluations.
      if (compositions * 2.0 > options.max_compositions) {
        studentized = false;
        result.studentized_note = detail::printf_string(
            "studentized with the order-statistic se* takes 2 evaluations per multiset; %.3g multisets x 2 "
            "exceed the exact limit of %.3g; the Monte Carlo method computes it",
            compositions, options.max_compositions);
      } else {
        result.studentized_method = std::string(describe_studentized_se(se_method));
        result.studentized_se = order_statistic_se(stat.kind, sample);
      }
    } else if (se_method == studentized_se_method::jackknife) {
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
  // Compositions each task visits: its atoms, reserved up front (growing them by doubling was a
  // tenth of the run, and page faults that two threads take turns on), and its place in the order.
  std::vector<double> task_size(prefixes.size());
  for (std::size_t task = 0; task < prefixes.size(); ++task) {
    const std::size_t fixed = depth == 0 ? n : prefixes[task].c0 + prefixes[task].c1;
    task_size[task] = composition_count(n - fixed, k - std::min<std::size_t>(depth, k));
  }

  const bool jackknife_se = se_method == studentized_se_method::jackknife;
  const bool order_se = se_method == studentized_se_method::order_statistic;
  const value_equality equal = statistic_equality(stat, sample);
  visit_statistic(stat, [&](auto concrete) {
    const std::span<const double> support(data.support);
    auto run_task = [&](std::size_t task) {
      task_output& out = outputs[task];
      out.values.reserve(static_cast<std::size_t>(task_size[task]));
      if (studentized) out.studentized.reserve(static_cast<std::size_t>(task_size[task]));
      std::vector<std::uint32_t> counts(k, 0);
      const std::span<const std::uint32_t> counts_view(counts);
      auto visit = [&](double weight_part) {
        const double weight = n_factorial * weight_part;
        const double t = concrete(support, counts_view, n);
        out.values.push_back({t, weight});
        if (!studentized) return;
        // The jackknife changes `counts` and restores it before the walk goes on.
        const double se =
            sum_type   ? analytic_se(scores, counts_view, n)
            : order_se ? order_statistic_se(stat.kind, support, counts_view, n)
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
      // Largest tasks first: the prefix (0, 0) alone holds a fifth of the compositions at n = 12,
      // and in index order the first half of the tasks held two thirds of the work. The outputs
      // are joined in task order whatever order they ran in.
      std::vector<std::size_t> order(prefixes.size());
      for (std::size_t task = 0; task < prefixes.size(); ++task) order[task] = task;
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return task_size[a] > task_size[b]; });
      resample::parallel_for_each_index(std::size_t{0}, order.size(),
                                        [&](std::size_t q) { run_task(order[q]); });
    } else {
      for (std::size_t task = 0; task < prefixes.size(); ++task) run_task(task);
    }
  });

  // Join: each task's atoms are sorted (compact), so a merge tree replaces a sort of all of them.
  std::vector<std::vector<atom>> value_lists, t_lists;
  value_lists.reserve(outputs.size());
  t_lists.reserve(outputs.size());
  for (auto& out : outputs) {
    value_lists.push_back(std::move(out.values));
    t_lists.push_back(std::move(out.studentized));
    result.studentized_dropped += out.dropped;
    result.studentized_dropped_weight += out.dropped_weight;
  }
  std::vector<atom> values = merge_sorted(std::move(value_lists), options.parallel);
  std::vector<atom> t_values = merge_sorted(std::move(t_lists), options.parallel);
  result.distribution =
      weighted_distribution::from_atoms(std::move(values), statistic_equality(stat, sample));
  if (studentized) {
    if (!sum_type && !jackknife_se && !order_se)
      result.studentized_se = standard_deviation(result.distribution);
    if (t_values.empty() || !(result.studentized_se > 0.0))
      result.studentized_note = "undefined: se* = 0 in every resample or se = 0 for the data";
    else
      result.studentized = weighted_distribution::from_atoms(std::move(t_values));
  }
  return result;
}

}  // namespace resample::bootstrap
