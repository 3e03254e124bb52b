#include "resample/bootstrap/bootstrap.hpp"

#include <tbb/task_arena.h>

#include <cmath>

#include "log_gamma.hpp"
#include "resample/bootstrap/calibrated.hpp"
#include "resample/bootstrap/convolution.hpp"
#include "resample/bootstrap/exact_enumeration.hpp"
#include "resample/bootstrap/jackknife.hpp"
#include "resample/bootstrap/monte_carlo.hpp"
#include "resample/bootstrap/order_statistic_se.hpp"
#include "resample/check.hpp"
#include "resample/error.hpp"
#include "text.hpp"

namespace resample::bootstrap {

std::string_view to_string(mode m) { return m == mode::exact ? "exact" : "monte-carlo"; }

weighted_distribution exact_bootstrap_distribution(std::span<const double> sample, const statistic& stat,
                                                   double max_compositions) {
  if (sample.size() < 2)
    throw_invalid_argument("resample::bootstrap::exact_bootstrap_distribution",
                           "n = " + std::to_string(sample.size()) + ", expected n >= 2");
  if (auto d = convolution_bootstrap(sample, stat)) return std::move(*d);
  enumeration_options options;
  options.max_compositions = max_compositions;
  options.parallel = false;
  return enumerate_bootstrap(sample, stat, options).distribution;
}

std::string_view to_string(bootstrap_algorithm a) {
  switch (a) {
    case bootstrap_algorithm::enumeration:
      return "enumeration";
    case bootstrap_algorithm::convolution:
      return "convolution";
    case bootstrap_algorithm::monte_carlo:
      return "monte_carlo";
  }
  return "monte_carlo";
}

bootstrap_route plan_bootstrap(std::span<const double> sample, const bootstrap_options& options) {
  const statistic& stat = options.stat;
  const std::size_t n = sample.size();
  const std::size_t k = to_multiset(sample).support.size();
  const double compositions = composition_count(n, k);
  const double convolution = convolution_cost(sample, stat);
  const auto route = [&](bootstrap_algorithm a, std::string reason) {
    const double work = a == bootstrap_algorithm::enumeration   ? compositions
                        : a == bootstrap_algorithm::convolution ? convolution
                                                                : static_cast<double>(options.resamples);
    return bootstrap_route{
        a, work, a != bootstrap_algorithm::monte_carlo, std::move(reason), compositions, convolution};
  };
  if (options.requested == method::monte_carlo)
    return route(bootstrap_algorithm::monte_carlo, "Monte Carlo requested (method mc)");
  if (compositions <= options.exact_budget)
    return route(
        bootstrap_algorithm::enumeration,
        detail::printf_string(
            "%s exact enumeration: %.6g composition%s of n = %zu over %zu distinct value%s (budget %.3g)",
            options.requested == method::exact ? "exact requested;" : "auto:", compositions,
            compositions == 1 ? "" : "s", n, k, k == 1 ? "" : "s", options.exact_budget));
  if (convolution <= options.convolution_budget)
    return route(bootstrap_algorithm::convolution,
                 detail::printf_string(
                     "%s enumeration would visit %.3g compositions (budget %.3g); the statistic is a mean of "
                     "lattice scores, so the exact distribution comes from an n-fold convolution (%.3g "
                     "multiply-adds)",
                     options.requested == method::exact ? "exact requested;" : "auto:", compositions,
                     options.exact_budget, convolution));
  if (options.requested == method::exact)
    throw infeasible_error(
        detail::printf_string(
            "exact enumeration at n = %zu visits %.3g multisets (limit %.3g)%s", n, compositions,
            options.exact_budget,
            (is_sum_type(stat)
                 ? (std::isfinite(convolution)
                        ? detail::printf_string(" and the convolution needs %.3g multiply-adds (limit %.3g)",
                                                convolution, options.convolution_budget)
                        : std::string(" and the values are not on a common lattice for the convolution"))
                 : std::string())
                .c_str()),
        "method", {use_monte_carlo()});
  return route(bootstrap_algorithm::monte_carlo,
               detail::printf_string(
                   "auto: exact enumeration would visit %.3g compositions (budget %.3g)%s; Monte Carlo "
                   "with B = %llu",
                   compositions, options.exact_budget,
                   (is_sum_type(stat) && std::isfinite(convolution)
                        ? detail::printf_string(" and the convolution %.3g multiply-adds", convolution)
                        : std::string(is_sum_type(stat) ? " and the values are not on a lattice" : ""))
                       .c_str(),
                   static_cast<unsigned long long>(options.resamples)));
}

namespace {

bool wants(const bootstrap_options& options, interval_method m) {
  for (auto x : options.intervals)
    if (x == m) return true;
  return false;
}

bootstrap_result run(std::span<const double> sample, const bootstrap_options& options) {
  bootstrap_result result;
  result.n = sample.size();
  result.stat = options.stat;
  result.estimate = evaluate(options.stat, sample);
  const bootstrap_route c = plan_bootstrap(sample, options);
  result.mode_reason = c.reason;
  const bool studentized = wants(options, interval_method::studentized);
  // The se* method this run uses (automatic resolved; refused here if the statistic has no such se*).
  const studentized_se_method se_method =
      studentized ? resolve_studentized_se(options.se_method, options.stat) : studentized_se_method::nested;

  interval_request request;
  request.estimate = result.estimate;
  request.level = options.level;
  request.methods = options.intervals;
  std::vector<double> jackknife;
  if (sample.size() - 1 >= minimum_sample_size(options.stat))
    jackknife = jackknife_estimates(sample, options.stat);
  else
    request.jackknife_note =
        "the leave-one-out samples are too small for statistic '" + to_string(options.stat) + "'";
  request.jackknife = jackknife;

  std::optional<weighted_distribution> t_distribution;
  const double log10_multisets =
      (log_gamma(2.0 * result.n) - log_gamma(result.n + 1.0) - log_gamma(static_cast<double>(result.n))) /
      std::log(10.0);

  if (c.algorithm == bootstrap_algorithm::monte_carlo) {
    monte_carlo_options mc;
    mc.resamples = options.resamples;
    mc.seed = options.seed;
    mc.studentized = studentized;
    mc.se_method = se_method;
    mc.exec.cancel = options.exec.cancel;
    mc.exec.distribute = options.exec.distribute;
    mc.max_memory_bytes = options.max_memory_bytes;
    monte_carlo_result r = monte_carlo_bootstrap(sample, options.stat, mc);
    result.mode_run = mode::monte_carlo;
    result.algorithm = r.path;
    result.resamples = static_cast<double>(options.resamples);
    result.resamples_log10 = std::log10(static_cast<double>(options.resamples));
    result.distribution = std::move(r.distribution);
    request.monte_carlo_resamples = options.resamples;
    if (studentized) {
      result.studentized_method = r.studentized_method;
      result.studentized_dropped = static_cast<double>(r.studentized_dropped);
      t_distribution = std::move(r.studentized);
      request.studentized.resamples = r.studentized_resamples;
      if (is_sum_type(options.stat)) {
        const multiset m = to_multiset(sample);
        const auto scores = statistic_scores(options.stat, m.support);
        double sum = 0.0, squares = 0.0;
        for (std::size_t j = 0; j < scores.size(); ++j) sum += m.counts[j] * scores[j];
        const double dn = static_cast<double>(result.n);
        for (std::size_t j = 0; j < scores.size(); ++j)
          squares += m.counts[j] * (scores[j] - sum / dn) * (scores[j] - sum / dn);
        result.studentized_se = std::sqrt(squares / (dn - 1) / dn);
      } else if (se_method == studentized_se_method::jackknife) {
        // The SE of t_hat computed as se* is: the jackknife of the data.
        result.studentized_se = jackknife_standard_error(sample, options.stat);
      } else if (se_method == studentized_se_method::order_statistic) {
        result.studentized_se = order_statistic_se(options.stat.kind, sample);
      } else {
        result.studentized_se = standard_deviation(result.distribution);
        request.studentized.standard_error_is_monte_carlo = true;
      }
      if (!t_distribution) request.studentized.unavailable_note = "undefined: se* = 0 in every resample";
    }
  } else {
    result.mode_run = mode::exact;
    result.resamples_log10 = log10_multisets;
    if (log10_multisets < 15.9) result.resamples = std::round(std::pow(10.0, log10_multisets));
    if (c.algorithm == bootstrap_algorithm::enumeration) {
      enumeration_options e;
      e.studentized = studentized;
      e.max_compositions = options.exact_budget;
      e.seed = options.seed;
      e.se_method = se_method;
      enumeration_result r = enumerate_bootstrap(sample, options.stat, e);
      result.algorithm = to_string(c.algorithm);
      result.compositions_visited = r.compositions;
      result.distribution = std::move(r.distribution);
      if (studentized) {
        result.studentized_method = r.studentized_method;
        result.studentized_se = r.studentized_se;
        result.studentized_dropped = r.studentized_dropped;
        t_distribution = std::move(r.studentized);
        request.studentized.unavailable_note = r.studentized_note;
      }
    } else {
      result.algorithm = to_string(c.algorithm);
      result.distribution = *convolution_bootstrap(sample, options.stat);
      if (studentized)
        request.studentized.unavailable_note =
            "studentized not available from the convolution (it needs the joint law of the resample mean and "
            "sd); the Monte Carlo method computes it";
    }
  }
  if (result.resamples) result.resamples_log10 = std::log10(*result.resamples);
  request.distribution = &result.distribution;
  if (t_distribution) {
    request.studentized.distribution = &*t_distribution;
    request.studentized.standard_error = result.studentized_se;
  }
  result.se = standard_deviation(result.distribution);
  // A sum-type statistic is the mean of per-value scores and a resample draws each value with
  // probability 1/n, so its exact bootstrap mean is the estimate itself: the weighted mean of the
  // distribution would only add rounding (up to 1e-14 on the paper's data).
  if (result.mode_run == mode::exact && is_sum_type(options.stat)) request.bias = 0.0;
  result.bias = bootstrap_bias(request);
  if (result.mode_run == mode::monte_carlo)
    result.mc_se_se = standard_deviation_monte_carlo_se(result.distribution, options.resamples);
  result.intervals = compute_intervals(request);
  if (wants(options, interval_method::calibrated)) {
    // Put the calibrated interval where it was requested (compute_intervals skipped it).
    calibrated_options calibration;
    calibration.requested = options.requested;
    calibration.seed = options.seed;
    auto calibrated = calibrated_percentile_interval(sample, options.stat, options.level, calibration);
    std::size_t position = 0;
    while (options.intervals[position] != interval_method::calibrated) ++position;
    result.intervals.insert(result.intervals.begin() + static_cast<std::ptrdiff_t>(position),
                            std::move(calibrated.ci));
  }
  if (!result.studentized_method.empty())
    result.studentized_se_name =
        is_sum_type(options.stat) ? std::string("analytic") : std::string(to_string(se_method));
  if (studentized && result.studentized_dropped > 0)
    result.notes.push_back(
        detail::printf_string("studentized: %.0f %s with se* = 0 dropped", result.studentized_dropped,
                              result.mode_run == mode::exact ? "multisets (compositions)" : "resamples"));
  return result;
}

}  // namespace

bootstrap_result bootstrap(std::span<const double> sample, const bootstrap_options& options) {
  constexpr const char* function = "resample::bootstrap::bootstrap";
  check_sample(function, sample, 2);
  check_level(function, "level", options.level);
  check_count(function, "resamples", options.resamples);
  check_not_approximate(function, options.requested);
  if (sample.size() < minimum_sample_size(options.stat))
    throw_invalid_argument(function, "n",
                           "n = " + std::to_string(sample.size()) + ", statistic '" +
                               to_string(options.stat) + "' needs at least " +
                               std::to_string(minimum_sample_size(options.stat)));
  if (options.exec.threads == 0) return run(sample, options);
  tbb::task_arena arena(static_cast<int>(options.exec.threads));
  return arena.execute([&] { return run(sample, options); });
}

}  // namespace resample::bootstrap
