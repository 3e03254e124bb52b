#pragma once
// Text formatting of numbers in the data's unit: the number of decimals follows the data's own
// scale, so that data in tenths, in mol/L or near 1e12 print as many significant digits as the
// paper's pain scores (docs/equality.md: the unit never changes a result, nor how it reads).

#include <string>

namespace resample::cli {

// Decimals that show about four significant digits of `resolution` (a spread such as a
// bootstrap se): 4 from 0.1 to 10, 13 at 1e-10, 0 from 1e4 up. 4 when resolution is 0 or not
// finite.
int decimals_for(double resolution);

// Fixed notation with `decimals` places; a rounding-level negative zero prints as zero.
std::string format_fixed(double value, int decimals);

}  // namespace resample::cli
