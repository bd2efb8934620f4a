// `xtc doctor [TRIPLE] [--json]`: checks that xtc works here and prints the
// exact fix for anything that does not. Checks, in order: PATH has the
// shims; each installed target's shims are links to the current shim binary;
// its compiler (and, for the llvm flavor, the clang and ld.lld found for it,
// from PATH or Homebrew) still exists;
// every file in each install's receipt is present; probe programs (C, and
// C++ where there is C++) link dynamically and need no newer glibc than the
// target's pin, as `xtc check` reads them; a static hello world
// compiles through the target's gcc shim and runs (natively when the host can
// run it, else under qemu-user when that is on PATH). Exits 1 when any check
// fails; a check that cannot run (no qemu) is reported, not failed.
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "install/installer.hpp"
#include "install/probe.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fs.hpp"
#include "platform/host.hpp"
#include "platform/process.hpp"
#include "shim/resolution.hpp"
#include "store/store.hpp"
#include "store/target_record.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

namespace fs = std::filesystem;

enum class Status { ok, fail, skip };

struct Check {
  std::string name;   // path | shims | compiler | files | floor | hello
  std::string target; // empty for checks of the whole installation
  Status status = Status::ok;
  std::string detail;
  std::string fix; // a command to run; empty when there is nothing to do
};

constexpr const char* k_hello_output = "hello from xtc doctor";
constexpr const char* k_hello_source =
    "#include <stdio.h>\n"
    "int main(void) { puts(\"hello from xtc doctor\"); return 0; }\n";

const char* status_name(Status status) {
  switch (status) {
  case Status::ok:
    return "ok";
  case Status::fail:
    return "fail";
  case Status::skip:
    return "skip";
  }
  return "fail";
}

std::string repair(const store::TargetRecord& record) {
  return "xtc target add " + record.triple;
}

Check check_path(const Env& env, const store::Layout& layout) {
  const fs::path bin = layout.bin().lexically_normal();
  for (const std::string& entry : split(env.get("PATH").value_or(""), ':')) {
    if (!entry.empty() &&
        (fs::path(entry).lexically_normal() / "").parent_path() ==
            (bin / "").parent_path()) {
      return {"path", "", Status::ok, "PATH includes " + bin.string(), ""};
    }
  }
  return {"path", "", Status::fail,
          fmt::format("PATH does not include {} (put the fix in your shell's "
                      "profile too)",
                      bin.string()),
          fmt::format("export PATH=\"{}:$PATH\"", bin.string())};
}

bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  return ::lstat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// Links may also be symlinks to the shim binary (file systems without hard
// links): either way, the name must reach .xtc-shim.
bool reaches(const fs::path& link, const fs::path& shim) {
  std::error_code ec;
  return same_file(link, shim) || fs::equivalent(link, shim, ec);
}

Check check_shims(const store::TargetRecord& record,
                  const store::Layout& layout, const Context& context) {
  Check check{"shims", record.triple, Status::fail, "", repair(record)};
  const fs::path shim = layout.shim_binary();
  if (!platform::path_exists(layout.shim_resolution(record.gnu))) {
    check.detail = "missing " + layout.shim_resolution(record.gnu).string();
    return check;
  }
  if (!platform::path_exists(shim)) {
    check.detail = "missing the shim binary " + shim.string();
    return check;
  }
  std::vector<std::string> broken;
  const std::vector<shim::ShimName> names =
      shim::linked_shims(store::installed_tools(layout)[record.gnu]);
  for (const shim::ShimName& name : names) {
    const fs::path link =
        layout.bin() / fmt::format("{}-{}", record.gnu, name.name);
    if (!reaches(link, shim)) {
      broken.push_back(link.filename().string());
    }
  }
  if (!broken.empty()) {
    check.detail = fmt::format("{} not linked to {}: {}", broken.size(),
                               shim.string(), join(broken, ", "));
    return check;
  }
  try {
    const fs::path current =
        install::find_shim_binary(context.env, context.self);
    if (platform::read_file(current, "shim binary") !=
        platform::read_file(shim, "shim binary")) {
      check.detail = fmt::format("{} differs from this xtc's shim {}",
                                 shim.string(), current.string());
      return check;
    }
  } catch (const Error& error) {
    check.detail = error.message();
    check.fix = "reinstall xtc";
    return check;
  }
  check.status = Status::ok;
  check.detail =
      fmt::format("{} shims link to {}", names.size(), shim.string());
  check.fix.clear();
  return check;
}

