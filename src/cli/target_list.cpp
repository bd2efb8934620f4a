// `xtc target list [--installed] [--json]`: every target xtc knows, whether it
// is installed (and how), and which flavors the manifest offers on this host.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "store/target_record.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

struct Row {
  triple::Triple target;
  std::optional<store::TargetRecord> installed;
  std::vector<std::string> available; // flavors
};

std::vector<std::string> offered_flavors(const manifest::Manifest& manifest,
                                         const triple::Triple& target,
                                         const manifest::Host& host) {
  std::vector<std::string> flavors;
  for (const manifest::Flavor flavor :
       {manifest::Flavor::gcc, manifest::Flavor::llvm, manifest::Flavor::zig}) {
    try {
      (void)manifest::select(manifest, target, host, flavor);
      flavors.push_back(manifest::flavor_name(flavor));
    } catch (const Error&) {
      // not offered in this flavor: an expected answer, not a failure
    }
  }
  return flavors;
}

nlohmann::json to_json(const Row& row) {
  nlohmann::json installed = nullptr;
  if (row.installed) {
    installed = {
        {"flavor", row.installed->flavor},
        {"libc_version", row.installed->libc_version.empty()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(row.installed->libc_version)},
        {"artifacts", row.installed->artifacts}};
  }
  return {{"target", row.target.gnu()},
          {"rust", row.target.rust()},
          {"installed", installed},
          {"available", row.available}};
}

} // namespace

void add_target_list(CLI::App& parent, Context& context) {
  struct Flags {
    bool installed_only = false;
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = parent.add_subcommand(
      "list", "List targets: installed, and offered for this host\n\n"
              "Examples:\n  xtc target list\n"
              "  xtc target list --installed --json\n");
  cmd->add_flag("--installed", flags->installed_only, "Only installed targets");
  cmd->add_flag("--json", flags->json, "Print JSON");
  cmd->callback([flags, &context] {
    std::optional<manifest::Manifest> manifest;
    if (!flags->installed_only) {
      try {
        manifest = context.load_manifest();
      } catch (const Error& error) {
        if (error.code() == ExitCode::usage) {
          throw; // a bad command line is not a missing manifest
        }
        diag::warning(
            fmt::format("{}; showing installed targets only", error.message()));
      }
    }
    const manifest::Host host = this_host();
    const store::Layout layout = context.layout();
    std::vector<Row> rows;
    for (const triple::Triple& target : triple::known_targets()) {
      Row row{target, store::read_target_record(layout, target.gnu()), {}};
      if (manifest) {
        row.available = offered_flavors(*manifest, target, host);
      }
      if (row.installed || (!flags->installed_only && !row.available.empty())) {
        rows.push_back(std::move(row));
      }
    }
    if (flags->json) {
      nlohmann::json out = nlohmann::json::array();
      for (const Row& row : rows) {
        out.push_back(to_json(row));
      }
      std::cout << out.dump(2) << '\n';
      return;
    }
    for (const Row& row : rows) {
      const std::string state =
          row.installed ? fmt::format("installed ({}{})", row.installed->flavor,
                                      libc_label(*row.installed))
                        : "";
      std::cout << fmt::format("{:<24} {:<32} {:<20} {}\n", row.target.gnu(),
                               row.target.rust(), state,
                               join(row.available, ", "));
    }
  });
}

} // namespace xtc::cli
