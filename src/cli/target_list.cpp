// `xtc target list [--installed] [--json]`: every target xtc knows, whether it
// is installed (and how), and which flavors the manifest offers on this host,
// from which producers.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "store/target_record.hpp"

#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

// One flavor the manifest offers for a target here, from one producer
// (nullopt: a row that names none).
struct Offer {
  std::string flavor;
  std::optional<std::string> producer;
};

struct TargetRow {
  triple::Triple target;
  std::optional<store::TargetRecord> installed;
  std::vector<std::string> available; // flavors
  std::vector<Offer> offers;          // by flavor, then manifest order
};

bool offered(const manifest::Manifest& manifest, const triple::Triple& target,
             const manifest::Host& host, manifest::Flavor flavor,
             const std::optional<std::string>& producer) {
  try {
    (void)manifest::select(manifest, target, host, flavor, producer);
    return true;
  } catch (const Error&) {
    return false; // not offered so: an expected answer, not a failure
  }
}

void add_offers(const manifest::Manifest& manifest,
                const std::vector<std::string>& producers,
                const manifest::Host& host, TargetRow& row) {
  for (const manifest::Flavor flavor :
       {manifest::Flavor::gcc, manifest::Flavor::llvm, manifest::Flavor::zig}) {
    if (!offered(manifest, row.target, host, flavor, std::nullopt)) {
      continue;
    }
    const std::string name = manifest::flavor_name(flavor);
    row.available.push_back(name);
    const std::size_t before = row.offers.size();
    for (const std::string& producer : producers) {
      if (offered(manifest, row.target, host, flavor, producer)) {
        row.offers.push_back({name, producer});
      }
    }
    if (row.offers.size() == before) {
      row.offers.push_back({name, std::nullopt});
    }
  }
}

// "gcc (messense, bootlin), llvm, zig (zig)": each flavor offered, with its
// producers when the manifest names them.
std::string describe_available(const TargetRow& row) {
  std::vector<std::string> parts;
  for (const std::string& flavor : row.available) {
    std::vector<std::string> producers;
    for (const Offer& offer : row.offers) {
      if (offer.flavor == flavor && offer.producer) {
        producers.push_back(*offer.producer);
      }
    }
    parts.push_back(producers.empty() ? flavor
                                      : fmt::format("{} ({})", flavor,
                                                    join(producers, ", ")));
  }
  return join(parts, ", ");
}

nlohmann::json optional_string(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json to_json(const TargetRow& row) {
  nlohmann::json installed = nullptr;
  if (row.installed) {
    installed = {
        {"flavor", row.installed->flavor},
        {"libc_version", row.installed->libc_version.empty()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json(row.installed->libc_version)},
        {"artifacts", row.installed->artifacts},
        {"producer", optional_string(row.installed->producer)}};
  }
  nlohmann::json offers = nlohmann::json::array();
  for (const Offer& offer : row.offers) {
    offers.push_back(
        {{"flavor", offer.flavor},
         {"producer", offer.producer ? nlohmann::json(*offer.producer)
                                     : nlohmann::json(nullptr)}});
  }
  return {{"target", row.target.gnu()},
          {"rust", row.target.rust()},
          {"installed", installed},
          {"available", row.available},
          {"offers", offers}};
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
    const std::vector<std::string> producers =
        manifest ? manifest->producers() : std::vector<std::string>();
    std::vector<TargetRow> rows;
    for (const triple::Triple& target : triple::known_targets()) {
      TargetRow row{
          target, store::read_target_record(layout, target.gnu()), {}, {}};
      if (manifest) {
        add_offers(*manifest, producers, host, row);
      }
      if (row.installed || (!flags->installed_only && !row.available.empty())) {
        rows.push_back(std::move(row));
      }
    }
    if (flags->json) {
      nlohmann::json out = nlohmann::json::array();
      for (const TargetRow& row : rows) {
        out.push_back(to_json(row));
      }
      std::cout << out.dump(2) << '\n';
      return;
    }
    for (const TargetRow& row : rows) {
      const std::string state =
          row.installed
              ? fmt::format("installed ({}{}{})", row.installed->flavor,
                            libc_label(*row.installed),
                            producer_label(*row.installed))
              : "";
      std::cout << fmt::format("{:<24} {:<32} {:<20} {}\n", row.target.gnu(),
                               row.target.rust(), state,
                               describe_available(row));
    }
    // How old the offers are: `xtc update` fetches newer ones.
    if (manifest && manifest->signature) {
      diag::info(fmt::format(
          "manifest '{}': {}", manifest->source,
          signed_age(manifest->signature->timestamp,
                     static_cast<std::int64_t>(std::time(nullptr)))));
    }
  });
}

} // namespace xtc::cli
