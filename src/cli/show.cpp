// `xtc show [--json]`: for the working directory, every active target, the
// toolchain variant a shim would run and the source that chose it
// (XTC_TOOLCHAIN_<TRIPLE>, the pin file, or the default install). Decided by
// shim::find_active, the shim's own code.
#include "cli/commands.hpp"
#include "shim/active.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <set>

namespace xtc::cli {
namespace {

struct ShowRow {
  shim::Active active;
  std::optional<store::TargetRecord> record; // of the chosen toolchain
};

// Installed targets, those the pin file names and those a variable selects.
std::set<std::string> active_targets(const store::Layout& layout,
                                     const Context& context,
                                     const std::optional<shim::PinFile>& pins) {
  std::set<std::string> targets;
  for (const store::TargetRecord& record : store::list_target_records(layout)) {
    targets.insert(record.gnu);
  }
  if (pins) {
    for (const shim::Pin& pin : pins->pins) {
      targets.insert(pin.target);
    }
  }
  for (const triple::Triple& known : triple::known_targets()) {
    if (context.env.get(shim::toolchain_variable(known.gnu()))) {
      targets.insert(known.gnu());
    }
  }
  return targets;
}

std::string why(const shim::Active& active) {
  switch (active.source) {
  case shim::Source::environment:
    return active.request;
  case shim::Source::pin_file:
    return fmt::format("pin file {}", active.origin);
  case shim::Source::default_install:
    break;
  }
  return "default install";
}

} // namespace

void add_show(CLI::App& parent, Context& context) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = parent.add_subcommand(
      "show", "Show the active targets here, their toolchains and why\n\n"
              "Examples:\n  xtc show\n  xtc show --json\n");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([json, &context] {
    const store::Layout layout = context.layout();
    const std::filesystem::path cwd = context.env.cwd();
    const std::optional<std::filesystem::path> pin_path =
        shim::find_pin_file(cwd);
    std::optional<shim::PinFile> pins;
    if (pin_path) {
      pins = shim::read_pin_file(*pin_path);
    }
    const shim::Lookup lookup = [&](const std::string& name) {
      return context.env.get(name);
    };
    std::vector<ShowRow> rows;
    for (const std::string& target : active_targets(layout, context, pins)) {
      ShowRow row{shim::find_active(layout, target, lookup, cwd), std::nullopt};
      if (row.active.chosen) {
        row.record =
            row.active.chosen->variant
                ? store::read_variant_record(layout, target,
                                             row.active.chosen->variant->name())
                : store::read_target_record(layout, target);
      }
      rows.push_back(std::move(row));
    }

    if (*json) {
      nlohmann::json out = {
          {"home", layout.root().string()},
          {"pin_file", pin_path ? nlohmann::json(pin_path->string())
                                : nlohmann::json(nullptr)},
          {"targets", nlohmann::json::array()}};
      for (const ShowRow& row : rows) {
        nlohmann::json entry = {
            {"target", row.active.target},
            {"source", shim::source_name(row.active.source)},
            {"origin", row.active.origin},
            {"installed", row.record.has_value()}};
        if (row.record) {
          entry["rust"] = row.record->rust;
          entry["flavor"] = row.record->flavor;
          entry["variant"] = row.record->variant;
          entry["libc_version"] =
              row.record->libc_version.empty()
                  ? nlohmann::json(nullptr)
                  : nlohmann::json(row.record->libc_version);
          entry["artifacts"] = row.record->artifacts;
          entry["producer"] = row.record->producer.empty()
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(row.record->producer);
        } else {
          entry["fix"] = shim::not_installed(row.active, "").hint();
        }
        out["targets"].push_back(std::move(entry));
      }
      std::cout << out.dump(2) << '\n';
      return;
    }
    std::cout << "xtc home: " << layout.root().string() << '\n';
    if (pin_path) {
      std::cout << "pin file: " << pin_path->string() << '\n';
    }
    if (rows.empty()) {
      std::cout << "no targets installed\n";
    }
    for (const ShowRow& row : rows) {
      if (row.record) {
        std::cout << fmt::format(
            "{:<22} {:<10} {} ({}{}{})\n", row.active.target,
            row.record->variant, why(row.active),
            fmt::join(row.record->artifacts, " + "), libc_label(*row.record),
            producer_label(*row.record));
      } else {
        const Error error = shim::not_installed(row.active, "");
        std::cout << fmt::format("{:<22} {:<10} {}: not installed; {}\n",
                                 row.active.target, "-", why(row.active),
                                 error.hint());
      }
    }
  });
}

} // namespace xtc::cli
