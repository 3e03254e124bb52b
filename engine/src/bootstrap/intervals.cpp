#include "resample/bootstrap/intervals.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <functional>
#include <string>

#include "resample/bootstrap/order_statistic_se.hpp"
#include "resample/error.hpp"
#include "resample/parse_number.hpp"
#include "resample/vocabulary.hpp"

namespace resample::bootstrap {

namespace {

const boost::math::normal standard_normal;

double normal_cdf(double z) { return boost::math::cdf(standard_normal, z); }
double normal_quantile(double p) { return boost::math::quantile(standard_normal, p); }
double normal_density(double z) { return boost::math::pdf(standard_normal, z); }

bool finite(double x) { return std::isfinite(x); }

}  // namespace

std::string_view to_string(interval_method m) {
  switch (m) {
    case interval_method::percentile:
      return "percentile";
    case interval_method::basic:
      return "basic";
    case interval_method::normal:
      return "normal";
    case interval_method::studentized:
      return "studentized";
    case interval_method::bca:
      return "bca";
    case interval_method::calibrated:
      return "calibrated";
  }
  return "unknown";
}

interval_method parse_interval_method(std::string_view name) {
  for (interval_method m : all_interval_methods())
    if (to_string(m) == name) return m;
  if (name == to_string(interval_method::calibrated)) return interval_method::calibrated;
  constexpr std::array<std::string_view, 6> names{"percentile",  "basic", "normal",
                                                  "studentized", "bca",   "calibrated"};
  throw_invalid_argument("resample::bootstrap::parse_interval_method", "intervals",
                         "interval = '" + std::string(name) +
                             "', expected one of percentile, basic, normal, studentized, bca, calibrated" +
                             did_you_mean(name, names));
}

std::string_view to_string(studentized_se_method m) {
  switch (m) {
    case studentized_se_method::jackknife:
      return "jackknife";
    case studentized_se_method::nested:
      return "nested";
    case studentized_se_method::order_statistic:
      return "order_statistic";
    case studentized_se_method::automatic:
      return "auto";
  }
  return "unknown";
}

studentized_se_method parse_studentized_se_method(std::string_view name) {
  for (auto m : all_studentized_se_methods)
    if (to_string(m) == name) return m;
  constexpr std::array<std::string_view, 4> names{"jackknife", "nested", "order_statistic", "auto"};
  throw_invalid_argument("resample::bootstrap::parse_studentized_se_method", "studentized_se",
                         "studentized se = '" + std::string(name) +
                             "', expected jackknife, nested, order_statistic or auto" +
                             did_you_mean(name, names));
}

studentized_se_method resolve_studentized_se(studentized_se_method requested, const statistic& stat) {
  const bool has = has_order_statistic_se(stat.kind);
  if (requested == studentized_se_method::automatic)
    return has ? studentized_se_method::order_statistic : studentized_se_method::nested;
  if (requested == studentized_se_method::order_statistic && !has && !is_sum_type(stat))
    throw_invalid_argument("resample::bootstrap::resolve_studentized_se", "studentized_se",
                           "studentized se = 'order_statistic' for statistic '" + to_string(stat) +
                               "', which has none (median and hl have); use jackknife, nested or auto");
  return requested;
}

std::string_view describe_studentized_se(studentized_se_method resolved) {
  switch (resolved) {
    case studentized_se_method::jackknife:
      return "jackknife se* of each resample (leave-one-out over its distinct values, weighted by "
             "multiplicity)";
    case studentized_se_method::order_statistic:
      return "order-statistic se* of each resample (McKean-Schrader for the median, the same on the Walsh "
             "averages for hl)";
    case studentized_se_method::nested:
    case studentized_se_method::automatic:
      break;
  }
  return "nested bootstrap se* (exact inner enumeration up to 2000 multisets, else 200 Monte Carlo inner "
         "resamples)";
}

std::vector<interval_method> parse_interval_methods(std::string_view comma_list) {
  std::vector<interval_method> out;
  auto add = [&](interval_method m) {
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  };
  for (const auto item : split_list(comma_list)) {
    if (item == "all") {
      for (auto m : all_interval_methods()) add(m);
      add(interval_method::calibrated);
    } else if (item.empty()) {
      throw_invalid_argument("resample::bootstrap::parse_interval_methods", "intervals",
                             "intervals = '" + std::string(comma_list) +
                                 "' has an empty item, expected a comma list of percentile, basic, normal, "
                                 "studentized, bca, calibrated or all");
    } else {
      add(parse_interval_method(item));
    }
  }
  return out;
}

std::vector<interval_method> all_interval_methods() {
  return {interval_method::percentile, interval_method::basic, interval_method::normal,
          interval_method::studentized, interval_method::bca};
}

std::optional<double> jackknife_acceleration(std::span<const double> jackknife, value_equality equal) {
  if (jackknife.size() < 2) return std::nullopt;
  double mean = 0.0;
  for (double v : jackknife) mean += v;
  mean /= static_cast<double>(jackknife.size());
  // Leave-one-out values that differ only by rounding (sums in another order) count as equal.
  bool all_equal = true;
  for (double v : jackknife) all_equal = all_equal && equal(v, jackknife[0]);
  if (all_equal) return std::nullopt;
  double squares = 0.0, cubes = 0.0;
  for (double v : jackknife) {
    const double d = mean - v;
    squares += d * d;
    cubes += d * d * d;
  }
  if (!(squares > 0.0)) return std::nullopt;
  return cubes / (6.0 * std::pow(squares, 1.5));
}

double quantile_monte_carlo_se(const weighted_distribution& d, double p, double level_sd) {
  if (!(level_sd > 0.0) || d.size() < 2) return 0.0;
  // Atoms whose cumulative weight is more than this many level SDs from p carry no probability.
  constexpr double reach = 9.0;
  // The law of the estimated quantile: the probability of each atom, then its variance in two
  // passes about the mean (a one-pass E[X^2] - E[X]^2 cancels digits that depend on the unit).
  double cumulative = 0.0, previous_tail = 0.0;  // previous_tail = P(Q_hat <= previous atom)
  std::vector<atom> law;
  const auto atoms = d.atoms();
  for (std::size_t j = 0; j < atoms.size(); ++j) {
    cumulative += atoms[j].weight;
    const bool last = j + 1 == atoms.size();
    const double below = last ? 1.0 : normal_cdf((cumulative - p) / level_sd);
    const double w = below - previous_tail;
    previous_tail = below;
    if (w > 0.0) law.push_back({atoms[j].value, w});
    if (cumulative - p > reach * level_sd) break;
  }
  double mass = 0.0, first = 0.0;
  for (const atom& a : law) mass += a.weight, first += a.weight * (a.value - law.front().value);
  if (!(mass > 0.0)) return 0.0;
  const double centre = law.front().value + first / mass;
  double second = 0.0;
  for (const atom& a : law) second += a.weight * (a.value - centre) * (a.value - centre);
  return std::sqrt(second / mass);
}

double standard_deviation_monte_carlo_se(const weighted_distribution& d, std::uint64_t resamples) {
  if (resamples == 0) return 0.0;
  const double m = mean(d);
  double m2 = 0.0, m4 = 0.0;
  for (const atom& a : d.atoms()) {
    const double x = (a.value - m) * (a.value - m);
    m2 += a.weight * x;
    m4 += a.weight * x * x;
  }
  if (!(m2 > 0.0)) return 0.0;
  return std::sqrt(std::max(0.0, m4 - m2 * m2) / (4.0 * m2 * static_cast<double>(resamples)));
}

namespace {

struct context {
  const interval_request& request;
  const weighted_distribution& distribution;
  double alpha;
  double se;
  double bias;
  bool monte_carlo;
  double b;  // B as a double (Monte Carlo only)

