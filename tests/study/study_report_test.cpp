// The report's analysis on the shipped example study (data/example_study.json with its claims
// file) and on a study it was not written for: reference values, verdicts that follow the numbers,
// and a changed value that changes them.
#include "resample/study/study_report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "resample/error.hpp"

namespace resample {
namespace {

const std::string shipped_study = RESAMPLE_SOURCE_DATA_DIR "/example_study.json";

study_report analyse(const study_description& d) {
  const study_data study = load_study(d);
  std::optional<claims_file> claims;
  if (!study.claims.empty()) claims = read_claims_file(study.claims);
  return analyse_study(study, claims);
}

const study_report& shipped() {
  static const study_report report = analyse(read_study_file(shipped_study));
  return report;
}

const effect_analysis& effect(const study_report& r, const std::string& id) {
  for (const auto& e : r.effects)
    if (e.id == id) return e;
  throw std::runtime_error("no effect " + id);
}

std::optional<double> bound(const effect_analysis& e, bootstrap::interval_method m, bool lower) {
  for (const auto& i : e.bootstrap.intervals)
    if (i.method == m) return lower ? i.lower : i.upper;
  return std::nullopt;
}

TEST(StudyReport, ShippedStudyMatchesTheReferenceValues) {
  using bootstrap::interval_method;
  const auto& pain = effect(shipped(), "repeat_pain");
  EXPECT_EQ(pain.differences, (std::vector<double>{2, 9, 8, 10, 6, 4}));
  EXPECT_EQ(pain.patients, (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(pain.bootstrap.mode_run, bootstrap::mode::exact);
  EXPECT_DOUBLE_EQ(pain.bootstrap.estimate, 6.5);
  EXPECT_NEAR(pain.bootstrap.se, 1.14867, 5e-6);
  EXPECT_NEAR(*bound(pain, interval_method::percentile, true), 25.0 / 6, 1e-9);
  EXPECT_NEAR(*bound(pain, interval_method::percentile, false), 52.0 / 6, 1e-9);
  EXPECT_NEAR(*bound(pain, interval_method::bca, true), 4.0, 1e-9);
  EXPECT_NEAR(*bound(pain, interval_method::bca, false), 8.5, 1e-9);
  EXPECT_DOUBLE_EQ(pain.sign_flip.p_value, 0.03125);
  EXPECT_TRUE(pain.sign_flip.exact);
  EXPECT_DOUBLE_EQ(pain.sign.p_value, 0.03125);
  EXPECT_DOUBLE_EQ(pain.wilcoxon.p_value, 0.03125);
  EXPECT_FALSE(pain.ordinal);  // not declared ordinal

  const auto& mobility = effect(shipped(), "repeat_mobility");
  EXPECT_EQ(mobility.differences, (std::vector<double>{1, 1, 1, 0, 0, 3}));
  EXPECT_NEAR(*bound(mobility, interval_method::bca, true), 2.0 / 6, 1e-9);
  EXPECT_NEAR(*bound(mobility, interval_method::bca, false), 2.0, 1e-9);
  EXPECT_DOUBLE_EQ(mobility.sign_flip.p_value, 0.125);
  EXPECT_EQ(mobility.n_nonzero, 4u);
  EXPECT_DOUBLE_EQ(mobility.smallest_attainable_p, 0.125);
  ASSERT_TRUE(mobility.ordinal);
  EXPECT_DOUBLE_EQ(mobility.ordinal->stuart_maxwell.p_value, 0.5);
  EXPECT_TRUE(mobility.ordinal->stuart_maxwell.exact);
}

TEST(StudyReport, VerdictsFollowTheNumbers) {
  const auto& pain = effect(shipped(), "repeat_pain");
  EXPECT_TRUE(pain.significant);
  EXPECT_TRUE(pain.interval_excludes_zero);
  // Five patients, all improved: the smallest attainable two-sided p is 2/32 > 0.05.
  EXPECT_TRUE(pain.fragile);
  for (const auto& row : pain.leave_one_out) EXPECT_DOUBLE_EQ(row.sign_flip_p, 0.0625);
  EXPECT_NE(pain.verdict.find("Fragile"), std::string::npos);
  const auto& mobility = effect(shipped(), "repeat_mobility");
  EXPECT_FALSE(mobility.significant);
  EXPECT_NE(mobility.verdict.find("no two-sided test can give p < 0.125"), std::string::npos);
}

TEST(StudyReport, ClaimsFileFiguresProportionsAndSensitivity) {
  const auto& r = shipped();
  ASSERT_EQ(r.figures.size(), 16u);
  std::map<std::string, descriptive_figure> figures;
  for (const auto& f : r.figures) figures.emplace(f.id, f);
  for (const auto& [id, f] : figures) EXPECT_TRUE(f.matches) << id;
  EXPECT_NEAR(figures.at("mean_age").computed[0], 392.0 / 6, 1e-12);
  EXPECT_EQ(figures.at("age_range").computed, (std::vector<double>{49, 78}));
  EXPECT_NEAR(figures.at("mean_interval").computed[0], 245.0 / 6, 1e-12);
  EXPECT_NEAR(figures.at("mean_pmma_initial").computed[0], 28.8 / 6, 1e-12);
  EXPECT_EQ(figures.at("pain_reduced_by_3").computed, (std::vector<double>{5, 6}));
  EXPECT_EQ(figures.at("initial_mobility_improved").computed, (std::vector<double>{3, 3}));
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_gain").computed[0], 1.5);
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_after").computed[0], 0.25);

  ASSERT_EQ(r.proportions.size(), 3u);
  EXPECT_EQ(r.proportions[0].estimate.successes, 5u);
  EXPECT_EQ(r.proportions[0].estimate.trials, 6u);
  EXPECT_EQ(r.proportions[1].estimate.successes, 4u);
  EXPECT_EQ(r.proportions[1].estimate.trials, 4u);
  // Clopper-Pearson for 4 of 4 at 95%: lower bound (0.025)^(1/4).
  EXPECT_NEAR(r.proportions[1].estimate.intervals.front().lower, std::pow(0.025, 0.25), 1e-9);

  ASSERT_EQ(r.joint.size(), 2u);
  EXPECT_EQ(r.joint[1].endpoints, (std::vector<std::string>{"repeat_pain", "repeat_mobility"}));
  ASSERT_EQ(r.joint[1].result.max_t_p.size(), 2u);
  EXPECT_GE(r.joint[1].result.max_t_p[0], r.joint[1].result.raw_p[0]);
  EXPECT_DOUBLE_EQ(r.joint[1].result.max_t_p[1], 0.1875);

  ASSERT_EQ(r.sensitivities.size(), 2u);
  EXPECT_EQ(r.sensitivities[0].alternative.differences, (std::vector<double>{1, 1, 1, 0, 0, 2}));
  EXPECT_NEAR(r.sensitivities[0].alternative.bootstrap.estimate, 5.0 / 6, 1e-12);
  EXPECT_EQ(r.sensitivities[1].alternative.differences, (std::vector<double>{10, 5, 10, 10, 4, 10}));
}

// The shipped study on a copy of its table with some values changed.
study_report shipped_with(const std::string& table_text) {
  static int count = 0;
  const auto data = std::filesystem::temp_directory_path() /
                    ("study-report-" + std::to_string(::getpid()) + "-" + std::to_string(++count) + ".csv");
  std::ofstream(data) << table_text;
  auto d = read_study_file(shipped_study);
  d.data = data.string();
  const auto report = analyse(d);
  std::filesystem::remove(data);
  return report;
}

std::string shipped_table() {
  std::ifstream in(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(StudyReport, AChangedValueChangesNumbersAndVerdicts) {
  // Patient 1 reports no pain relief after the repeat treatment (post = pre = 10), patient 5 only
  // 2 points (post 8): reductions 0, 9, 8, 10, 2, 4.
  std::string text = shipped_table();
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("\n1,F,66,L1,167,L,R,3.5,1.5,10,0,0,0,10,8,1,0", "\n1,F,66,L1,167,L,R,3.5,1.5,10,0,0,0,10,10,1,0");
  replace("\n5,F,67,T10,9,L,R,1.2,3.5,7,3,0,0,10,4,0,0", "\n5,F,67,T10,9,L,R,1.2,3.5,7,3,0,0,10,8,0,0");
  const auto changed = shipped_with(text);
  const auto& pain = effect(changed, "repeat_pain");
  EXPECT_DOUBLE_EQ(pain.bootstrap.estimate, 33.0 / 6);
  EXPECT_EQ(pain.n_nonzero, 5u);
  EXPECT_DOUBLE_EQ(pain.sign_flip.p_value, 0.0625);
  EXPECT_FALSE(pain.significant);
  EXPECT_NE(pain.verdict, effect(shipped(), "repeat_pain").verdict);
  EXPECT_EQ(changed.proportions[0].estimate.successes, 4u);
  std::size_t matched = 0;
  for (const auto& f : changed.figures) matched += f.matches ? 1 : 0;
  EXPECT_LT(matched, 16u);  // the mean pain reduction and its count no longer match the paper
}

TEST(StudyReport, AMissingValueLeavesThePatientOutOfThatEndpointOnlyAndIsNamed) {
  std::string text = shipped_table();
  const std::string row6 = "\n6,M,76,L1,21,L,R,3,1.2,10,3,1,0,10,6,3,0";
  const auto at = text.find(row6);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, row6.size(), "\n6,M,76,L1,21,L,R,3,1.2,10,3,1,0,10,NA,3,0");
  const auto r = shipped_with(text);
  const auto& pain = effect(r, "repeat_pain");
  EXPECT_EQ(pain.differences.size(), 5u);
  EXPECT_EQ(pain.left_out, (std::vector<std::string>{"6"}));
  EXPECT_EQ(effect(r, "repeat_mobility").differences.size(), 6u);
  EXPECT_EQ(r.joint[1].n, 5u);
  EXPECT_EQ(r.joint[1].left_out, (std::vector<std::string>{"6"}));
  // The claims over that column leave patient 6 out and say so.
  for (const auto& f : r.figures)
    if (f.id == "mean_pain_after") {
      EXPECT_EQ(f.left_out, (std::vector<std::string>{"6"}));
      EXPECT_DOUBLE_EQ(f.computed[0], (8 + 1 + 2 + 0 + 4) / 5.0);
    }
  // The sensitivity change of patient 6 in repeat pain would fail; the shipped ones are in other
  // endpoints and still run.
  EXPECT_EQ(r.sensitivities.size(), 2u);
}

// Two-sided sign-flip p of the mean by enumerating every sign pattern (the oracle).
double brute_force_sign_flip_p(const std::vector<double>& d) {
  const std::size_t n = d.size();
  double observed = 0;
  for (double x : d) observed += x;
  std::size_t extreme = 0;
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += (mask >> i & 1) ? -d[i] : d[i];
    // Integer-valued test data: the sums are exact, so |sum| >= |observed| compares exactly.
    extreme += std::fabs(sum) >= std::fabs(observed) ? 1 : 0;
  }
  return static_cast<double>(extreme) / static_cast<double>(std::size_t{1} << n);
}

// The fewest patients whose changes, set to 0, give p >= alpha: every subset, smallest first.
std::size_t brute_force_fragility(const std::vector<double>& d, double alpha) {
  const std::size_t n = d.size();
  std::size_t best = n + 1;
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    std::vector<double> rest = d;
    std::size_t removed = 0;
    bool useless = false;
    for (std::size_t i = 0; i < n; ++i)
      if (mask >> i & 1) {
        useless = useless || d[i] == 0;  // zeroing a zero changes nothing: not a smaller answer
        rest[i] = 0, ++removed;
      }
    if (useless || removed >= best) continue;
    if (!(brute_force_sign_flip_p(rest) < alpha)) best = removed;
  }
  return best;
}

TEST(StudyReport, FragilityIndexIsTheSmallestSubsetAtEveryScale) {
  std::mt19937 random(20021657);
  std::size_t checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 5 + random() % 5;  // 5..9 patients
    std::vector<double> d(n);
    for (auto& x : d) x = static_cast<double>(static_cast<int>(random() % 13) - 3);  // -3..9, mostly better
    const double truth_p = brute_force_sign_flip_p(d);
    for (double scale : {1.0, std::ldexp(1.0, -10), 1e3}) {
      endpoint e;
      e.name = "x";
      for (double x : d) e.differences.push_back(x * scale);
      for (std::size_t i = 0; i < n; ++i) e.ids.push_back("P" + std::to_string(i + 1));
      const auto effect = analyse_effect(e, {});
      ASSERT_NEAR(effect.sign_flip.p_value, truth_p, 1e-12);
      if (!effect.significant) {
        EXPECT_FALSE(effect.fragility);
        continue;
      }
      ASSERT_TRUE(effect.fragility);
      EXPECT_TRUE(effect.fragility->exact);
      EXPECT_EQ(effect.fragility->patients, brute_force_fragility(d, 0.05)) << "scale " << scale;
      EXPECT_EQ(effect.fragility->which.size(), effect.fragility->patients);
      EXPECT_GE(effect.fragility->p_value, 0.05);
      ++checked;
    }
  }
  EXPECT_GT(checked, 30u);  // enough significant samples to mean something
}

TEST(StudyReport, AStudyItWasNotWrittenFor) {
  auto d = read_study_file(RESAMPLE_TEST_DATA_DIR "/study/trial.json");
  const study_data study = load_study(d);
  study_report_options options;
  options.improved_by = {3};
  const auto r = analyse_study(study, std::nullopt, options);
  ASSERT_EQ(r.effects.size(), 2u);
  EXPECT_EQ(r.n, 12u);
  EXPECT_EQ(r.effects[0].left_out, (std::vector<std::string>{"P03"}));
  EXPECT_EQ(r.effects[1].left_out, (std::vector<std::string>{"P06", "P08"}));
  EXPECT_EQ(r.effects[1].dir, direction::higher_is_better);
  // One joint family of both endpoints, on the 9 patients complete for both.
  ASSERT_EQ(r.joint.size(), 1u);
  EXPECT_EQ(r.joint[0].n, 9u);
  // --improved-by 3: one proportion per endpoint.
  ASSERT_EQ(r.proportions.size(), 2u);
  EXPECT_EQ(r.proportions[0].estimate.trials, 11u);
  EXPECT_EQ(r.proportions[0].estimate.successes, 8u);  // pain changes 4,2,5,0,5,1,5,3,4,4,4
  // Leave-one-out rows name patients by ID and skip those the endpoint does not use.
  for (const auto& row : r.effects[0].leave_one_out) EXPECT_NE(row.patient, "P03");
  EXPECT_EQ(r.effects[0].leave_one_out.size(), 11u);
  // A sensitivity change naming a patient the endpoint does not use is an error that says so.
  claims_file claims;
  claims.source = "c.json";
  claims.sensitivity.push_back({"x", "y", "pain", "P03", true, 1});
  try {
    analyse_study(study, claims, options);
    FAIL() << "expected a data_error";
  } catch (const data_error& e) {
    EXPECT_NE(std::string(e.what()).find("no patient 'P03'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace resample
