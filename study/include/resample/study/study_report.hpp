#pragma once
// The report of a paired study: every declared endpoint with its small-sample uncertainty, computed
// by the engine (exact wherever the engine can be exact), the verdicts derived from these numbers
// by fixed rules (never written by hand), what n can show at all, the endpoints tested together,
// fragility by patient, declared proportions, and, from a claims file, the publication's own
// figures recomputed and its alternative values as a sensitivity analysis.

#include <cstdint>
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
#include "resample/study/claims.hpp"
#include "resample/study/study.hpp"

namespace resample {

struct study_report_options {
  double level = 0.95;         // confidence level of every interval
  double alpha = 0.05;         // significance level the verdicts use (two-sided)
  bool all_intervals = false;  // percentile and BCa only, or every bootstrap interval method
  // Each endpoint's share of patients improved by at least each of these (in its unit).
  std::vector<double> improved_by;
  // Where an analysis cannot be exact (the engine's automatic choice): its Monte Carlo seed.
  std::uint64_t seed = 20020;
};

// One patient left out: does the effect's conclusion survive?
struct leave_one_out_row {
  std::string patient;  // the patient's ID
  double estimate;
  std::size_t n_nonzero;  // changed patients among those left
  double sign_flip_p;
  double smallest_attainable_p;
  std::optional<double> bca_lower, bca_upper;
  bool significant;  // sign_flip_p < alpha
};

// How many patients' changes would have to differ for a significant verdict to flip: the fewest
// changed patients who, had they not changed at all, would leave the sign-flip test at p >= alpha
// (a paired analogue of the fragility index). Searched exhaustively, smallest subsets first, while
// the number of subsets to try stays within a budget; beyond it a greedy bound (dropping the
// largest changes in the estimate's direction first), marked not exact.
struct fragility_index {
  std::size_t patients = 0;
  std::vector<std::string> which;  // their IDs
  double p_value = 1;              // the sign-flip p without their changes
  bool exact = true;               // false: an upper bound from the greedy order
};

struct effect_analysis {
  std::string id;     // the endpoint's name, or a sensitivity id
  std::string label;  // for tables, e.g. "repeat pain reduction"; the name when none is declared
  std::string unit;
  std::string difference;  // what a difference is ("pre - post"), as the study states it
  direction dir = direction::lower_is_better;
  std::vector<double> differences;    // per patient, positive = improvement
  std::vector<std::string> patients;  // their IDs, in the same order
  std::vector<std::string> left_out;  // selected patients left out for a missing value
  std::size_t n_nonzero = 0;

  bootstrap::bootstrap_result bootstrap;  // bootstrap of the mean (exact where feasible)
  // Double-bootstrap percentile interval calibrated to the target level (exact for n <= 8).
  bootstrap::calibrated_result calibrated;
  inference::test_result sign_flip, sign, wilcoxon, t;
  inference::interval_estimate hodges_lehmann, t_interval, median;
  // The sign-flip confidence set of the mean: the interval that agrees with sign_flip.
  inference::interval_estimate sign_flip_set;
  double rank_biserial = 0.0, superiority = 0.0;  // paired effect sizes (statistics.hpp)
  // A declared ordinal endpoint: marginal homogeneity of its (pre, post) table.
  std::optional<inference::marginal_homogeneity_result> ordinal;
  double smallest_attainable_p = 1;  // two-sided, for this n_nonzero

  std::vector<leave_one_out_row> leave_one_out;
  std::optional<fragility_index> fragility;  // significant effects only
  bool significant = false;                  // sign-flip p < alpha
  bool interval_excludes_zero = false;       // BCa (percentile when BCa is undefined) lies above 0
  bool fragile = false;                      // some leave-one-out row reverses `significant`
  std::string verdict;
};

struct proportion_result {
  std::string id;
  std::string statement;
  inference::proportion_estimate estimate;
  std::vector<std::string> left_out;  // for a missing value
  std::string verdict;
};

struct joint_analysis {
  std::vector<std::string> endpoints;  // names
  std::vector<std::string> labels;
  std::size_t n = 0;                  // patients complete for every endpoint of the family
  std::vector<std::string> left_out;  // selected patients not complete for all of them
  inference::multiple_endpoint_result result;
  std::string verdict;
};

struct sensitivity_analysis {
  std::string id;
  std::string description;
  effect_analysis as_given;     // with the data file's value
  effect_analysis alternative;  // with the alternative value
  std::string verdict;
};

struct study_report {
  std::string title;                  // the study's, or empty
  std::string source;                 // the data file
  std::size_t n = 0;                  // selected patients
  std::vector<std::string> patients;  // their IDs
  study_report_options options;
  std::optional<claims_file> claims;
  std::vector<descriptive_figure> figures;  // the claims file's figures, recomputed
  std::vector<effect_analysis> effects;     // one per endpoint
  std::vector<proportion_result> proportions;
  std::vector<joint_analysis> joint;
  std::vector<sensitivity_analysis> sensitivities;
};

// Everything above for the loaded study. Claims (optional) are evaluated over study.table's
// selected rows; a sensitivity change names an endpoint and a patient that must exist
// (data_error otherwise). Joint families: study.joint, or every endpoint together when there are
// several and none is declared.
study_report analyse_study(const study_data& study, const std::optional<claims_file>& claims,
                           const study_report_options& options = {});

// One effect, from its differences (exposed for tests).
effect_analysis analyse_effect(const endpoint& e, const study_report_options& options);

}  // namespace resample
