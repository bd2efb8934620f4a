// `xtc install`: installs exactly the targets the project's pin file
// (xtc.toml, searched upward from the working directory) names, each in the
// variant it pins. What CI runs. A variant becomes a triple's default
// install only when the triple has none yet.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "install/installer.hpp"
#include "install/pins.hpp"
#include "install/toolchain_spec.hpp"
#include "store/store.hpp"

namespace xtc::cli {
namespace {

std::vector<install::Planned> plan(const install::Pins& pins,
                                   const store::Layout& layout,
                                   const Context& context,
                                   const manifest::Manifest& manifest) {
  const manifest::Host host = this_host();
  std::vector<install::Planned> planned;
  for (const install::PinnedTarget& pinned : pins.targets) {
    triple::Triple target = pinned.target;
    std::optional<manifest::Flavor> flavor = pinned.flavor;
    std::optional<std::string> producer = pinned.producer;
    if (!pinned.pin.flavor && !pinned.pin.libc_version && !pinned.producer) {
      // "{}" asks for the default install: keep the one there is, from the
      // producer it came from when that was asked for.
      if (auto record = store::read_target_record(layout, target.gnu())) {
        target = triple::parse(record->triple);
        flavor = manifest::parse_flavor(record->flavor);
        if (auto variant = shim::parse_variant(record->variant)) {
          producer = variant->producer;
        }
      }
    }
    planned.push_back(
        {target, manifest::select(manifest, target, host, flavor, producer)});
    if (planned.back().selection.flavor == manifest::Flavor::llvm) {
      install::find_llvm_tools(context.env); // fail now, not after downloads
    }
  }
  return planned;
}

void execute(const Context& context) {
  const std::filesystem::path cwd = context.env.cwd();
  const std::optional<std::filesystem::path> path = shim::find_pin_file(cwd);
  if (!path) {
    throw Error(fmt::format("no pin file '{}' in '{}' or any directory above "
                            "it",
                            shim::k_pin_file_name, cwd.string()),
                "create xtc.toml in the project with a [targets] table, e.g. "
                "x86_64-linux-musl = {}; or run 'xtc target add TRIPLE'");
  }
  const install::Pins pins = install::load_pins(*path);
  if (pins.targets.empty()) {
    diag::info(fmt::format("'{}' names no targets", path->string()));
    return;
  }
  const manifest::Manifest manifest = context.load_manifest();
  const store::Layout layout = context.layout();
  const std::vector<install::Planned> planned =
      plan(pins, layout, context, manifest);

  store::Store store(layout);
  store.ensure_layout();
  context.remember_manifest(manifest);
  store.sweep_staging();
  const fetch::GlobalInit curl;
  install::Installer installer(
      store, context.env, context.fetch_options(),
      install::find_shim_binary(context.env, context.self));
  for (const install::Planned& p : planned) {
    const store::TargetRecord record =
        installer.add(p, install::Installer::MakeDefault::when_none);
    diag::status("installed", "1;32",
                 fmt::format("{} ({}{}{})", record.gnu, record.variant,
                             libc_label(record), producer_label(record)));
  }
}

} // namespace

void add_install(CLI::App& parent, Context& context) {
  CLI::App* cmd = parent.add_subcommand(
      "install", "Install the targets the project's xtc.toml pins\n\n"
                 "xtc.toml (searched upward from the working directory):\n"
                 "  [targets]\n  x86_64-linux-musl = {}\n"
                 "  aarch64-linux-gnu = { flavor = \"llvm\", "
                 "libc_version = \"2.31\" }\n"
                 "  x86_64-linux-musl = { producer = \"filosottile\" }\n");
  cmd->add_flag("--offline", context.offline,
                "Install only from the download cache and saved manifests; "
                "never download (also XTC_OFFLINE=1)");
  cmd->callback([&context] { execute(context); });
}

} // namespace xtc::cli
