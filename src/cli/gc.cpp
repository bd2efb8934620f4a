// `xtc gc`: removes downloads no installed artifact uses and leftover
// staging directories, and says how much space that freed.
#include "store/gc.hpp"

#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "store/store.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

namespace xtc::cli {

void add_gc(CLI::App& parent, Context& context) {
  CLI::App* cmd = parent.add_subcommand(
      "gc", "Remove unused downloads and leftover staging directories\n\n"
            "Examples:\n"
            "  xtc gc             remove them, say how much that freed\n"
            "  xtc gc --dry-run   only say how much it would free\n");
  auto dry_run = std::make_shared<bool>(false);
  cmd->add_flag("-n,--dry-run", *dry_run,
                "Say what would be removed; remove nothing");
  cmd->callback([&context, dry_run] {
    const store::Store store(context.layout());
    const store::Collected collected =
        store::collect_garbage(store, *dry_run ? store::Store::Sweep::measure
                                               : store::Store::Sweep::remove);
    std::cout << fmt::format("{} {} ({} cache {}, {} of staging directories)\n",
                             *dry_run ? "would free" : "freed",
                             human_bytes(collected.bytes), collected.downloads,
                             collected.downloads == 1 ? "entry" : "entries",
                             human_bytes(collected.staging_bytes));
  });
}

} // namespace xtc::cli
