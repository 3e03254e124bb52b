// Calls the installed engine the way a library user would, and checks two results known in closed
// form for the differences 2, 9, 8, 10, 6, 4:
//   - the exact bootstrap of the mean: estimate 6.5, standard error sqrt(sigma^2 / n) with the
//     population variance sigma^2 = 47.5 / 6, i.e. 1.148671...;
//   - the exact two-sided sign-flip test of the mean: all six changes are positive, so only the
//     observed pattern and its mirror reach |sum| >= 39: p = 2 / 2^6 = 0.03125.
// Prints one line and exits 0 when both match, 1 otherwise.

#include <cmath>
#include <cstdio>
#include <vector>

#include "resample/bootstrap/bootstrap.hpp"
#include "resample/inference/sign_flip.hpp"
#include "resample/statistics.hpp"
#include "resample/version.hpp"

int main() {
  const std::vector<double> differences{2, 9, 8, 10, 6, 4};
  const resample::statistic mean = resample::parse_statistic("mean");

  resample::bootstrap::bootstrap_options options;
  options.stat = mean;
  options.requested = resample::bootstrap::method::exact;
  options.intervals = {resample::bootstrap::interval_method::percentile};
  const auto boot = resample::bootstrap::bootstrap(differences, options);

  const auto test =
      resample::inference::sign_flip_test(differences, mean, resample::inference::alternative::two_sided);

  std::printf("resample %s: mean %.6g, exact bootstrap se %.6f, sign-flip p %.6g\n", resample::engine_version,
              boot.estimate, boot.se, test.p_value);
  const double expected_se = std::sqrt(47.5 / 6.0 / 6.0);
  const bool ok = boot.estimate == 6.5 && std::abs(boot.se - expected_se) < 1e-12 && test.p_value == 0.03125;
  if (!ok) std::printf("expected mean 6.5, se %.6f, p 0.03125\n", expected_se);
  return ok ? 0 : 1;
}
