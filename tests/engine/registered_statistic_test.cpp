// A statistic written outside the engine, added with one struct and one register_statistic line,
// runs through the bootstrap, the sign-flip test, power and coverage, from the engine and from the
// command line. Each result is checked against an oracle computed here from the definition: brute
// force over every resample or sign pattern, the exact power or coverage summed over every sample
// of a small discrete law, at several scales of the data.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/distribution.hpp"
#include "resample/error.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/simulation/effect_model.hpp"
#include "resample/simulation/power.hpp"
#include "resample/statistics.hpp"
#include "run_cli.hpp"
#include "support/cli_runner.hpp"
#include "support/scratch_directory.hpp"

namespace resample {
namespace {

// The test-only statistic: the midpoint of the smallest and the largest value. Odd (flipping every
// sign negates it), defined from one value, one rounding; its population value on a discrete law
// is the midpoint of the law's extreme atoms.
struct midrange {
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::odd;
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  static constexpr double rounding_operations(std::size_t) { return 1.0; }
  double operator()(std::span<const double> support, std::span<const std::uint32_t> counts,
                    std::size_t) const {
    std::size_t first = 0, last = support.size() - 1;
    while (counts[first] == 0) ++first;
    while (counts[last] == 0) --last;
    return std::midpoint(support[first], support[last]);
  }
  double population_value(const weighted_distribution& law) const {
    return std::midpoint(law.atoms().front().value, law.atoms().back().value);
  }
};

// The one line.
const statistic_definition& midrange_definition =
    register_statistic<midrange>("midrange", "midpoint of the smallest and largest value (test only)");

// A second one with a parameter (an aggregate of one double, as trimmed_mean): the lower empirical
// quantile at probability q, the value of rank floor(q (n - 1)). Not odd: its two-sided sign-flip
// p-value doubles the smaller tail.
struct lower_quantile {
  static constexpr std::size_t minimum_n = 1;
  static constexpr sign_flip_symmetry symmetry = sign_flip_symmetry::none;
  static double evaluation_cost(std::size_t n) { return static_cast<double>(n); }
  static constexpr double cost_exponent = 1.0;
  static constexpr double rounding_operations(std::size_t) { return 0.0; }
  double q;
  double operator()(std::span<const double> support, std::span<const std::uint32_t> counts,
                    std::size_t n) const {
    return statistics::value_at_rank(support, counts,
                                     static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1))));
  }
};

const statistic_definition& lower_quantile_definition =
    register_statistic<lower_quantile>("lower_quantile", "lower_quantile:Q, value of rank floor(Q (n - 1))");

const statistic midrange_statistic = parse_statistic("midrange");

double midrange_of(std::span<const double> x) {
  const auto [low, high] = std::minmax_element(x.begin(), x.end());
  return std::midpoint(*low, *high);
}

std::vector<std::vector<double>> samples_at(double scale) {
  std::vector<std::vector<double>> out{
      {2, 9, 8, 10, 6, 4}, {1, 1, 1, 0, 0, 3}, {1.5, -2.25, 0, 3.1, 1.5}, {0.5, -1.5, 2, 2, -0.5, 0, 1.5}};
  for (auto& x : out)
    for (double& v : x) v *= scale;
  return out;
}

const double scales[] = {1.0, 1e-3, 4096.0, 1e6 / 3.0};