// The programs the target's shims run: present, and named, so a user can
// tell which clang and lld (Homebrew's? Xcode's? the distribution's?) a
// target builds with.
Check check_compiler(const store::TargetRecord& record) {
  std::vector<std::pair<std::string, std::string>> programs;
  for (const auto& [tool, label] :
       {std::pair{"cc", "compiler"}, {"ld", "linker"}}) {
    const auto it = record.tools.find(tool);
    if (it != record.tools.end() && !it->second.empty()) {
      programs.emplace_back(label, it->second.front());
    }
  }
  std::vector<std::string> named;
  for (const auto& [label, program] : programs) {
    // A relative program is one of the install's own (the shim resolves it
    // against the install); the files check covers those.
    const fs::path path(program);
    if (path.is_absolute() && ::access(path.c_str(), X_OK) != 0) {
      return {"compiler", record.triple, Status::fail,
              fmt::format("the {} '{}' is gone ({} flavor)", label, program,
                          record.flavor),
              repair(record)};
    }
    named.push_back(fmt::format("{} {}", label, program));
  }
  return {"compiler", record.triple, Status::ok,
          fmt::format("{} flavor: {}", record.flavor, join(named, ", ")), ""};
}

Check check_files(const store::TargetRecord& record,
                  const store::Store& store) {
  Check check{"files", record.triple, Status::fail, "", repair(record)};
  std::size_t files = 0;
  for (const std::string& id : record.artifacts) {
    std::optional<store::Receipt> receipt;
    try {
      receipt = store.read_receipt(id);
    } catch (const Error& error) {
      check.detail = error.message();
      return check;
    }
    if (!receipt) {
      check.detail =
          fmt::format("'{}' is not installed (no {})", id,
                      (store.layout().toolchain(id) / "receipt.toml").string());
      return check;
    }
    const std::vector<std::string> missing = store.missing_files(*receipt);
    if (!missing.empty()) {
      const std::vector<std::string> shown(
          missing.begin(),
          missing.begin() + static_cast<std::ptrdiff_t>(
                                std::min<std::size_t>(missing.size(), 3)));
      check.detail = fmt::format("{} of {} files of '{}' are missing: {}{}",
                                 missing.size(), receipt->files.size(), id,
                                 join(shown, ", "),
                                 missing.size() > shown.size() ? ", …" : "");
      return check;
    }
    files += receipt->files.size();
  }
  check.status = Status::ok;
  check.detail = fmt::format("{} files of {} present", files,
                             join(record.artifacts, " + "));
  check.fix.clear();
  return check;
}

// qemu-user's name for an architecture.
std::string qemu_arch(const std::string& arch) {
  if (arch == "armv7") {
    return "arm";
  }
  if (arch == "i686") {
    return "i386";
  }
  return arch;
}

// The ways to run a program of `target` here, in the order to try them: an
// empty prefix (directly) when the host's architecture should run it, then
// qemu-user when it is on PATH. Empty, with the reason in why_not, when
// there is none.
std::vector<std::vector<std::string>>
runners(const triple::Triple& target, const Env& env, std::string& why_not) {
  const std::string host = platform::host_platform();
  const std::string host_arch = host.substr(0, host.find('-'));
  if (!host.ends_with("-linux")) {
    why_not = "a " + host + " host cannot run Linux programs";
    return {};
  }
  std::vector<std::vector<std::string>> found;
  if (host_arch == target.arch_name() ||
      (host_arch == "x86_64" && target.arch_name() == "i686")) {
    found.emplace_back();
  }
  // Also behind a native attempt: a kernel built without 32-bit support
  // refuses i686 programs (Exec format error), and qemu still runs them.
  const std::string path = env.get("PATH").value_or("");
  const std::string qemu = "qemu-" + qemu_arch(target.arch_name());
  for (const std::string& name : {qemu + "-static", qemu}) {
    if (auto program = platform::find_program(name, path)) {
      found.push_back({program->string()});
      break;
    }
  }
  why_not = fmt::format("no {}-static or {} on PATH (install qemu-user-static "
                        "to run it)",
                        qemu, qemu);
  return found;
}

