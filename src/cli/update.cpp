// `xtc update`: fetches the newest signed manifest from the release channel
// ($XTC_CHANNEL, `channel` in $XTC_HOME/config.toml, else the project's),
// checks its signature and refuses one older than a manifest accepted
// before, saves it as the default manifest (the newer of it and the one
// shipped with xtc is used) and says what changed for this host.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "fetch/url.hpp"
#include "manifest/changes.hpp"
#include "store/home.hpp"

#include <iostream>

namespace xtc::cli {
namespace {

// "updated  <what>: 12.2.0 -> 13.2.0", a line per change.
std::string change_line(const manifest::Change& change) {
  using Kind = manifest::Change::Kind;
  const std::string versions = change.kind == Kind::added     ? change.after
                               : change.kind == Kind::removed ? change.before
                               : change.before == change.after
                                   ? change.after + ", rebuilt"
                                   : change.before + " -> " + change.after;
  const char* label = change.kind == Kind::added     ? "added"
                      : change.kind == Kind::removed ? "removed"
                                                     : "updated";
  return fmt::format("{:<8} {}: {}", label, change.what, versions);
}

void update(const Context& context) {
  if (context.is_offline()) {
    throw usage_error("xtc update downloads the manifest, and XTC_OFFLINE "
                      "forbids downloading",
                      "run it with XTC_OFFLINE unset");
  }
  const std::string url = context.channel();
  if (!is_url(url)) {
    throw usage_error(
        fmt::format("the manifest channel '{}' is not a URL", url),
        "set XTC_CHANNEL, or channel in $XTC_HOME/config.toml, "
        "to the https:// URL of a signed xtc.toml");
  }
  // What commands use now, to compare with; none when it cannot be read
  // (the update is then what repairs it).
  std::optional<manifest::Manifest> before;
  try {
    before = context.load_default_manifest(url);
  } catch (const Error& error) {
    diag::verbose(
        fmt::format("no manifest in use to compare with: {}", error.message()));
  }

  const Context::FetchedManifest fetched = context.fetch_manifest(
      url, "the channel must serve xtc.toml.minisig beside xtc.toml");
  const manifest::Signed checked = manifest::check_signature(
      fetched.text, fetched.signature, fetch::url_file_name(url), url,
      fetched.signature_url, context.trusted_keys());
  const manifest::Manifest after = context.accept(fetched.text, checked, url);

  const std::string signed_on = date_of(checked.timestamp);
  if (before && before->signature &&
      before->signature->timestamp > checked.timestamp) {
    diag::info(fmt::format("the manifest in use ('{}', signed {}) is newer "
                           "than the channel's (signed {}): kept it",
                           before->source,
                           date_of(before->signature->timestamp), signed_on));
    return;
  }
  store::claim_home(context.layout()); // refuses a directory not xtc's
  context.saved_manifests().save(url, fetched.text, fetched.signature);
  context.remember_manifest(after);

  if (before && before->signature &&
      before->signature->timestamp == checked.timestamp) {
    diag::info(
        fmt::format("the manifest is up to date (signed {})", signed_on));
  } else {
    const manifest::Changes changes =
        before ? manifest::compare(*before, after, this_host())
               : manifest::compare(manifest::Manifest{}, after, this_host());
    for (const manifest::Change& change : changes.here) {
      std::cout << change_line(change) << '\n';
    }
    std::string summary =
        fmt::format("{} change{} for this host", changes.here.size(),
                    changes.here.size() == 1 ? "" : "s");
    if (changes.elsewhere > 0) {
      summary += fmt::format(", {} for other hosts", changes.elsewhere);
    }
    diag::status("updated", "32",
                 fmt::format("manifest from {}, signed {}: {}", url, signed_on,
                             summary));
  }
  if (context.manifest_chosen()) {
    diag::warning("--manifest or XTC_MANIFEST names another manifest: "
                  "commands given one use it, not the updated one");
  }
}

} // namespace

void add_update(CLI::App& parent, Context& context) {
  CLI::App* cmd = parent.add_subcommand(
      "update",
      "Fetch the newest signed manifest from the release channel\n\n"
      "The channel is $XTC_CHANNEL, else channel in $XTC_HOME/config.toml,\n"
      "else the project's releases. Prints what changed for this host.\n\n"
      "Examples:\n  xtc update\n"
      "  XTC_CHANNEL=https://mirror.example.com/xtc/xtc.toml xtc update\n");
  cmd->callback([&context] { update(context); });
}

} // namespace xtc::cli
