// Boost.Math's noncentral t cdf, alone in this file so that only it is exempt from the sanitizer
// build's floating-division check (noncentral_t.hpp says why).

#include "noncentral_t.hpp"

#include <boost/math/distributions/non_central_t.hpp>

namespace resample::inference::detail {

double noncentral_t_cdf(double df, double lambda, double t) {
  return boost::math::cdf(boost::math::non_central_t_distribution<double>(df, lambda), t);
}

}  // namespace resample::inference::detail
