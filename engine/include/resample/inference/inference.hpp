#pragma once
// The exact paired tests in one include, for front ends (CLI, paper report):
//   sign_flip_test(differences, statistic, alternative, sign_flip_options) -> test_result
//   sign_test(differences, alternative, mid_p)                             -> test_result
//   wilcoxon_test(differences, alternative, wilcoxon_options)              -> test_result
//   t_test(differences, alternative)                                       -> test_result
//   hodges_lehmann_interval / median_interval / t_interval(differences, level) -> interval_estimate
//   sign_flip_confidence_set(differences, sign_flip_inversion_options)   -> interval_estimate
//   wilcoxon_confidence_set(differences, wilcoxon_inversion_options)     -> interval_estimate
//   standardized_mean_change(differences, level)                          -> interval_estimate (d_z)
//   make_paired_table(pre, post); marginal_homogeneity(table, ordinal_options); mcnemar(table, K, level)
//   proportion_intervals(successes, trials, level)                        -> proportion_estimate
//   max_t_test(endpoints, alternative, sign_flip_options)                  -> multiple_endpoint_result

#include "resample/inference/effect_sizes.hpp"
#include "resample/inference/estimates.hpp"
#include "resample/inference/lattice_null.hpp"
#include "resample/inference/multiple_endpoints.hpp"
#include "resample/inference/ordinal.hpp"
#include "resample/inference/rank_tests.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/inference/sign_flip_inversion.hpp"
#include "resample/inference/test_result.hpp"
#include "resample/inference/wilcoxon_inversion.hpp"
