// Effect models: drawing simulated differences and the population values intervals must cover.

#include "resample/simulation/effect_model.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string>

#include "random_stream.hpp"
#include "resample/error.hpp"
#include "resample/parse_number.hpp"

namespace resample::simulation {

namespace {

void require_finite(const char* function, std::span<const double> values) {
  if (values.empty()) throw_invalid_argument(function, "no observed differences, expected at least one");
  for (double v : values)
    if (!std::isfinite(v)) throw_invalid_argument(function, "a difference is not finite");
}

// Median of a discrete law with the sample convention: when F reaches exactly 1/2 on an atom the
// median interval is [that atom, the next] and its midpoint is used (as the sample median of an
// even number of values is).
double law_median(const weighted_distribution& d) {
  const auto atoms = d.atoms();
  double cumulative = 0.0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    cumulative += atoms[i].weight;
    if (cumulative >= 0.5 - 1e-12) {
      if (std::fabs(cumulative - 0.5) <= 1e-12 && i + 1 < atoms.size())
        return std::midpoint(atoms[i].value, atoms[i + 1].value);
      return atoms[i].value;
    }
  }
  return atoms.back().value;
}

}  // namespace

std::string_view to_string(model_kind k) {
  switch (k) {
    case model_kind::bootstrap:
      return "bootstrap";
    case model_kind::shift:
      return "shift";
    case model_kind::discrete:
      return "discrete";
    case model_kind::normal:
      return "normal";
  }
  return "unknown";
}

effect_model effect_model::bootstrap(std::span<const double> observed) {
  require_finite("resample::simulation::effect_model::bootstrap", observed);
  effect_model m;
  m.kind_ = model_kind::bootstrap;
  m.equal_values_.assign(observed.begin(), observed.end());
  m.law_ = weighted_distribution::from_sample(m.equal_values_);
  return m;
}

effect_model effect_model::shift(std::span<const double> observed, double shift_to) {
  constexpr const char* function = "resample::simulation::effect_model::shift";
  require_finite(function, observed);
  if (!std::isfinite(shift_to)) throw_invalid_argument(function, "shift_to is not finite");
  effect_model m;
  m.kind_ = model_kind::shift;
  const double observed_mean =
      std::accumulate(observed.begin(), observed.end(), 0.0) / static_cast<double>(observed.size());
  m.shift_ = shift_to - observed_mean;
  for (double v : observed) m.equal_values_.push_back(v + m.shift_);
  m.law_ = weighted_distribution::from_sample(m.equal_values_);
  return m;
}

effect_model effect_model::discrete(std::vector<double> values, std::vector<double> probabilities) {
  constexpr const char* function = "resample::simulation::effect_model::discrete";
  if (values.empty() || values.size() != probabilities.size())
    throw_invalid_argument(function, "expected as many probabilities as values, and at least one");
  double total = 0.0;
  std::vector<atom> atoms;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) throw_invalid_argument(function, "a value is not finite");
    if (!(probabilities[i] >= 0.0 && probabilities[i] <= 1.0))
      throw_invalid_argument(function, "probability " + format_number(probabilities[i]) + " of value " +
                                           format_number(values[i]) + ", expected 0 <= p <= 1");
    total += probabilities[i];
    if (probabilities[i] > 0.0) atoms.push_back({values[i], probabilities[i]});
  }
  // Probabilities typed with a few decimals sum to 1 up to their rounding (unit-free, so a fixed
  // allowance on [0, 1], not an equality rule for values).
  constexpr double probability_sum_allowance = 1e-9;
  if (std::fabs(total - 1.0) > probability_sum_allowance)
    throw_invalid_argument(function, "the probabilities sum to " + format_number(total) + ", expected 1");
  effect_model m;
  m.kind_ = model_kind::discrete;
  m.law_ = weighted_distribution::from_atoms(std::move(atoms));
  double cumulative = 0.0;
  for (const atom& a : m.law_.atoms()) {
    cumulative += a.weight;
    m.values_.push_back(a.value);
    m.cumulative_.push_back(cumulative);
  }
  m.cumulative_.back() = 1.0;  // a uniform draw in [0, 1) always lands on an atom
  return m;
}

effect_model effect_model::parse_discrete(std::string_view spec) {
  constexpr const char* function = "resample::simulation::effect_model::parse_discrete";
  std::vector<double> values, probabilities;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    const std::string_view item = spec.substr(start, comma - start);
    const std::size_t colon = item.find(':');
    double v = 0.0, p = 0.0;
    bool ok = colon != std::string_view::npos;
    if (ok) {
      const auto a = std::from_chars(item.data(), item.data() + colon, v);
      const auto b = std::from_chars(item.data() + colon + 1, item.data() + item.size(), p);
      ok = a.ec == std::errc{} && a.ptr == item.data() + colon && b.ec == std::errc{} &&
           b.ptr == item.data() + item.size() && colon > 0;
    }
    if (!ok)
      throw_invalid_argument(function, "item '" + std::string(item) +
                                           "', expected VALUE:PROBABILITY items separated by commas, e.g. "
                                           "-1:0.1,0:0.3,1:0.4,3:0.2");
    values.push_back(v);
    probabilities.push_back(p);
    start = comma + 1;
  }
  return discrete(std::move(values), std::move(probabilities));
}

