#include "resample/vocabulary.hpp"

#include <algorithm>
#include <vector>

#include "resample/error.hpp"

namespace resample {

method_choice parse_method(std::string_view text) {
  if (text == "auto") return method_choice::automatic;
  if (text == "exact") return method_choice::exact;
  if (text == "mc" || text == "monte-carlo" || text == "monte_carlo") return method_choice::monte_carlo;
  if (text == "approx" || text == "approximate" || text == "normal") return method_choice::approximate;
  constexpr std::array<std::string_view, 4> names{"exact", "mc", "approx", "auto"};
  throw_invalid_argument(
      "resample::parse_method", "method",
      "method = '" + std::string(text) + "', expected exact, mc, approx or auto" + did_you_mean(text, names));
}

std::string_view to_string(method_choice m) {
  switch (m) {
    case method_choice::automatic:
      return "auto";
    case method_choice::exact:
      return "exact";
    case method_choice::monte_carlo:
      return "mc";
    case method_choice::approximate:
      return "approx";
  }
  return "auto";
}

void check_not_approximate(const char* function, method_choice m) {
  if (m == method_choice::approximate)
    throw_invalid_argument(function, "method",
                           "method = approx, expected exact, mc or auto (no approximation here)");
}

std::string_view to_string(test_kind t) {
  switch (t) {
    case test_kind::sign_flip:
      return "signflip";
    case test_kind::sign:
      return "sign";
    case test_kind::wilcoxon:
      return "wilcoxon";
    case test_kind::t:
      return "t";
  }
  return "signflip";
}

test_kind parse_test_kind(std::string_view text, const char* parameter) {
  if (text == "sign_flip" || text == "sign-flip" || text == "permutation") return test_kind::sign_flip;
  std::array<std::string_view, all_test_kinds.size()> names{};
  for (std::size_t i = 0; i < all_test_kinds.size(); ++i) {
    names[i] = to_string(all_test_kinds[i]);
    if (text == names[i]) return all_test_kinds[i];
  }
  throw_invalid_argument("resample::parse_test_kind", parameter,
                         std::string(parameter) + " = '" + std::string(text) +
                             "', expected signflip, sign, wilcoxon or t" + did_you_mean(text, names));
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  while (true) {
    const auto at = text.find(separator);
    items.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return items;
    text.remove_prefix(at + 1);
  }
}

std::vector<test_kind> parse_test_kinds(std::string_view comma_list, const char* parameter) {
  std::vector<test_kind> out;
  auto add = [&](test_kind t) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  for (const auto item : split_list(comma_list)) {
    if (item.empty())
      throw_invalid_argument(
          "resample::parse_test_kinds", parameter,
          std::string(parameter) + " = '" + std::string(comma_list) +
              "' has an empty item, expected a comma list of signflip, sign, wilcoxon, t or all");
    if (item == "all") {
      for (auto t : all_test_kinds) add(t);
    } else {
      try {
        add(parse_test_kind(item, parameter));
      } catch (const invalid_argument&) {
        constexpr std::array<std::string_view, 5> names{"signflip", "sign", "wilcoxon", "t", "all"};
        throw_invalid_argument("resample::parse_test_kinds", parameter,
                               std::string(parameter) + " = '" + std::string(item) +
                                   "', expected a comma list of signflip, sign, wilcoxon, t or all" +
                                   did_you_mean(item, names));
      }
    }
  }
  return out;
}

namespace {

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates) {
  // A misspelling changes a few letters; a 200-character cell is no one's misspelt option.
  if (word.empty() || word.size() > 64) return std::nullopt;
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (auto c : candidates) {
    if (c == word) continue;
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) best_distance = d, best = std::string(c);
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const auto match = closest_match(word, candidates);
  return match ? "; did you mean '" + *match + "'?" : std::string();
}

}  // namespace resample
