// `xtc gc`: removes downloads no installed artifact uses and leftover
// staging directories, and says how much space that freed.
#include "store/gc.hpp"

#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "store/store.hpp"

#include <fmt/format.h>

#include <iostream>

namespace xtc::cli {

void add_gc(CLI::App& parent, Context& context) {
  CLI::App* cmd = parent.add_subcommand(
      "gc", "Remove unused downloads and leftover staging directories");
  cmd->callback([&context] {
    const store::Store store(context.layout());
    const store::Collected collected = store::collect_garbage(store);
    std::cout << fmt::format(
        "freed {} ({} cache {}, {} of staging directories)\n",
        human_bytes(collected.bytes), collected.downloads,
        collected.downloads == 1 ? "entry" : "entries",
        human_bytes(collected.staging_bytes));
  });
}

} // namespace xtc::cli