effect_model effect_model::normal(double mean, double sd) {
  constexpr const char* function = "resample::simulation::effect_model::normal";
  if (!std::isfinite(mean) || !(sd > 0.0) || !std::isfinite(sd))
    throw_invalid_argument(function, "expected a finite mean and a finite sd > 0");
  effect_model m;
  m.kind_ = model_kind::normal;
  m.normal_mean_ = mean;
  m.normal_sd_ = sd;
  return m;
}

std::string effect_model::description() const {
  switch (kind_) {
    case model_kind::bootstrap:
      return "bootstrap: resample the " + std::to_string(equal_values_.size()) +
             " observed differences with replacement (mean " + format_number(mean(law_)) + ")";
    case model_kind::shift:
      return "shift: the " + std::to_string(equal_values_.size()) + " observed differences shifted by " +
             format_number(shift_) + " to mean " + format_number(mean(law_)) +
             ", resampled with replacement (not symmetric unless the data are)";
    case model_kind::discrete: {
      std::string out = "discrete:";
      for (const atom& a : law_.atoms()) out += " " + format_number(a.value) + ":" + format_number(a.weight);
      return out;
    }
    case model_kind::normal:
      return "normal(mean " + format_number(normal_mean_) + ", sd " + format_number(normal_sd_) + ")";
  }
  return {};
}

void effect_model::draw(random_stream& stream, std::span<double> out) const {
  switch (kind_) {
    case model_kind::bootstrap:
    case model_kind::shift:
      for (double& x : out) x = equal_values_[stream.below(equal_values_.size())];
      return;
    case model_kind::discrete:
      for (double& x : out) {
        const double u = stream.uniform();
        std::size_t i = 0;
        while (cumulative_[i] <= u) ++i;  // small supports: a linear scan beats a binary search
        x = values_[i];
      }
      return;
    case model_kind::normal: {
      boost::random::normal_distribution<double> normal(normal_mean_, normal_sd_);
      for (double& x : out) x = normal(stream);
      return;
    }
  }
}

double effect_model::population_value(const statistic& s) const {
  constexpr const char* function = "resample::simulation::effect_model::population_value";
  if (kind_ == model_kind::normal) {
    switch (s.kind) {
      case statistic_kind::mean:
      case statistic_kind::median:
      case statistic_kind::hl:
      case statistic_kind::trimmed_mean:
        return normal_mean_;  // symmetric: every centre agrees
      case statistic_kind::sd:
        return normal_sd_;
      case statistic_kind::prop_ge:
        return boost::math::cdf(boost::math::complement(
            boost::math::normal_distribution<double>(normal_mean_, normal_sd_), s.parameter));
      case statistic_kind::superiority:  // P(d > 0); P(d = 0) is 0
        return boost::math::cdf(
            boost::math::complement(boost::math::normal_distribution<double>(normal_mean_, normal_sd_), 0.0));
      case statistic_kind::rank_biserial:
        // Continuous: P(D1 + D2 > 0) - P(D1 + D2 < 0), D1 + D2 ~ N(2 mu, 2 sigma^2).
        return 2.0 * boost::math::cdf(boost::math::normal_distribution<double>(),
                                      std::sqrt(2.0) * normal_mean_ / normal_sd_) -
               1.0;
      case statistic_kind::custom:
        // A registered statistic states its value on a discrete law only.
        throw_invalid_argument(function, "statistic '" + to_string(s) +
                                             "' has no population value under a normal model; use a "
                                             "bootstrap, shift or discrete model");
    }
  }
  switch (s.kind) {
    case statistic_kind::mean:
      return mean(law_);
    case statistic_kind::sd:
      return standard_deviation(law_);
    case statistic_kind::prop_ge:
      return probability_at_least(law_, s.parameter);
    case statistic_kind::median:
      return law_median(law_);
    case statistic_kind::hl: {
      std::vector<atom> pairs;
      for (const atom& a : law_.atoms())
        for (const atom& b : law_.atoms())
          pairs.push_back({std::midpoint(a.value, b.value), a.weight * b.weight});
      return law_median(weighted_distribution::from_atoms(std::move(pairs)));
    }
    case statistic_kind::superiority: {
      double value = 0.0;
      for (const atom& a : law_.atoms())
        value += a.weight * (a.value > 0.0 ? 1.0 : a.value == 0.0 ? 0.5 : 0.0);
      return value;
    }
    case statistic_kind::rank_biserial: {
      // The limit of (T+ - T-)/(T+ + T-): a value's midrank over n tends to
      // G(|x|) = P(|D| < |x|) + P(|D| = |x|)/2, so r tends to E[sign(D) G(|D|)] / E[|sign(D)| G(|D|)].
      double signed_total = 0.0, total = 0.0;
      for (const atom& a : law_.atoms()) {
        if (a.value == 0.0) continue;
        double g = 0.0;
        for (const atom& b : law_.atoms()) {
          const double x = std::fabs(a.value), y = std::fabs(b.value);
          g += b.weight * (y < x ? 1.0 : y == x ? 0.5 : 0.0);
        }
        signed_total += a.weight * (a.value > 0.0 ? g : -g);
        total += a.weight * g;
      }
      return total > 0.0 ? signed_total / total : 0.0;
    }
    case statistic_kind::custom:
      if (s.definition != nullptr && s.definition->population_value != nullptr)
        return s.definition->population_value(s.parameter, law_);
      break;
    case statistic_kind::trimmed_mean:
      break;
  }
  throw_invalid_argument(
      function,
      "statistic '" + to_string(s) + "' has no population value here; use mean, median, sd, prop_ge:K or hl");
}

}  // namespace resample::simulation
