// Fuzzes the ELF reader behind `xtc check`: any bytes are read as a program
// (or a static archive) or refused with xtc::Error, never a crash, a hang
// or a read past the input. What it reads is consistent: every version a
// symbol needs is one of the versions the file requires.
#include "base/error.hpp"
#include "elf/elf_file.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>
#include <string>

namespace {

void check_consistent(const xtc::elf::Info& info) {
  std::set<std::string> required;
  for (const xtc::elf::Needed& needed : info.version_needs) {
    for (const xtc::elf::SymbolVersion& version : needed.versions) {
      required.insert(version.name);
    }
  }
  for (const auto& [version, symbols] : info.symbols_by_version) {
    if (required.count(version) == 0 || symbols.empty()) {
      std::abort();
    }
  }
  if (info.bits != 32 && info.bits != 64) {
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::span<const unsigned char> bytes(data, size);
  try {
    if (xtc::elf::is_archive(bytes)) {
      for (const xtc::elf::Member& member :
           xtc::elf::parse_archive(bytes, "fuzz.a")) {
        check_consistent(member.info);
      }
    } else {
      check_consistent(xtc::elf::parse(bytes, "fuzz"));
    }
  } catch (const xtc::Error&) {
    return 0;
  }
  return 0;
}
