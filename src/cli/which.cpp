// `xtc which TOOL`: the real program and flags a shim would run here,
// chosen exactly as the shim chooses (shim::find_active).
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "shim/active.hpp"
#include "shim/resolution.hpp"
#include "store/target_record.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace xtc::cli {

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
    const shim::Active active = shim::find_active(
        context.layout(), invocation->triple,
        [&](const std::string& name) { return context.env.get(name); },
        context.env.cwd());
    if (!active.resolution) {
      throw shim::not_installed(active, "");
    }
    const auto tool = active.resolution->tools.find(invocation->tool);
    if (tool == active.resolution->tools.end()) {
      throw Error(fmt::format("the '{}' toolchain has no '{}'",
                              invocation->triple, invocation->tool));
    }
    if (args->json) {
      std::optional<std::string> variant;
      std::optional<store::TargetRecord> record =
          active.chosen->variant
              ? store::read_variant_record(context.layout(), invocation->triple,
                                           active.chosen->variant->name())
              : store::read_target_record(context.layout(), invocation->triple);
      if (active.chosen->variant) {
        variant = active.chosen->variant->name();
      } else if (record) {
        variant = record->variant; // the default install's
      }
      const nlohmann::json libc_version =
          record && !record->libc_version.empty()
              ? nlohmann::json(record->libc_version)
              : nlohmann::json(nullptr);
      std::cout
          << nlohmann::json{{"tool", args->tool},
                            {"target", invocation->triple},
                            {"program", tool->second.front()},
                            {"args",
                             std::vector<std::string>(tool->second.begin() + 1,
                                                      tool->second.end())},
                            {"env", active.resolution->env},
                            {"drop", shim::tool_entry(active.resolution->drop,
                                                      tool->first)},
                            {"baseline",
                             shim::tool_entry(active.resolution->baseline,
                                              tool->first)},
                            {"linker_dirs",
                             shim::tool_entry(active.resolution->linker_dirs,
                                              tool->first)},
                            {"link_only",
                             shim::tool_entry(active.resolution->link_only,
                                              tool->first)},
                            {"set", shim::tool_entry(active.resolution->set,
                                                     tool->first)},
                            {"variant", variant ? nlohmann::json(*variant)
                                                : nlohmann::json(nullptr)},
                            {"libc_version", libc_version},
                            {"producer", record && !record->producer.empty()
                                             ? nlohmann::json(record->producer)
                                             : nlohmann::json(nullptr)},
                            {"source", shim::source_name(active.source)},
                            {"origin", active.origin}}
                 .dump(2)
          << '\n';
      return;
    }
    // As one shell line: the environment the shim sets, then the command.
    // A program without a '/' is the host's, found on PATH when called.
    std::vector<std::string> quoted;
    std::vector<std::string> assignments = active.resolution->env;
    const std::vector<std::string>& set =
        shim::tool_entry(active.resolution->set, tool->first);
    assignments.insert(assignments.end(), set.begin(), set.end());
    for (const std::string& assignment : assignments) {
      const std::size_t eq = assignment.find('=');
      quoted.push_back(assignment.substr(0, eq + 1) +
                       shell_quote(assignment.substr(eq + 1)));
    }
    for (const std::string& arg : tool->second) {
      quoted.push_back(shell_quote(arg));
    }
    // What a call that chooses no CPU and links gets.
    for (const std::string& arg :
         shim::linking_flags(active.resolution->baseline,
                             active.resolution->link_only, tool->first)) {
      quoted.push_back(shell_quote(arg));
    }
    std::cout << join(quoted, " ") << '\n';
  });
}

} // namespace xtc::cli
