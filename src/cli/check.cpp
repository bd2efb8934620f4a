// `xtc check FILE… [--target T] [--why VERSION] [--json]`: what a built file
// needs from the machine that runs it, read from the file itself (no
// readelf, no ldd): machine and ABI, static / static-pie / dynamic, the
// interpreter, DT_NEEDED libraries and the highest symbol version needed of
// each family (GLIBC, GLIBCXX, CXXABI, GCC). With a target ("--target
// aarch64-linux-gnu.2.28", else the project's pin for the file's machine)
// it says whether the file fits and exits 1 when one does not.
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "elf/elf_file.hpp"
#include "elf/fit.hpp"
#include "platform/fd.hpp"
#include "shim/pin_file.hpp"
#include "triple/triple.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <iostream>
#include <memory>
#include <set>
#include <span>

namespace xtc::cli {
namespace {

// Large enough for any program or static library a cross build makes.
constexpr std::size_t k_max_file = std::size_t{1} << 30U;
constexpr std::array<std::string_view, 4> k_families = {"GLIBC", "GLIBCXX",
                                                        "CXXABI", "GCC"};

struct Args {
  std::vector<std::string> files;
  std::string target;
  std::string why;
  bool json = false;
};

struct Checked {
  std::string path;
  std::vector<elf::Member> objects; // one for an ELF file; members of an .a
  bool archive = false;
  std::optional<triple::Triple> target;
  std::vector<std::string> misfits;
};

std::string linking_name(const elf::Info& info) {
  switch (info.kind) {
  case elf::Kind::relocatable:
    return "relocatable object";
  case elf::Kind::shared_library:
    return "shared library";
  case elf::Kind::other:
    return "ELF file";
  case elf::Kind::executable:
    break;
  }
  switch (info.linking) {
  case elf::Linking::dynamic:
    return "dynamically linked executable";
  case elf::Linking::static_pie:
    return "static-pie executable";
  case elf::Linking::fully_static:
    return "statically linked executable";
  case elf::Linking::none:
    break;
  }
  return "executable";
}

std::string machine_text(const elf::Info& info) {
  return info.abi.empty() ? info.machine
                          : fmt::format("{} ({})", info.machine, info.abi);
}

// The project's pin for a target of the file's architecture, as the floor
// to hold it to when --target is not given.
std::optional<triple::Triple> pinned_target(const elf::Info& info,
                                            const Context& context) {
  const std::optional<std::filesystem::path> path =
      shim::find_pin_file(context.env.cwd());
  if (!path) {
    return std::nullopt;
  }
  for (const shim::Pin& pin : shim::read_pin_file(*path).pins) {
    std::optional<triple::Triple> target = triple::try_parse(pin.target);
    if (target && target->arch_name() == elf::xtc_arch(info)) {
      if (pin.libc_version) {
        target->libc_version = pin.libc_version;
      }
      return target;
    }
  }
  return std::nullopt;
}

Checked check_file(const std::string& file, const Args& args,
                   const Context& context) {
  const std::filesystem::path path = context.env.cwd() / file;
  const std::string bytes = platform::read_file(path, "file", k_max_file);
  const std::span<const unsigned char> view(
      reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  Checked checked{file, {}, elf::is_archive(view), std::nullopt, {}};
  if (checked.archive) {
    checked.objects = elf::parse_archive(view, file);
  } else {
    checked.objects.push_back({"", elf::parse(view, file)});
  }
  if (!args.target.empty()) {
    checked.target = triple::parse(args.target);
  } else if (!checked.objects.empty()) {
    checked.target = pinned_target(checked.objects.front().info, context);
  }
  if (checked.target) {
    for (const elf::Member& object : checked.objects) {
      for (std::string& misfit : elf::misfits(object.info, *checked.target)) {
        checked.misfits.push_back(
            object.name.empty() ? misfit
                                : fmt::format("{}: {}", object.name, misfit));
      }
    }
  }
  return checked;
}

void print_text(const Checked& checked, const Args& args) {
  if (checked.archive) {
    std::set<std::string> machines;
    for (const elf::Member& member : checked.objects) {
      machines.insert(machine_text(member.info));
    }
    std::cout << fmt::format(
        "{}: static archive of {} object{}: {}\n", checked.path,
        checked.objects.size(), checked.objects.size() == 1 ? "" : "s",
        join(std::vector<std::string>(machines.begin(), machines.end()), ", "));
  } else {
    const elf::Info& info = checked.objects.front().info;
    std::cout << fmt::format(
        "{}: {}, {}-bit {}, {}\n", checked.path, machine_text(info), info.bits,
        info.little_endian ? "LSB" : "MSB", linking_name(info));
    if (!info.interpreter.empty()) {
      std::cout << "  interpreter  " << info.interpreter << '\n';
    }
    if (!info.soname.empty()) {
      std::cout << "  soname       " << info.soname << '\n';
    }
    if (!info.needed.empty()) {
      std::cout << "  needed       " << join(info.needed, ", ") << '\n';
    }
    std::vector<std::string> highest;
    for (const std::string_view family : k_families) {
      if (const elf::SymbolVersion* version = info.highest(family)) {
        highest.push_back(version->name);
      }
    }
    if (!highest.empty()) {
      std::cout << "  requires     " << join(highest, ", ") << '\n';
    }
    if (!args.why.empty()) {
      const auto it = info.symbols_by_version.find(args.why);
      std::cout << fmt::format("  {} for     {}\n", args.why,
                               it == info.symbols_by_version.end()
                                   ? "(no symbol needs it)"
                                   : join(it->second, ", "));
    }
  }
  if (checked.target) {
    if (checked.misfits.empty()) {
      std::cout << fmt::format("  fits         {}\n",
                               checked.target->display());
    }
    for (const std::string& misfit : checked.misfits) {
      std::cout << fmt::format("  does not fit {}: {}\n",
                               checked.target->display(), misfit);
    }
  }
}

nlohmann::json info_json(const elf::Info& info) {
  nlohmann::json versions = nlohmann::json::object();
  for (const elf::Needed& needed : info.version_needs) {
    nlohmann::json names = nlohmann::json::array();
    for (const elf::SymbolVersion& version : needed.versions) {
      names.push_back(version.name);
    }
    versions[needed.library] = names;
  }
  nlohmann::json highest = nlohmann::json::object();
  for (const std::string_view family : k_families) {
    if (const elf::SymbolVersion* version = info.highest(family)) {
      highest[std::string(family)] = version->name;
    }
  }
  const auto text = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  return {{"machine", info.machine},
          {"bits", info.bits},
          {"abi", text(info.abi)},
          {"kind", linking_name(info)},
          {"interpreter", text(info.interpreter)},
          {"soname", text(info.soname)},
          {"needed", info.needed},
          {"versions", versions},
          {"highest", highest},
          {"symbols", info.symbols_by_version}};
}

nlohmann::json to_json(const Checked& checked) {
  nlohmann::json objects = nlohmann::json::array();
  for (const elf::Member& object : checked.objects) {
    nlohmann::json entry = info_json(object.info);
    entry["member"] = object.name.empty() ? nlohmann::json(nullptr)
                                          : nlohmann::json(object.name);
    objects.push_back(entry);
  }
  return {{"path", checked.path},
          {"archive", checked.archive},
          {"objects", objects},
          {"target", checked.target ? nlohmann::json(checked.target->display())
                                    : nlohmann::json(nullptr)},
          {"fits", checked.target ? nlohmann::json(checked.misfits.empty())
                                  : nlohmann::json(nullptr)},
          {"problems", checked.misfits}};
}

} // namespace

void add_check(CLI::App& parent, Context& context) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "check",
      "Show what a built program needs to run, and whether a target has it\n\n"
      "Examples:\n"
      "  xtc check target/x86_64-unknown-linux-gnu/release/app\n"
      "  xtc check app --target x86_64-linux-gnu.2.28   exit 1 if it needs "
      "newer glibc\n"
      "  xtc check app --why GLIBC_2.34                 which symbols need "
      "it\n"
      "  xtc check libfoo.a --target armv7-linux-gnueabihf\n");
  cmd->add_option("files", args->files,
                  "ELF programs, libraries, objects or "
                  "static archives")
      ->required();
  cmd->add_option("--target", args->target,
                  "The target to check against, with a glibc floor "
                  "(x86_64-linux-gnu.2.28); default: the project's pin for "
                  "the file's machine");
  cmd->add_option("--why", args->why,
                  "List the symbols that need this version (GLIBC_2.34)");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &context] {
    if (!args->target.empty()) {
      triple::parse(args->target); // a usage error before any file is read
    }
    bool all_fit = true;
    nlohmann::json files = nlohmann::json::array();
    for (const std::string& file : args->files) {
      const Checked checked = check_file(file, *args, context);
      all_fit = all_fit && checked.misfits.empty();
      if (args->json) {
        files.push_back(to_json(checked));
      } else {
        print_text(checked, *args);
      }
    }
    if (args->json) {
      std::cout << nlohmann::json{{"files", files}}.dump(2) << '\n';
    }
    if (!all_fit) {
      throw Error("a file does not fit its target (see above)",
                  "build against an older glibc (a pinned target such as "
                  "x86_64-linux-gnu.2.28, or the zig flavor), or check "
                  "against the target you meant");
    }
  });
}

} // namespace xtc::cli
