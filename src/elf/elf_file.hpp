// Reads what a built program needs from the system that runs it, straight
// from its ELF file, with no external tool: machine and ABI, how it is
// linked, its interpreter and DT_NEEDED libraries, and the symbol versions
// it requires from each versioned library (GLIBC_2.34, GLIBCXX_3.4.29, …),
// with the symbols that require them. Static archives are read member by
// member.
//
// Every file is hostile until proven otherwise: each offset, size, count
// and string is checked against the bytes before it is used, version
// chains are walked with a bound on their length, and a malformed file is
// one xtc::Error naming it and what is wrong, never a crash or a hang.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::elf {

enum class Kind { executable, shared_library, relocatable, other };
enum class Linking {
  none,       // a relocatable object or a shared library: not a program
  dynamic,    // has an interpreter (PT_INTERP)
  static_pie, // position-independent, loads itself (no interpreter)
  fully_static,
};

// A symbol version such as "GLIBC_2.34": its family ("GLIBC") and its
// numbers ({2, 34}). Versions without numbers (GLIBC_PRIVATE) have none.
struct SymbolVersion {
  std::string name;
  std::string family;
  std::vector<unsigned> numbers;
};

// Parses "GLIBC_2.34" (also "GLIBCXX_3.4.29", "GCC_3.0", "CXXABI_1.3.13").
SymbolVersion parse_symbol_version(std::string_view name);
// Numeric order of dotted versions: "2.9" < "2.17" < "2.34".
bool version_less(const std::vector<unsigned>& a,
                  const std::vector<unsigned>& b);
// "2.34" -> {2, 34}; empty when it is not a dotted number.
std::vector<unsigned> parse_dotted(std::string_view text);

struct Needed {
  std::string library;                 // from the version table: libc.so.6
  std::vector<SymbolVersion> versions; // in the file's order
};

struct Info {
  unsigned bits = 0; // 32 or 64
  bool little_endian = true;
  std::uint16_t machine_code = 0;
  std::string machine; // x86_64, aarch64, arm, riscv64, riscv32, i386, …
  // Float ABI and the like: "EABI5, hard-float", "lp64d", "" when nothing
  // beyond the machine matters.
  std::string abi;
  // For 32-bit Arm: true/false when the file says which float ABI it uses.
  std::optional<bool> arm_hard_float;
  Kind kind = Kind::other;
  Linking linking = Linking::none;
  std::string interpreter;
  std::string soname;
  std::vector<std::string> needed; // DT_NEEDED, in order
  std::vector<Needed> version_needs;
  // Undefined dynamic symbols by the version they require.
  std::map<std::string, std::vector<std::string>> symbols_by_version;

  // The highest version of `family` ("GLIBC") required from any library,
  // or nullptr.
  const SymbolVersion* highest(std::string_view family) const;
};

// One ELF image. Throws xtc::Error "malformed ELF file '<display>': …".
Info parse(std::span<const unsigned char> bytes, std::string_view display);

struct Member {
  std::string name;
  Info info;
};

// True when bytes start like a static archive ("!<arch>\n").
bool is_archive(std::span<const unsigned char> bytes);
// The ELF members of a static archive (others, such as the symbol table,
// are skipped). Throws xtc::Error "malformed archive '<display>': …".
std::vector<Member> parse_archive(std::span<const unsigned char> bytes,
                                  std::string_view display);

} // namespace xtc::elf
