#include <algorithm>
#include <cmath>
#include <string>

#include "exact_p_values.hpp"
#include "resample/error.hpp"
#include "resample/vocabulary.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference::detail {

sign_flip_problem prepare_sign_flip(std::span<const double> differences, const statistic& stat,
                                    const char* function) {
  if (differences.empty()) throw_invalid_argument(function, "n = 0 differences, expected at least 1");
  sign_flip_problem p;
  p.n = differences.size();
  p.stat = stat;
  for (double d : differences) {
    if (!std::isfinite(d)) throw_invalid_argument(function, "a difference is not finite");
    if (d == 0.0)
      ++p.zeros;
    else
      p.nonzero.push_back(d);
  }
  check_sums_are_finite(differences, function);
  if (p.nonzero.empty())
    throw_invalid_argument(function, "all " + std::to_string(p.n) +
                                         " differences are zero, expected at least one non-zero difference "
                                         "(the sign-flip test is undefined)");
  if (p.n < minimum_sample_size(stat))
    throw_invalid_argument(function, "n = " + std::to_string(p.n) + ", statistic '" + to_string(stat) +
                                         "' needs at least " + std::to_string(minimum_sample_size(stat)));
  p.observed = evaluate(stat, differences);
  p.sum_type = is_sum_type(stat);
  switch (symmetry_of(stat)) {
    case sign_flip_symmetry::odd:
      p.rule = two_sided_rule::about_centre, p.centre = 0.0;
      break;
    case sign_flip_symmetry::about_null_mean:
      p.rule = two_sided_rule::about_centre;  // the centre is the null mean, computed below
      break;
    case sign_flip_symmetry::none:
      p.rule = two_sided_rule::doubled;
      break;
  }
  if (p.sum_type) {
    visit_statistic(stat, [&](auto concrete) {
      if constexpr (decltype(concrete)::sum_type) {
        double observed = 0.0, centre = 0.0, swing = 0.0;
        for (double d : differences) {
          observed += concrete.score(d);
          centre += 0.5 * (concrete.score(d) + concrete.score(-d));
          swing += std::fabs(concrete.score(d) - concrete.score(-d));
        }
        p.observed_sum = observed;
        p.centre_sum = centre;
        p.swing = swing;
        p.equal = value_equality::after_rounding(sum_rounding_operations(p.n), swing);
      }
    });
    p.centre = p.centre_sum / static_cast<double>(p.n);
    if (stat.kind == statistic_kind::mean) p.centre = 0.0, p.centre_sum = 0.0;
  } else {
    // Flipping signs keeps every |d|: the statistic's own rule on the data's magnitudes.
    p.equal = statistic_equality(stat, differences);
  }
  return p;
}

classifier make_classifier(const sign_flip_problem& p) {
  if (p.sum_type) return {p.observed_sum, p.centre_sum, p.equal};
  return {p.observed, p.centre, p.equal};
}

std::string convention(const sign_flip_problem& p) {
  if (p.rule == two_sided_rule::doubled)
    return "min(1, 2*min(P(T* >= t), P(T* <= t))) (doubling: the null of '" + to_string(p.stat) +
           "' is not symmetric)";
  if (symmetry_of(p.stat) == sign_flip_symmetry::about_null_mean)
    return "P(|T* - T0| >= |t - T0|), T0 = null mean of the statistic";
  return "P(|T*| >= |t|) (null symmetric about 0)";
}

test_result base_result(const sign_flip_problem& p, alternative alt, const char* method, bool exact) {
  test_result r;
  r.test = to_string(test_kind::sign_flip);
  r.statistic = to_string(p.stat);
  r.observed = p.observed;
  r.alt = alt;
  r.exact = exact;
  r.method = method;
  r.n = p.n;
  r.n_nonzero = p.nonzero.size();
  r.smallest_attainable_p = smallest_sign_pattern_p(p.nonzero.size(), alt);
  r.two_sided_convention = convention(p);
  if (p.zeros > 0)
    r.notes.push_back(std::to_string(p.zeros) +
                      " zero difference(s) keep the value 0 (their sign does not matter)");
  return r;
}

void finish_exact(test_result& r, const sign_flip_problem& p, const tally& t, long double patterns,
                  alternative alt, bool mid_p) {
  auto prob = [&](std::uint64_t c) { return static_cast<long double>(c) / patterns; };
  if (alt == alternative::two_sided && p.rule == two_sided_rule::about_centre) {
    const tail_probability both{prob(t.abs_more), prob(t.abs_equal)};
    r.p_value = both.p();
    if (mid_p) r.mid_p = both.mid_p();
    return;
  }
  set_p_values(r, alt, {prob(t.greater), prob(t.equal)}, {prob(t.less), prob(t.equal)}, mid_p);
}

}  // namespace resample::inference::detail
