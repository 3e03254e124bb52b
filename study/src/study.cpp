#include "resample/study/study.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "json_reader.hpp"
#include "resample/error.hpp"
#include "resample/parse_number.hpp"
#include "resample/vocabulary.hpp"
#include "text.hpp"

namespace resample {

namespace {

using study_text::trim;

// A patient as messages and outputs name it: the ID cell, or the line of the file.
std::string patient_name(const csv_table& table, const csv_row& row, std::optional<std::size_t> id_index) {
  if (id_index) return std::string(trim(row.fields[*id_index].text));
  (void)table;
  return "line " + std::to_string(row.line);
}

bool is_missing(std::string_view cell, const std::vector<std::string>& tokens) {
  return is_missing_cell(cell, tokens);
}

[[noreturn]] void fail_at(const csv_table& table, const csv_row& row, std::size_t column,
                          const std::string& what) {
  throw data_error(cell_location(table, row, column) + ": " + what);
}

}  // namespace

bool is_missing_cell(std::string_view cell, const std::vector<std::string>& tokens) {
  const auto text = trim(cell);
  if (text.empty()) return true;
  return std::find(tokens.begin(), tokens.end(), text) != tokens.end();
}

std::string_view to_string(missing_policy p) {
  return p == missing_policy::error ? "error" : "complete-case";
}

missing_policy parse_missing_policy(std::string_view text) {
  constexpr std::array<std::string_view, 2> names{"complete-case", "error"};
  if (text == names[0]) return missing_policy::complete_case;
  if (text == names[1]) return missing_policy::error;
  throw_invalid_argument(
      "resample::parse_missing_policy", "missing",
      "missing = '" + std::string(text) + "', expected complete-case or error" + did_you_mean(text, names));
}

value_range parse_value_range(std::string_view text) {
  const auto colon = text.find(':');
  const auto lo = colon == std::string_view::npos ? std::nullopt : parse_finite_number(text.substr(0, colon));
  const auto hi =
      colon == std::string_view::npos ? std::nullopt : parse_finite_number(text.substr(colon + 1));
  if (!lo || !hi || *lo > *hi)
    throw_invalid_argument("resample::parse_value_range", "range",
                           "expected MIN:MAX with MIN <= MAX, got '" + std::string(text) + "'");
  return {*lo, *hi};
}

std::vector<std::string> default_missing_tokens() { return {"NA", "N/A", ".", "NaN"}; }

row_condition parse_row_condition(std::string_view text) {
  const auto not_equal = text.find("!=");
  const auto equal = text.find('=');
  row_condition c;
  std::size_t split = 0, skip = 1;
  if (not_equal != std::string_view::npos && not_equal < equal) {
    c.equal = false, split = not_equal, skip = 2;
  } else if (equal != std::string_view::npos) {
    split = equal;
  } else {
    split = std::string_view::npos;
  }
  if (split == std::string_view::npos || split == 0)
    throw_invalid_argument("resample::parse_row_condition", "where",
                           "expected COLUMN=VALUE or COLUMN!=VALUE, got '" + std::string(text) + "'");
  c.column = std::string(trim(text.substr(0, split)));
  c.value = std::string(trim(text.substr(split + skip)));
  return c;
}

std::string endpoint_name(const endpoint_spec& e) {
  if (!e.name.empty()) return e.name;
  if (!e.difference.empty()) return e.difference;
  return e.dir == direction::higher_is_better ? e.post + " - " + e.pre : e.pre + " - " + e.post;
}

std::string to_string(const row_condition& c) { return c.column + (c.equal ? "=" : "!=") + c.value; }

study_data load_study(const study_description& d) {
  if (d.endpoints.empty())
    throw_invalid_argument("resample::load_study", "endpoints",
                           "no endpoint: give pre/post or a difference column");
  csv_table table = read_csv_file(d.data, d.dialect);
  study_data out;
  out.source = d.data;
  out.rows = table.rows.size();
  out.where = d.where;

  std::optional<std::size_t> id_index;
  if (!d.id_column.empty()) id_index = table.column_index(d.id_column);
  std::vector<std::pair<std::size_t, row_condition>> conditions;
  for (const auto& c : d.where) conditions.emplace_back(table.column_index(c.column), c);

  // The selected rows, with their patients' names (unique: one row per patient).
  std::vector<const csv_row*> selected;
  std::map<std::string, std::size_t> seen;
  for (const auto& row : table.rows) {
    bool keep = true;
    for (const auto& [index, c] : conditions)
      keep = keep && ((trim(row.fields[index].text) == c.value) == c.equal);
    if (!keep) continue;
    const std::string name = patient_name(table, row, id_index);
    if (id_index) {
      if (name.empty()) fail_at(table, row, *id_index, "column '" + d.id_column + "': empty patient ID");
      const auto [at, inserted] = seen.emplace(name, row.line);
      if (!inserted)
        fail_at(table, row, *id_index,
                "column '" + d.id_column + "': patient ID '" + name + "' again (first on line " +
                    std::to_string(at->second) + "); expected one row per patient");
    }
    selected.push_back(&row);
    out.selected.push_back(static_cast<std::size_t>(&row - table.rows.data()));
    out.ids.push_back(name);
  }
  if (selected.empty()) {
    std::string which;
    for (const auto& c : d.where) which += (which.empty() ? "" : ", ") + to_string(c);
    throw data_error(table.source + ": no data row " +
                     (d.where.empty() ? std::string("in the file") : "meets " + which));
  }

  for (const auto& spec : d.endpoints) {
    endpoint e;
    e.dir = spec.dir;
    e.ordinal = spec.ordinal;
    e.label = spec.label;
    e.unit = spec.unit;
    const bool paired = spec.difference.empty();
    std::size_t first = 0, second = 0;
    if (paired) {
      first = table.column_index(spec.pre);
      second = table.column_index(spec.post);
    } else {
      first = second = table.column_index(spec.difference);
    }
    endpoint_spec unnamed = spec;
    unnamed.name.clear();
    e.difference = endpoint_name(unnamed);
    e.name = endpoint_name(spec);
    for (std::size_t r = 0; r < selected.size(); ++r) {
      const csv_row& row = *selected[r];
      bool missing = false;
      for (const std::size_t column : {first, second}) {
        if (!is_missing(row.fields[column].text, d.missing_tokens)) continue;
        if (d.missing == missing_policy::error)
          fail_at(table, row, column,
                  "column '" + table.columns[column] + "': missing value '" +
                      std::string(trim(row.fields[column].text)) + "'" +
                      (id_index ? " for patient " + out.ids[r] : std::string()) +
                      "; expected a number (the missing-value policy complete-case would leave the patient "
                      "out)");
        missing = true;
      }
      if (missing) {
        e.left_out.push_back(out.ids[r]);
        continue;
      }
      double value = numeric_cell(table, row, first, spec.range);
      if (paired) {
        e.pre.push_back(value);
        e.post.push_back(numeric_cell(table, row, second, spec.range));
        const std::string a = numeric_text(table, row.fields[first].text);
        const std::string b = numeric_text(table, row.fields[second].text);
        const auto change = spec.dir == direction::higher_is_better ? exact_decimal_difference(b, a)
                                                                    : exact_decimal_difference(a, b);
        if (!change)
          fail_at(table, row, first,
                  "column '" + spec.pre + "' minus column '" + spec.post +
                      "' overflows: the difference is beyond the largest finite number");
        value = *change;
      }
      e.differences.push_back(value);
      e.ids.push_back(out.ids[r]);
      e.rows.push_back(r);
    }
    if (e.differences.size() < 2)
      throw data_error(table.source + ": endpoint '" + e.name + "': " + std::to_string(e.differences.size()) +
                       " patient(s) with both values, expected at least 2 (" +
                       std::to_string(e.left_out.size()) + " left out for a missing value)");
    out.endpoints.push_back(std::move(e));
  }
  out.title = d.title;
  out.claims = d.claims;
  for (const auto& family : d.joint) {
    const bool loaded = std::all_of(family.begin(), family.end(), [&](const std::string& name) {
      return std::any_of(out.endpoints.begin(), out.endpoints.end(),
                         [&](const endpoint& e) { return e.name == name; });
    });
    if (loaded) out.joint.push_back(family);  // --endpoint may have dropped a member
  }
  out.missing_tokens = d.missing_tokens;
  out.table = std::move(table);
  return out;
}

std::vector<endpoint> complete_for_all(const std::vector<endpoint>& endpoints,
                                       const std::vector<std::string>& ids) {
  std::set<std::size_t> common;
  for (std::size_t r = 0; r < ids.size(); ++r) common.insert(r);
  for (const auto& e : endpoints) {
    if (e.rows.empty() && !e.differences.empty()) return endpoints;  // --values: no rows to match
    const std::set<std::size_t> mine(e.rows.begin(), e.rows.end());
    std::set<std::size_t> both;
    std::set_intersection(common.begin(), common.end(), mine.begin(), mine.end(),
                          std::inserter(both, both.begin()));
    common = std::move(both);
  }
  std::vector<endpoint> out;
  for (const auto& e : endpoints) {
    endpoint joint = e;
    joint.differences.clear(), joint.ids.clear(), joint.rows.clear(), joint.left_out.clear();
    joint.pre.clear(), joint.post.clear();
    std::size_t k = 0;
    for (std::size_t r = 0; r < ids.size(); ++r) {
      while (k < e.rows.size() && e.rows[k] < r) ++k;
      const bool mine = k < e.rows.size() && e.rows[k] == r;
      if (common.count(r) != 0 && mine) {
        joint.differences.push_back(e.differences[k]);
        if (!e.pre.empty()) joint.pre.push_back(e.pre[k]), joint.post.push_back(e.post[k]);
        joint.ids.push_back(ids[r]);
        joint.rows.push_back(r);
      } else {
        joint.left_out.push_back(ids[r]);
      }
    }
    out.push_back(std::move(joint));
  }
  return out;
}

// ---- the JSON study file ----

namespace {

char delimiter_of(const std::string& text) {
  if (text == "tab" || text == "\t") return '\t';
  if (text == "," || text == ";") return text[0];
  throw_invalid_argument("resample::read_study_file", "delimiter",
                         "delimiter = '" + text + "', expected ',', ';' or tab");
}

}  // namespace

char parse_delimiter(const std::string& text);

study_description parse_study_json(std::string_view text, const std::string& source,
                                   const std::string& folder) {
  const nlohmann::json j = study_json::parse_json_object(text, source, "a study object");
  const study_json::json_reader r{source};
  constexpr std::array<std::string_view, 11> top{"data",  "delimiter", "decimal", "id",    "missing", "na",
                                                 "where", "endpoints", "title",   "joint", "claims"};
  r.only(j, "", top);
  study_description d;
  if (!j.contains("data")) r.fail("data", "missing: the CSV file of the study");
  const std::string data = r.text(j["data"], "data");
  d.data = folder.empty() || std::filesystem::path(data).is_absolute()
               ? data
               : (std::filesystem::path(folder) / data).lexically_normal().string();
  if (j.contains("delimiter"))
    d.dialect.delimiter =
        r.parse("delimiter", [&] { return delimiter_of(r.text(j["delimiter"], "delimiter")); });
  if (j.contains("decimal")) {
    const std::string mark = r.text(j["decimal"], "decimal");
    if (mark != "." && mark != ",") r.fail("decimal", "expected \".\" or \",\", got '" + mark + "'");
    d.dialect.decimal = mark[0];
  }
  if (j.contains("id")) d.id_column = r.text(j["id"], "id");
  if (j.contains("missing"))
    d.missing = r.parse("missing", [&] { return parse_missing_policy(r.text(j["missing"], "missing")); });
  if (j.contains("na")) {
    if (!j["na"].is_array()) r.fail("na", "expected an array of strings, got " + j["na"].dump());
    d.missing_tokens.clear();
    for (const auto& t : j["na"]) d.missing_tokens.push_back(r.text(t, "na"));
  }
  if (j.contains("where")) {
    if (!j["where"].is_array()) r.fail("where", "expected an array of \"COLUMN=VALUE\" strings");
    for (const auto& c : j["where"])
      d.where.push_back(r.parse("where", [&] { return parse_row_condition(r.text(c, "where")); }));
  }
  if (!j.contains("endpoints") || !j["endpoints"].is_array() || j["endpoints"].empty())
    r.fail("endpoints", "expected a non-empty array of endpoints");
  constexpr std::array<std::string_view, 9> endpoint_keys{
      "name", "label", "unit", "pre", "post", "difference", "range", "direction", "ordinal"};
  for (std::size_t i = 0; i < j["endpoints"].size(); ++i) {
    const auto& e = j["endpoints"][i];
    const std::string where = "endpoints[" + std::to_string(i) + "]";
    r.only(e, where, endpoint_keys);
    endpoint_spec s;
    auto optional_text = [&](const char* key) {
      return e.contains(key) ? r.text(e[key], where + "." + key) : std::string();
    };
    s.name = optional_text("name");
    s.label = optional_text("label");
    s.unit = optional_text("unit");
    s.pre = optional_text("pre");
    s.post = optional_text("post");
    s.difference = optional_text("difference");
    const bool paired = !s.pre.empty() || !s.post.empty();
    if (paired == !s.difference.empty() || (paired && (s.pre.empty() || s.post.empty())))
      r.fail(where, "expected \"pre\" and \"post\" columns, or a \"difference\" column");
    if (e.contains("range")) {
      const auto& range = e["range"];
      if (range.is_array() && range.size() == 2 && range[0].is_number() && range[1].is_number() &&
          range[0].get<double>() <= range[1].get<double>())
        s.range = value_range{range[0].get<double>(), range[1].get<double>()};
      else
        s.range =
            r.parse(where + ".range", [&] { return parse_value_range(r.text(range, where + ".range")); });
    }
    if (e.contains("direction"))
      s.dir = r.parse(where + ".direction",
                      [&] { return parse_direction(r.text(e["direction"], where + ".direction")); });
    if (e.contains("ordinal")) {
      if (!e["ordinal"].is_boolean())
        r.fail(where + ".ordinal", "expected true or false, got " + e["ordinal"].dump());
      s.ordinal = e["ordinal"].get<bool>();
      if (s.ordinal && !paired)
        r.fail(where + ".ordinal", "an ordinal endpoint needs \"pre\" and \"post\" columns");
    }
    d.endpoints.push_back(std::move(s));
  }
  if (j.contains("title")) d.title = r.text(j["title"], "title");
  if (j.contains("claims")) {
    const std::string claims = r.text(j["claims"], "claims");
    d.claims = folder.empty() || std::filesystem::path(claims).is_absolute()
                   ? claims
                   : (std::filesystem::path(folder) / claims).lexically_normal().string();
  }
  if (j.contains("joint")) {
    std::vector<std::string> names;
    for (const auto& e : d.endpoints) names.push_back(endpoint_name(e));
    const auto& joint = j["joint"];
    if (!joint.is_array()) r.fail("joint", "expected an array of arrays of endpoint names");
    for (std::size_t f = 0; f < joint.size(); ++f) {
      const std::string where = "joint[" + std::to_string(f) + "]";
      if (!joint[f].is_array() || joint[f].size() < 2)
        r.fail(where, "expected an array of at least two endpoint names, got " + joint[f].dump());
      std::vector<std::string> family;
      for (const auto& member : joint[f]) {
        const std::string name = r.text(member, where);
        if (std::find(names.begin(), names.end(), name) == names.end())
          r.fail(where, "no endpoint named '" + name + "'");
        if (std::find(family.begin(), family.end(), name) != family.end())
          r.fail(where, "endpoint '" + name + "' twice");
        family.push_back(name);
      }
      d.joint.push_back(std::move(family));
    }
  }
  return d;
}

study_description read_study_file(const std::string& path) {
  const std::string text = read_regular_file(path, "a JSON study file");
  return parse_study_json(text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace resample
