#include "elf/fit.hpp"

#include "base/strings.hpp"

#include <fmt/format.h>

namespace xtc::elf {
namespace {

// Shown at most: a program can need hundreds of symbols of one version.
constexpr std::size_t k_symbols_shown = 8;

bool is_glibc_loader(std::string_view interpreter) {
  return interpreter.find("/ld-linux") != std::string_view::npos ||
         interpreter.find("/ld64.so") != std::string_view::npos ||
         interpreter.find("/ld.so") != std::string_view::npos;
}

std::string symbols_needing(const Info& info,
                            const std::vector<unsigned>& floor) {
  std::vector<std::string> shown;
  std::size_t total = 0;
  for (const auto& [version, symbols] : info.symbols_by_version) {
    const SymbolVersion parsed = parse_symbol_version(version);
    if (parsed.family != "GLIBC" || !version_less(floor, parsed.numbers)) {
      continue;
    }
    for (const std::string& symbol : symbols) {
      ++total;
      if (shown.size() < k_symbols_shown) {
        shown.push_back(fmt::format("{}@{}", symbol, version));
      }
    }
  }
  std::string text = join(shown, ", ");
  if (total > shown.size()) {
    text += fmt::format(" and {} more", total - shown.size());
  }
  return text;
}

} // namespace

std::string xtc_arch(const Info& info) {
  if (info.machine == "x86_64" || info.machine == "aarch64" ||
      info.machine == "riscv64") {
    return info.machine;
  }
  if (info.machine == "arm") {
    return "armv7";
  }
  if (info.machine == "i386") {
    return "i686";
  }
  return "";
}

std::vector<std::string> misfits(const Info& info,
                                 const triple::Triple& target) {
  std::vector<std::string> problems;
  const std::string arch = target.arch_name();
  if (xtc_arch(info) != arch || (arch == "x86_64" && info.bits != 64) ||
      (arch == "i686" && info.bits != 32)) {
    problems.push_back(fmt::format("it is for {} ({}-bit), not {}",
                                   info.machine, info.bits, arch));
    return problems; // nothing else means much for another machine
  }
  if (arch == "armv7" && info.arm_hard_float == false) {
    problems.push_back(fmt::format(
        "it uses the soft-float ABI, and {} passes floats in VFP registers",
        target.gnu()));
  }
  if (info.linking != Linking::dynamic) {
    return problems;
  }
  const bool glibc_linked =
      is_glibc_loader(info.interpreter) || info.highest("GLIBC") != nullptr;
  const bool musl_linked =
      info.interpreter.find("/ld-musl-") != std::string::npos;
  if (target.libc == triple::Libc::musl && glibc_linked) {
    problems.push_back(fmt::format(
        "it is linked against glibc (interpreter {}), and {} has musl",
        info.interpreter, target.gnu()));
  } else if (target.libc == triple::Libc::gnu && musl_linked) {
    problems.push_back(fmt::format(
        "it is linked against musl (interpreter {}), and {} has glibc",
        info.interpreter, target.gnu()));
  }
  if (target.libc == triple::Libc::gnu && target.libc_version) {
    const std::vector<unsigned> floor = parse_dotted(*target.libc_version);
    const SymbolVersion* highest = info.highest("GLIBC");
    if (highest != nullptr && version_less(floor, highest->numbers)) {
      problems.push_back(fmt::format("it needs {}, newer than glibc {}, for {}",
                                     highest->name, *target.libc_version,
                                     symbols_needing(info, floor)));
    }
  }
  return problems;
}

} // namespace xtc::elf
