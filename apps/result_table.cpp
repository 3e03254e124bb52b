#include "result_table.hpp"

#include "commands.hpp"

namespace resample::cli {

std::string cell(const nlohmann::json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::vector<std::string> cells(const nlohmann::json& object, const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(object.contains(k) ? cell(object.at(k)) : std::string());
  return out;
}

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\r\n";
}

std::string markdown_row(const std::vector<std::string>& fields) {
  std::string out = "|";
  for (const auto& f : fields) {
    std::string text;
    for (char c : f) {
      if (c == '|') text += '\\';
      text += c == '\n' || c == '\r' ? ' ' : c;
    }
    out += " " + text + " |";
  }
  return out + "\n";
}

}  // namespace

std::string write_csv(const result_table& table) {
  std::string out = csv_row(table.header);
  for (const auto& r : table.rows) out += csv_row(r);
  return out;
}

std::string write_tsv(const result_table& table) {
  const auto row = [](const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += '\t';
      for (char c : fields[i]) out += c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
    }
    return out + "\n";
  };
  std::string out = row(table.header);
  for (const auto& r : table.rows) out += row(r);
  return out;
}

std::string write_markdown(const result_table& table) {
  std::string out = markdown_row(table.header);
  out += "|";
  for (std::size_t i = 0; i < table.header.size(); ++i) out += " --- |";
  out += "\n";
  for (const auto& r : table.rows) out += markdown_row(r);
  return out;
}

std::string render_result(const output_options& output, const nlohmann::json& result,
                          std::string (*render_text)(const nlohmann::json&),
                          result_table (*table)(const nlohmann::json&)) {
  const auto format = output_format(output);
  if (format == "json") return result.dump(2) + "\n";
  if (format == "csv") return write_csv(table(result));
  if (format == "tsv") return write_tsv(table(result));
  const std::string input = result.contains("input") ? render_input_text(result.at("input")) : std::string();
  if (format == "markdown") return write_markdown(table(result)) + (input.empty() ? "" : "\n" + input);
  return render_text(result) + (input.empty() ? "" : "\n" + input);
}

std::string render_input_text(const nlohmann::json& input) {
  const auto& analysed = input.at("analysed");
  const auto& where = input.at("where");
  bool noteworthy = !where.empty();
  for (const auto& e : analysed)
    noteworthy = noteworthy || !e.at("left_out").empty() || e.at("direction") != "lower-is-better" ||
                 (e.at("difference").is_string() && e.at("difference") != e.at("endpoint"));
  if (!noteworthy) return {};  // the data as read, every patient analysed: nothing to add
  std::string out = "Input\n  " + input.at("source").get<std::string>();
  if (!where.empty()) {
    out += ", rows with ";
    for (std::size_t i = 0; i < where.size(); ++i)
      out += (i == 0 ? "" : " and ") + where[i].get<std::string>();
  }
  out += "\n";
  for (const auto& e : analysed) {
    out += "  " + e.at("endpoint").get<std::string>() + ": ";
    if (e.at("difference").is_string() && e.at("difference") != e.at("endpoint"))
      out += e.at("difference").get<std::string>() + ", ";
    out += e.at("direction") == "lower-is-better" ? "lower is better" : "higher is better";
    out += ", " + std::to_string(e.at("n").get<std::size_t>()) + " patients";
    const auto& left = e.at("left_out");
    if (!left.empty()) {
      out += "; left out for a missing value:";
      for (std::size_t i = 0; i < left.size(); ++i) out += (i == 0 ? " " : ", ") + left[i].get<std::string>();
    }
    out += "\n";
  }
  return out;
}

}  // namespace resample::cli
