// `xtc key add|list|remove`: the minisign public keys xtc trusts for signed
// manifests beyond the built-in one, e.g. an organisation's own mirror's.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "manifest/keyring.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "store/home.hpp"

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

void add(const std::string& key, const Context& context) {
  // A base64 key line is accepted as is; anything else names a key file.
  const bool inline_key = key.starts_with("RW") && key.find('/') == key.npos &&
                          !platform::path_exists(context.env.cwd() / key);
  const std::string source =
      inline_key ? "command line" : (context.env.cwd() / key).string();
  const std::string text =
      inline_key ? key : platform::read_file(source, "public key");
  store::claim_home(context.layout());
  const manifest::Keyring keyring(context.layout().keys());
  const manifest::TrustedKey added = keyring.add(text, source);
  diag::info(fmt::format("trusting key {} ({})",
                         verify::key_id_hex(added.key.id), added.origin));
}

void list(const Context& context) {
  for (const manifest::TrustedKey& key : context.trusted_keys()) {
    std::cout << verify::key_id_hex(key.key.id) << "  " << key.key.base64()
              << "  " << key.origin << "\n";
  }
}

void remove(const std::string& key_id, const Context& context) {
  for (const manifest::TrustedKey& key : manifest::builtin_keys()) {
    if (verify::key_id_hex(key.key.id) == to_upper(key_id)) {
      throw Error(fmt::format("key {} is built into xtc and cannot be removed",
                              verify::key_id_hex(key.key.id)));
    }
  }
  const manifest::Keyring keyring(context.layout().keys());
  if (!store::owns_home(context.layout()) || !keyring.remove(key_id)) {
    throw Error(fmt::format("no key {} in '{}'", to_upper(key_id),
                            context.layout().keys().string()),
                "'xtc key list' shows the trusted keys");
  }
  diag::info(fmt::format("removed key {}", to_upper(key_id)));
}

} // namespace

void add_key(CLI::App& parent, Context& context) {
  CLI::App* group =
      parent.add_subcommand("key", "Manage the keys trusted to sign manifests");
  group->require_subcommand(1);

  auto key = std::make_shared<std::string>();
  CLI::App* add_cmd = group->add_subcommand(
      "add", "Trust a minisign public key\n\nExamples:\n"
             "  xtc key add mirror.pub\n  xtc key add RWQjPpgf…\n");
  add_cmd->add_option("key", *key, "A minisign.pub file or its base64 line")
      ->required();
  add_cmd->callback([key, &context] { add(*key, context); });

  group->add_subcommand("list", "List trusted keys: id, key, origin")
      ->callback([&context] { list(context); });

  auto key_id = std::make_shared<std::string>();
  CLI::App* remove_cmd =
      group->add_subcommand("remove", "Stop trusting a key you added");
  remove_cmd->add_option("key-id", *key_id, "The key id 'xtc key list' prints")
      ->required();
  remove_cmd->callback([key_id, &context] { remove(*key_id, context); });
}

} // namespace xtc::cli
