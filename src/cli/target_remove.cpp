// `xtc target remove TRIPLE…`: removes each target's shims and record, and
// every installed artifact no remaining target uses.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "install/installer.hpp"
#include "store/store.hpp"

#include <memory>

namespace xtc::cli {

void add_target_remove(CLI::App& parent, Context& context) {
  auto triples = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = parent.add_subcommand(
      "remove", "Remove installed targets\n\nExample:\n"
                "  xtc target remove aarch64-linux-musl\n");
  cmd->add_option("triples", *triples, "Targets to remove")->required();
  cmd->callback([triples, &context] {
    std::vector<triple::Triple> targets;
    for (const std::string& spelling : *triples) {
      targets.push_back(triple::parse(spelling));
    }
    store::Store store(context.layout());
    install::Installer installer(store, context.env, context.fetch_options(),
                                 {});
    bool missing = false;
    for (const triple::Triple& target : targets) {
      if (installer.remove(target)) {
        diag::status("removed", "1;32", target.display());
      } else {
        diag::warning(
            fmt::format("target '{}' is not installed", target.display()));
        missing = true;
      }
    }
    if (missing) {
      throw Error("some targets were not installed",
                  "run 'xtc target list --installed' to see what is installed");
    }
  });
}

} // namespace xtc::cli
