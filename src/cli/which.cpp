// `xtc which TOOL`: the real program and flags a shim would run.
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "platform/fd.hpp"
#include "shim/resolution.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

std::vector<std::string> dropped(const shim::Resolution& resolution,
                                 const std::string& tool) {
  const auto it = resolution.drop.find(tool);
  return it == resolution.drop.end() ? std::vector<std::string>{} : it->second;
}

} // namespace

void add_which(CLI::App& parent, Context& context) {
  struct Args {
    std::string tool;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      parent.add_subcommand("which", "Print what a shim runs\n\nExample:\n  "
                                     "xtc which aarch64-linux-gnu-gcc\n");
  cmd->add_option("tool", args->tool, "A shim name, e.g. x86_64-linux-musl-gcc")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &context] {
    const std::optional<shim::Invocation> invocation =
        shim::parse_invocation(args->tool);
    if (!invocation) {
      throw usage_error(fmt::format("'{}' is not a shim name", args->tool),
                        "shims are named <target>-<tool>, e.g. "
                        "x86_64-linux-musl-gcc");
    }
    const std::filesystem::path file =
        context.layout().shim_resolution(invocation->triple);
    const std::optional<std::string> text =
        platform::read_file_if_exists(file, "shim resolution");
    const std::optional<shim::Resolution> resolution =
        text ? shim::parse_resolution(*text) : std::nullopt;
    if (!resolution) {
      throw Error(
          fmt::format("target '{}' is not installed", invocation->triple),
          fmt::format("run 'xtc target add {}'", invocation->triple));
    }
    const auto tool = resolution->tools.find(invocation->tool);
    if (tool == resolution->tools.end()) {
      throw Error(fmt::format("the '{}' toolchain has no '{}'",
                              invocation->triple, invocation->tool));
    }
    if (args->json) {
      std::cout << nlohmann::json{{"tool", args->tool},
                                  {"program", tool->second.front()},
                                  {"args", std::vector<std::string>(
                                               tool->second.begin() + 1,
                                               tool->second.end())},
                                  {"env", resolution->env},
                                  {"drop", dropped(*resolution, tool->first)}}
                       .dump(2)
                << '\n';
      return;
    }
    // As one shell line: the environment the shim sets, then the command.
    std::vector<std::string> quoted;
    for (const std::string& assignment : resolution->env) {
      const std::size_t eq = assignment.find('=');
      quoted.push_back(assignment.substr(0, eq + 1) +
                       shell_quote(assignment.substr(eq + 1)));
    }
    for (const std::string& arg : tool->second) {
      quoted.push_back(shell_quote(arg));
    }
    std::cout << join(quoted, " ") << '\n';
  });
}

} // namespace xtc::cli
