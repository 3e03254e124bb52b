#pragma once
// The noncentral t cdf, in its own translation unit: Boost.Math's series divides by zero in floating
// point for some small degrees of freedom (df = 2 and 3 among them), an IEEE operation whose
// infinity the series then discards (Boost.Math issues #845 and #891 describe the same flags; the
// returned values are correct). The sanitizer build treats floating division by zero as a finding
// everywhere else, so this one file is compiled without that check (engine/CMakeLists.txt) and the
// values are checked against R's pt(ncp =) in tests/engine/inference/effect_sizes_test.cpp.
// Nothing else may include Boost's non_central_t.hpp: its templates, instantiated in another
// translation unit with the check, could be the copy the linker keeps.

namespace resample::inference::detail {

// P(T <= t) for T noncentral t with df degrees of freedom and noncentrality lambda.
double noncentral_t_cdf(double df, double lambda, double t);

}  // namespace resample::inference::detail
