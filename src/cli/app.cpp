#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "platform/process.hpp"
#include "platform/signals.hpp"

#include <array>
#include <iostream>

namespace xtc::cli {
namespace {

struct Command {
  const char* group; // parent command, or nullptr for top level
  void (*add)(CLI::App& parent, Context& context);
};

constexpr auto k_commands = std::to_array<Command>({
    {"target", add_target_add},
    {"target", add_target_remove},
    {"target", add_target_list},
    {nullptr, add_show},
    {nullptr, add_which},
    {nullptr, add_config},
    {nullptr, add_gc},
    {nullptr, add_doctor},
    {nullptr, add_completions},
    {"self", add_self_uninstall},
    {nullptr, add_install},
    {nullptr, add_update},
    {nullptr, add_mirror},
    {nullptr, add_env},
    {nullptr, add_run},
    {nullptr, add_key},
    {nullptr, add_check},
});

struct Group {
  const char* name;
  const char* description;
};

constexpr std::array<Group, 2> k_groups = {{
    {"target", "Add, remove and list targets\n\nExamples:\n"
               "  xtc target add aarch64-linux-gnu\n"
               "  xtc target list --installed\n"
               "  xtc target remove aarch64-linux-gnu\n"},
    {"self", "Manage xtc itself\n\nExample:\n  xtc self uninstall\n"},
}};

constexpr const char* k_description =
    "xtc installs cross-compilation toolchains and wires them into your "
    "project.\n\nExamples:\n"
    "  xtc target add x86_64-linux-musl      install a toolchain and write "
    ".cargo/config.toml\n"
    "  xtc target list                       what the manifest offers here\n"
    "  xtc update                            fetch the newest signed "
    "manifest\n"
    "  xtc mirror oci://registry.corp/xtc --key team.key   copy the "
    "toolchains into a team mirror\n"
    "  xtc which aarch64-linux-gnu-gcc       what a shim would run\n"
    "  xtc doctor                            check PATH, shims and installs\n"
    "  xtc <command> --help                  a command's options and "
    "examples\n";

// The names users can type at `xtc <here>`, for "did you mean".
std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The option names valid in `scope`: its own and, since subcommands fall
// through to their parents, those of every parent.
std::vector<std::string> option_names(const CLI::App& scope) {
  std::vector<std::string> names;
  for (const CLI::App* app = &scope; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* option : app->get_options({})) {
      for (const std::string& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
      for (const std::string& name : option->get_snames()) {
        names.push_back("-" + name);
      }
    }
  }
  return names;
}

std::string command_path(const CLI::App& scope) {
  std::string path = scope.get_name();
  for (const CLI::App* app = scope.get_parent(); app != nullptr;
       app = app->get_parent()) {
    path = app->get_name() + " " + path;
  }
  return path;
}

// The first word of args that is an option unknown in `scope`, without any
// "=value" part.
std::optional<std::string>
unknown_option(const CLI::App& scope, const std::vector<std::string>& args) {
  const std::vector<std::string> known = option_names(scope);
  for (const std::string& arg : args) {
    if (arg == "--") {
      break;
    }
    if (!arg.starts_with("-") || arg == "-") {
      continue;
    }
    std::string name = arg.substr(0, arg.find('='));
    if (!name.starts_with("--") && name.size() > 2) {
      name = name.substr(0, 2); // -yq: the first short flag decides
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return name;
    }
  }
  return std::nullopt;
}

struct Walk {
  const CLI::App* scope;                // the deepest command named
  std::optional<Error> unknown_command; // a word that names no command
};

// Follows the words of args down the command tree, as CLI11 will. A word
// where a command is expected (its scope has subcommands and takes no
// positional arguments) that names none is an unknown command, with "did
// you mean" when one is close.
Walk walk_commands(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* scope = &app;
  bool value_next = false;
  for (const std::string& arg : args) {
    if (value_next || arg.starts_with("-")) {
      // An option (whatever its scope) and, for `--opt value`, its value.
      const CLI::Option* option = nullptr;
      for (const CLI::App* owner = scope;
           owner != nullptr && !value_next && option == nullptr;
           owner = owner->get_parent()) {
        option = owner->get_option_no_throw(arg);
      }
      value_next = option != nullptr && !option->get_positional() &&
                   option->get_expected_max() > 0;
      continue;
    }
    const CLI::App* sub = nullptr;
    try {
      sub = scope->get_subcommand(arg);
    } catch (const CLI::OptionNotFound&) {
      sub = nullptr;
    }
    if (sub == nullptr) {
      const std::vector<std::string> names = subcommand_names(*scope);
      if (names.empty() || !scope
                                ->get_options([](const CLI::Option* option) {
                                  return option->get_positional();
                                })
                                .empty()) {
        break; // a positional argument
      }
      const std::optional<std::string> guess = nearest(arg, names);
      return {scope, usage_error(
                         fmt::format("unknown command '{}'", arg),
                         guess ? fmt::format("did you mean '{}'?", *guess)
                               : fmt::format("run '{} --help' for the commands",
                                             command_path(*scope)))};
    }
    scope = sub;
  }
  return {scope, std::nullopt};
}

// Turns CLI11's parse errors into xtc's usage errors, with a suggestion
// for a mistyped subcommand or option.
Error usage_from(const CLI::ParseError& error, const CLI::App& app,
                 const std::vector<std::string>& args) {
  std::string message = error.what();
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(message[0]));
  }
  Walk walk = walk_commands(app, args);
  if (walk.unknown_command) {
    return std::move(*walk.unknown_command);
  }
  const CLI::App* scope = walk.scope;
  const std::string path = command_path(*scope);
  if (auto option = unknown_option(*scope, args)) {
    // One-letter options are all one edit apart: suggest long names only.
    std::vector<std::string> names = option_names(*scope);
    std::erase_if(
        names, [](const std::string& name) { return !name.starts_with("--"); });
    const std::optional<std::string> guess =
        option->starts_with("--") ? nearest(*option, names) : std::nullopt;
    return usage_error(
        fmt::format("unknown option '{}' for '{}'", *option, path),
        guess ? fmt::format("did you mean '{}'?", *guess)
              : fmt::format("run '{} --help' for its options", path));
  }
  return usage_error(message, fmt::format("run '{} --help' for usage", path));
}

