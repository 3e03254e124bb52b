// The lattice route of the sign-flip confidence set (sign_flip_inversion_lattice.hpp explains the
// table of (size, sum) and the truncation bound).

#include "sign_flip_inversion_lattice.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "resample/equality.hpp"
#include "resample/error.hpp"

namespace resample::inference::detail {

namespace {

// Exact products of a 53-bit mantissa and a size, and of two fractions' cross terms.
__extension__ using wide_integer = __int128;

// Cells below this share of alpha are dropped: where they sit the binomial and the sum are about
// 12 standard deviations out, and their total stays far below the test's comparison slack.
double truncation_floor(double alpha) { return alpha * std::ldexp(1.0, -100); }

// floor(m x) and whether m x is an integer, exactly: x = M 2^e with a 53-bit integer M, and the
// product m M needs at most 53 + 14 bits. |x| stays below the table's range (< 2^31), so e < 0.
struct floor_product {
  std::int64_t value;
  bool integer;
};
floor_product floor_times(std::int64_t m, double x) {
  if (x == 0.0 || m == 0) return {0, true};
  int exponent = 0;
  const double fraction = std::frexp(x, &exponent);
  const auto mantissa = static_cast<std::int64_t>(std::ldexp(fraction, 53));
  const int shift = 53 - exponent;  // x = mantissa * 2^-shift
  const wide_integer product = static_cast<wide_integer>(mantissa) * m;
  if (shift <= 0) return {static_cast<std::int64_t>(product << -shift), true};
  if (shift >= 127) return {product < 0 ? -1 : 0, false};
  const wide_integer floored = product >> shift;  // arithmetic: rounds toward -infinity
  const bool integer = (product & ((static_cast<wide_integer>(1) << shift) - 1)) == 0;
  return {static_cast<std::int64_t>(floored), integer};
}

// One row of the table: the masses P(size m, sum s) for s = first .. first + size - 1.
struct table_row {
  std::int64_t first = 0;
  std::vector<double> mass;
  std::vector<double> cumulative;  // filled once the table is complete
  double total = 0.0;
};

// The joint law of (m, s) for a uniformly random subset, truncated (the header's bound).
class size_sum_table {
 public:
  size_sum_table(std::span<const std::int64_t> k, double floor, const execution& exec) : rows_(k.size() + 1) {
    std::map<std::int64_t, std::uint64_t> groups;
    for (auto v : k) ++groups[v];
    rows_[0].first = 0, rows_[0].mass = {1.0};
    std::size_t high = 0;  // rows above are empty
    std::vector<table_row> next(rows_.size());
    for (const auto& [value, count] : groups) {
      if (cancel_requested(exec))
        throw cancelled_error("resample::sign_flip_confidence_set: cancelled between values of the table");
      // j of the `count` patients with this value flip: probability Binomial(count, 1/2).
      const boost::math::binomial_distribution<double> flips(static_cast<double>(count), 0.5);
      std::vector<double> weight(count + 1);
      for (std::uint64_t j = 0; j <= count; ++j) {
        weight[j] = boost::math::pdf(flips, static_cast<double>(j));
        if (weight[j] < floor) dropped_ += weight[j], weight[j] = 0.0;  // times a total mass <= 1
      }
      // Each new row's extent: the union of the old rows it receives, shifted by j * value.
      const std::size_t new_high = std::min(rows_.size() - 1, high + count);
      for (std::size_t m = 0; m <= new_high; ++m) {
        std::int64_t lo = std::numeric_limits<std::int64_t>::max(),
                     hi = std::numeric_limits<std::int64_t>::min();
        for (std::uint64_t j = 0; j <= count && j <= m; ++j) {
          const auto& source = rows_[m - j];
          if (weight[j] == 0.0 || source.mass.empty()) continue;
          const std::int64_t shift = static_cast<std::int64_t>(j) * value;
          lo = std::min(lo, source.first + shift);
          hi = std::max(hi, source.first + static_cast<std::int64_t>(source.mass.size()) - 1 + shift);
        }
        next[m].mass.clear();
        if (lo > hi) continue;
        next[m].first = lo;
        next[m].mass.assign(static_cast<std::size_t>(hi - lo + 1), 0.0);
      }
      for (std::size_t m = new_high + 1; m <= std::min(rows_.size() - 1, high); ++m) next[m].mass.clear();
      for (std::size_t m = 0; m <= high; ++m) {
        const auto& source = rows_[m];
        if (source.mass.empty()) continue;
        const double* from = source.mass.data();
        const std::size_t length = source.mass.size();
        for (std::uint64_t j = 0; j <= count && m + j <= new_high; ++j) {
          if (weight[j] == 0.0) continue;
          auto& target = next[m + j];
          double* to =
              target.mass.data() + (source.first + static_cast<std::int64_t>(j) * value - target.first);
          const double w = weight[j];
          for (std::size_t t = 0; t < length; ++t) to[t] += w * from[t];
        }
      }
      // Trim each row's ends below the floor; keep the dropped mass.
      double cells = 0.0;
      for (std::size_t m = 0; m <= new_high; ++m) {
        auto& row = next[m].mass;
        std::size_t a = 0, b = row.size();
        while (a < b && row[a] < floor) dropped_ += row[a++];
        while (b > a && row[b - 1] < floor) dropped_ += row[--b];
        if (a > 0 || b < row.size()) {
          row.erase(row.begin() + static_cast<std::ptrdiff_t>(b), row.end());
          row.erase(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(a));
          next[m].first += static_cast<std::int64_t>(a);
        }
        cells += static_cast<double>(row.size());
      }
      if (cells > 2.0 * lattice_inversion_max_cells)
        throw infeasible_error(
            "exact sign-flip inversion: the lattice table grew past " +
                std::to_string(static_cast<std::uint64_t>(2.0 * lattice_inversion_max_cells)) + " cells",
            "method", {use_monte_carlo()});
      std::swap(rows_, next);
      high = new_high;
    }
    for (auto& row : rows_) {
      row.cumulative.resize(row.mass.size());
      long double running = 0.0L;
      for (std::size_t t = 0; t < row.mass.size(); ++t) {
        running += row.mass[t];
        row.cumulative[t] = static_cast<double>(running);
      }
      row.total = static_cast<double>(running);
    }
  }

