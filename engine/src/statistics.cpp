#include "resample/statistics.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

#include "resample/parse_number.hpp"
#include "resample/vocabulary.hpp"

namespace resample {

namespace {

struct registry_entry {
  std::string_view name;
  statistic_kind kind;
  bool takes_parameter;
  std::string_view description;
};

constexpr std::array registry{
    registry_entry{"mean", statistic_kind::mean, false, "arithmetic mean"},
    registry_entry{"median", statistic_kind::median, false,
                   "median (average of the two middle values for even n)"},
    registry_entry{"trimmed", statistic_kind::trimmed_mean, true,
                   "trimmed:F, mean after dropping floor(F*n) values at each end, 0 <= F < 0.5"},
    registry_entry{"sd", statistic_kind::sd, false, "sample standard deviation (divisor n - 1)"},
    registry_entry{"prop_ge", statistic_kind::prop_ge, true, "prop_ge:K, share of values >= K"},
    registry_entry{"hl", statistic_kind::hl, false, "Hodges-Lehmann estimate (median of Walsh averages)"},
};

std::string known_list() {
  std::string out;
  for (const auto& e : registry) {
    if (!out.empty()) out += ", ";
    out += e.name;
    if (e.takes_parameter) out += e.kind == statistic_kind::trimmed_mean ? ":F" : ":K";
  }
  return out;
}

// The shortest text that reads back as the same double: to_string() promises a round trip, which
// 15 significant digits do not give (found by the statistic fuzzer: prop_ge:0.12345678901234567).
std::string format_number(double x) {
  std::array<char, 32> buffer;
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return std::string(buffer.data(), ec == std::errc{} ? end : buffer.data());
}

}  // namespace

statistic parse_statistic(std::string_view spec) {
  constexpr const char* function = "resample::parse_statistic";
  const auto colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  for (const auto& e : registry) {
    if (e.name != name) continue;
    if (!e.takes_parameter) {
      if (colon != std::string_view::npos)
        throw_invalid_argument(function, "statistic '" + std::string(name) + "' takes no parameter, got '" +
                                             std::string(spec) + "'");
      return {e.kind, 0.0};
    }
    if (colon == std::string_view::npos)
      throw_invalid_argument(function,
                             "statistic '" + std::string(name) + "' needs a parameter, e.g. " +
                                 (e.kind == statistic_kind::trimmed_mean ? "trimmed:0.1" : "prop_ge:3"));
    const auto value = parse_finite_number(spec.substr(colon + 1));
    if (!value)
      throw_invalid_argument(function, "parameter of '" + std::string(name) + "' must be a number, got '" +
                                           std::string(spec.substr(colon + 1)) + "'");
    if (e.kind == statistic_kind::trimmed_mean && !(*value >= 0.0 && *value < 0.5))
      throw_invalid_argument(function,
                             "trim fraction = " + format_number(*value) + ", expected 0 <= F < 0.5");
    return {e.kind, *value};
  }
  std::array<std::string_view, registry.size()> names{};
  for (std::size_t i = 0; i < registry.size(); ++i) names[i] = registry[i].name;
  throw_invalid_argument(function, "statistic",
                         "unknown statistic '" + std::string(spec) + "', expected one of: " + known_list() +
                             did_you_mean(name, names));
}

std::string to_string(const statistic& s) {
  for (const auto& e : registry) {
    if (e.kind != s.kind) continue;
    std::string out(e.name);
    if (e.takes_parameter) out += ":" + format_number(s.parameter);
    return out;
  }
  return "unknown";
}

std::vector<std::string> statistic_descriptions() {
  std::vector<std::string> out;
  for (const auto& e : registry) out.push_back(std::string(e.name) + ": " + std::string(e.description));
  return out;
}

value_equality statistic_equality(const statistic& s, std::size_t n, double magnitude) {
  const double operations =
      visit_statistic(s, [n](auto concrete) { return decltype(concrete)::rounding_operations(n); });
  return value_equality::after_rounding(operations, magnitude);
}

value_equality statistic_equality(const statistic& s, std::span<const double> sample) {
  return statistic_equality(s, sample.size(), largest_magnitude(sample));
}

bool is_sum_type(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return decltype(concrete)::sum_type; });
}

std::size_t minimum_sample_size(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return decltype(concrete)::minimum_n; });
}

sign_flip_symmetry symmetry_of(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return decltype(concrete)::symmetry; });
}

double evaluation_cost(const statistic& s, std::size_t n) {
  return visit_statistic(s, [n](auto concrete) { return decltype(concrete)::evaluation_cost(n); });
}

double cost_exponent(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return decltype(concrete)::cost_exponent; });
}

std::size_t multiset::size() const {
  std::size_t n = 0;
  for (auto c : counts) n += c;
  return n;
}

multiset to_multiset(std::span<const double> sample) {
  // Sorted copy, then runs of equal values: several times faster than a tree of counts at 10^6
  // patients, where this is a fixed cost of every bootstrap and evaluate() call.
  std::vector<double> sorted(sample.begin(), sample.end());
  for (double& x : sorted) {
    if (!std::isfinite(x))
      throw_invalid_argument("resample::to_multiset", "the sample holds a non-finite value");
    x += 0.0;  // -0 and +0 are one value; keep +0
  }
  std::sort(sorted.begin(), sorted.end());
  multiset m;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    m.support.push_back(sorted[i]);
    m.counts.push_back(static_cast<std::uint32_t>(j - i));
    i = j;
  }
  return m;
}

double evaluate(const statistic& s, const multiset& m) {
  const std::size_t n = m.size();
  if (n < minimum_sample_size(s))
    throw_invalid_argument("resample::evaluate", "statistic '" + to_string(s) + "' needs at least " +
                                                     std::to_string(minimum_sample_size(s)) +
                                                     " values, got " + std::to_string(n));
  return visit_statistic(s, [&](auto concrete) {
    return concrete(std::span<const double>(m.support), std::span<const std::uint32_t>(m.counts), n);
  });
}

double evaluate(const statistic& s, std::span<const double> sample) {
  return evaluate(s, to_multiset(sample));
}

}  // namespace resample