// Lets `xtc target list --quiet` mean what `xtc --quiet target list` means
// (except in a prefix command, `xtc run`, whose remaining arguments, options
// included, belong to the program it runs), and moves each command's examples
// (its description after the first blank line) into the footer of its own
// --help, so a parent's listing shows one line per command.
void finish_commands(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->fallthrough(!sub->get_prefix_command());
    const std::string description = sub->get_description();
    const std::size_t blank = description.find("\n\n");
    if (blank != std::string::npos) {
      sub->description(description.substr(0, blank));
      sub->footer(std::string(trim(description.substr(blank + 2))));
    }
    finish_commands(*sub);
  }
}

} // namespace

int run(int argc, char** argv) {
  platform::install_interrupt_handlers();
  Context context{Env::from_process(),
                  platform::current_executable(argv[0]),
                  {},
                  false,
                  false,
                  false};

  CLI::App app(k_description, "xtc");
  app.set_version_flag("-V,--version", std::string("xtc ") + XTC_VERSION);
  app.require_subcommand(1);
  app.add_option("--manifest", context.manifest_arg,
                 "Artifact manifest to use (path or URL)");
  app.add_flag("--allow-unsigned", context.allow_unsigned,
               "Use a local manifest file without checking its signature "
               "(warns every time)");
  app.add_flag("-q,--quiet", context.quiet, "Print only errors");
  app.add_flag("-v,--verbose", context.verbose, "Print more detail");
  app.parse_complete_callback([&context] {
    diag::configure(context.quiet     ? diag::Verbosity::quiet
                    : context.verbose ? diag::Verbosity::verbose
                                      : diag::Verbosity::normal,
                    context.env);
  });

  for (const Group& group : k_groups) {
    app.add_subcommand(group.name, group.description)->require_subcommand(1);
  }
  for (const Command& command : k_commands) {
    command.add(command.group != nullptr ? *app.get_subcommand(command.group)
                                         : app,
                context);
  }
  finish_commands(app);

  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    // CLI11 answers --help before it looks at the words around it: `xtc
    // mirrorr --help` must still be an unknown command, not the main help.
    if (auto unknown = walk_commands(app, args).unknown_command) {
      throw std::move(*unknown);
    }
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    if (auto unknown = walk_commands(app, args).unknown_command) {
      throw std::move(*unknown);
    }
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    throw usage_from(error, app, args);
  }
  return 0;
}

} // namespace xtc::cli
