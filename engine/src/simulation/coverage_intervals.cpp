// simulation::select_coverage_intervals: the names of the intervals a coverage run measures,
// shared by `resample coverage --ci` and Python's coverage(ci=) so that both read one vocabulary.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "resample/bootstrap/intervals.hpp"
#include "resample/error.hpp"
#include "resample/simulation/coverage.hpp"
#include "resample/vocabulary.hpp"

namespace resample::simulation {

void select_coverage_intervals(std::string_view comma_list, coverage_options& options) {
  constexpr const char* function = "resample::simulation::select_coverage_intervals";
  constexpr std::array<std::string_view, 11> names{"percentile", "basic",      "normal", "studentized",
                                                   "bca",        "calibrated", "t",      "hl",
                                                   "signflip",   "dz",         "all"};
  auto unknown = [&](std::string_view item) {
    throw_invalid_argument(
        function, "intervals",
        "got '" + std::string(item) +
            "', expected a comma-separated list of percentile, basic, normal, studentized, "
            "bca, calibrated, t, hl, signflip, dz or all" +
            did_you_mean(item, names));
  };
  options.methods.clear();
  options.t_interval = options.hodges_lehmann_interval = options.sign_flip_interval = false;
  options.standardized_mean_change_interval = false;
  auto add = [&](bootstrap::interval_method m) {
    if (std::find(options.methods.begin(), options.methods.end(), m) == options.methods.end())
      options.methods.push_back(m);
  };
  for (const auto item : split_list(comma_list)) {
    if (item == "t") {
      options.t_interval = true;
    } else if (item == "hl") {
      options.hodges_lehmann_interval = true;
    } else if (item == "signflip") {
      options.sign_flip_interval = true;
    } else if (item == "dz") {
      options.standardized_mean_change_interval = true;
    } else if (item == "all") {
      // The bootstrap's own "all" (calibrated included), then the four others.
      for (auto m : bootstrap::parse_interval_methods(item)) add(m);
      options.t_interval = options.hodges_lehmann_interval = options.sign_flip_interval = true;
      options.standardized_mean_change_interval = true;
    } else {
      const auto known = std::find(names.begin(), names.end(), item) != names.end();
      if (!known) unknown(item);
      add(bootstrap::parse_interval_method(item));
    }
  }
}

}  // namespace resample::simulation