std::string first_lines(const std::string& text) {
  const std::vector<std::string> lines = split(std::string(trim(text)), '\n');
  const std::size_t count = std::min<std::size_t>(lines.size(), 3);
  return join(std::span(lines.data(), count), " | ");
}

// What the target's programs need from the machine that runs them, read
// from probe programs linked with its compilers.
Check check_floor(const store::TargetRecord& record, const Env& env) {
  const triple::Triple target = triple::parse(record.triple);
  const platform::TempDir dir(env.get("TMPDIR").value_or("/tmp"),
                              "xtc-doctor-");
  try {
    const install::Probe probe =
        install::probe_target(record, target, dir.path());
    if (!probe.misfits.empty()) {
      return {"floor", record.triple, Status::fail, join(probe.misfits, "; "),
              ""};
    }
    return {"floor", record.triple, Status::ok,
            fmt::format("probe programs {}: fit {}", probe.summary,
                        target.display()),
            ""};
  } catch (const Error& error) {
    return {"floor", record.triple, Status::fail, error.message(),
            repair(record)};
  }
}

Check check_hello(const store::TargetRecord& record,
                  const store::Layout& layout, const Env& env) {
  Check check{"hello", record.triple, Status::fail, "",
              fmt::format("xtc target remove {0} && xtc target add {0}",
                          record.triple)};
  const fs::path parent = env.get("TMPDIR").value_or("/tmp");
  const platform::TempDir dir(parent, "xtc-doctor-");
  const fs::path source = dir.path() / "hello.c";
  const fs::path program = dir.path() / "hello";
  platform::write_file_atomic(source, k_hello_source, "hello world source");
  const fs::path gcc = layout.bin() / (record.gnu + "-gcc");
  const platform::RunResult built = platform::run_capture(
      {gcc.string(), "-static", "-o", program.string(), source.string()});
  if (built.exit_code != 0) {
    check.detail = fmt::format("'{} -static hello.c' exited {}: {}",
                               gcc.filename().string(), built.exit_code,
                               first_lines(built.output));
    return check;
  }
  const triple::Triple target = triple::parse(record.triple);
  if (!platform::path_exists(program)) {
    check.detail = fmt::format("'{} -static hello.c' exited 0 but wrote no "
                               "program",
                               gcc.filename().string());
    return check;
  }
  std::string why_not;
  platform::RunResult ran;
  std::string how;
  // A runner that cannot even start the program is the host's limit, not
  // the install's: the next one is tried, and if none starts it the check
  // is skipped with the reason, never answered with a reinstall.
  for (const std::vector<std::string>& prefix : runners(target, env, why_not)) {
    std::vector<std::string> argv = prefix;
    argv.push_back(program.string());
    try {
      ran = platform::run_capture(argv);
    } catch (const Error& error) {
      why_not = prefix.empty() ? "this host does not run it natively (" +
                                     error.message() + ") and " + why_not
                               : error.message();
      continue;
    }
    how = prefix.empty()
              ? "natively"
              : "under " + fs::path(prefix.front()).filename().string();
    break;
  }
  if (how.empty()) {
    check.status = Status::skip;
    check.detail = "hello world compiled; not run: " + why_not;
    check.fix.clear();
    return check;
  }
  if (ran.exit_code != 0 || trim(ran.output) != k_hello_output) {
    check.detail = fmt::format("hello world compiled but, run {}, exited {} "
                               "and printed: {}",
                               how, ran.exit_code, first_lines(ran.output));
    return check;
  }
  check.status = Status::ok;
  check.detail = "hello world compiled and ran " + how;
  check.fix.clear();
  return check;
}

