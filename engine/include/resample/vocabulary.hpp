#pragma once
// The names of the engine's choices, each defined once with one to_string/parse pair, shared by
// the engine, the planner, the simulations and every front end. Parsers accept the canonical name
// and a few spellings users type; an unknown name throws invalid_argument that lists the names
// and suggests the closest one.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace resample {

// How a result is computed. exact: enumerate or convolve, refuse (infeasible_error) when too
// large; monte_carlo: random resamples or sign patterns; approximate: a normal approximation (the
// Wilcoxon test; refused where none exists); automatic: exact when feasible, otherwise the
// fallback, always stated in the result.
enum class method_choice { automatic, exact, monte_carlo, approximate };
std::string_view to_string(method_choice m);  // "auto", "exact", "mc", "approx"
// Also "monte-carlo", "monte_carlo", "approximate", "normal".
method_choice parse_method(std::string_view text);
// Throws invalid_argument naming `function` when `m` is approximate (for computations that have no
// approximation, e.g. the bootstrap).
void check_not_approximate(const char* function, method_choice m);

// The paired tests.
enum class test_kind { sign_flip, sign, wilcoxon, t };
inline constexpr std::array<test_kind, 4> all_test_kinds{test_kind::sign_flip, test_kind::sign,
                                                         test_kind::wilcoxon, test_kind::t};
std::string_view to_string(test_kind t);  // "signflip", "sign", "wilcoxon", "t"
// Also "sign_flip", "sign-flip", "permutation". `parameter` names the argument in the error.
test_kind parse_test_kind(std::string_view text, const char* parameter = "test");
// A comma list of tests, or "all" (every test, in all_test_kinds order); each test once, in the
// order given. Empty or unknown items throw invalid_argument.
std::vector<test_kind> parse_test_kinds(std::string_view comma_list, const char* parameter = "test");

// The items of a separated list, in order, empty ones included ("a,,b" -> "a", "", "b"; "" -> one
// empty item): every comma list the engine and its front ends read (tests, intervals, --values,
// sample sizes) is split here, and each caller says what an empty or unknown item means.
std::vector<std::string_view> split_list(std::string_view text, char separator = ',');

// The closest of `candidates` to `word` by edit distance (insertions, deletions, substitutions
// and transpositions of neighbours), when it is close enough to be a likely misspelling: at most
// one edit for short words, a third of the length for longer ones. Ties go to the first.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);
// "; did you mean 'mean'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace resample
