// `xtc run TRIPLE PROGRAM [ARGS…]`: runs a program built for TRIPLE on this
// host, natively when the host's kernel runs it, else under qemu-user with
// the target's dynamic loader and libraries (-L, as the emulator of xtc's
// CMake and Meson files). It is the runner xtc writes into a Cargo config
// for such targets (`cargo run`, `cargo test`), and serves scripts and test
// runners that execute target programs by path. xtc replaces itself with
// the program: its exit status and signals are the program's.
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "platform/host.hpp"
#include "project/cross_target.hpp"
#include "triple/triple.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

namespace xtc::cli {
namespace {

struct RunArgs {
  std::string triple;
};

[[noreturn]] void replace_process(const std::vector<std::string>& argv) {
  std::vector<char*> pointers;
  pointers.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    pointers.push_back(const_cast<char*>(arg.c_str())); // NOLINT: execvp
  }
  pointers.push_back(nullptr);
  ::execvp(pointers.front(), pointers.data());
  throw_errno(fmt::format("cannot run '{}'", argv.front()));
}

void execute(const RunArgs& args, std::vector<std::string> command,
             const Context& context) {
  const triple::Triple target = triple::parse(args.triple);
  if (!command.empty() && command.front() == "--") {
    command.erase(command.begin());
  }
  if (command.empty()) {
    throw usage_error("xtc run needs the program to run",
                      fmt::format("xtc run {} PROGRAM [ARGS…]", args.triple));
  }
  const project::CrossTarget cross =
      project::describe_cross_target(target, context.layout(), context.env);
  const std::string host = platform::host_platform();
  if (cross.emulator.empty() && !project::same_machine(target, host)) {
    const bool linux_host = host.ends_with("-linux");
    throw Error(
        fmt::format("cannot run {} programs on this {} host: {}",
                    target.arch_name(), host,
                    linux_host ? "qemu-user is not on PATH"
                               : "qemu-user runs Linux programs only on Linux"),
        linux_host ? "install qemu-user-static (Debian and Ubuntu: sudo "
                     "apt-get install qemu-user-static)"
                   : "run it in a Linux virtual machine or container");
  }
  std::vector<std::string> argv = cross.emulator;
  argv.insert(argv.end(), command.begin(), command.end());
  replace_process(argv);
}

} // namespace

void add_run(CLI::App& parent, Context& context) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "run",
      "Run a program built for a target: natively, or under qemu-user\n\n"
      "Examples:\n"
      "  xtc run aarch64-linux-gnu ./hello --greeting hi\n"
      "  meson test --wrapper 'xtc run aarch64-linux-gnu'\n"
      "  (cargo run and cargo test use it by themselves: target add writes "
      "it as the target's runner)\n");
  cmd->add_option("triple", args->triple, "The program's target")->required();
  // Everything after the triple is the program and its arguments, options
  // included.
  cmd->prefix_command();
  cmd->callback(
      [args, cmd, &context] { execute(*args, cmd->remaining(), context); });
}

} // namespace xtc::cli
