#include "cli_common.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "option_errors.hpp"
#include "resample/error.hpp"
#include "resample/study/csv.hpp"
#include "resample/vocabulary.hpp"

namespace resample::cli {

void add_input_options(CLI::App& command, input_options& options) {
  command.add_option("--data", options.data, "CSV file with a header row (one row per patient)")
      ->group("Input");
  command
      .add_option("--pre", options.pre,
                  "column measured before treatment (repeat with --post for several endpoints)")
      ->group("Input");
  command
      .add_option("--post", options.post,
                  "column measured after treatment; the analysed difference is pre - post")
      ->group("Input");
  command.add_option("--column", options.column, "column already holding the differences")->group("Input");
  command.add_option("--values", options.values, "comma-separated differences, e.g. 2,9,8,10,6,4")
      ->group("Input");
  command
      .add_option("--range", options.range,
                  "declared scale of the columns read, MIN:MAX (e.g. 0:10); values outside are errors")
      ->group("Input");
  command
      .add_option("--study", options.study,
                  "JSON study file: data file, delimiter, ID column, endpoints with direction and scale, "
                  "missing values, row conditions (docs/study.md)")
      ->group("Study");
  command.add_option("--delimiter", options.delimiter, "field delimiter: , ; or tab (default: detected)")
      ->group("Study");
  command
      .add_option("--decimal", options.decimal,
                  "decimal mark: . (default) or , (with --delimiter ';' or tab, as European exports)")
      ->group("Study");
  command.add_option("--id", options.id, "column identifying each patient (named in outputs and messages)")
      ->group("Study");
  command
      .add_option("--direction", options.direction,
                  "lower-is-better (default: pre - post is the improvement) or higher-is-better (post - "
                  "pre); once for all endpoints or once per endpoint")
      ->group("Study");
  command
      .add_option("--na", options.na,
                  "cells that mean a missing value, a comma list (default NA,N/A,.,NaN; an empty cell "
                  "always is)")
      ->group("Study");
  command
      .add_option("--missing", options.missing,
                  "complete-case (default: each analysis uses the patients complete for it and lists those "
                  "left out) or error")
      ->group("Study");
  command.add_option("--where", options.where, "analyse the rows with COL=VALUE (or COL!=VALUE); repeatable")
      ->group("Study");
  command
      .add_option("--endpoint", options.endpoint,
                  "analyse only this endpoint of the study (by name; repeatable, in the order given)")
      ->group("Study");
}

namespace {

// Digits, optionally "D.DDDeN" or "DeN" (1e6, 2.5e6) when the value is a whole number: exact
// integer arithmetic, nullopt past 2^64 - 1. No signs, spaces or hexadecimal.
std::optional<std::uint64_t> whole_number(const std::string& text) {
  const auto exponent_at = text.find_first_of("eE");
  const std::string mantissa = text.substr(0, exponent_at);
  const auto point = mantissa.find('.');
  std::string digits = mantissa.substr(0, point);
  std::string fraction = point == std::string::npos ? std::string() : mantissa.substr(point + 1);
  const auto all_digits = [](const std::string& t) {
    return t.find_first_not_of("0123456789") == std::string::npos;
  };
  if (digits.empty() || !all_digits(digits) || !all_digits(fraction)) return std::nullopt;
  if (point != std::string::npos && (fraction.empty() || exponent_at == std::string::npos))
    return std::nullopt;
  std::uint64_t exponent = 0;
  if (exponent_at != std::string::npos) {
    const std::string e = text.substr(exponent_at + 1);
    if (e.empty() || e.size() > 3 || !all_digits(e)) return std::nullopt;
    exponent = std::stoull(e);
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (fraction.size() > exponent) return std::nullopt;  // 2.55e1 is not whole
  digits += fraction;
  exponent -= fraction.size();
  std::uint64_t value = 0;
  const auto [stop, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || stop != digits.data() + digits.size()) return std::nullopt;
  for (std::uint64_t i = 0; i < exponent && value != 0; ++i) {
    if (value > std::numeric_limits<std::uint64_t>::max() / 10) return std::nullopt;
    value *= 10;
  }
  return value;
}

}  // namespace

std::uint64_t parse_whole_number(const std::string& text, const std::string& option, std::uint64_t min,
                                 std::uint64_t max, const std::string& expected, bool scientific) {
  const bool digits_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  const auto value = digits_only || scientific ? whole_number(text) : std::nullopt;
  if (!value || *value < min || *value > max)
    throw usage_error(option + ": got '" + text + "', expected " + expected);
  return *value;
}

std::uint64_t parse_count(const std::string& text, const std::string& option) {
  return parse_whole_number(
      text, option, 1, max_count,
      "a whole number from 1 to 2^63 = " + std::to_string(max_count) + " (e.g. 20000 or 2e4)", true);
}

std::uint64_t parse_seed(const std::string& text) {
  return parse_whole_number(text, "--seed", 0, std::numeric_limits<std::uint64_t>::max(),
                            "a whole number from 0 to 2^64 - 1 = 18446744073709551615");
}

CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& target, const std::string& description) {
  return command
      .add_option_function<std::string>(
          "--seed", [&target](const std::string& text) { target = parse_seed(text); }, description)
      ->type_name("UINT")
      ->default_str(std::to_string(target));
}

CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& target,
                             const std::string& description) {
  return command
      .add_option_function<std::string>(
          "--seed", [&target](const std::string& text) { target = parse_seed(text); }, description)
      ->type_name("UINT");
}

