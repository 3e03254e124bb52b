#include "resample/statistics.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <mutex>
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
    registry_entry{"superiority", statistic_kind::superiority, false,
                   "paired probability of superiority, P(d > 0) + P(d = 0)/2"},
    registry_entry{
        "rank_biserial", statistic_kind::rank_biserial, false,
        "matched-pairs rank-biserial correlation (T+ - T-)/(T+ + T-), midranks, zeros ranked (Pratt)"},
};

// Statistics registered at run time (register_statistic). A deque keeps every definition where it
// was stored, so a statistic's pointer to its definition stays valid; registration is rare, so
// one mutex around the list is enough.
struct registered_statistics {
  std::mutex mutex;
  std::deque<statistic_definition> definitions;
};
registered_statistics& registered() {
  static registered_statistics instance;
  return instance;
}

std::string known_list() {
  std::string out;
  for (const auto& e : registry) {
    if (!out.empty()) out += ", ";
    out += e.name;
    if (e.takes_parameter) out += e.kind == statistic_kind::trimmed_mean ? ":F" : ":K";
  }
  auto& custom = registered();
  const std::lock_guard lock(custom.mutex);
  for (const auto& d : custom.definitions) out += ", " + d.name + (d.takes_parameter ? ":X" : "");
  return out;
}

bool is_statistic_name(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
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
  const statistic_definition* found = nullptr;
  std::vector<std::string> names;
  for (const auto& e : registry) names.emplace_back(e.name);
  {
    auto& custom = registered();
    const std::lock_guard lock(custom.mutex);
    for (const auto& d : custom.definitions) {
      names.push_back(d.name);
      if (d.name == name) found = &d;
    }
  }
  const std::vector<std::string_view> name_views(names.begin(), names.end());
  if (found != nullptr) {
    if (!found->takes_parameter) {
      if (colon != std::string_view::npos)
        throw_invalid_argument(function, "statistic '" + std::string(name) + "' takes no parameter, got '" +
                                             std::string(spec) + "'");
      return {statistic_kind::custom, 0.0, found};
    }
    if (colon == std::string_view::npos)
      throw_invalid_argument(
          function, "statistic '" + std::string(name) + "' needs a parameter, e.g. " + found->name + ":1");
    const auto value = parse_finite_number(spec.substr(colon + 1));
    if (!value)
      throw_invalid_argument(function, "parameter of '" + std::string(name) + "' must be a number, got '" +
                                           std::string(spec.substr(colon + 1)) + "'");
    return {statistic_kind::custom, *value, found};
  }
  throw_invalid_argument(function, "statistic",
                         "unknown statistic '" + std::string(spec) + "', expected one of: " + known_list() +
                             did_you_mean(name, name_views));
}

std::string to_string(const statistic& s) {
  if (s.kind == statistic_kind::custom && s.definition != nullptr)
    return s.definition->name + (s.definition->takes_parameter ? ":" + format_number(s.parameter) : "");
  for (const auto& e : registry) {
    if (e.kind != s.kind) continue;
    std::string out(e.name);
    if (e.takes_parameter) out += ":" + format_number(s.parameter);
    return out;
  }
  return "unknown";
}

std::string statistic_syntax() { return known_list(); }

std::vector<std::string> statistic_descriptions() {
  std::vector<std::string> out;
  for (const auto& e : registry) out.push_back(std::string(e.name) + ": " + std::string(e.description));
  auto& custom = registered();
  const std::lock_guard lock(custom.mutex);
  for (const auto& d : custom.definitions) out.push_back(d.name + ": " + d.description);
  return out;
}

namespace detail {

const statistic_definition& add_statistic_definition(statistic_definition definition) {
  constexpr const char* function = "resample::register_statistic";
  if (!is_statistic_name(definition.name))
    throw_invalid_argument(function, "name = '" + definition.name +
                                         "', expected a lower-case identifier (a-z, 0-9, _; a letter first)");
  if (definition.evaluate == nullptr || definition.evaluation_cost == nullptr ||
      definition.rounding_operations == nullptr)
    throw_invalid_argument(function, "definition of '" + definition.name + "' lacks its kernel or a trait");
  for (const auto& e : registry)
    if (e.name == definition.name)
      throw_invalid_argument(function, "name = '" + definition.name + "' is a built-in statistic");
  auto& custom = registered();
  const std::lock_guard lock(custom.mutex);
  for (const auto& d : custom.definitions)
    if (d.name == definition.name)
      throw_invalid_argument(function, "name = '" + definition.name + "' is already registered");
  return custom.definitions.emplace_back(std::move(definition));
}

}  // namespace detail

value_equality statistic_equality(const statistic& s, std::size_t n, double magnitude) {
  const double operations =
      visit_statistic(s, [n](auto concrete) { return concrete.rounding_operations(n); });
  return value_equality::after_rounding(operations, magnitude);
}

value_equality statistic_equality(const statistic& s, std::span<const double> sample) {
  return statistic_equality(s, sample.size(), largest_magnitude(sample));
}

bool is_sum_type(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return concrete.sum_type; });
}

std::size_t minimum_sample_size(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return concrete.minimum_n; });
}

sign_flip_symmetry symmetry_of(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return concrete.symmetry; });
}

double evaluation_cost(const statistic& s, std::size_t n) {
  return visit_statistic(s, [n](auto concrete) { return concrete.evaluation_cost(n); });
}

double cost_exponent(const statistic& s) {
  return visit_statistic(s, [](auto concrete) { return concrete.cost_exponent; });
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
