// The trimmed-mean sign-flip confidence set by a sweep over the Walsh intervals
// (sign_flip_inversion_trimmed.hpp explains why the pieces are linear).

#include "sign_flip_inversion_trimmed.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "resample/equality.hpp"
#include "resample/statistics.hpp"

namespace resample::inference::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// {x : slope x + constant >= -tolerance} within [low, high], as [from, to]; empty when from > to.
struct segment {
  double from, to;
};
segment half_line(double slope, double constant, double tolerance, segment within) {
  if (slope == 0.0) return constant >= -tolerance ? within : segment{infinity, -infinity};
  const double root = (-tolerance - constant) / slope;
  return slope > 0.0 ? segment{std::max(within.from, root), within.to}
                     : segment{within.from, std::min(within.to, root)};
}
segment intersect(segment a, segment b) { return {std::max(a.from, b.from), std::min(a.to, b.to)}; }

// The extreme patterns' segments on one Walsh interval [low, high] (in x = delta - middle).
class interval_sweep {
 public:
  interval_sweep(std::span<const double> d, std::size_t cut, double middle, segment bounds, alternative alt)
      : bounds_(bounds) {
    const std::size_t n = d.size(), kept = n - 2 * cut;
    std::vector<double> shifted(n);
    for (std::size_t i = 0; i < n; ++i) shifted[i] = d[i] - middle;
    // Observed: every sign +, the trimmed mean of d - middle, slope -1 in x.
    const double observed = trimmed(shifted, cut);
    const double tolerance =
        value_equality::after_rounding(2.0 * statistics::trimmed_mean::rounding_operations(n),
                                       largest_magnitude(shifted))
            .tolerance();
    std::vector<std::size_t> order(n);
    std::vector<double> values(n);
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
      for (std::size_t i = 0; i < n; ++i) values[i] = (mask >> i) & 1u ? -shifted[i] : shifted[i];
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
      double level = 0.0, signs = 0.0;
      for (std::size_t r = cut; r < n - cut; ++r) {
        level += values[order[r]];
        signs += (mask >> order[r]) & 1u ? -1.0 : 1.0;
      }
      const double a = level / static_cast<double>(kept), b = -signs / static_cast<double>(kept);
      // T*(x) = a + b x, T(x) = observed - x.
      const auto at_least = [&](double sign_star, double sign_observed) {  // s* T* - s T >= -tol
        return half_line(sign_star * b + sign_observed, sign_star * a - sign_observed * observed, tolerance,
                         bounds_);
      };
      if (alt == alternative::greater) {
        add(at_least(1.0, 1.0));
      } else if (alt == alternative::less) {
        add(at_least(-1.0, -1.0));
      } else {
        add(intersect(at_least(1.0, 1.0), at_least(1.0, -1.0)));    // T* >= |T|
        add(intersect(at_least(-1.0, 1.0), at_least(-1.0, -1.0)));  // -T* >= |T|
      }
    }
    std::sort(starts_.begin(), starts_.end());
    std::sort(ends_.begin(), ends_.end());
    coordinates_ = starts_;
    coordinates_.insert(coordinates_.end(), ends_.begin(), ends_.end());
    coordinates_.push_back(bounds_.from);
    coordinates_.push_back(bounds_.to);
    std::sort(coordinates_.begin(), coordinates_.end());
    coordinates_.erase(std::unique(coordinates_.begin(), coordinates_.end()), coordinates_.end());
    coordinates_.erase(std::remove_if(coordinates_.begin(), coordinates_.end(),
                                      [&](double c) { return c < bounds_.from || c > bounds_.to; }),
                       coordinates_.end());
  }

  // Segments covering the point c, the open gap just right of c, the open gap just left of c.
  std::size_t at(double c) const { return count_at_most(starts_, c) - count_below(ends_, c); }
  std::size_t right_of(double c) const { return count_at_most(starts_, c) - count_at_most(ends_, c); }
  std::size_t left_of(double c) const { return count_below(starts_, c) - count_below(ends_, c); }
  const std::vector<double>& coordinates() const { return coordinates_; }

 private:
  static double trimmed(const std::vector<double>& v, std::size_t cut) {
    std::vector<double> s(v);
    std::sort(s.begin(), s.end());
    double total = 0.0;
    for (std::size_t r = cut; r < s.size() - cut; ++r) total += s[r];
    return total / static_cast<double>(s.size() - 2 * cut);
  }
  static std::size_t count_at_most(const std::vector<double>& v, double c) {
    return static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), c) - v.begin());
  }
  static std::size_t count_below(const std::vector<double>& v, double c) {
    return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), c) - v.begin());
  }
  void add(segment s) {
    if (s.from > s.to) return;
    starts_.push_back(s.from), ends_.push_back(s.to);
  }

  segment bounds_;
  std::vector<double> starts_, ends_, coordinates_;
};

}  // namespace

