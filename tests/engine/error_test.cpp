// Engine errors speak in parameters: the parameter at fault and the remedies are data, the message
// names no command-line flag, and each check names the function and the parameter.

#include "resample/error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/check.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/vocabulary.hpp"
#include "support/paper_table.hpp"

namespace {

using namespace resample;

TEST(EngineErrors, ChecksRecordTheParameterAndTheValue) {
  try {
    check_level("resample::f", "level", 1.5);
    FAIL();
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "level");
    EXPECT_EQ(e.function(), "resample::f");
    EXPECT_EQ(e.reason(), "level = 1.5, expected 0 < level < 1");
    EXPECT_EQ(std::string(e.what()), "resample::f: level = 1.5, expected 0 < level < 1");
  }
  try {
    check_count("resample::f", "resamples", 0);
    FAIL();
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "resamples");
  }
  const std::vector<double> one{1.0};
  try {
    check_sample("resample::f", one, 2);
    FAIL();
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "n");
  }
}

TEST(EngineErrors, TheConventionalReasonNamesItsParameter) {
  try {
    throw_invalid_argument("resample::f", "alpha = 2, expected 0 < alpha < 1");
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "alpha");
  }
  try {
    throw_invalid_argument("resample::f", "the sample is empty");
  } catch (const invalid_argument& e) {
    EXPECT_EQ(e.parameter(), "");
  }
}

TEST(EngineErrors, RemediesAreDataSaidInEachVocabulary) {
  std::vector<double> x;
  for (int i = 0; i < 40; ++i) x.push_back(1.0 + 0.1234567 * std::sqrt(i + 2.0));
  inference::sign_flip_options o;
  o.method = method_choice::exact;
  try {
    (void)inference::sign_flip_test(x, parse_statistic("median"), inference::alternative::two_sided, o);
    FAIL();
  } catch (const infeasible_error& e) {
    ASSERT_EQ(e.remedies().size(), 1u);
    EXPECT_EQ(e.remedies()[0].parameter, "method");
    EXPECT_EQ(say_remedies(e.remedies(), [](const std::string& p) { return "--" + p; }), "--method mc");
    EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
  }
}

TEST(EngineErrors, TheBootstrapRefusesAnApproximation) {
  bootstrap::bootstrap_options o;
  o.requested = method_choice::approximate;
  const std::vector<double>& x = resample::test::paper::pain;
  EXPECT_THROW((void)bootstrap::bootstrap(x, o), invalid_argument);
}

TEST(Vocabulary, NamesRoundTripAndMisspellingsGetTheClosest) {
  for (auto t : all_test_kinds) EXPECT_EQ(parse_test_kind(to_string(t)), t);
  for (auto m : {method_choice::automatic, method_choice::exact, method_choice::monte_carlo,
                 method_choice::approximate})
    EXPECT_EQ(parse_method(to_string(m)), m);
  const std::vector<std::string_view> names{"mean", "median", "hl"};
  EXPECT_EQ(closest_match("meen", names), "mean");
  EXPECT_EQ(closest_match("mdeian", names), "median");  // a transposition is one edit
  EXPECT_EQ(closest_match("variance", names), std::nullopt);
  EXPECT_EQ(parse_test_kinds("t,all"),
            (std::vector{test_kind::t, test_kind::sign_flip, test_kind::sign, test_kind::wilcoxon}));
  EXPECT_THROW((void)parse_test_kinds("t,,sign"), invalid_argument);
}

TEST(Routes, TheSignFlipRouteIsWhatTheTestRuns) {
  const std::vector<double>& lattice = resample::test::paper::pain;
  const auto statistic_mean = parse_statistic("mean");
  const auto route = inference::plan_sign_flip(lattice, statistic_mean, method_choice::automatic);
  EXPECT_EQ(route.algorithm, inference::sign_flip_algorithm::lattice_dp);
  EXPECT_TRUE(route.exact);
  const auto r = inference::sign_flip_test(lattice, statistic_mean, inference::alternative::two_sided);
  EXPECT_EQ(r.method, to_string(route.algorithm));
  std::vector<double> real;
  for (int i = 0; i < 25; ++i) real.push_back(1.0 + std::sqrt(i + 2.0));
  EXPECT_EQ(inference::plan_sign_flip(real, statistic_mean, method_choice::automatic).algorithm,
            inference::sign_flip_algorithm::meet_in_the_middle);
  // The median is evaluated afresh per pattern: 2^20 patterns of 20 values fit the automatic budget,
  // 2^25 of 25 (8.4e8 evaluations) do not.
  const std::vector<double> twenty(real.begin(), real.begin() + 20);
  EXPECT_EQ(inference::plan_sign_flip(twenty, parse_statistic("median"), method_choice::automatic).algorithm,
            inference::sign_flip_algorithm::gray_code);
  EXPECT_EQ(inference::plan_sign_flip(real, parse_statistic("median"), method_choice::automatic).algorithm,
            inference::sign_flip_algorithm::monte_carlo);
  EXPECT_EQ(inference::plan_sign_flip(real, statistic_mean, method_choice::monte_carlo).algorithm,
            inference::sign_flip_algorithm::monte_carlo);
  const auto boot = bootstrap::plan_bootstrap(lattice, {});
  EXPECT_EQ(boot.algorithm, bootstrap::bootstrap_algorithm::enumeration);
  EXPECT_EQ(boot.work, 462.0);
}

}  // namespace
