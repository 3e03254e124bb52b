#include "resample/study/paper_descriptives.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "resample/error.hpp"

namespace resample {
namespace {

std::map<std::string, descriptive_figure> figures_by_id(const csv_table& table) {
  std::map<std::string, descriptive_figure> out;
  for (auto& f : paper_descriptive_figures(table)) out.emplace(f.id, f);
  return out;
}

TEST(PaperDescriptives, EveryFigureOfThePaperIsRecomputedFromTable1) {
  const auto figures = figures_by_id(read_csv_file(RESAMPLE_SOURCE_DATA_DIR "/gaughen2002_table1.csv"));
  ASSERT_EQ(figures.size(), 16u);
  for (const auto& [id, f] : figures) EXPECT_TRUE(f.matches) << id;
  EXPECT_NEAR(figures.at("mean_age").computed[0], 392.0 / 6, 1e-12);
  EXPECT_EQ(figures.at("age_range").computed, (std::vector<double>{49, 78}));
  EXPECT_NEAR(figures.at("mean_interval").computed[0], 245.0 / 6, 1e-12);
  EXPECT_EQ(figures.at("interval_range").computed, (std::vector<double>{8, 167}));
  EXPECT_NEAR(figures.at("mean_pmma_initial").computed[0], 28.8 / 6, 1e-12);
  EXPECT_NEAR(figures.at("mean_pmma_repeat").computed[0], 15.2 / 6, 1e-12);
  EXPECT_EQ(figures.at("pain_reduced_by_3").computed, (std::vector<double>{5, 6}));
  EXPECT_DOUBLE_EQ(figures.at("mean_pain_reduction").computed[0], 6.5);
  EXPECT_DOUBLE_EQ(figures.at("mean_pain_after").computed[0], 3.5);
  EXPECT_EQ(figures.at("repeat_mobility_impaired").computed, (std::vector<double>{4, 6}));
  EXPECT_EQ(figures.at("repeat_mobility_improved").computed, (std::vector<double>{4, 4}));
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_gain").computed[0], 1.5);
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_after").computed[0], 0.25);
}

TEST(PaperDescriptives, AChangedValueChangesTheFigureAndItsMatch) {
  // Case 1's narrative value for patient 6 (walker after repeat treatment: mobility 1).
  const std::string header =
      "patient,sex,age,level,interval_days,approach_initial,approach_repeat,pmma_cc_initial,pmma_cc_repeat,"
      "initial_pain_pre,initial_pain_post,initial_mobility_pre,initial_mobility_post,repeat_pain_pre,"
      "repeat_pain_post,repeat_mobility_pre,repeat_mobility_post\n";
  const std::string rows =
      "1,F,66,L1,167,L,R,3.5,1.5,10,0,0,0,10,8,1,0\n2,M,78,L2,18,B,R,15,5,10,5,2,1,10,1,2,1\n"
      "3,F,49,T6,8,L,R,5,1.5,10,0,0,0,10,2,1,0\n4,F,56,L1,22,L,L,1.1,2.5,10,0,3,0,10,0,0,0\n"
      "5,F,67,T10,9,L,R,1.2,3.5,7,3,0,0,10,4,0,0\n6,M,76,L1,21,L,R,3,1.2,10,3,1,0,10,6,3,1\n";
  const auto figures = figures_by_id(parse_csv(header + rows, "narrative.csv"));
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_gain").computed[0], 1.25);  // gains 1, 1, 1, 2
  EXPECT_FALSE(figures.at("mean_mobility_gain").matches);
  EXPECT_DOUBLE_EQ(figures.at("mean_mobility_after").computed[0], 0.5);
  EXPECT_TRUE(figures.at("mean_pain_reduction").matches);
}

TEST(PaperDescriptives, OutOfScaleValueIsRejectedWithItsLocation) {
  const std::string text =
      "patient,sex,age,level,interval_days,approach_initial,approach_repeat,pmma_cc_initial,pmma_cc_repeat,"
      "initial_pain_pre,initial_pain_post,initial_mobility_pre,initial_mobility_post,repeat_pain_pre,"
      "repeat_pain_post,repeat_mobility_pre,repeat_mobility_post\n"
      "1,F,66,L1,167,L,R,3.5,1.5,10,0,0,0,10,8,1,0\n"
      "2,M,78,L2,18,B,R,15,5,10,5,2,1,11,1,2,1\n";
  try {
    paper_descriptive_figures(parse_csv(text, "bad.csv"));
    FAIL() << "expected a data_error";
  } catch (const data_error& e) {
    EXPECT_STREQ(e.what(),
                 "bad.csv:3:32: column 'repeat_pain_pre': value 11 is outside the declared scale 0 to 10");
  }
}

}  // namespace
}  // namespace resample