trimmed_inversion_result trimmed_inversion(std::span<const double> d, double fraction, double alpha,
                                           alternative alt) {
  const std::size_t n = d.size();
  const std::size_t cut = statistics::trimmed_mean{fraction}.cut(n);
  std::vector<double> walsh;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) walsh.push_back((d[i] + d[j]) / 2.0);
  std::sort(walsh.begin(), walsh.end());
  walsh.erase(std::unique(walsh.begin(), walsh.end()), walsh.end());
  const double scale = std::max(largest_magnitude(d), std::numeric_limits<double>::min());
  // The pieces, left to right: (-inf, w_0], [w_0, w_1], ..., [w_last, inf); each swept at its
  // middle (a finite point inside the unbounded ones).
  struct piece {
    double low, high, middle;
  };
  std::vector<piece> pieces;
  pieces.push_back({-infinity, walsh.front(), walsh.front() - scale});
  for (std::size_t k = 0; k + 1 < walsh.size(); ++k)
    pieces.push_back({walsh[k], walsh[k + 1], walsh[k] + (walsh[k + 1] - walsh[k]) / 2.0});
  pieces.push_back({walsh.back(), infinity, walsh.back() + scale});
  const double patterns = std::ldexp(1.0, static_cast<int>(n));
  const auto accepted = [&](std::size_t count) {
    return !p_value_at_most(static_cast<double>(count) / patterns, alpha);
  };
  const auto sweep_of = [&](const piece& p) {
    return interval_sweep(d, cut, p.middle, {p.low - p.middle, p.high - p.middle}, alt);
  };
  trimmed_inversion_result out;
  bool found = false;
  std::size_t first_piece = 0;
  for (std::size_t k = 0; k < pieces.size() && !found; ++k) {
    const auto sweep = sweep_of(pieces[k]);
    for (const double c : sweep.coordinates()) {
      if (accepted(sweep.at(c)) || (c < pieces[k].high - pieces[k].middle && accepted(sweep.right_of(c)))) {
        if (std::isfinite(c)) out.lower = pieces[k].middle + c;
        found = true, first_piece = k;
        break;
      }
    }
  }
  if (!found) return out;  // no shift accepted: cannot happen, the estimate is always accepted
  std::size_t last_piece = pieces.size();
  bool found_upper = false;
  for (std::size_t k = pieces.size(); k-- > first_piece && !found_upper;) {
    const auto sweep = sweep_of(pieces[k]);
    const auto& coordinates = sweep.coordinates();
    for (std::size_t i = coordinates.size(); i-- > 0;) {
      const double c = coordinates[i];
      if (accepted(sweep.at(c)) || (c > pieces[k].low - pieces[k].middle && accepted(sweep.left_of(c)))) {
        if (std::isfinite(c)) out.upper = pieces[k].middle + c;
        found_upper = true, last_piece = k;
        break;
      }
    }
  }
  // A gap: some rejected shift strictly between the ends (checked on every piece between them).
  for (std::size_t k = first_piece; k <= last_piece && k < pieces.size() && !out.has_gap; ++k) {
    const auto sweep = sweep_of(pieces[k]);
    const auto& coordinates = sweep.coordinates();
    for (std::size_t i = 0; i < coordinates.size() && !out.has_gap; ++i) {
      const double c = coordinates[i], at = pieces[k].middle + c;
      const bool inside = (!out.lower || at > *out.lower) && (!out.upper || at < *out.upper);
      if (inside && !accepted(sweep.at(c))) out.has_gap = true;
      const bool gap_inside =
          (!out.lower || at >= *out.lower) && (!out.upper || at < *out.upper) && i + 1 < coordinates.size();
      if (gap_inside && !accepted(sweep.right_of(c))) out.has_gap = true;
    }
  }
  return out;
}

}  // namespace resample::inference::detail