CLI::Option* add_studentized_se_option(CLI::App& command, std::string& target) {
  return command
      .add_option("--studentized-se", target,
                  "se* inside each resample of the studentized interval for statistics without an analytic "
                  "SE (mean, prop_ge and superiority always use theirs): order_statistic (median and hl: "
                  "read off the resample's order statistics, about 3 times a percentile-only run), "
                  "jackknife (leave-one-out jackknife of the resample, about K + 1 times for K distinct "
                  "values), nested (a bootstrap of 200 inside every resample, about 200 times) or auto "
                  "(order_statistic for median and hl, nested otherwise)")
      ->capture_default_str()
      ->type_name("auto|order_statistic|jackknife|nested");
}

bootstrap::studentized_se_method parse_studentized_se(const std::string& text) {
  return parse_option("--studentized-se", [&] { return bootstrap::parse_studentized_se_method(text); });
}

CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& text) {
        return parse_finite_number(text) ? std::string() : "got '" + text + "', expected a finite number";
      },
      "FINITE");
}

CLI::Validator at_most_the_cores() {
  return CLI::Validator(
      [](std::string& text) {
        const auto cores = static_cast<unsigned long long>(std::max(1, tbb::info::default_concurrency()));
        unsigned long long value = 0;
        const auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc{} && stop == text.data() + text.size() && value > cores)
          text = std::to_string(cores);
        return std::string();
      },
      "");
}

CLI::Option* add_count_option(CLI::App& command, const std::string& name, std::uint64_t& target,
                              const std::string& description) {
  return command
      .add_option_function<std::string>(
          name, [&target, name](const std::string& text) { target = parse_count(text, name); }, description)
      ->type_name("UINT")
      ->default_str(std::to_string(target));
}

void add_output_options(CLI::App& command, output_options& options, bool html) {
  const std::vector<std::string> formats =
      html ? std::vector<std::string>{"text", "markdown", "html", "json", "csv", "tsv"}
           : std::vector<std::string>{"text", "markdown", "json", "csv", "tsv"};
  auto* format =
      command
          .add_option(
              "--format", options.format,
              html ? "text (aligned table), markdown, html (one self-contained file with the figures), "
                     "json, csv or tsv"
                   : "text (aligned table), markdown, json, csv or tsv")
          ->check(CLI::IsMember(formats))
          ->capture_default_str()
          ->group("Output");
  command.add_flag("--json", options.json, "print one JSON object instead of a table (--format json)")
      ->excludes(format)
      ->group("Output");
  command
      .add_option("--out", options.out, "write the result to FILE (whole or not at all) instead of stdout")
      ->group("Output");
}

double default_max_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 4.0 * 1024 * 1024 * 1024;  // unknown: assume 8 GiB of RAM
  return 0.5 * static_cast<double>(pages) * static_cast<double>(page_size);
}

std::string output_format(const output_options& options) { return options.json ? "json" : options.format; }