std::vector<Check> diagnose(const std::optional<std::string>& only,
                            const Context& context) {
  const store::Layout layout = context.layout();
  const store::Store store(layout);
  std::vector<store::TargetRecord> records;
  if (only) {
    const triple::Triple target = triple::parse(*only);
    std::optional<store::TargetRecord> record =
        store::read_target_record(layout, target.gnu());
    if (!record) {
      throw Error(fmt::format("target '{}' is not installed", target.display()),
                  fmt::format("run 'xtc target add {}'", target.display()));
    }
    records.push_back(std::move(*record));
  } else {
    records = store::list_target_records(layout);
  }
  std::vector<Check> checks = {check_path(context.env, layout)};
  for (const store::TargetRecord& record : records) {
    const Check shims = check_shims(record, layout, context);
    const Check compiler = check_compiler(record);
    const Check files = check_files(record, store);
    checks.push_back(shims);
    checks.push_back(compiler);
    checks.push_back(files);
    if (shims.status == Status::ok && compiler.status == Status::ok &&
        files.status == Status::ok) {
      checks.push_back(check_floor(record, context.env));
      checks.push_back(check_hello(record, layout, context.env));
    } else {
      for (const char* name : {"floor", "hello"}) {
        checks.push_back({name, record.triple, Status::skip,
                          "not run: fix the problems above first", ""});
      }
    }
  }
  return checks;
}

void print_text(const std::vector<Check>& checks, bool any_targets) {
  for (const Check& check : checks) {
    const char* label = check.status == Status::ok     ? "ok  "
                        : check.status == Status::fail ? "FAIL"
                                                       : "skip";
    const std::string subject =
        check.target.empty() ? "" : check.target + ": " + check.name + ": ";
    std::cout << label << "  " << subject << check.detail << '\n';
    if (check.status == Status::fail && !check.fix.empty()) {
      std::cout << "      fix: " << check.fix << '\n';
    }
  }
  if (!any_targets) {
    std::cout << "      no targets installed (xtc target add <target>)\n";
  }
}

nlohmann::json to_json(const std::vector<Check>& checks,
                       const store::Layout& layout, std::size_t failures) {
  nlohmann::json out = {{"home", layout.root().string()},
                        {"ok", failures == 0},
                        {"checks", nlohmann::json::array()}};
  for (const Check& check : checks) {
    out["checks"].push_back(
        {{"check", check.name},
         {"target", check.target.empty() ? nlohmann::json(nullptr)
                                         : nlohmann::json(check.target)},
         {"status", status_name(check.status)},
         {"detail", check.detail},
         {"fix", check.fix.empty() ? nlohmann::json(nullptr)
                                   : nlohmann::json(check.fix)}});
  }
  return out;
}

} // namespace

void add_doctor(CLI::App& parent, Context& context) {
  struct Args {
    std::string triple;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "doctor",
      "Check PATH, shims and installs; compile and run a hello world per "
      "target\n\nExamples:\n"
      "  xtc doctor                     check everything installed\n"
      "  xtc doctor aarch64-linux-gnu   check one target\n"
      "  xtc doctor --json              the same, for scripts\n");
  cmd->add_option("triple", args->triple,
                  "Only this target (default: every installed target)");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &context] {
    const std::optional<std::string> only =
        args->triple.empty() ? std::nullopt : std::optional(args->triple);
    const std::vector<Check> checks = diagnose(only, context);
    const std::size_t failures = static_cast<std::size_t>(
        std::count_if(checks.begin(), checks.end(), [](const Check& check) {
          return check.status == Status::fail;
        }));
    if (args->json) {
      std::cout << to_json(checks, context.layout(), failures).dump(2) << '\n';
    } else {
      print_text(checks, checks.size() > 1);
    }
    if (failures > 0) {
      throw Error(fmt::format("xtc doctor found {} problem{}", failures,
                              failures == 1 ? "" : "s"),
                  "run the fix shown for each");
    }
  });
}

} // namespace xtc::cli
