#include "resample/monte_carlo_blocks.hpp"

#include <string>

#include "resample/error.hpp"

namespace resample {

void merge_partial(block_partial& into, block_partial&& next) {
  constexpr const char* function = "resample::merge_partial";
  const bool empty = into.first_block == into.last_block && into.counts.empty() && into.values.empty() &&
                     into.t_values.empty();
  if (empty) {
    into = std::move(next);
    return;
  }
  if (next.first_block != into.last_block)
    throw_invalid_argument(function, "next.first_block = " + std::to_string(next.first_block) +
                                         ", expected the end of the merged range, " +
                                         std::to_string(into.last_block));
  if (into.counts.size() != next.counts.size())
    throw_invalid_argument(function, "next.counts has " + std::to_string(next.counts.size()) +
                                         " entries, expected " + std::to_string(into.counts.size()));
  for (std::size_t i = 0; i < into.counts.size(); ++i) into.counts[i] += next.counts[i];
  into.values.insert(into.values.end(), next.values.begin(), next.values.end());
  into.t_values.insert(into.t_values.end(), next.t_values.begin(), next.t_values.end());
  into.last_block = next.last_block;
}

}  // namespace resample