  std::size_t rows() const { return rows_.size(); }
  double dropped() const { return dropped_; }
  const table_row& row(std::size_t m) const { return rows_[m]; }

  // P(size m, sum <= t), P(size m, sum >= t), P(size m, sum = t).
  double at_most(std::size_t m, std::int64_t t) const {
    const auto& r = rows_[m];
    if (r.mass.empty() || t < r.first) return 0.0;
    const auto index = static_cast<std::uint64_t>(t - r.first);
    return index >= r.mass.size() ? r.total : r.cumulative[index];
  }
  double at_least(std::size_t m, std::int64_t t) const { return rows_[m].total - at_most(m, t - 1); }
  double at(std::size_t m, std::int64_t t) const {
    const auto& r = rows_[m];
    if (r.mass.empty() || t < r.first || t - r.first >= static_cast<std::int64_t>(r.mass.size())) return 0.0;
    return r.mass[static_cast<std::size_t>(t - r.first)];
  }

 private:
  std::vector<table_row> rows_;
  double dropped_ = 0.0;
};

// F(x) and E(x) of the header for the data (mirror = false) or for their negation (mirror = true,
// whose sum is -s): P(s' <= m x) and P(s' = m x) with s' = s or -s.
struct tail_masses {
  long double at_most = 0.0L, equal = 0.0L;
};
tail_masses masses(const size_sum_table& table, double x, bool mirror) {
  tail_masses out;
  for (std::size_t m = 0; m < table.rows(); ++m) {
    if (table.row(m).mass.empty()) continue;
    const auto [t, integer] = floor_times(static_cast<std::int64_t>(m), x);
    out.at_most += mirror ? table.at_least(m, -t) : table.at_most(m, t);
    if (integer) out.equal += table.at(m, mirror ? -t : t);
  }
  return out;
}

struct endpoint_search {
  const size_sum_table& table;
  std::span<const std::int64_t> k;
  double alpha;
  bool two_sided, mid_p, mirror;

  long double p_value(double x) const {
    const auto f = masses(table, x, mirror);
    const long double p = two_sided ? (mid_p ? 2.0L * f.at_most - f.equal : 2.0L * f.at_most)
                                    : (mid_p ? f.at_most - f.equal / 2.0L : f.at_most);
    return std::min(p, 1.0L);
  }

