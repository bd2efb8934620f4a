#include "triple/triple.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace xtc::triple {
namespace {

// How each ecosystem names one architecture. The GNU name doubles as the
// manifest's and uname's name, and as clang's (LLVM accepts "riscv64" where
// Rust insists on "riscv64gc").
struct ArchNames {
  Arch arch;
  std::string_view gnu;
  std::string_view rust;
  std::string_view zig;
  std::string_view debian;
};

constexpr std::array<ArchNames, 5> k_arch_names = {{
    {Arch::x86_64, "x86_64", "x86_64", "x86_64", "x86_64"},
    {Arch::aarch64, "aarch64", "aarch64", "aarch64", "aarch64"},
    {Arch::armv7, "armv7", "armv7", "arm", "arm"},
    {Arch::riscv64, "riscv64", "riscv64gc", "riscv64", "riscv64"},
    {Arch::i686, "i686", "i686", "x86", "i386"},
}};

// Every word accepted in the architecture field. Bare "arm" is Debian's and
// zig's name for ARMv7 hard-float, but in a vendor spelling it is Rust's
// ARMv6 target, so parse_fields() only takes it without a vendor.
struct ArchWord {
  std::string_view word;
  Arch arch;
};

constexpr std::array<ArchWord, 13> k_arch_words = {{
    {"x86_64", Arch::x86_64},
    {"amd64", Arch::x86_64},
    {"aarch64", Arch::aarch64},
    {"arm64", Arch::aarch64},
    {"armv7", Arch::armv7},
    {"armv7a", Arch::armv7},
    {"armv7l", Arch::armv7},
    {"arm", Arch::armv7},
    {"riscv64", Arch::riscv64},
    {"riscv64gc", Arch::riscv64},
    {"i686", Arch::i686},
    {"i386", Arch::i686},
    {"x86", Arch::i686},
}};

// The environment field: the libc plus, for 32-bit Arm, the hard-float ABI.
struct EnvWord {
  std::string_view word;
  Libc libc;
  bool eabihf;
};

constexpr std::array<EnvWord, 4> k_env_words = {{
    {"gnu", Libc::gnu, false},
    {"musl", Libc::musl, false},
    {"gnueabihf", Libc::gnu, true},
    {"musleabihf", Libc::musl, true},
}};

// The entry of `table` spelled `word`, or nullptr.
template <typename Entry, std::size_t N>
const Entry* find_word(const std::array<Entry, N>& table,
                       std::string_view word) {
  for (const Entry& entry : table) {
    if (entry.word == word) {
      return &entry;
    }
  }
  return nullptr;
}

const ArchNames& names_of(Arch arch) {
  return *std::find_if(k_arch_names.begin(), k_arch_names.end(),
                       [arch](const ArchNames& n) { return n.arch == arch; });
}

std::string env_of(const Triple& t) {
  std::string env = t.libc == Libc::gnu ? "gnu" : "musl";
  if (t.arch == Arch::armv7) {
    env += "eabihf";
  }
  return env;
}

// The result of reading a spelling: a triple, or why it is not one.
struct Outcome {
  std::optional<Triple> triple;
  std::string message;
  std::string hint;
};

Outcome failure(std::string message, std::string hint) {
  return Outcome{std::nullopt, std::move(message), std::move(hint)};
}

const std::vector<std::string>& known_spellings() {
  static const std::vector<std::string> spellings = [] {
    std::vector<std::string> out;
    for (const Triple& t : known_targets()) {
      out.push_back(t.gnu());
      out.push_back(t.rust());
    }
    return out;
  }();
  return spellings;
}

// "unknown target" with the nearest known spelling. A well-formed pin is
// kept out of the distance and put back on the suggestion, so a typo in
// "x86_64-linux-gnx.2.17" still finds "x86_64-linux-gnu.2.17".
Outcome unknown(std::string_view spelling, std::string_view base,
                std::string_view pin_suffix) {
  std::optional<std::string> near = nearest(base, known_spellings());
  if (!near) {
    near = nearest(spelling, known_spellings());
    pin_suffix = {};
  }
  std::string hint =
      near ? fmt::format("did you mean '{}{}'?", *near, pin_suffix)
           : std::string("run 'xtc target list' to see the supported targets");
  return failure(fmt::format("unknown target '{}'", spelling), std::move(hint));
}

bool valid_version(std::string_view version) {
  if (version.empty() || version.front() == '.' || version.back() == '.' ||
      version.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(version.begin(), version.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

Outcome analyse(std::string_view spelling) {
  const bool has_upper =
      std::any_of(spelling.begin(), spelling.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) != 0;
      });
  if (has_upper) {
    const std::string lower = to_lower(spelling);
    if (analyse(lower).triple) {
      return failure(
          fmt::format("unknown target '{}'", spelling),
          fmt::format("target names are lower-case: did you mean '{}'?",
                      lower));
    }
    return unknown(spelling, lower, {});
  }

  const std::size_t dot = spelling.find('.');
  const std::string_view base = spelling.substr(0, dot);
  const std::optional<std::string_view> pin =
      dot == std::string_view::npos
          ? std::nullopt
          : std::optional<std::string_view>(spelling.substr(dot + 1));
  const std::string_view pin_suffix =
      pin && valid_version(*pin) ? spelling.substr(dot) : std::string_view{};

  std::vector<std::string> fields = split(base, '-');
  const bool has_vendor = fields.size() == 4;
  if (has_vendor) {
    if (fields[1] != "unknown" && fields[1] != "pc") {
      return unknown(spelling, base, pin_suffix);
    }
    fields.erase(fields.begin() + 1);
  }
  if (fields.size() != 3 || fields[1] != "linux") {
    return unknown(spelling, base, pin_suffix);
  }
  const std::string& arch_word = fields[0];
  const std::string& env_word = fields[2];

  const EnvWord* env = find_word(k_env_words, env_word);
  if (env == nullptr) {
    return unknown(spelling, base, pin_suffix);
  }
  // A pin only carries over into suggestions for glibc targets.
  const std::string_view kept_pin =
      env->libc == Libc::gnu ? pin_suffix : std::string_view{};
  // A suggestion in the same style as the input (with a vendor: Rust's),
  // without the pin.
  const auto like_input = [&](Arch arch) {
    const Triple t{arch, env->libc, std::nullopt};
    return has_vendor ? t.rust() : t.gnu();
  };

  if (arch_word == "i586" || arch_word == "i486") {
    return failure(
        fmt::format("target '{}' is not supported: xtc's 32-bit x86 targets "
                    "are i686",
                    spelling),
        fmt::format("did you mean '{}{}'?", like_input(Arch::i686), kept_pin));
  }
  const ArchWord* arch = find_word(k_arch_words, arch_word);
  if (arch == nullptr) {
    return unknown(spelling, base, pin_suffix);
  }
  if (arch_word == "arm" && has_vendor) {
    return failure(
        fmt::format("target '{}' is Rust's ARMv6 target, which xtc does not "
                    "support",
                    spelling),
        fmt::format("did you mean '{}{}'?", like_input(Arch::armv7), kept_pin));
  }
  if (arch->arch == Arch::armv7 && !env->eabihf) {
    return failure(
        fmt::format("target '{}' has no float ABI: xtc's 32-bit Arm targets "
                    "are hard-float",
                    spelling),
        fmt::format("did you mean '{}{}'?", like_input(Arch::armv7), kept_pin));
  }
  if (arch->arch != Arch::armv7 && env->eabihf) {
    return unknown(spelling, base, pin_suffix);
  }

  Triple triple{arch->arch, env->libc, std::nullopt};
  if (pin) {
    if (env->libc != Libc::gnu) {
      return failure(
          fmt::format("target '{}' pins a libc version, but only glibc "
                      "targets can be pinned",
                      spelling),
          fmt::format("drop the '.{}': '{}'", *pin, like_input(arch->arch)));
    }
    if (!valid_version(*pin)) {
      return failure(
          fmt::format("target '{}' has an invalid glibc version '{}'", spelling,
                      *pin),
          fmt::format("a glibc version is digits and dots, as in '{}.2.17'",
                      like_input(arch->arch)));
    }
    triple.libc_version = std::string(*pin);
  }
  return Outcome{std::move(triple), {}, {}};
}

} // namespace

std::string Triple::gnu() const {
  return fmt::format("{}-linux-{}", names_of(arch).gnu, env_of(*this));
}

std::string Triple::rust() const {
  return fmt::format("{}-unknown-linux-{}", names_of(arch).rust, env_of(*this));
}

std::string Triple::llvm() const {
  return fmt::format("{}-unknown-linux-{}", names_of(arch).gnu, env_of(*this));
}

std::string Triple::zig() const {
  std::string out =
      fmt::format("{}-linux-{}", names_of(arch).zig, env_of(*this));
  if (libc_version) {
    out += "." + *libc_version;
  }
  return out;
}

std::string Triple::debian() const {
  return fmt::format("{}-linux-{}", names_of(arch).debian, env_of(*this));
}

std::string Triple::display() const {
  return libc_version ? gnu() + "." + *libc_version : gnu();
}

std::string Triple::arch_name() const {
  return std::string(names_of(arch).gnu);
}

std::string Triple::libc_name() const {
  return libc == Libc::gnu ? "glibc" : "musl";
}

std::optional<Triple> try_parse(std::string_view spelling) {
  return analyse(spelling).triple;
}

Triple parse(std::string_view spelling) {
  Outcome outcome = analyse(spelling);
  if (!outcome.triple) {
    throw usage_error(std::move(outcome.message), std::move(outcome.hint));
  }
  return std::move(*outcome.triple);
}

std::vector<Triple> known_targets() {
  std::vector<Triple> out;
  for (const ArchNames& names : k_arch_names) {
    out.push_back(Triple{names.arch, Libc::gnu, std::nullopt});
    out.push_back(Triple{names.arch, Libc::musl, std::nullopt});
  }
  return out;
}

} // namespace xtc::triple
