#include "job_file.hpp"

#include <cmath>
#include <cstdint>
#include <set>

#include "../cli_common.hpp"
#include "../commands.hpp"

namespace resample::cli::batch {

option_shapes describe_options(const CLI::App& app) {
  option_shapes shapes;
  for (const CLI::Option* option : app.get_options()) {
    option_kind kind = option_kind::single;
    if (option->get_type_size() == 0)
      kind = option_kind::flag;
    else if (option->get_items_expected_max() > 1)
      kind = option_kind::repeated;
    for (const auto& name : option->get_lnames()) shapes[name] = kind;
  }
  // Help and version are not analysis options; a job naming them is a mistake.
  shapes.erase("help");
  shapes.erase("help-all");
  shapes.erase("version");
  return shapes;
}

std::map<std::string, std::function<option_shapes()>>& batch_option_shapes() {
  static std::map<std::string, std::function<option_shapes()>> shapes;
  return shapes;
}

namespace {

// Keys a job has that are not options of its command.
const std::set<std::string> reserved_keys = {"id", "command"};

std::string where(const std::string& source, std::size_t index, const std::string& id) {
  std::string text = source + ": job " + std::to_string(index);
  if (!id.empty()) text += " (id \"" + id + "\")";
  return text;
}

[[noreturn]] void fail(const std::string& message) { throw usage_error(message); }

// Line and column (both from 1) of a byte offset, for JSON syntax errors. Lines end as in the CSV
// reader: LF, CRLF or a lone CR (JSON itself takes CR as white space, so such a file parses).
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    const bool crlf = text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    if ((text[i] == '\n' || text[i] == '\r') && !crlf) {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// One scalar as command-line text. Integral floating values (1e6 in the file) print as integers
// so that integer options accept them; other numbers print in nlohmann's shortest round-trip form.
std::string scalar_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::trunc(x) == x && std::fabs(x) < 0x1.0p53) return std::to_string(static_cast<long long>(x));
  }
  return value.dump();
}

// Integral floating values become integers (1e6 -> 1000000), recursively, so that the resolved
// options in a result line read the same however the job file spelled the number.
nlohmann::json canonical_numbers(const nlohmann::json& value) {
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::isfinite(x) && std::trunc(x) == x && std::fabs(x) < 0x1.0p53)
      return static_cast<std::int64_t>(x);
    return value;
  }
  if (!value.is_array()) return value;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : value) items.push_back(canonical_numbers(item));
  return items;
}

const char* type_name(const nlohmann::json& value) {
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

// Checks one option value's JSON type and appends its command-line form to `args`.
void append_option(std::vector<std::string>& args, const std::string& key, const nlohmann::json& value,
                   const option_kind* kind, const std::string& context) {
  const std::string at = context + ", key \"" + key + "\": ";
  const bool is_scalar = value.is_string() || value.is_number();
  if (value.is_boolean()) {
    if (kind && *kind != option_kind::flag)
      fail(at + "expected a value, got a boolean (only flags take true/false)");
    if (value.get<bool>()) args.push_back("--" + key);
    return;
  }
  if (kind && *kind == option_kind::flag)
    fail(at + "is a flag, expected true or false, got " + type_name(value));
  if (value.is_number_float() && !std::isfinite(value.get<double>())) fail(at + "expected a finite number");
  if (is_scalar) {
    // --key=value keeps a value that starts with '-' (a negative number) from reading as an option.
    args.push_back("--" + key + "=" + scalar_text(value));
    return;
  }
  if (!value.is_array()) fail(at + "expected a string, number, boolean or array, got " + type_name(value));
  if (value.empty()) fail(at + "expected a non-empty array");
  std::vector<std::string> items;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto& item = value[i];
    if (!(item.is_string() || item.is_number()))
      fail(at + "item " + std::to_string(i) + " is " + type_name(item) + ", expected a string or number");
    if (item.is_number_float() && !std::isfinite(item.get<double>()))
      fail(at + "item " + std::to_string(i) + ": expected a finite number");
    items.push_back(scalar_text(item));
  }
  // Repeated options take one item per occurrence; the rest take comma lists. Without known
  // shapes, the input columns are the repeatable options every analysis command shares.
  const bool repeat =
      kind ? *kind == option_kind::repeated : (key == "pre" || key == "post" || key == "column");
  if (repeat) {
    for (const auto& item : items) args.push_back("--" + key + "=" + item);
    return;
  }
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ",") + item;
  args.push_back("--" + key + "=" + joined);
}

}  // namespace

