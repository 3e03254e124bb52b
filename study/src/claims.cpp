#include "resample/study/claims.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "json_reader.hpp"
#include "resample/error.hpp"
#include "resample/parse_number.hpp"
#include "resample/study/study.hpp"

namespace resample {

namespace {

bool is_name_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

std::string_view trim_blanks(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// A term is a column name or a number; names start with a letter or '_' ("x.1" is a name, "1.5"
// a number).
column_expression parse_sum(std::string_view text, const char* function) {
  column_expression e;
  e.text = std::string(trim_blanks(text));
  std::size_t at = 0;
  bool negative = false, expect_term = true;
  auto fail = [&](const std::string& what) {
    throw_invalid_argument(function, "expression",
                           "'" + e.text + "': " + what + ", expected COLUMN or NUMBER joined by + and -");
  };
  while (at < text.size()) {
    const char c = text[at];
    if (c == ' ' || c == '\t') {
      ++at;
    } else if ((c == '+' || c == '-') && !expect_term) {
      negative = c == '-', expect_term = true, ++at;
    } else if (c == '-' && expect_term && e.terms.empty() && !negative) {
      negative = true, ++at;
    } else if (expect_term && is_name_character(c)) {
      std::size_t end = at;
      while (end < text.size() && is_name_character(text[end])) ++end;
      const std::string_view word = text.substr(at, end - at);
      column_expression::term t;
      t.negative = negative;
      if (std::isdigit(static_cast<unsigned char>(word.front())) != 0) {
        const auto number = parse_finite_number(word);
        if (!number) fail("'" + std::string(word) + "' is not a number");
        t.number = *number;
      } else {
        t.column = std::string(word);
      }
      e.terms.push_back(std::move(t));
      negative = false, expect_term = false, at = end;
    } else {
      fail(std::string("unexpected '") + c + "'");
    }
  }
  if (expect_term) fail(e.terms.empty() ? "empty" : "ends with an operator");
  return e;
}

const std::string_view comparison_operators[] = {"<=", ">=", "==", "!=", "<", ">"};

bool compare(double a, const std::string& op, double b) {
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  if (op == ">=") return a >= b;
  if (op == "==") return a == b;
  return a != b;
}

// Reads the cells an entry needs, row by row; a row with a missing cell is left out (named).
class row_reader {
 public:
  row_reader(const csv_table& table, const std::vector<std::string>& missing_tokens)
      : table_(table), missing_tokens_(missing_tokens) {}

  // nullopt: a cell the expression reads is missing.
  std::optional<double> value(const column_expression& e, const csv_row& row) {
    double sum = 0;
    for (const auto& t : e.terms) {
      double x = t.number;
      if (!t.column.empty()) {
        const std::size_t index = column(t.column);
        if (is_missing_cell(row.fields[index].text, missing_tokens_)) return std::nullopt;
        x = numeric_cell(table_, row, index);
      }
      sum += t.negative ? -x : x;
    }
    return sum;
  }
  std::optional<bool> holds(const row_condition_expression& c, const csv_row& row) {
    const auto a = value(c.left, row), b = value(c.right, row);
    if (!a || !b) return std::nullopt;
    return compare(*a, c.op, *b);
  }

 private:
  std::size_t column(const std::string& name) {
    const auto at = indices_.find(name);
    if (at != indices_.end()) return at->second;
    return indices_.emplace(name, table_.column_index(name)).first->second;
  }
  const csv_table& table_;
  const std::vector<std::string>& missing_tokens_;
  std::map<std::string, std::size_t> indices_;
};

double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

}  // namespace

column_expression parse_column_expression(std::string_view text) {
  return parse_sum(text, "resample::parse_column_expression");
}

row_condition_expression parse_condition_expression(std::string_view text) {
  for (const auto op : comparison_operators) {
    const auto at = text.find(op);
    if (at == std::string_view::npos) continue;
    row_condition_expression c;
    c.op = std::string(op);
    c.text = std::string(trim_blanks(text));
    c.left = parse_sum(text.substr(0, at), "resample::parse_condition_expression");
    c.right = parse_sum(text.substr(at + op.size()), "resample::parse_condition_expression");
    return c;
  }
  throw_invalid_argument("resample::parse_condition_expression", "condition",
                         "'" + std::string(text) +
                             "': expected EXPRESSION OP EXPRESSION with OP one of "
                             "< <= > >= == !=");
}

std::string_view to_string(figure_kind k) {
  switch (k) {
    case figure_kind::mean:
      return "mean";
    case figure_kind::range:
      return "range";
    case figure_kind::count:
      return "count";
  }
  return "mean";
}

claims_file parse_claims_json(std::string_view text, const std::string& source) {
  const nlohmann::json j = study_json::parse_json_object(text, source, "a claims object");
  const study_json::json_reader r{source};
  constexpr std::array<std::string_view, 5> top{"figures_heading", "figures", "proportions_heading",
                                                "proportions", "sensitivity"};
  r.only(j, "", top);
  claims_file c;
  c.source = source;
  auto text_or = [&](const nlohmann::json& object, const char* key, const std::string& where,
                     std::string fallback) {
    return object.contains(key) ? r.text(object[key], where.empty() ? key : where + "." + key) : fallback;
  };
  auto required = [&](const nlohmann::json& object, const char* key, const std::string& where) {
    if (!object.contains(key)) r.fail(where + "." + key, "missing");
    return r.text(object[key], where + "." + key);
  };
  auto condition = [&](const nlohmann::json& object, const char* key, const std::string& where) {
    const std::string path = where + "." + key;
    const std::string written = r.text(object[key], path);
    return r.parse(path, [&] { return parse_condition_expression(written); });
  };
  auto array = [&](const char* key) {
    if (!j.contains(key)) return nlohmann::json::array();
    if (!j[key].is_array()) r.fail(key, "expected an array, got " + j[key].dump());
    return j[key];
  };
  c.figures_heading = text_or(j, "figures_heading", "", c.figures_heading);
  c.proportions_heading = text_or(j, "proportions_heading", "", c.proportions_heading);

  const auto figures = array("figures");
  constexpr std::array<std::string_view, 8> figure_keys{"id",    "statement", "mean",   "range",
                                                        "count", "among",     "stated", "decimals"};
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const auto& f = figures[i];
    const std::string where = "figures[" + std::to_string(i) + "]";
    r.only(f, where, figure_keys);
    figure_claim claim;
    claim.id = required(f, "id", where);
    claim.statement = required(f, "statement", where);
    const int kinds =
        (f.contains("mean") ? 1 : 0) + (f.contains("range") ? 1 : 0) + (f.contains("count") ? 1 : 0);
    if (kinds != 1) r.fail(where, "expected exactly one of \"mean\", \"range\" or \"count\"");
    std::size_t stated_size = 1;
    if (f.contains("count")) {
      claim.kind = figure_kind::count, stated_size = 2;
      claim.count = condition(f, "count", where);
    } else {
      const char* key = f.contains("mean") ? "mean" : "range";
      claim.kind = f.contains("mean") ? figure_kind::mean : figure_kind::range;
      stated_size = claim.kind == figure_kind::range ? 2 : 1;
      const std::string written = r.text(f[key], where + "." + key);
      claim.value = r.parse(where + "." + key, [&] { return parse_column_expression(written); });
    }
    if (f.contains("among")) {
      if (claim.kind == figure_kind::range) r.fail(where + ".among", "a range is over all rows");
      claim.among = condition(f, "among", where);
    }
    const auto& stated = f.contains("stated") ? f["stated"] : nlohmann::json();
    if (stated.is_number() && stated_size == 1) {
      claim.stated = {stated.get<double>()};
    } else if (stated.is_array() && stated.size() == stated_size &&
               std::all_of(stated.begin(), stated.end(), [](const auto& x) { return x.is_number(); })) {
      for (const auto& x : stated) claim.stated.push_back(x.get<double>());
    } else {
      r.fail(where + ".stated", stated_size == 1 ? "expected the stated number"
                                                 : "expected two stated numbers ([min, max] or [k, of])");
    }
    if (f.contains("decimals")) {
      if (!f["decimals"].is_number_integer() || f["decimals"].get<int>() < 0 || f["decimals"].get<int>() > 12)
        r.fail(where + ".decimals", "expected an integer from 0 to 12, got " + f["decimals"].dump());
      claim.decimals = f["decimals"].get<int>();
    }
    c.figures.push_back(std::move(claim));
  }