double parse_memory(const std::string& text) {
  if (text.empty()) return default_max_memory_bytes();
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string suffix = text.substr(used);
  double scale = 1.0;
  if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.pop_back();
  if (suffix.size() == 2 && suffix[1] == 'i') suffix.pop_back();
  if (suffix == "K" || suffix == "k")
    scale = 1024.0;
  else if (suffix == "M" || suffix == "m")
    scale = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g")
    scale = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "t")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty())
    used = 0;
  if (used == 0 || !std::isfinite(value) || !(value > 0.0))
    throw usage_error("--max-memory: got '" + text + "', expected a positive size in bytes, e.g. 512M or 2G");
  return value * scale;
}

double parse_seconds(const std::string& text) {
  if (text.empty()) return 0.0;
  const auto value = parse_finite_number(text);
  if (!value || !(*value > 0.0))
    throw usage_error("--max-seconds: got '" + text +
                      "', expected a positive number of seconds, e.g. 30 or 0.5");
  return *value;
}

void add_max_seconds_option(CLI::App& command, std::string& target) {
  command.add_option("--max-seconds", target,
                     "refuse, before starting, a run predicted to take longer than S seconds here (timed on "
                     "a pilot of at most min(0.2 s, 5% of S)); the message says what would fit");
}

std::string about_seconds(double seconds) {
  if (!std::isfinite(seconds)) return "unbounded time";
  return seconds >= 10.0 ? fmt::format("about {:.0f} s", seconds) : fmt::format("about {:.2g} s", seconds);
}

std::string about_duration(double seconds) {
  if (!std::isfinite(seconds)) return "unbounded time";
  if (seconds < 120.0) return about_seconds(seconds);
  if (seconds < 7200.0) return fmt::format("about {:.0f} min", seconds / 60.0);
  if (seconds < 172800.0) return fmt::format("about {:.2g} h", seconds / 3600.0);
  const double days = seconds / 86400.0;
  return days < 10.0 ? fmt::format("about {:.2g} days", days) : fmt::format("about {:.0f} days", days);
}

void check_max_seconds(double limit, const planning::time_estimate& estimate, const std::string& count_option,
                       std::uint64_t count, const std::function<planning::time_estimate()>& monte_carlo) {
  if (!(limit > 0.0) || estimate.seconds <= limit) return;
  const std::string head = fmt::format("--max-seconds {}: ", limit);
  // A pilot cut at its budget only bounds the time from below.
  const std::string needs = estimate.at_least ? "needs at least " : "needs ";
  const std::string share = estimate.costly_part.empty() ? std::string()
                                                         : ", of which " + estimate.costly_part + " needs " +
                                                               about_seconds(estimate.costly_part_seconds);
  if (estimate.exact) {
    std::string fits = "no Monte Carlo alternative applies";
    if (monte_carlo) {
      const auto n = planning::fitting_count(monte_carlo(), limit);
      fits = n > 0 ? fmt::format("--method mc --resamples {} would fit", n)
                   : std::string("not even a small Monte Carlo run would fit");
    }
    throw usage_error(head + estimate.what + " " + needs + about_seconds(estimate.seconds) + " here" + share +
                      "; " + fits);
  }
  const auto n = planning::fitting_count(estimate, limit);
  throw usage_error(head +
                    fmt::format("{} with {} {} {}{} here{}; ", estimate.what, count_option, count, needs,
                                about_seconds(estimate.seconds), share) +
                    (n > 0 ? fmt::format("{} {} would fit", count_option, n)
                     : estimate.fixed_seconds > limit
                         ? std::string("its fixed cost alone is over the limit")
                         : fmt::format("even {} 1 needs {}", count_option,
                                       about_seconds(estimate.fixed_seconds + estimate.seconds_per_unit))));
}

planning::time_estimate check_run_time(double limit, bool predict, const time_estimator& estimate,
                                       const std::string& count_option, std::uint64_t count,
                                       const time_estimator& monte_carlo) {
  if (!(limit > 0.0) && !predict) return {};
  planning::pilot_budget budget(planning::pilot_seconds(limit));
  if (!(limit > 0.0)) {
    try {
      return estimate(budget);
    } catch (const std::exception&) {
      return {};  // the run itself reports bad input, in its own words
    }
  }
  const planning::time_estimate predicted = estimate(budget);
  std::function<planning::time_estimate()> alternative;
  if (monte_carlo) alternative = [&] { return monte_carlo(budget); };
  check_max_seconds(limit, predicted, count_option, count, alternative);
  return predicted;
}

