// Exact sign-flip test for sum-type statistics on a lattice, at any n: when every difference is
// k_i * step with integer k_i, the signed sum is step * (2 S - A) with S = sum of |k_i| over the
// patients kept positive, and the null distribution of S is one subset-sum convolution
// (lattice_null.hpp). prop_ge is always on a lattice: each patient's score moves by 0 or 1.

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "exact_p_values.hpp"
#include "resample/equality.hpp"
#include "resample/error.hpp"
#include "resample/inference/lattice_null.hpp"
#include "sign_flip_detail.hpp"

namespace resample::inference {

std::optional<lattice_form> detect_lattice(std::span<const double> values) {
  // The coarsest lattice through 0 (equality.hpp), with room for the exact DP's table.
  const auto lattice = find_lattice(values, 0.0, lattice_equality(values, 0.0), subset_sum_max_entries);
  if (!lattice || lattice->step == 0.0) return std::nullopt;  // no lattice, or every value is 0
  double total = 0.0;
  for (auto k : lattice->index) total += static_cast<double>(k < 0 ? -k : k);
  if (total >= static_cast<double>(subset_sum_max_entries)) return std::nullopt;
  return lattice_form{lattice->index, lattice->step};
}

test_result sign_flip_lattice(std::span<const double> differences, const statistic& stat, alternative alt,
                              const sign_flip_options& options) {
  constexpr const char* function = "resample::sign_flip_lattice";
  const auto p = detail::prepare_sign_flip(differences, stat, function);
  if (stat.kind != statistic_kind::mean && stat.kind != statistic_kind::prop_ge)
    throw_invalid_argument(function, "statistic = '" + to_string(stat) + "', expected mean or prop_ge:K");
  std::vector<std::uint64_t> swings;
  std::uint64_t observed = 0;
  double base = 0.0, unit = 1.0;  // statistic = (base + unit * S) / n, or for the mean unit*(2S - A)/n
  if (stat.kind == statistic_kind::mean) {
    const auto form = detect_lattice(p.nonzero);
    if (!form)
      throw_invalid_argument(function,
                             "the differences are not on a common lattice (integers or a rational step "
                             "with denominator <= 1000 and moderate range), expected lattice data");
    for (auto k : form->k) {
      swings.push_back(static_cast<std::uint64_t>(k < 0 ? -k : k));
      if (k > 0) observed += static_cast<std::uint64_t>(k);
    }
    unit = form->step;
  } else {
    const statistics::prop_ge score{stat.parameter};
    for (double d : differences) {
      const double up = score.score(d), down = score.score(-d);
      base += std::min(up, down);
      if (up != down) {
        swings.push_back(1);
        if (up > down) ++observed;
      }
    }
  }
  auto r = detail::base_result(p, alt, "lattice_dp", true);
  const double n = static_cast<double>(p.n);
  if (swings.empty()) {  // the statistic is the same under every sign pattern
    r.p_value = 1.0;
    if (options.mid_p) r.mid_p = 0.5;
    r.notes.push_back("the statistic does not change under any sign flip: every pattern is equally extreme");
    return r;
  }
  const auto [null, tail] = subset_sum_tail(swings, observed, alt);
  detail::set_p_values(r, tail, options.mid_p);
  if (options.keep_null_distribution && null.total() + 1 <= null_distribution_max_atoms) {
    std::vector<atom> atoms;
    const double A = static_cast<double>(null.total());
    for (std::uint64_t s = 0; s <= null.total(); ++s) {
      const auto w = static_cast<double>(null.probability(s));
      if (w <= 0.0) continue;
      const double sd = static_cast<double>(s);
      const double value = stat.kind == statistic_kind::mean ? unit * (2.0 * sd - A) / n : (base + sd) / n;
      atoms.push_back({value, w});
    }
    r.null_distribution = weighted_distribution::from_atoms(std::move(atoms));
  }
  return r;
}

}  // namespace resample::inference