  const auto proportions = array("proportions");
  constexpr std::array<std::string_view, 4> proportion_keys{"id", "statement", "count", "among"};
  for (std::size_t i = 0; i < proportions.size(); ++i) {
    const auto& p = proportions[i];
    const std::string where = "proportions[" + std::to_string(i) + "]";
    r.only(p, where, proportion_keys);
    proportion_claim_spec claim;
    claim.id = required(p, "id", where);
    claim.statement = required(p, "statement", where);
    if (!p.contains("count")) r.fail(where + ".count", "missing: the condition a patient meets");
    claim.count = condition(p, "count", where);
    if (p.contains("among")) claim.among = condition(p, "among", where);
    c.proportions.push_back(std::move(claim));
  }

  if (j.contains("sensitivity")) {
    const auto& s = j["sensitivity"];
    constexpr std::array<std::string_view, 4> sensitivity_keys{"heading", "as_given", "alternative",
                                                               "changes"};
    r.only(s, "sensitivity", sensitivity_keys);
    c.sensitivity_heading = text_or(s, "heading", "sensitivity", c.sensitivity_heading);
    c.as_given = text_or(s, "as_given", "sensitivity", c.as_given);
    c.alternative = text_or(s, "alternative", "sensitivity", c.alternative);
    const auto changes = s.contains("changes") ? s["changes"] : nlohmann::json::array();
    if (!changes.is_array()) r.fail("sensitivity.changes", "expected an array");
    constexpr std::array<std::string_view, 6> change_keys{"id",      "description", "endpoint",
                                                          "patient", "pre",         "post"};
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const auto& x = changes[i];
      const std::string where = "sensitivity.changes[" + std::to_string(i) + "]";
      r.only(x, where, change_keys);
      sensitivity_spec spec;
      spec.id = required(x, "id", where);
      spec.description = required(x, "description", where);
      spec.endpoint = required(x, "endpoint", where);
      if (!x.contains("patient")) r.fail(where + ".patient", "missing: the patient's ID");
      spec.patient = x["patient"].is_number_integer() ? std::to_string(x["patient"].get<long long>())
                                                      : r.text(x["patient"], where + ".patient");
      if (x.contains("pre") == x.contains("post"))
        r.fail(where, "expected one of \"pre\" or \"post\": the value replaced");
      spec.post = x.contains("post");
      const auto& value = x[spec.post ? "post" : "pre"];
      if (!value.is_number() || !std::isfinite(value.get<double>()))
        r.fail(where + (spec.post ? ".post" : ".pre"), "expected a finite number, got " + value.dump());
      spec.value = value.get<double>();
      c.sensitivity.push_back(std::move(spec));
    }
  }
  return c;
}