  double plain_level_sd(double p) const { return monte_carlo ? std::sqrt(p * (1.0 - p) / b) : 0.0; }
  double quantile_se(double p) const {
    return monte_carlo ? quantile_monte_carlo_se(distribution, p, plain_level_sd(p)) : 0.0;
  }
};

void set_endpoints(interval& out, double lower, double upper) {
  if (finite(lower) && finite(upper)) {
    out.lower = lower;
    out.upper = upper;
  } else {
    out.note = "endpoint not finite";
  }
}

interval percentile(const context& c) {
  interval out{interval_method::percentile, c.request.level, {}, {}, {}, {}, {}};
  const double pl = c.alpha / 2, pu = 1 - c.alpha / 2;
  set_endpoints(out, quantile(c.distribution, pl), quantile(c.distribution, pu));
  if (c.monte_carlo) {
    out.mc_se_lower = c.quantile_se(pl);
    out.mc_se_upper = c.quantile_se(pu);
  }
  return out;
}

interval basic(const context& c) {
  interval out{interval_method::basic, c.request.level, {}, {}, {}, {}, {}};
  const double pl = c.alpha / 2, pu = 1 - c.alpha / 2;
  const double t = c.request.estimate;
  set_endpoints(out, 2 * t - quantile(c.distribution, pu), 2 * t - quantile(c.distribution, pl));
  if (c.monte_carlo) {
    out.mc_se_lower = c.quantile_se(pu);
    out.mc_se_upper = c.quantile_se(pl);
  }
  return out;
}

interval normal(const context& c) {
  interval out{interval_method::normal, c.request.level, {}, {}, {}, {}, {}};
  const double z = normal_quantile(1 - c.alpha / 2);
  const double center = c.request.estimate - c.bias;
  set_endpoints(out, center - z * c.se, center + z * c.se);
  if (c.monte_carlo) {
    // center = 2 t_hat - mean(T*): its MC SE is se/sqrt(B); the SE term adds z * mc_se(se).
    // The two errors are treated as independent (their covariance is of the order of the skewness).
    const double se_se = standard_deviation_monte_carlo_se(c.distribution, c.request.monte_carlo_resamples);
    const double total = std::sqrt(c.se * c.se / c.b + z * z * se_se * se_se);
    out.mc_se_lower = total;
    out.mc_se_upper = total;
  }
  return out;
}

interval studentized(const context& c) {
  interval out{interval_method::studentized, c.request.level, {}, {}, {}, {}, {}};
  const studentized_input& s = c.request.studentized;
  if (s.distribution == nullptr || s.distribution->empty()) {
    out.note = s.unavailable_note.empty() ? "studentized distribution not available" : s.unavailable_note;
    return out;
  }
  const double pl = c.alpha / 2, pu = 1 - c.alpha / 2;
  const double t_upper = quantile(*s.distribution, pu), t_lower = quantile(*s.distribution, pl);
  set_endpoints(out, c.request.estimate - s.standard_error * t_upper,
                c.request.estimate - s.standard_error * t_lower);
  if (s.resamples > 0) {
    const double bt = static_cast<double>(s.resamples);
    const double se_se =
        s.standard_error_is_monte_carlo
            ? standard_deviation_monte_carlo_se(c.distribution, c.request.monte_carlo_resamples)
            : 0.0;
    auto endpoint_se = [&](double p, double tq) {
      const double q_se = quantile_monte_carlo_se(*s.distribution, p, std::sqrt(p * (1 - p) / bt));
      return std::hypot(s.standard_error * q_se, tq * se_se);
    };
    out.mc_se_lower = endpoint_se(pu, t_upper);
    out.mc_se_upper = endpoint_se(pl, t_lower);
  }
  return out;
}

interval bca(const context& c) {
  interval out{interval_method::bca, c.request.level, {}, {}, {}, {}, {}};
  if (!c.request.jackknife_note.empty()) {
    out.note = "BCa undefined: " + c.request.jackknife_note;
    return out;
  }
  const auto a = jackknife_acceleration(c.request.jackknife, c.distribution.equality());
  if (!a) {
    out.note =
        "BCa undefined: the leave-one-out jackknife estimates are all equal (zero jackknife variance), so "
        "the acceleration is 0/0";
    return out;
  }
  const double t = c.request.estimate;
  // Ties with t_hat are split in half so that a discrete distribution is not biased.
  const double p0 = probability_below(c.distribution, t) + 0.5 * probability_at(c.distribution, t);
  if (!(p0 > 0.0 && p0 < 1.0)) {
    out.note = "BCa undefined: every bootstrap replicate lies on one side of the estimate, so z0 is infinite";
    return out;
  }
  const double z0 = normal_quantile(p0);
  bool defined = true;
  auto adjusted = [&](double z0_value, double z_alpha) {
    const double s = z0_value + z_alpha;
    const double denominator = 1.0 - *a * s;
    if (!(denominator > 0.0)) {
      defined = false;
      return 0.5;
    }
    return normal_cdf(z0_value + s / denominator);
  };
  const double zl = normal_quantile(c.alpha / 2), zu = normal_quantile(1 - c.alpha / 2);
  const double alpha1 = adjusted(z0, zl), alpha2 = adjusted(z0, zu);
  if (!defined) {
    out.note = "BCa undefined: the acceleration is so large that 1 - a(z0 + z) <= 0";
    return out;
  }
  set_endpoints(out, quantile(c.distribution, alpha1), quantile(c.distribution, alpha2));
  if (c.monte_carlo) {
    // The adjusted level is random through z0 as well: add its delta-method variance,
    // var(alpha_i) ~ (d alpha_i / d z0)^2 var(p0) / phi(z0)^2, to the order-statistic variance.
    const double var_p0 = p0 * (1 - p0) / c.b;
    const double var_z0 = var_p0 / (normal_density(z0) * normal_density(z0));
    auto level_sd = [&](double alpha_i, double z_alpha) {
      // d alpha_i / d z0 in closed form: alpha_i = Phi(z0 + s / (1 - a s)), s = z0 + z_alpha, and
      // d/ds [s / (1 - a s)] = 1 / (1 - a s)^2. (A finite difference would amplify the rounding
      // of a by 1/h and make the error estimate depend on the unit at the 1e-10 level.)
      const double s = z0 + z_alpha, denominator = 1.0 - *a * s;
      const double derivative =
          normal_density(z0 + s / denominator) * (1.0 + 1.0 / (denominator * denominator));
      return std::sqrt(alpha_i * (1 - alpha_i) / c.b + derivative * derivative * var_z0);
    };
    out.mc_se_lower = quantile_monte_carlo_se(c.distribution, alpha1, level_sd(alpha1, zl));
    out.mc_se_upper = quantile_monte_carlo_se(c.distribution, alpha2, level_sd(alpha2, zu));
  }
  return out;
}

}  // namespace

double bootstrap_bias(const interval_request& request) {
  if (request.bias) return *request.bias;
  return mean(*request.distribution) - request.estimate;
}

std::vector<interval> compute_intervals(const interval_request& request) {
  constexpr const char* function = "resample::bootstrap::compute_intervals";
  if (request.distribution == nullptr || request.distribution->empty())
    throw_invalid_argument(function, "distribution is empty");
  if (!(request.level > 0.0 && request.level < 1.0))
    throw_invalid_argument(function, "level = " + format_number(request.level) + ", expected 0 < level < 1");
  const weighted_distribution& d = *request.distribution;
  const context c{request,
                  d,
                  1.0 - request.level,
                  standard_deviation(d),
                  bootstrap_bias(request),
                  request.monte_carlo_resamples > 0,
                  static_cast<double>(request.monte_carlo_resamples)};
  std::vector<interval> out;
  for (interval_method m : request.methods) {
    switch (m) {
      case interval_method::percentile:
        out.push_back(percentile(c));
        break;
      case interval_method::basic:
        out.push_back(basic(c));
        break;
      case interval_method::normal:
        out.push_back(normal(c));
        break;
      case interval_method::studentized:
        out.push_back(studentized(c));
        break;
      case interval_method::bca:
        out.push_back(bca(c));
        break;
      case interval_method::calibrated:
        break;  // needs the sample: bootstrap() calls calibrated_percentile_interval()
    }
  }
  return out;
}

}  // namespace resample::bootstrap
