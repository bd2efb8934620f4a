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

constexpr std::array<Command, 6> k_commands = {{
    {"target", add_target_add},
    {"target", add_target_remove},
    {"target", add_target_list},
    {nullptr, add_show},
    {nullptr, add_which},
    {nullptr, add_key},
}};

constexpr const char* k_description =
    "xtc installs cross-compilation toolchains and wires them into your "
    "project.\n\nExamples:\n"
    "  xtc target add x86_64-linux-musl      install a toolchain and write "
    ".cargo/config.toml\n"
    "  xtc target list                       what the manifest offers here\n"
    "  xtc which aarch64-linux-gnu-gcc       what a shim would run\n";

// The names users can type at `xtc <here>`, for "did you mean".
std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  return names;
}

// Turns CLI11's parse errors into xtc's usage errors, with a suggestion
// for a mistyped subcommand.
Error usage_from(const CLI::ParseError& error, const CLI::App& app,
                 const std::vector<std::string>& args) {
  std::string message = error.what();
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(message[0]));
  }
  const CLI::App* scope = &app;
  for (const std::string& arg : args) {
    const CLI::App* sub = nullptr;
    try {
      sub = scope->get_subcommand(arg);
    } catch (const CLI::OptionNotFound&) {
      sub = nullptr;
    }
    if (sub == nullptr) {
      const std::vector<std::string> names = subcommand_names(*scope);
      if (!names.empty() && !arg.starts_with("-")) {
        if (auto guess = nearest(arg, names)) {
          return usage_error(fmt::format("unknown command '{}'", arg),
                             fmt::format("did you mean '{}'?", *guess));
        }
      }
      break;
    }
    scope = sub;
  }
  return usage_error(message, "run 'xtc --help' for usage");
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

  CLI::App* target =
      app.add_subcommand("target", "Add, remove and list targets");
  target->require_subcommand(1);
  for (const Command& command : k_commands) {
    command.add(command.group != nullptr ? *target : app, context);
  }

  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    throw usage_from(error, app, args);
  }
  return 0;
}

} // namespace xtc::cli