claims_file read_claims_file(const std::string& path) {
  return parse_claims_json(read_regular_file(path, "a JSON claims file"), path);
}

namespace {

// The rows meeting `count` among the rows meeting `among` (all rows without it): a count figure
// and a proportion are the same tally. A row where either condition reads a missing value is left
// out, by ID.
struct condition_tally {
  std::size_t meeting = 0;
  std::size_t among = 0;
  std::size_t rows = 0;  // rows read, in or out of `among`
  std::vector<std::string> left_out;
};

condition_tally tally_condition(const row_condition_expression& count,
                                const std::optional<row_condition_expression>& among, const csv_table& table,
                                const std::vector<std::size_t>& rows, const std::vector<std::string>& ids,
                                const std::vector<std::string>& missing_tokens) {
  condition_tally out;
  row_reader read(table, missing_tokens);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const csv_row& row = table.rows.at(rows[r]);
    const std::optional<bool> in = among ? read.holds(*among, row) : std::optional<bool>(true);
    const auto meets = read.holds(count, row);
    if (!in || !meets) {
      out.left_out.push_back(ids.at(r));
      continue;
    }
    ++out.rows;
    if (!*in) continue;
    ++out.among;
    out.meeting += *meets ? 1 : 0;
  }
  return out;
}

}  // namespace

descriptive_figure evaluate_figure(const figure_claim& claim, const csv_table& table,
                                   const std::vector<std::size_t>& rows, const std::vector<std::string>& ids,
                                   const std::vector<std::string>& missing_tokens) {
  descriptive_figure f{claim.id, claim.statement, claim.kind, claim.stated, {}, claim.decimals, false, 0, {}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (claim.kind == figure_kind::count) {
    auto tally = tally_condition(*claim.count, claim.among, table, rows, ids, missing_tokens);
    f.rows = tally.rows;
    f.left_out = std::move(tally.left_out);
    f.computed = {static_cast<double>(tally.meeting), static_cast<double>(tally.among)};
  } else {
    row_reader read(table, missing_tokens);
    double sum = 0, low = std::numeric_limits<double>::infinity(), high = -low;
    std::size_t among = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const csv_row& row = table.rows.at(rows[r]);
      const std::optional<bool> in = claim.among ? read.holds(*claim.among, row) : std::optional<bool>(true);
      const auto x = read.value(claim.value, row);
      if (!in || !x) {
        f.left_out.push_back(ids.at(r));
        continue;
      }
      ++f.rows;
      if (!*in) continue;
      ++among;
      sum += *x;
      low = std::min(low, *x), high = std::max(high, *x);
    }
    if (claim.kind == figure_kind::mean)
      f.computed = {among ? sum / static_cast<double>(among) : nan};
    else
      f.computed = {among ? low : nan, among ? high : nan};
  }
  f.matches = f.stated.size() == f.computed.size();
  for (std::size_t i = 0; f.matches && i < f.stated.size(); ++i)
    f.matches = std::isfinite(f.computed[i]) &&
                round_to(f.computed[i], f.decimals) == round_to(f.stated[i], f.decimals);
  return f;
}

proportion_count evaluate_proportion(const proportion_claim_spec& claim, const csv_table& table,
                                     const std::vector<std::size_t>& rows,
                                     const std::vector<std::string>& ids,
                                     const std::vector<std::string>& missing_tokens) {
  auto tally = tally_condition(claim.count, claim.among, table, rows, ids, missing_tokens);
  proportion_count out;
  out.successes = tally.meeting;
  out.trials = tally.among;
  out.left_out = std::move(tally.left_out);
  return out;
}

}  // namespace resample
