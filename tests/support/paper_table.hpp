#pragma once
// The paper's Table 1 (Gaughen et al. 2002, data/gaughen2002_table1.csv) as the changes the
// engine tests start from: before minus after the repeat treatment, for pain (0-10) and mobility
// impairment (0-4), so that a positive change is an improvement on both. One copy for every test.

#include <vector>

namespace resample::test::paper {

inline const std::vector<double> pain{2, 9, 8, 10, 6, 4};
inline const std::vector<double> mobility{1, 1, 1, 0, 0, 3};

}  // namespace resample::test::paper