bool announce_long_run(const planning::time_estimate& predicted, std::size_t threads) {
  if (!(predicted.seconds > announce_above_seconds)) return false;
  const std::size_t used =
      threads > 0 ? threads : static_cast<std::size_t>(std::max(1, tbb::info::default_concurrency()));
  std::fputs(fmt::format("resample: {}{} on {} thread{}; --max-seconds refuses, Ctrl-C stops cleanly\n",
                         predicted.at_least ? "at least " : "", about_duration(predicted.seconds), used,
                         used == 1 ? "" : "s")
                 .c_str(),
             stderr);
  std::fflush(stderr);
  return true;
}

namespace {

endpoint parse_values(const std::string& text) {
  endpoint e{"values", {}};
  std::size_t index = 1;
  for (const auto item : split_list(text)) {
    const auto value = parse_finite_number(item);
    if (!value)
      throw usage_error("--values: item " + std::to_string(index) + " is '" + std::string(item) +
                        "', expected a finite number");
    e.differences.push_back(*value);
    ++index;
  }
  return e;
}

}  // namespace

namespace {

// The study options given on the command line, over the study file's (or the defaults).
void apply_study_options(const input_options& o, study_description& d) {
  if (!o.delimiter.empty()) {
    if (o.delimiter == "tab" || o.delimiter == "\t")
      d.dialect.delimiter = '\t';
    else if (o.delimiter == "," || o.delimiter == ";")
      d.dialect.delimiter = o.delimiter[0];
    else
      throw usage_error("--delimiter: got '" + o.delimiter + "', expected , ; or tab");
  }
  if (!o.decimal.empty()) {
    if (o.decimal != "." && o.decimal != ",")
      throw usage_error("--decimal: got '" + o.decimal + "', expected . or ,");
    d.dialect.decimal = o.decimal[0];
  }
  if (d.dialect.decimal == ',' && d.dialect.delimiter == ',')
    throw usage_error("--decimal: a decimal comma needs --delimiter ';' or tab");
  if (!o.id.empty()) d.id_column = o.id;
  if (!o.na.empty()) {
    d.missing_tokens.clear();
    for (const auto token : split_list(o.na)) d.missing_tokens.emplace_back(token);
  }
  if (!o.missing.empty())
    d.missing = parse_option("--missing", [&] { return parse_missing_policy(o.missing); });
  for (const auto& w : o.where)
    d.where.push_back(parse_option("--where", [&] { return parse_row_condition(w); }));
  if (!o.direction.empty()) {
    if (o.direction.size() != 1 && o.direction.size() != d.endpoints.size())
      throw usage_error("--direction: got " + std::to_string(o.direction.size()) + " for " +
                        std::to_string(d.endpoints.size()) +
                        " endpoints, expected one for all or one per endpoint");
    for (std::size_t i = 0; i < d.endpoints.size(); ++i)
      d.endpoints[i].dir = parse_option(
          "--direction", [&] { return parse_direction(o.direction[o.direction.size() == 1 ? 0 : i]); });
  }
}

bool any_study_option(const input_options& o) {
  return !o.study.empty() || !o.delimiter.empty() || !o.decimal.empty() || !o.id.empty() ||
         !o.direction.empty() || !o.na.empty() || !o.missing.empty() || !o.where.empty() ||
         !o.endpoint.empty();
}

}  // namespace

