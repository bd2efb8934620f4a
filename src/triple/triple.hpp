// A target triple, parsed from any common spelling into one canonical value
// with a rendering for each ecosystem that names targets differently:
//   GNU/musl-cross tool prefix  aarch64-linux-musl        (also xtc's own name)
//   Rust                        aarch64-unknown-linux-musl
//   LLVM/clang --target         aarch64-unknown-linux-musl
//   zig -target                 aarch64-linux-musl
//   Debian multiarch            aarch64-linux-gnu
// Parsing never guesses: an unknown spelling is an xtc::Error naming the
// nearest known spelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::triple {

enum class Arch { x86_64, aarch64, armv7, riscv64, i686 };
enum class Libc { gnu, musl };

struct Triple {
  Arch arch = Arch::x86_64;
  Libc libc = Libc::gnu;
  // A glibc version pin ("2.17" from "x86_64-linux-gnu.2.17"); only for gnu.
  std::optional<std::string> libc_version;

  // GNU tool prefix: "x86_64-linux-musl", "armv7-linux-gnueabihf". This is
  // the name of shims and of xtc's per-target files. Never has the pin.
  std::string gnu() const;
  // "x86_64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu".
  std::string rust() const;
  // clang --target: "x86_64-unknown-linux-gnu", "riscv64-unknown-linux-gnu".
  std::string llvm() const;
  // zig -target, with the glibc pin when there is one: "x86-linux-gnu.2.17".
  std::string zig() const;
  // Debian multiarch directory name: "i386-linux-gnu", "arm-linux-gnueabihf".
  std::string debian() const;
  // gnu() plus ".<libc_version>" when pinned: what `xtc target list` shows.
  std::string display() const;

  // Architecture name as the manifest and uname spell it ("aarch64").
  std::string arch_name() const;
  // "glibc" or "musl".
  std::string libc_name() const;

  bool operator==(const Triple&) const = default;
};

// Parses any supported spelling; returns nullopt when it is not one.
std::optional<Triple> try_parse(std::string_view spelling);

// Parses any supported spelling; throws xtc::Error (exit code 2) with the
// nearest known spelling as a hint when it is not one.
Triple parse(std::string_view spelling);

// Every target xtc knows, as gnu() spellings, for listings and suggestions.
std::vector<Triple> known_targets();

} // namespace xtc::triple
