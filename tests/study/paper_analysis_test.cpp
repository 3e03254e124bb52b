#include "resample/study/paper_analysis.hpp"

#include <gtest/gtest.h>

#include <map>

#include "resample/error.hpp"

namespace resample {
namespace {

const paper_analysis& paper() {
  static const paper_analysis analysis =
      analyse_paper(read_csv_file(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv"));
  return analysis;
}

const effect_analysis& effect(const std::string& id) {
  for (const auto& e : paper().effects)
    if (e.id == id) return e;
  throw std::runtime_error("no effect " + id);
}

std::optional<double> endpoint(const effect_analysis& e, bootstrap::interval_method m, bool lower) {
  for (const auto& i : e.bootstrap.intervals)
    if (i.method == m) return lower ? i.lower : i.upper;
  return std::nullopt;
}

TEST(PaperAnalysis, RepeatTreatmentMatchesTheReferenceValues) {
  using bootstrap::interval_method;
  const auto& pain = effect("repeat_pain");
  EXPECT_EQ(pain.differences, (std::vector<double>{2, 9, 8, 10, 6, 4}));
  EXPECT_DOUBLE_EQ(pain.bootstrap.estimate, 6.5);
  EXPECT_NEAR(pain.bootstrap.se, 1.14867, 5e-6);
  EXPECT_NEAR(*endpoint(pain, interval_method::percentile, true), 25.0 / 6, 1e-9);
  EXPECT_NEAR(*endpoint(pain, interval_method::percentile, false), 52.0 / 6, 1e-9);
  EXPECT_NEAR(*endpoint(pain, interval_method::bca, true), 4.0, 1e-9);
  EXPECT_NEAR(*endpoint(pain, interval_method::bca, false), 8.5, 1e-9);
  EXPECT_DOUBLE_EQ(pain.sign_flip.p_value, 0.03125);
  EXPECT_DOUBLE_EQ(pain.sign.p_value, 0.03125);
  EXPECT_DOUBLE_EQ(pain.wilcoxon.p_value, 0.03125);

  const auto& mobility = effect("repeat_mobility");
  EXPECT_EQ(mobility.differences, (std::vector<double>{1, 1, 1, 0, 0, 3}));
  EXPECT_NEAR(*endpoint(mobility, interval_method::percentile, true), 2.0 / 6, 1e-9);
  EXPECT_NEAR(*endpoint(mobility, interval_method::percentile, false), 11.0 / 6, 1e-9);
  EXPECT_NEAR(*endpoint(mobility, interval_method::bca, true), 2.0 / 6, 1e-9);
  EXPECT_NEAR(*endpoint(mobility, interval_method::bca, false), 2.0, 1e-9);
  EXPECT_DOUBLE_EQ(mobility.sign_flip.p_value, 0.125);
  EXPECT_DOUBLE_EQ(mobility.sign.p_value, 0.125);
  EXPECT_DOUBLE_EQ(mobility.wilcoxon.p_value, 0.125);
  EXPECT_EQ(mobility.n_nonzero, 4u);
  EXPECT_DOUBLE_EQ(mobility.smallest_attainable_p, 0.125);
}

TEST(PaperAnalysis, VerdictsFollowTheNumbers) {
  const auto& pain = effect("repeat_pain");
  EXPECT_TRUE(pain.significant);
  EXPECT_TRUE(pain.interval_excludes_zero);
  // Five patients, all improved: the smallest attainable two-sided p is 2/32 > 0.05.
  EXPECT_TRUE(pain.fragile);
  for (const auto& row : pain.leave_one_out) EXPECT_DOUBLE_EQ(row.sign_flip_p, 0.0625);
  EXPECT_NE(pain.verdict.find("Fragile"), std::string::npos);

  const auto& mobility = effect("repeat_mobility");
  EXPECT_FALSE(mobility.significant);
  EXPECT_NE(mobility.verdict.find("no two-sided test can give p < 0.125"), std::string::npos);
}

TEST(PaperAnalysis, ProportionClaimsAndJointTest) {
  const auto& claims = paper().claims;
  ASSERT_GE(claims.size(), 2u);
  EXPECT_EQ(claims[0].estimate.successes, 5u);
  EXPECT_EQ(claims[0].estimate.trials, 6u);
  EXPECT_EQ(claims[1].estimate.successes, 4u);
  EXPECT_EQ(claims[1].estimate.trials, 4u);
  // Clopper-Pearson for 4 of 4 at 95%: lower bound (0.025)^(1/4).
  EXPECT_NEAR(claims[1].estimate.intervals.front().lower, std::pow(0.025, 0.25), 1e-9);

  const auto& repeat = paper().joint.at(1);
  ASSERT_EQ(repeat.result.max_t_p.size(), 2u);
  EXPECT_GE(repeat.result.max_t_p[0], repeat.result.raw_p[0]);
  EXPECT_GE(repeat.result.max_t_p[1], repeat.result.raw_p[1]);
}

TEST(PaperAnalysis, NarrativeSensitivityUsesPatient6) {
  ASSERT_EQ(paper().sensitivities.size(), 2u);
  const auto& s = paper().sensitivities[0];
  EXPECT_EQ(s.narrative.differences, (std::vector<double>{1, 1, 1, 0, 0, 2}));
  EXPECT_NEAR(s.narrative.bootstrap.estimate, 5.0 / 6, 1e-12);
}

TEST(PaperAnalysis, AChangedValueChangesNumbersAndVerdicts) {
  // Patient 1 reports no pain relief after the repeat treatment (post = pre = 10), patient 5 only
  // 2 points (post 8): reductions 0, 9, 8, 10, 2, 4.
  csv_table table = read_csv_file(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv");
  const std::size_t column = table.column_index("repeat_pain_post");
  table.rows[0].fields[column].text = "10";
  table.rows[4].fields[column].text = "8";
  const auto changed = analyse_paper(table);
  const auto& pain = changed.effects[2];
  ASSERT_EQ(pain.id, "repeat_pain");
  EXPECT_DOUBLE_EQ(pain.bootstrap.estimate, 33.0 / 6);
  EXPECT_EQ(pain.n_nonzero, 5u);
  EXPECT_DOUBLE_EQ(pain.sign_flip.p_value, 0.0625);
  EXPECT_FALSE(pain.significant);
  EXPECT_NE(pain.verdict, effect("repeat_pain").verdict);
  EXPECT_EQ(changed.claims[0].estimate.successes, 4u);
}

}  // namespace
}  // namespace resample
