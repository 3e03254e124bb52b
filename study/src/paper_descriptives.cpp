#include "resample/study/paper_descriptives.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "resample/error.hpp"

namespace resample {

namespace {

constexpr value_range pain_scale{0, 10};
constexpr value_range mobility_scale{0, 4};

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

descriptive_figure figure(std::string id, std::string statement, std::vector<double> paper,
                          std::vector<double> computed, int decimals) {
  bool matches = paper.size() == computed.size();
  for (std::size_t i = 0; matches && i < paper.size(); ++i)
    matches = round_to(computed[i], decimals) == round_to(paper[i], decimals);
  return {std::move(id), std::move(statement), std::move(paper), std::move(computed), decimals, matches};
}

template <class Predicate>
double count_if_index(std::size_t n, Predicate p) {
  double k = 0;
  for (std::size_t i = 0; i < n; ++i) k += p(i) ? 1 : 0;
  return k;
}

}  // namespace

std::vector<descriptive_figure> paper_descriptive_figures(const csv_table& table) {
  // The ranges below take min/max of each column: an empty column has none.
  if (table.rows.empty())
    throw data_error(table.source + ":" + std::to_string(table.header_line) +
                     ":1: expected at least 1 data row (one per patient), got 0");
  const auto age = numeric_column(table, "age", value_range{0, 130});
  const auto interval = numeric_column(table, "interval_days", value_range{0, 1e5});
  const auto pmma_initial = numeric_column(table, "pmma_cc_initial", value_range{0, 1e3});
  const auto pmma_repeat = numeric_column(table, "pmma_cc_repeat", value_range{0, 1e3});
  const auto ipain_pre = numeric_column(table, "initial_pain_pre", pain_scale);
  const auto ipain_post = numeric_column(table, "initial_pain_post", pain_scale);
  const auto imob_pre = numeric_column(table, "initial_mobility_pre", mobility_scale);
  const auto imob_post = numeric_column(table, "initial_mobility_post", mobility_scale);
  const auto pain_pre = numeric_column(table, "repeat_pain_pre", pain_scale);
  const auto pain_post = numeric_column(table, "repeat_pain_post", pain_scale);
  const auto mob_pre = numeric_column(table, "repeat_mobility_pre", mobility_scale);
  const auto mob_post = numeric_column(table, "repeat_mobility_post", mobility_scale);
  const std::size_t n = age.size();
  const double patients = static_cast<double>(n);

  std::vector<descriptive_figure> out;
  out.push_back(figure("mean_age", "mean age 65 years", {65}, {mean_of(age)}, 0));
  out.push_back(figure("age_range", "age range 49-78 years", {49, 78},
                       {*std::min_element(age.begin(), age.end()), *std::max_element(age.begin(), age.end())},
                       0));
  out.push_back(
      figure("mean_interval", "mean interval between treatments 40.8 days", {40.8}, {mean_of(interval)}, 1));
  out.push_back(figure("interval_range", "interval range 8-167 days", {8, 167},
                       {*std::min_element(interval.begin(), interval.end()),
                        *std::max_element(interval.begin(), interval.end())},
                       0));
  out.push_back(figure("mean_pmma_initial", "mean cement volume 4.8 mL at initial treatment", {4.8},
                       {mean_of(pmma_initial)}, 1));
  out.push_back(figure("mean_pmma_repeat", "mean cement volume 2.5 mL at repeat treatment", {2.5},
                       {mean_of(pmma_repeat)}, 1));

  out.push_back(
      figure("initial_pain_improved", "initial treatment: pain improved in all 6 patients", {6, 6},
             {count_if_index(n, [&](std::size_t i) { return ipain_post[i] < ipain_pre[i]; }), patients}, 0));
  const double initial_impaired = count_if_index(n, [&](std::size_t i) { return imob_pre[i] > 0; });
  out.push_back(figure("initial_mobility_impaired", "initial treatment: 3 of 6 with impaired mobility before",
                       {3, 6}, {initial_impaired, patients}, 0));
  out.push_back(
      figure("initial_mobility_improved", "initial treatment: all 3 impaired patients improved", {3, 3},
             {count_if_index(n, [&](std::size_t i) { return imob_pre[i] > 0 && imob_post[i] < imob_pre[i]; }),
              initial_impaired},
             0));

  std::vector<double> reduction(n);
  for (std::size_t i = 0; i < n; ++i) reduction[i] = pain_pre[i] - pain_post[i];
  out.push_back(figure("pain_reduced_by_3", "repeat treatment: 5 of 6 reduced pain by at least 3 points",
                       {5, 6},
                       {count_if_index(n, [&](std::size_t i) { return reduction[i] >= 3; }), patients}, 0));
  out.push_back(figure("mean_pain_reduction", "repeat treatment: mean pain reduction 6.5 points", {6.5},
                       {mean_of(reduction)}, 1));
  out.push_back(figure("mean_pain_after", "repeat treatment: mean pain afterwards 3.5 points", {3.5},
                       {mean_of(pain_post)}, 1));

  std::vector<double> impaired_gain, impaired_after;
  for (std::size_t i = 0; i < n; ++i) {
    if (mob_pre[i] > 0) {
      impaired_gain.push_back(mob_pre[i] - mob_post[i]);
      impaired_after.push_back(mob_post[i]);
    }
  }
  const double impaired = static_cast<double>(impaired_gain.size());
  out.push_back(figure("repeat_mobility_impaired", "repeat treatment: 4 of 6 with impaired mobility before",
                       {4, 6}, {impaired, patients}, 0));
  out.push_back(figure("repeat_mobility_improved", "repeat treatment: all 4 impaired patients improved",
                       {4, 4},
                       {static_cast<double>(std::count_if(impaired_gain.begin(), impaired_gain.end(),
                                                          [](double g) { return g > 0; })),
                        impaired},
                       0));
  const double nan = std::nan("");
  out.push_back(figure("mean_mobility_gain",
                       "repeat treatment: mean mobility improvement 1.50 among the impaired", {1.5},
                       {impaired_gain.empty() ? nan : mean_of(impaired_gain)}, 2));
  out.push_back(figure("mean_mobility_after",
                       "repeat treatment: mean mobility afterwards 0.25 among the impaired", {0.25},
                       {impaired_after.empty() ? nan : mean_of(impaired_after)}, 2));
  return out;
}

}  // namespace resample
