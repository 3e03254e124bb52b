#include "cli_tree.hpp"

#include <sstream>

namespace resample::cli {

namespace {

std::vector<option_summary> options_of(const CLI::App& app) {
  std::vector<option_summary> out;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() && option->get_lnames().empty() && option->get_snames().empty()) continue;
    option_summary summary;
    for (const auto& name : option->get_snames()) summary.names.push_back("-" + name);
    for (const auto& name : option->get_lnames()) summary.names.push_back("--" + name);
    summary.takes_value = option->get_items_expected_max() > 0;
    if (!summary.names.empty()) out.push_back(std::move(summary));
  }
  return out;
}

std::string joined_names(const std::vector<option_summary>& options, bool valued) {
  std::string out;
  for (const auto& option : options) {
    if (option.takes_value != valued) continue;
    for (const auto& name : option.names) out += (out.empty() ? "" : " ") + name;
  }
  return out;
}

}  // namespace

std::vector<subcommand_summary> subcommands_of(const CLI::App& app) {
  std::vector<subcommand_summary> out;
  const auto visible = [](const CLI::App* sub) { return !sub->get_group().empty(); };
  for (const CLI::App* sub : app.get_subcommands(visible))
    out.push_back({sub->get_name(), sub->get_description(), options_of(*sub)});
  return out;
}

std::string bash_completion(const CLI::App& app) {
  const auto commands = subcommands_of(app);
  const auto top = options_of(app);
  std::ostringstream s;
  s << "# bash completion for resample, generated from its command-line definitions.\n"
       "_resample() {\n"
       "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" command=\"\" i\n"
       "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD - 1]}\"\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    case \"${COMP_WORDS[i]}\" in\n"
       "      -*) ;;\n"
       "      *) command=\"${COMP_WORDS[i]}\"; break ;;\n"
       "    esac\n"
       "  done\n"
       "  local flags=\"\" valued=\"\"\n"
       "  case \"$command\" in\n"
       "    \"\")\n"
       "      if [[ \"$cur\" == -* ]]; then\n"
       "        COMPREPLY=($(compgen -W \""
    << joined_names(top, false) << (joined_names(top, true).empty() ? "" : " ") << joined_names(top, true)
    << "\" -- \"$cur\"))\n"
       "      else\n"
       "        COMPREPLY=($(compgen -W \"";
  for (std::size_t i = 0; i < commands.size(); ++i) s << (i == 0 ? "" : " ") << commands[i].name;
  s << "\" -- \"$cur\"))\n"
       "      fi\n"
       "      return 0 ;;\n";
  for (const auto& command : commands)
    s << "    " << command.name << ")\n"
      << "      flags=\"" << joined_names(command.options, false) << "\"\n"
      << "      valued=\"" << joined_names(command.options, true) << "\" ;;\n";
  s << "    *) return 0 ;;\n"
       "  esac\n"
       "  if [[ \" $valued \" == *\" $prev \"* && \"$cur\" != -* ]]; then\n"
       "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "    return 0\n"
       "  fi\n"
       "  COMPREPLY=($(compgen -W \"$flags $valued\" -- \"$cur\"))\n"
       "}\n"
       "complete -o default -F _resample resample\n";
  return s.str();
}

}  // namespace resample::cli
