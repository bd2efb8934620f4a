// `xtc target add TRIPLE…`: plan everything (triples, manifest selection,
// project config edit) before the first byte is written, then install each
// target, write the project's cargo config and add the Rust target.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "cli/path_hint.hpp"
#include "install/installer.hpp"
#include "install/toolchain_spec.hpp"
#include "platform/process.hpp"
#include "project/cargo_config.hpp"
#include "store/store.hpp"

#include <memory>

namespace xtc::cli {
namespace {

struct AddOptions {
  std::vector<std::string> triples;
  std::string flavor;
  std::string producer;
  std::string project;
  bool no_config = false;
  bool no_rustup = false;
  bool force = false;
  bool absolute = false;
  unsigned jobs = 0; // 0: XTC_JOBS or the default
};

std::vector<install::Planned> plan(const std::vector<triple::Triple>& targets,
                                   const AddOptions& options,
                                   const Context& context,
                                   const manifest::Manifest& manifest) {
  std::optional<manifest::Flavor> flavor;
  if (!options.flavor.empty()) {
    flavor = manifest::parse_flavor(options.flavor);
  }
  std::optional<std::string> producer;
  if (!options.producer.empty()) {
    producer = options.producer;
  }
  const manifest::Host host = this_host();
  std::vector<install::Planned> planned;
  for (const triple::Triple& target : targets) {
    const bool duplicate = std::any_of(
        planned.begin(), planned.end(),
        [&](const install::Planned& p) { return p.target == target; });
    if (!duplicate) {
      planned.push_back(
          {target, manifest::select(manifest, target, host, flavor, producer)});
      if (planned.back().selection.flavor == manifest::Flavor::llvm) {
        install::find_llvm_tools(context.env); // fail now, not after downloads
      }
    }
  }
  return planned;
}

// Offline, rustup must not download: say so only when Rust's standard
// library for the target is not installed yet (listing them is local).
void check_rust_target_offline(const triple::Triple& target) {
  const platform::RunResult result = platform::run_capture(
      {"rustup", "target", "list", "--installed"}, {"RUST_BACKTRACE=0"});
  for (const std::string& line : split(result.output, '\n')) {
    if (trim(line) == target.rust()) {
      diag::verbose(fmt::format("rustup: {} is installed", target.rust()));
      return;
    }
  }
  diag::warning(fmt::format(
      "Rust's standard library for {} is not installed, and --offline keeps "
      "rustup from downloading it: run 'rustup target add {}' once online",
      target.rust(), target.rust()));
}

void add_rust_target(const triple::Triple& target, const Env& env,
                     bool offline) {
  const std::string path = env.get("PATH").value_or("");
  if (!platform::find_program("rustup", path)) {
    return;
  }
  if (offline) {
    check_rust_target_offline(target);
    return;
  }
  const platform::RunResult result = platform::run_capture(
      {"rustup", "target", "add", target.rust()}, {"RUST_BACKTRACE=0"});
  if (result.exit_code != 0) {
    // rustup explains itself on its first "error:" line; the rest is detail.
    std::string reason(trim(result.output));
    for (const std::string& line : split(result.output, '\n')) {
      if (line.starts_with("error:")) {
        reason = trim(line.substr(6));
        break;
      }
    }
    diag::warning(fmt::format("'rustup target add {}' failed, so Rust cannot "
                              "build for it until it succeeds: {}",
                              target.rust(), reason));
  } else {
    diag::verbose(fmt::format("rustup target add {}: done", target.rust()));
  }
}

void execute(const AddOptions& options, const Context& context) {
  std::vector<triple::Triple> targets;
  for (const std::string& spelling : options.triples) {
    targets.push_back(triple::parse(spelling));
  }
  const unsigned jobs =
      options.jobs != 0 ? options.jobs : install::jobs_from_env(context.env);
  const manifest::Manifest manifest = context.load_manifest();
  const std::vector<install::Planned> planned =
      plan(targets, options, context, manifest);
  const store::Layout layout = context.layout();

  std::optional<std::filesystem::path> project_dir;
  if (!options.no_config) {
    project_dir = options.project.empty()
                      ? project::find_cargo_project(context.env.cwd())
                      : std::optional(context.env.cwd() / options.project);
    if (project_dir) {
      // Dry run: a cargo config that cannot be parsed stops us before any
      // download, and is left untouched.
      const std::filesystem::path config =
          project::cargo_config_path(*project_dir);
      const std::string text =
          platform::read_file_if_exists(config, "cargo config")
              .value_or(std::string());
      for (const install::Planned& p : planned) {
        project::edit_cargo_config(
            text, config.string(),
            context.cargo_settings(p.target, options.absolute), options.force);
      }
    }
  }

  store::Store store(layout);
  store.ensure_layout();
  context.remember_manifest(manifest);
  store.sweep_staging();
  const fetch::GlobalInit curl;
  const fetch::Options fetch_options = context.fetch_options();
  install::Installer installer(
      store, context.env, fetch_options,
      install::find_shim_binary(context.env, context.self));
  installer.install_artifacts(planned, jobs);
  for (const install::Planned& p : planned) {
    const store::TargetRecord record = installer.add(p);
    diag::status("added", "1;32",
                 fmt::format("{} ({} flavor{}{})", record.triple, record.flavor,
                             libc_label(record), producer_label(record)));
  }

  if (project_dir) {
    for (const install::Planned& p : planned) {
      const project::CargoEdit edit = project::update_cargo_config(
          *project_dir, context.cargo_settings(p.target, options.absolute),
          options.force);
      for (const std::string& warning : edit.warnings) {
        diag::warning(warning);
      }
    }
    diag::info(fmt::format("wrote {}",
                           project::cargo_config_path(*project_dir).string()));
  }
  if (!options.no_rustup) {
    for (const install::Planned& p : planned) {
      add_rust_target(p.target, context.env, context.is_offline());
    }
  }
  hint_path(layout.bin(), context.env);
}

} // namespace

void add_target_add(CLI::App& parent, Context& context) {
  auto options = std::make_shared<AddOptions>();
  CLI::App* cmd = parent.add_subcommand(
      "add", "Install toolchains for targets and configure the project\n\n"
             "Examples:\n  xtc target add x86_64-linux-musl\n"
             "  xtc target add aarch64-unknown-linux-gnu --flavor llvm\n"
             "  xtc target add x86_64-linux-musl --producer filosottile\n");
  cmd->add_option("triples", options->triples,
                  "Targets in any spelling (x86_64-linux-musl, "
                  "aarch64-unknown-linux-gnu, x86_64-linux-gnu.2.17)")
      ->required();
  cmd->add_option("--flavor", options->flavor,
                  "Toolchain flavor: gcc, llvm or zig");
  cmd->add_option("--producer", options->producer,
                  "Who builds the toolchain, as 'xtc target list' names "
                  "them (messense, bootlin, filosottile, zig, …); default: "
                  "the manifest's first that fits");
  cmd->add_option("--project", options->project,
                  "Project directory whose .cargo/config.toml to write");
  cmd->add_flag("--no-config", options->no_config,
                "Do not write project config");
  cmd->add_flag("--no-rustup", options->no_rustup,
                "Do not run rustup target add");
  cmd->add_flag("--force", options->force,
                "Replace a different linker in the config");
  cmd->add_flag("--absolute", options->absolute,
                "Write absolute shim paths into the config");
  cmd->add_flag("--offline", context.offline,
                "Install only from the download cache and saved manifests; "
                "never download (also XTC_OFFLINE=1)");
  cmd->add_option("-j,--jobs", options->jobs,
                  "Downloads to run at once (default: XTC_JOBS, else 4)")
      ->check(CLI::Range(1, 64));
  cmd->callback([options, &context] { execute(*options, context); });
}

} // namespace xtc::cli
