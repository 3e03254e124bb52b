#pragma once
// The inferential side of the paper report: every claim of Gaughen et al. (2002) with its
// small-sample uncertainty, computed from Table 1 by the engine's exact methods. The verdicts are
// derived from these numbers by fixed rules (see verdict functions), never written by hand.

#include <optional>
#include <string>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/bootstrap/calibrated.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/inference/ordinal.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/study/csv.hpp"

namespace resample {

struct paper_analysis_options {
  double level = 0.95;         // confidence level of every interval
  double alpha = 0.05;         // significance level the verdicts use (two-sided)
  bool all_intervals = false;  // percentile and BCa only, or every bootstrap interval method
};

// One patient left out: does the effect's conclusion survive?
struct leave_one_out_row {
  std::size_t patient;  // the patient number of Table 1
  double estimate;
  std::size_t n_nonzero;  // changed patients among those left
  double sign_flip_p;
  double smallest_attainable_p;
  std::optional<double> bca_lower, bca_upper;
  bool significant;  // sign_flip_p < alpha
};

struct effect_analysis {
  std::string id;                   // "repeat_pain", "initial_mobility", or a sensitivity id
  std::string treatment;            // "initial" | "repeat"
  std::string outcome;              // "pain" | "mobility"
  std::string label;                // e.g. "pain reduction after the repeat treatment"
  std::string unit;                 // "points (0-10 scale)"
  std::vector<double> differences;  // pre - post, per patient
  std::size_t n_nonzero = 0;

  bootstrap::bootstrap_result bootstrap;  // exact bootstrap of the mean
  // Double-bootstrap percentile interval calibrated to the target level (exact for n <= 8).
  bootstrap::calibrated_result calibrated;
  inference::test_result sign_flip, sign, wilcoxon, t;
  inference::interval_estimate hodges_lehmann, t_interval, median;
  // The exact sign-flip confidence set of the mean: the interval that agrees with sign_flip.
  inference::interval_estimate sign_flip_set;
  double rank_biserial = 0.0, superiority = 0.0;  // paired effect sizes (statistics.hpp)
  // Mobility is an ordinal 0-4 scale: marginal homogeneity of its (pre, post) table; absent for
  // pain and for the sensitivity variants.
  std::optional<inference::marginal_homogeneity_result> ordinal;
  double smallest_attainable_p = 1;  // two-sided, for this n_nonzero

  std::vector<leave_one_out_row> leave_one_out;
  bool significant = false;             // exact sign-flip p < alpha
  bool interval_excludes_zero = false;  // BCa (percentile when BCa is undefined) lies above 0
  bool fragile = false;                 // some leave-one-out row reverses `significant`
  std::string verdict;
};

struct proportion_claim {
  std::string id;
  std::string statement;  // the paper's words
  inference::proportion_estimate estimate;
  std::string verdict;
};

struct joint_analysis {
  std::string treatment;
  inference::multiple_endpoint_result result;  // endpoints: pain, mobility
  std::string verdict;
};

struct paper_analysis {
  std::string source;
  std::size_t n = 0;
  paper_analysis_options options;
  std::vector<effect_analysis> effects;  // initial pain, initial mobility, repeat pain, repeat mobility
  std::vector<proportion_claim> claims;
  std::vector<joint_analysis> joint;
  // The same effect with a value from the paper's narrative instead of Table 1.
  struct sensitivity {
    std::string id;
    std::string description;
    effect_analysis table;      // as in Table 1
    effect_analysis narrative;  // with the narrative's value
    std::string verdict;
  };
  std::vector<sensitivity> sensitivities;
};

// Reads the columns of data/gaughen2002_table1.csv (scales checked) and analyses every claim.
paper_analysis analyse_paper(const csv_table& table, const paper_analysis_options& options = {});

// One effect, from its differences (exposed for tests and for other paired data sets).
effect_analysis analyse_effect(std::string id, std::string treatment, std::string outcome, std::string label,
                               std::string unit, const std::vector<double>& differences,
                               const std::vector<std::size_t>& patient_numbers,
                               const paper_analysis_options& options);

}  // namespace resample
