// The project pin file, xtc.toml: which toolchain each target uses in this
// project, found by searching upward from the working directory. Every shim
// call may read it, so it is read here by a small, strict reader of exactly
// the forms xtc documents, never by a TOML library:
//
//   # comment
//   [targets]
//   x86_64-linux-musl = {}
//   aarch64-linux-gnu = { flavor = "llvm", libc_version = "2.31" }
//   x86_64-linux-musl = { producer = "filosottile" }
//
// Keys are GNU target names, the prefix of the shim names; values are
// one-line inline tables with the optional string keys flavor (gcc, llvm or
// zig), libc_version (digits and dots) and producer (the manifest's name of
// who builds the toolchain: lower-case letters, digits and '-'). Strings are
// "basic" or 'literal' and hold no escapes. Anything else (other tables, dotted
// keys, arrays, numbers, escapes, duplicate keys) is an xtc::Error naming the
// line; the reader never guesses. The CLI reads the same text with toml++ as
// well and refuses a file on which the two readers disagree.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::shim {

inline constexpr std::string_view k_pin_file_name = "xtc.toml";

// One installed toolchain of a target: its flavor and, when they were asked
// for, its glibc version and its producer. Named "llvm", "gcc-2.31" or
// "gcc+filosottile" ("gcc-2.31+bootlin") in file names, in
// XTC_TOOLCHAIN_<TRIPLE> and in listings.
struct Variant {
  std::string flavor;
  std::optional<std::string> libc_version;
  std::optional<std::string> producer = {};

  std::string name() const;
  bool operator==(const Variant&) const = default;
};

// "gcc", "llvm", "zig".
bool is_flavor(std::string_view text);
// Digits separated by single dots: "2", "2.31", "1.2.3".
bool is_libc_version(std::string_view text);
// Parses a variant name; nullopt when it is not
// "<flavor>[-<version>][+<producer>]".
std::optional<Variant> parse_variant(std::string_view name);

// One entry of [targets].
struct Pin {
  std::string target; // the key, as written
  std::optional<std::string> flavor;
  std::optional<std::string> libc_version;
  std::optional<std::string> producer = {};

  bool operator==(const Pin&) const = default;
};

struct PinFile {
  std::filesystem::path path;
  std::vector<Pin> pins; // in file order

  // The entry for a target name, or nullptr.
  const Pin* find(std::string_view target) const;
};

// Parses pin file text; throws xtc::Error "cannot read pin file '<path>',
// line N: <reason>" with a hint showing the supported form.
PinFile parse_pin_file(std::string_view text,
                       const std::filesystem::path& path);

// The nearest xtc.toml in dir or a directory above it (one stat() per
// level); nullopt when there is none up to the root.
std::optional<std::filesystem::path>
find_pin_file(const std::filesystem::path& dir);

// Reads and parses a pin file; throws xtc::Error when it cannot be read.
PinFile read_pin_file(const std::filesystem::path& path);

// The variable that overrides a target's toolchain: the GNU name upper-cased
// with '-' and '.' as '_': XTC_TOOLCHAIN_AARCH64_LINUX_GNU.
std::string toolchain_variable(std::string_view target);
inline constexpr std::string_view k_toolchain_variable_prefix =
    "XTC_TOOLCHAIN_";
// One character of the target's name as the variable spells it.
constexpr char toolchain_variable_char(char c) {
  if (c == '-' || c == '.') {
    return '_';
  }
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

} // namespace xtc::shim