study_description describe_input(const input_options& options) {
  std::optional<value_range> range;
  if (!options.range.empty())
    range = parse_option("--range", [&] { return parse_value_range(options.range); });
  if (!options.values.empty()) throw usage_error("--values: a list of values has no study description");
  study_description d;
  if (!options.study.empty()) {
    if (!options.data.empty() || !options.pre.empty() || !options.post.empty() || !options.column.empty())
      throw usage_error(
          "--study: the study file names the data and endpoints; drop --data, --pre, --post and "
          "--column");
    d = read_study_file(options.study);
    if (range)
      for (auto& e : d.endpoints) e.range = range;
  } else {
    if (options.data.empty())
      throw usage_error(
          "no input: give --data FILE with --pre/--post or --column, --study FILE, or --values");
    if (options.pre.size() != options.post.size())
      throw usage_error("--pre/--post: expected them in pairs, got " + std::to_string(options.pre.size()) +
                        " --pre and " + std::to_string(options.post.size()) + " --post");
    if (options.pre.empty() && options.column.empty())
      throw usage_error("--data: also give --pre COL --post COL, or --column COL");
    d.data = options.data;
    for (std::size_t i = 0; i < options.pre.size(); ++i) {
      endpoint_spec e;
      e.pre = options.pre[i], e.post = options.post[i], e.range = range;
      d.endpoints.push_back(e);
    }
    for (const auto& c : options.column) {
      endpoint_spec e;
      e.difference = c, e.range = range;
      d.endpoints.push_back(e);
    }
  }
  apply_study_options(options, d);
  if (!options.endpoint.empty()) {
    std::vector<endpoint_spec> chosen;
    std::vector<std::string> names;
    for (const auto& e : d.endpoints) names.push_back(endpoint_name(e));
    for (const auto& wanted : options.endpoint) {
      const auto at = std::find(names.begin(), names.end(), wanted);
      if (at == names.end()) {
        const std::vector<std::string_view> views(names.begin(), names.end());
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        throw usage_error("--endpoint: no endpoint named '" + wanted + "'; the study has " + known +
                          did_you_mean(wanted, views));
      }
      chosen.push_back(d.endpoints[static_cast<std::size_t>(at - names.begin())]);
    }
    d.endpoints = std::move(chosen);
  }
  return d;
}

study_data load_input(const input_options& options) {
  if (!options.values.empty()) {
    if (!options.range.empty()) parse_option("--range", [&] { return parse_value_range(options.range); });
    if (!options.data.empty() || !options.pre.empty() || !options.post.empty() || !options.column.empty() ||
        any_study_option(options))
      throw usage_error(
          "--values: cannot be combined with --data, --pre, --post, --column or the study options (--study, "
          "--id, --where, ...)");
    study_data out;
    out.source = "values";
    out.endpoints.push_back(parse_values(options.values));
    out.rows = out.endpoints.front().differences.size();
    return out;
  }
  return load_study(describe_input(options));
}

std::vector<endpoint> load_endpoints(const input_options& options) { return load_input(options).endpoints; }

std::string wrap_text(const std::string& text, std::size_t width, const std::string& first,
                      const std::string& rest) {
  std::string out = first, word;
  std::size_t column = first.size(), visible = 0;
  bool line_empty = true;
  const auto flush_word = [&] {
    if (word.empty()) return;
    if (!line_empty && column + 1 + visible > width) {
      out += "\n" + rest;
      column = rest.size();
      line_empty = true;
    }
    if (!line_empty) out += ' ', ++column;
    out += word;
    column += visible;
    line_empty = false;
    word.clear();
    visible = 0;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      flush_word();
    } else if (c == '\x1b') {  // an ANSI sequence ESC [ ... m: copied, zero width
      const auto end = text.find('m', i);
      const auto stop = end == std::string::npos ? text.size() : end + 1;
      word.append(text, i, stop - i);
      i = stop - 1;
    } else {
      word += c;
      ++visible;
    }
  }
  flush_word();
  return out;
}

std::size_t text_width(const output_options& output) {
  constexpr std::size_t file_width = 100;
  if (!output.out.empty() || !::isatty(STDOUT_FILENO)) return file_width;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return file_width;
  return std::max<std::size_t>(60, size.ws_col);
}

void write_side_file(const output_options& options, const std::string& path, const std::string& text,
                     const std::string& option) {
  if (options.side)
    options.side->stage(path, text, option);
  else
    write_file_atomically(path, text, option);
}

void create_side_directory(const output_options& options, const std::string& directory,
                           const std::string& option) {
  side_files at_once;  // a batch job keeps the directory it made: its files are written at once
  (options.side ? *options.side : at_once).create_directory(directory, option);
  if (!options.side) at_once.commit();
}

void emit(const output_options& options, const std::string& text) {
  if (options.out.empty()) {
    std::cout << text;
    std::cout.flush();
    // A full disk behind a redirection must not pass for success.
    if (!std::cout)
      throw usage_error("stdout: writing the result failed (disk full?); the output is incomplete");
  } else {
    write_file_atomically(options.out, text, "--out");
  }
  if (options.side) options.side->commit();
}

}  // namespace resample::cli
