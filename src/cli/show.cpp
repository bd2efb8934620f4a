// `xtc show [--json]`: what is installed and active here, and why.
#include "cli/commands.hpp"
#include "store/target_record.hpp"

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace xtc::cli {

void add_show(CLI::App& parent, Context& context) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = parent.add_subcommand(
      "show", "Show the active targets and the toolchains they use\n\n"
              "Examples:\n  xtc show\n  xtc show --json\n");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([json, &context] {
    const store::Layout layout = context.layout();
    const std::vector<store::TargetRecord> records =
        store::list_target_records(layout);
    if (*json) {
      nlohmann::json out = {{"home", layout.root().string()},
                            {"targets", nlohmann::json::array()}};
      for (const store::TargetRecord& record : records) {
        out["targets"].push_back({{"target", record.triple},
                                  {"rust", record.rust},
                                  {"flavor", record.flavor},
                                  {"source", "default"},
                                  {"artifacts", record.artifacts}});
      }
      std::cout << out.dump(2) << '\n';
      return;
    }
    std::cout << "xtc home: " << layout.root().string() << '\n';
    if (records.empty()) {
      std::cout << "no targets installed\n";
    }
    for (const store::TargetRecord& record : records) {
      std::cout << fmt::format("{:<24} {} flavor, {} (default install)\n",
                               record.triple, record.flavor,
                               fmt::join(record.artifacts, " + "));
    }
  });
}

} // namespace xtc::cli