std::vector<job> parse_job_file(const std::string& text, const std::string& source) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
    // nlohmann's message starts "[json.exception.parse_error.101] parse error at line L, column C:";
    // keep only its description of what was expected.
    std::string what = e.what();
    const auto colon = what.find(": ", what.find("parse error"));
    if (colon != std::string::npos) what = what.substr(colon + 2);
    fail(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": JSON syntax error (byte " +
         std::to_string(e.byte) + "): " + what);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond double's range (1e999) is valid JSON syntax, so nlohmann reports it as
    // out_of_range, without a position; found by tests/fuzz/job_file_fuzz.cpp.
    std::string what = e.what();
    const auto bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    fail(source + ": " + what + ", expected a number within the range of a double");
  }
  if (!root.is_object()) fail(source + ": expected a JSON object with \"jobs\", got " + type_name(root));
  for (const auto& [key, value] : root.items())
    if (key != "defaults" && key != "jobs")
      fail(source + ": unknown top-level key \"" + key + "\", expected \"defaults\" and \"jobs\"");
  if (!root.contains("jobs") || !root["jobs"].is_array())
    fail(source + ": expected \"jobs\" to be an array of job objects");
  if (root["jobs"].empty()) fail(source + ": \"jobs\" is empty; nothing to run");
  nlohmann::json defaults = nlohmann::json::object();
  if (root.contains("defaults")) {
    defaults = root["defaults"];
    if (!defaults.is_object()) fail(source + ": \"defaults\" must be an object, got " + type_name(defaults));
    if (defaults.contains("id")) fail(source + ": \"defaults\" cannot set \"id\"; every job needs its own");
  }

  auto& runners = batch_runners();
  std::map<std::string, option_shapes> shapes_by_command;
  std::set<std::string> ids;
  std::set<std::string> defaults_known;  // default keys some job's command has as an option
  std::vector<job> jobs;
  for (std::size_t index = 0; index < root["jobs"].size(); ++index) {
    const auto& entry = root["jobs"][index];
    if (!entry.is_object()) fail(where(source, index, "") + ": expected an object, got " + type_name(entry));
    job j;
    j.index = index;
    if (!entry.contains("id") || !entry["id"].is_string() || entry["id"].get<std::string>().empty())
      fail(where(source, index, "") + ": expected \"id\" to be a non-empty string");
    j.id = entry["id"].get<std::string>();
    if (j.id.find_first_of("\n\r") != std::string::npos)
      fail(where(source, index, "") + ": \"id\" contains a newline");
    const std::string context = where(source, index, j.id);
    if (!ids.insert(j.id).second)
      fail(context + ": duplicate id; every job needs its own (resume finds jobs by id)");

    nlohmann::json merged = defaults;
    for (const auto& [key, value] : entry.items()) merged[key] = value;
    for (auto& [key, value] : merged.items()) value = canonical_numbers(value);
    if (!merged.contains("command") || !merged["command"].is_string())
      fail(context + ": expected \"command\" to be a string (a subcommand such as \"bootstrap\")");
    j.command = merged["command"].get<std::string>();
    if (!runners.contains(j.command)) {
      std::string known;
      for (const auto& [name, runner] : runners) known += (known.empty() ? "" : ", ") + name;
      fail(context + ": unknown command \"" + j.command +
           "\" (batch runs: " + (known.empty() ? "none" : known) + ")");
    }
    const option_shapes* shapes = nullptr;
    if (auto found = batch_option_shapes().find(j.command); found != batch_option_shapes().end()) {
      auto [it, inserted] = shapes_by_command.try_emplace(j.command);
      if (inserted) it->second = found->second();
      shapes = &it->second;
    }

    merged.erase("id");
    merged.erase("command");
    nlohmann::json resolved = nlohmann::json::object();
    for (const auto& [key, value] : merged.items()) {
      const bool from_defaults = !entry.contains(key);
      const option_kind* kind = nullptr;
      if (shapes) {
        auto found = shapes->find(key);
        if (found == shapes->end()) {
          // Defaults serve jobs of several commands: one applies where the command has the option.
          if (from_defaults) continue;
          fail(context + ": unknown option \"" + key + "\" for command \"" + j.command + "\"");
        }
        kind = &found->second;
      }
      if (defaults.contains(key)) defaults_known.insert(key);
      // Output options would write where the batch writes; the batch owns the output.
      if (key == "out" || key == "json")
        fail(context + ", key \"" + key +
             "\": not allowed in a batch job; results go to the batch --out file");
      append_option(j.args, key, value, kind, context);
      resolved[key] = value;
    }
    merged = std::move(resolved);
    j.options = merged;
    j.seed = merged.contains("seed") ? merged["seed"] : nlohmann::json(nullptr);
    jobs.push_back(std::move(j));
  }
  // A default that no job's command knows is a typo, not an option for some other command.
  for (const auto& [key, value] : defaults.items())
    if (key != "command" && !defaults_known.contains(key))
      fail(source + ": \"defaults\" key \"" + key + "\" is not an option of any job's command");
  return jobs;
}

}  // namespace resample::cli::batch
