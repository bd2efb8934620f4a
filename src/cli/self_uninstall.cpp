// `xtc self uninstall [-y]`: removes $XTC_HOME (toolchains, targets, shims,
// cache) after a confirmation on the terminal. Without -y it never removes
// anything when nobody can answer (standard input is not a terminal), and it
// refuses a directory that does not look like an xtc home, so a mistyped
// XTC_HOME cannot cost someone their files.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "platform/terminal.hpp"
#include "store/home.hpp"
#include "store/target_record.hpp"

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

namespace fs = std::filesystem;

bool confirmed(const fs::path& root, std::size_t targets) {
  std::cerr << fmt::format("Remove {} ({} target{}, {})? [y/N] ", root.string(),
                           targets, targets == 1 ? "" : "s",
                           human_bytes(platform::tree_size(root)))
            << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    return false;
  }
  const std::string word = to_lower(trim(answer));
  return word == "y" || word == "yes";
}

} // namespace

void add_self_uninstall(CLI::App& parent, Context& context) {
  auto yes = std::make_shared<bool>(false);
  CLI::App* cmd = parent.add_subcommand(
      "uninstall", "Remove $XTC_HOME: every toolchain, target and shim\n\n"
                   "Examples:\n"
                   "  xtc self uninstall        asks first\n"
                   "  xtc self uninstall -y     no question (for scripts)\n");
  cmd->add_flag("-y,--yes", *yes, "Do not ask for confirmation");
  cmd->callback([yes, &context] {
    const store::Layout layout = context.layout();
    const fs::path root = layout.root().lexically_normal();
    if (!platform::path_exists(root)) {
      diag::info(
          fmt::format("nothing to remove: '{}' does not exist", root.string()));
      return;
    }
    const std::optional<std::string> home = context.env.get("HOME");
    if (root == root.root_path() ||
        (home && fs::path(*home).lexically_normal() == root)) {
      throw Error(fmt::format("refusing to remove '{}': it is the root or "
                              "home directory",
                              root.string()),
                  "check XTC_HOME; xtc's home is a directory of its own "
                  "(~/.xtc)");
    }
    // The one rule for every removal: only a home xtc can prove it made.
    if (!store::owns_home(layout)) {
      diag::info(
          fmt::format("nothing to remove: '{}' is empty", root.string()));
      return;
    }
    if (!*yes) {
      if (!platform::stdin_is_terminal()) {
        throw usage_error(
            fmt::format("refusing to remove '{}' without confirmation: "
                        "standard input is not a terminal",
                        root.string()),
            "run 'xtc self uninstall -y' to remove it without asking");
      }
      if (!confirmed(root, store::list_target_records(layout).size())) {
        throw Error(
            fmt::format("nothing removed: '{}' is unchanged", root.string()));
      }
    }
    {
      // Waits for a running `xtc target add` to finish with targets/ and bin/.
      platform::make_directories(layout.locks(), "lock directory");
      const platform::FileLock lock = platform::FileLock::acquire(
          layout.lock("targets"), platform::FileLock::Mode::exclusive);
      platform::remove_tree(root, "xtc home");
    }
    diag::info(fmt::format("removed {}", root.string()));
    diag::hint(fmt::format("remove the line that adds {} to PATH from your "
                           "shell's profile; 'brew uninstall xtc' removes the "
                           "program itself when Homebrew installed it",
                           layout.bin().string()));
  });
}

} // namespace xtc::cli