  // The smallest shift x (in lattice units, of the data or of their negation) that is accepted,
  // as the subset average sum / size it is.
  struct fraction {
    std::int64_t sum = 0, size = 0;
  };
  fraction lower_end() const {
    const double sign = mirror ? -1.0 : 1.0;
    std::int64_t smallest = std::numeric_limits<std::int64_t>::max(), total = 0;
    for (auto v : k) smallest = std::min(smallest, static_cast<std::int64_t>(sign) * v), total += v;
    const auto n = static_cast<double>(k.size());
    const double error = (two_sided ? 2.0 : 1.0) * table.dropped();
    // Below the smallest value only the empty subset is as extreme; at the mean every pattern is.
    double lo = static_cast<double>(smallest) - 1.0, hi = sign * static_cast<double>(total) / n;
    const double gap = 0.5 / ((n + 1.0) * (n + 1.0));
    auto accepted = [&](double x) { return !p_value_at_most(static_cast<double>(p_value(x)), alpha); };
    while (hi - lo > gap) {
      const double mid = lo + (hi - lo) / 2.0;
      if (mid <= lo || mid >= hi) break;
      (accepted(mid) ? hi : lo) = mid;
    }
    // The accepted end is the largest subset average s'/m <= hi that has mass; none lies in
    // (lo, hi) but it (the gap is below any difference of two such averages).
    std::int64_t best_sum = 0, best_size = 0;
    for (std::size_t m = 1; m < table.rows(); ++m) {
      const auto& row = table.row(m);
      if (row.mass.empty()) continue;
      const std::int64_t t = floor_times(static_cast<std::int64_t>(m), hi).value;
      std::optional<std::int64_t> s;  // the largest s' <= t with mass, s' = s or -s
      const std::int64_t last = row.first + static_cast<std::int64_t>(row.mass.size()) - 1;
      if (!mirror) {
        for (std::int64_t u = std::min(t, last); u >= row.first && !s; --u)
          if (row.mass[static_cast<std::size_t>(u - row.first)] > 0.0) s = u;
      } else {
        for (std::int64_t u = std::max(-t, row.first); u <= last && !s; ++u)
          if (row.mass[static_cast<std::size_t>(u - row.first)] > 0.0) s = -u;
      }
      if (!s) continue;
      const auto size = static_cast<std::int64_t>(m);
      if (best_size == 0 ||
          static_cast<wide_integer>(*s) * best_size > static_cast<wide_integer>(best_sum) * size)
        best_sum = *s, best_size = size;
    }
    // The decisions on either side of the end must hold for every table the truncation allows
    // (p at hi is p just right of the end: no other average lies between them). The end is lo
    // itself when the test rejects there but accepts just right of it (the closure; mid-p).
    const auto below = static_cast<double>(p_value(lo)), at = static_cast<double>(p_value(hi));
    const bool in_range = best_size > 0 && static_cast<long double>(best_sum) / best_size >= lo;
    if (!in_range || !p_value_at_most(below + error, alpha) || p_value_at_most(at - error, alpha))
      throw infeasible_error("exact sign-flip inversion: the lattice table's truncation (" +
                                 std::to_string(table.dropped()) +
                                 ") could change the decision at the endpoint",
                             "method", {use_monte_carlo()});
    return {best_sum, best_size};
  }
};

}  // namespace

std::string lattice_inversion_plan::needs() const {
  const auto count = [](double x) { return std::to_string(static_cast<std::uint64_t>(x)); };
  return "the lattice table needs about " + count(cells) + " cells and " + count(work) +
         " additions (limits " + count(lattice_inversion_max_cells) + " cells, " +
         count(lattice_inversion_max_work) + " additions)";
}

std::optional<lattice_inversion_plan> plan_lattice_inversion(std::span<const double> differences,
                                                             double alpha) {
  const auto lattice =
      find_lattice(differences, 0.0, lattice_equality(differences, 0.0), std::uint64_t{1} << 30);
  if (!lattice || lattice->step == 0.0) return std::nullopt;
  lattice_inversion_plan plan;
  plan.k = lattice->index;
  plan.step = lattice->step;
  const auto n = static_cast<double>(plan.k.size());
  double mean = 0.0, range = 0.0;
  for (auto v : plan.k) mean += static_cast<double>(v), range += std::fabs(static_cast<double>(v));
  mean /= n;
  double squares = 0.0;
  for (auto v : plan.k) squares += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  std::map<std::int64_t, int> distinct;
  for (auto v : plan.k) distinct[v] = 1;
  // The kept cells: sizes within z binomial SDs (sqrt(n)/2) of n/2, and per size sums within z SDs
  // (about sqrt(squares)/2) of their centre, z where a normal tail reaches the floor.
  const double z = std::sqrt(2.0 * -std::log(truncation_floor(alpha)));
  const double rows = std::min(n + 1.0, z * std::sqrt(n) + 1.0);
  const double width = std::min(range + 1.0, z * std::sqrt(squares) + 1.0);
  plan.cells = rows * width;
  plan.work = plan.cells * (n + static_cast<double>(distinct.size())) / 2.0;
  return plan;
}

lattice_inversion_endpoints lattice_inversion(const lattice_inversion_plan& plan, double alpha,
                                              alternative alt, bool mid_p, const execution& exec) {
  if (!plan.feasible())
    throw infeasible_error("exact sign-flip inversion: " + plan.needs(), "method", {use_monte_carlo()});
  const size_sum_table table(plan.k, truncation_floor(alpha), exec);
  const bool two_sided = alt == alternative::two_sided;
  lattice_inversion_endpoints out;
  out.dropped_mass = table.dropped();
  // step * sum / size with one rounding to double.
  const auto scaled = [&](endpoint_search::fraction f) {
    return static_cast<double>(static_cast<long double>(plan.step) * static_cast<long double>(f.sum) /
                               static_cast<long double>(f.size));
  };
  if (alt != alternative::less)
    out.lower = scaled(endpoint_search{table, plan.k, alpha, two_sided, mid_p, false}.lower_end());
  if (alt != alternative::greater)
    out.upper = -scaled(endpoint_search{table, plan.k, alpha, two_sided, mid_p, true}.lower_end());
  return out;
}

}  // namespace resample::inference::detail