TEST(RegisteredStatistic, ParsesPrintsAndSuggestsLikeABuiltIn) {
  EXPECT_EQ(midrange_statistic.kind, statistic_kind::custom);
  EXPECT_EQ(midrange_statistic.definition, &midrange_definition);
  EXPECT_EQ(to_string(midrange_statistic), "midrange");
  EXPECT_FALSE(is_sum_type(midrange_statistic));
  EXPECT_EQ(minimum_sample_size(midrange_statistic), 1u);
  EXPECT_EQ(symmetry_of(midrange_statistic), sign_flip_symmetry::odd);

  const statistic q = parse_statistic("lower_quantile:0.25");
  EXPECT_EQ(q.definition, &lower_quantile_definition);
  EXPECT_EQ(q.parameter, 0.25);
  EXPECT_EQ(to_string(q), "lower_quantile:0.25");
  EXPECT_EQ(parse_statistic(to_string(q)), q);
  EXPECT_EQ(symmetry_of(q), sign_flip_symmetry::none);

  EXPECT_NE(statistic_syntax().find("midrange"), std::string::npos);
  EXPECT_NE(statistic_syntax().find("lower_quantile:X"), std::string::npos);
  try {
    (void)parse_statistic("midrang");
    ADD_FAILURE() << "a misspelt registered statistic was accepted";
  } catch (const error& e) {
    EXPECT_EQ(e.parameter(), "statistic");
    EXPECT_NE(std::string(e.what()).find("did you mean 'midrange'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)parse_statistic("midrange:2"), invalid_argument);
  EXPECT_THROW((void)parse_statistic("lower_quantile"), invalid_argument);
  // Names are unique and shaped like the built-in ones.
  EXPECT_THROW((void)register_statistic<midrange>("midrange", "again"), invalid_argument);
  EXPECT_THROW((void)register_statistic<midrange>("median", "a built-in's name"), invalid_argument);
  EXPECT_THROW((void)register_statistic<midrange>("Mid Range", "not an identifier"), invalid_argument);
}

// Every one of the n^n ordered resamples, evaluated on the plain sample by the definition above.
weighted_distribution brute_force_bootstrap(const std::vector<double>& x, const statistic& stat) {
  const std::size_t n = x.size();
  std::vector<std::size_t> index(n, 0);
  std::vector<double> resample(n), values;
  while (true) {
    for (std::size_t i = 0; i < n; ++i) resample[i] = x[index[i]];
    values.push_back(evaluate(stat, resample));
    std::size_t i = 0;
    while (i < n && ++index[i] == n) index[i++] = 0;
    if (i == n) break;
  }
  return weighted_distribution::from_sample(values, statistic_equality(stat, x));
}

TEST(RegisteredStatistic, ExactBootstrapEqualsEveryResampleAtEveryScale) {
  for (const double scale : scales)
    for (const auto& x : samples_at(scale)) {
      if (x.size() > 6) continue;  // n^n resamples: 7^7 is 0.8 million per statistic and scale
      for (const statistic& stat : {midrange_statistic, parse_statistic("lower_quantile:0.3")}) {
        bootstrap::bootstrap_options o;
        o.stat = stat;
        o.requested = bootstrap::method::exact;
        const auto r = bootstrap::bootstrap(x, o);
        const auto expected = brute_force_bootstrap(x, stat);
        ASSERT_EQ(r.distribution.size(), expected.size()) << to_string(stat) << " at scale " << scale;
        for (std::size_t i = 0; i < expected.size(); ++i) {
          EXPECT_DOUBLE_EQ(r.distribution.atoms()[i].value, expected.atoms()[i].value);
          EXPECT_NEAR(r.distribution.atoms()[i].weight, expected.atoms()[i].weight, 1e-12);
        }
        EXPECT_DOUBLE_EQ(r.estimate, evaluate(stat, x));
        if (stat == midrange_statistic) {
          EXPECT_DOUBLE_EQ(r.estimate, midrange_of(x));
        }
        // Every interval is there, studentized with the jackknife se* included (no analytic se).
        EXPECT_EQ(r.intervals.size(), o.intervals.size());
      }
    }
}

TEST(RegisteredStatistic, MonteCarloBootstrapAgreesWithExactWithinItsError) {
  const std::vector<double> x{1.5, -2.25, 0, 3.1, 1.5, 0.75, -0.5};
  bootstrap::bootstrap_options o;
  o.stat = midrange_statistic;
  o.requested = bootstrap::method::exact;
  const auto exact = bootstrap::bootstrap(x, o);
  o.requested = bootstrap::method::monte_carlo;
  o.resamples = 40000;
  o.intervals = {bootstrap::interval_method::percentile};
  const auto mc = bootstrap::bootstrap(x, o);
  EXPECT_EQ(mc.mode_run, bootstrap::mode::monte_carlo);
  ASSERT_TRUE(mc.mc_se_se.has_value());
  EXPECT_LE(std::fabs(mc.se - exact.se), 4.0 * *mc.mc_se_se) << mc.se << " vs " << exact.se;
}

// The conventions restated for an odd statistic: every one of the 2^n sign patterns, ties with
// the observed value (by the statistic's equality rule) counted as extreme.
double brute_force_sign_flip_p(const std::vector<double>& d, const statistic& stat,
                               inference::alternative alt) {
  const std::size_t n = d.size();
  const double t = evaluate(stat, d);
  const value_equality equal = statistic_equality(stat, d);
  double extreme = 0;
  std::vector<double> x(n);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask) {
    for (std::size_t i = 0; i < n; ++i) x[i] = (mask >> i) & 1 ? -d[i] : d[i];
    const double v = evaluate(stat, x);
    switch (alt) {
      case inference::alternative::greater:
        extreme += v > t || equal(v, t);
        break;
      case inference::alternative::less:
        extreme += v < t || equal(v, t);
        break;
      case inference::alternative::two_sided:
        extreme += std::fabs(v) > std::fabs(t) || equal(std::fabs(v), std::fabs(t));
        break;
    }
  }
  return extreme / std::ldexp(1.0, static_cast<int>(n));
}

TEST(RegisteredStatistic, ExactSignFlipTestEqualsEveryPatternAtEveryScale) {
  using inference::alternative;
  for (const double scale : scales)
    for (const auto& x : samples_at(scale))
      for (const auto alt : {alternative::two_sided, alternative::greater, alternative::less}) {
        const auto r = inference::sign_flip_test(x, midrange_statistic, alt, {});
        EXPECT_TRUE(r.exact);
        EXPECT_DOUBLE_EQ(r.p_value, brute_force_sign_flip_p(x, midrange_statistic, alt))
            << "scale " << scale << " " << inference::to_string(alt);
      }
}

TEST(RegisteredStatistic, MonteCarloSignFlipTestAgreesWithExactWithinItsError) {
  const std::vector<double> x{1.5, -2.25, 0.4, 3.1, 1.5, 0.75, -0.5, 2.0, 1.1, -0.3, 2.7, 0.9};
  const double exact = brute_force_sign_flip_p(x, midrange_statistic, inference::alternative::two_sided);
  inference::sign_flip_options o;
  o.method = method_choice::monte_carlo;
  o.resamples = 40000;
  const auto r = inference::sign_flip_test(x, midrange_statistic, inference::alternative::two_sided, o);
  EXPECT_FALSE(r.exact);
  ASSERT_TRUE(r.mc_se.has_value());
  EXPECT_LE(std::fabs(r.p_value - exact), 4.0 * *r.mc_se) << r.p_value << " vs exact " << exact;
}

// A small discrete law and every ordered sample of size n from it, with its probability.
const std::vector<double> law_values{-1.0, 0.5, 2.0};
const std::vector<double> law_probabilities{0.2, 0.3, 0.5};

template <class F>
void for_each_sample(std::size_t n, F&& f) {
  std::vector<std::size_t> index(n, 0);
  std::vector<double> sample(n);
  while (true) {
    double probability = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      sample[i] = law_values[index[i]];
      probability *= law_probabilities[index[i]];
    }
    f(sample, probability);
    std::size_t i = 0;
    while (i < n && ++index[i] == law_values.size()) index[i++] = 0;
    if (i == n) return;
  }
}

TEST(RegisteredStatistic, SimulatedPowerAgreesWithTheExactPowerWithinItsError) {
  const std::size_t n = 5;
  simulation::power_options o;
  o.stat = midrange_statistic;
  o.alpha = 0.1;
  o.trials = 4000;
  double exact_power = 0.0;
  for_each_sample(n, [&](const std::vector<double>& sample, double probability) {
    if (inference::p_value_at_most(brute_force_sign_flip_p(sample, midrange_statistic, o.alt), o.alpha))
      exact_power += probability;
  });
  const auto model = simulation::effect_model::discrete(law_values, law_probabilities);
  const auto point = simulation::simulate_power(model, n, o);
  EXPECT_EQ(point.inexact_trials, 0u);
  const double se = std::sqrt(exact_power * (1.0 - exact_power) / static_cast<double>(o.trials));
  EXPECT_GT(exact_power, 0.2);  // a power the check can tell from 0 or 1
  EXPECT_LE(std::fabs(point.power - exact_power), 4.0 * se) << point.power << " vs exact " << exact_power;
}

TEST(RegisteredStatistic, SimulatedCoverageAgreesWithTheExactCoverageWithinItsError) {
  const std::size_t n = 4;
  const auto model = simulation::effect_model::discrete(law_values, law_probabilities);
  const double truth = model.population_value(midrange_statistic);
  EXPECT_DOUBLE_EQ(truth, 0.5);
  simulation::coverage_options o;
  o.stat = midrange_statistic;
  o.level = 0.9;
  o.trials = 4000;
  o.methods = {bootstrap::interval_method::percentile};
  o.t_interval = false;
  o.hodges_lehmann_interval = false;
  o.sign_flip_interval = false;
  double exact_coverage = 0.0;
  for_each_sample(n, [&](const std::vector<double>& sample, double probability) {
    bootstrap::bootstrap_options b;
    b.stat = midrange_statistic;
    b.requested = bootstrap::method::exact;
    b.level = o.level;
    b.intervals = o.methods;
    const auto ci = bootstrap::bootstrap(sample, b).intervals.front();
    const value_equality equal = statistic_equality(midrange_statistic, sample);
    if ((*ci.lower <= truth || equal(*ci.lower, truth)) && (truth <= *ci.upper || equal(truth, *ci.upper)))
      exact_coverage += probability;
  });
  const auto r = simulation::simulate_coverage(model, n, o);
  ASSERT_EQ(r.methods.size(), 1u);
  EXPECT_DOUBLE_EQ(r.methods[0].true_value, truth);
  ASSERT_TRUE(r.methods[0].coverage.has_value());
  const double se = std::sqrt(exact_coverage * (1.0 - exact_coverage) / static_cast<double>(o.trials));
  EXPECT_GT(se, 0.0);
  EXPECT_LE(std::fabs(*r.methods[0].coverage - exact_coverage), 4.0 * se)
      << *r.methods[0].coverage << " vs exact " << exact_coverage;
  // A normal model has no law to take the statistic of: refused, not guessed.
  EXPECT_THROW((void)simulation::effect_model::normal(0.0, 1.0).population_value(midrange_statistic),
               invalid_argument);
}

// The command line, run in this process (where the statistic is registered): every command that
// takes --stat accepts it and reports it by name.
nlohmann::json run_in_process(std::vector<std::string> args, const std::filesystem::path& out) {
  args.insert(args.begin(), "resample");
  args.insert(args.end(), {"--format", "json", "--out", out.string()});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  const int code = cli::run_cli(static_cast<int>(argv.size()), argv.data());
  EXPECT_EQ(code, 0) << args[1];
  std::ifstream in(out);
  return nlohmann::json::parse(in);
}

class RegisteredStatisticCommandLine : public test::scratch_directory_test {
 protected:
  RegisteredStatisticCommandLine() : scratch_directory_test("registered_statistic_") {}
};

TEST_F(RegisteredStatisticCommandLine, EveryCommandTakesItByName) {
  const auto out = path("out.json");
  const auto values = std::vector<std::string>{"--values", "1.5,-2.25,0,3.1,1.5"};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.end(), values.begin(), values.end());
    return head;
  };
  const auto b = run_in_process(with({"bootstrap", "--stat", "midrange", "--method", "exact"}), out);
  EXPECT_EQ(b.at("statistic"), "midrange");
  EXPECT_DOUBLE_EQ(b.at("estimate").get<double>(), midrange_of(std::vector<double>{1.5, -2.25, 0, 3.1, 1.5}));
  const auto t = run_in_process(with({"test", "--test", "signflip", "--stat", "midrange"}), out);
  EXPECT_NE(t.dump().find("midrange"), std::string::npos);
  const auto p = run_in_process(with({"power", "--stat", "midrange", "--n", "5", "--trials", "200"}), out);
  EXPECT_EQ(p.at("statistic"), "midrange");
  const auto c = run_in_process(
      with({"coverage", "--stat", "midrange", "--n", "5", "--trials", "50", "--ci", "percentile"}), out);
  EXPECT_EQ(c.at("statistic"), "midrange");
}

}  // namespace
}  // namespace resample
