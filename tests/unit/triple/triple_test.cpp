#include "base/error.hpp"
#include "support/catch.hpp"
#include "triple/triple.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using xtc::triple::Arch;
using xtc::triple::Libc;
using xtc::triple::Triple;

namespace {

// Every rendering of one canonical target, in the header's order.
struct Renderings {
  Triple triple;
  const char* gnu;
  const char* rust;
  const char* llvm;
  const char* zig;
  const char* debian;
  const char* arch_name;
  const char* libc_name;
};

const std::vector<Renderings>& all_renderings() {
  static const std::vector<Renderings> table = {
      {{Arch::x86_64, Libc::gnu, {}},
       "x86_64-linux-gnu",
       "x86_64-unknown-linux-gnu",
       "x86_64-unknown-linux-gnu",
       "x86_64-linux-gnu",
       "x86_64-linux-gnu",
       "x86_64",
       "glibc"},
      {{Arch::x86_64, Libc::musl, {}},
       "x86_64-linux-musl",
       "x86_64-unknown-linux-musl",
       "x86_64-unknown-linux-musl",
       "x86_64-linux-musl",
       "x86_64-linux-musl",
       "x86_64",
       "musl"},
      {{Arch::aarch64, Libc::gnu, {}},
       "aarch64-linux-gnu",
       "aarch64-unknown-linux-gnu",
       "aarch64-unknown-linux-gnu",
       "aarch64-linux-gnu",
       "aarch64-linux-gnu",
       "aarch64",
       "glibc"},
      {{Arch::aarch64, Libc::musl, {}},
       "aarch64-linux-musl",
       "aarch64-unknown-linux-musl",
       "aarch64-unknown-linux-musl",
       "aarch64-linux-musl",
       "aarch64-linux-musl",
       "aarch64",
       "musl"},
      {{Arch::armv7, Libc::gnu, {}},
       "armv7-linux-gnueabihf",
       "armv7-unknown-linux-gnueabihf",
       "armv7-unknown-linux-gnueabihf",
       "arm-linux-gnueabihf",
       "arm-linux-gnueabihf",
       "armv7",
       "glibc"},
      {{Arch::armv7, Libc::musl, {}},
       "armv7-linux-musleabihf",
       "armv7-unknown-linux-musleabihf",
       "armv7-unknown-linux-musleabihf",
       "arm-linux-musleabihf",
       "arm-linux-musleabihf",
       "armv7",
       "musl"},
      {{Arch::riscv64, Libc::gnu, {}},
       "riscv64-linux-gnu",
       "riscv64gc-unknown-linux-gnu",
       "riscv64-unknown-linux-gnu",
       "riscv64-linux-gnu",
       "riscv64-linux-gnu",
       "riscv64",
       "glibc"},
      {{Arch::riscv64, Libc::musl, {}},
       "riscv64-linux-musl",
       "riscv64gc-unknown-linux-musl",
       "riscv64-unknown-linux-musl",
       "riscv64-linux-musl",
       "riscv64-linux-musl",
       "riscv64",
       "musl"},
      {{Arch::i686, Libc::gnu, {}},
       "i686-linux-gnu",
       "i686-unknown-linux-gnu",
       "i686-unknown-linux-gnu",
       "x86-linux-gnu",
       "i386-linux-gnu",
       "i686",
       "glibc"},
      {{Arch::i686, Libc::musl, {}},
       "i686-linux-musl",
       "i686-unknown-linux-musl",
       "i686-unknown-linux-musl",
       "x86-linux-musl",
       "i386-linux-musl",
       "i686",
       "musl"},
  };
  return table;
}

// The error parse() throws for `spelling`; fails the test when it parses.
xtc::Error parse_error(const std::string& spelling) {
  try {
    (void)xtc::triple::parse(spelling);
  } catch (const xtc::Error& error) {
    return error;
  }
  FAIL("'" << spelling << "' parsed but should not");
  return xtc::Error("");
}

} // namespace

TEST_CASE("every known target renders in each ecosystem's spelling",
          "[triple]") {
  for (const Renderings& r : all_renderings()) {
    INFO(r.gnu);
    CHECK(r.triple.gnu() == r.gnu);
    CHECK(r.triple.rust() == r.rust);
    CHECK(r.triple.llvm() == r.llvm);
    CHECK(r.triple.zig() == r.zig);
    CHECK(r.triple.debian() == r.debian);
    CHECK(r.triple.display() == r.gnu);
    CHECK(r.triple.arch_name() == r.arch_name);
    CHECK(r.triple.libc_name() == r.libc_name);
  }
}

TEST_CASE("known_targets lists every arch with both libcs", "[triple]") {
  const std::vector<Triple> known = xtc::triple::known_targets();
  REQUIRE(known.size() == all_renderings().size());
  for (const Renderings& r : all_renderings()) {
    CHECK(std::find(known.begin(), known.end(), r.triple) != known.end());
  }
}

TEST_CASE("every rendering parses back to the same target", "[triple]") {
  for (const Renderings& r : all_renderings()) {
    for (const char* spelling : {r.gnu, r.rust, r.llvm, r.zig, r.debian}) {
      INFO(spelling);
      CHECK(xtc::triple::parse(spelling) == r.triple);
    }
  }
  for (const Triple& t : xtc::triple::known_targets()) {
    CHECK(xtc::triple::parse(t.gnu()) == t);
    CHECK(xtc::triple::parse(t.rust()) == t);
  }
}

TEST_CASE("vendor words and arch aliases are accepted", "[triple]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x86_64-pc-linux-gnu", "x86_64-linux-gnu"},
      {"amd64-linux-musl", "x86_64-linux-musl"},
      {"arm64-linux-gnu", "aarch64-linux-gnu"},
      {"arm64-unknown-linux-musl", "aarch64-linux-musl"},
      {"armv7a-linux-gnueabihf", "armv7-linux-gnueabihf"},
      {"armv7l-linux-musleabihf", "armv7-linux-musleabihf"},
      {"riscv64gc-linux-gnu", "riscv64-linux-gnu"},
      {"i386-linux-gnu", "i686-linux-gnu"},
      {"x86-linux-musl", "i686-linux-musl"},
      {"i686-pc-linux-gnu", "i686-linux-gnu"},
  };
  for (const auto& [spelling, gnu] : cases) {
    INFO(spelling);
    CHECK(xtc::triple::parse(spelling).gnu() == gnu);
  }
}

TEST_CASE("a glibc pin is kept and rendered", "[triple]") {
  const Triple t = xtc::triple::parse("x86_64-linux-gnu.2.17");
  CHECK(t.arch == Arch::x86_64);
  CHECK(t.libc == Libc::gnu);
  REQUIRE(t.libc_version == "2.17");
  CHECK(t.gnu() == "x86_64-linux-gnu");
  CHECK(t.display() == "x86_64-linux-gnu.2.17");
  CHECK(t.zig() == "x86_64-linux-gnu.2.17");
  CHECK(t.rust() == "x86_64-unknown-linux-gnu");
  CHECK(xtc::triple::parse("aarch64-unknown-linux-gnu.2.31").display() ==
        "aarch64-linux-gnu.2.31");
  CHECK(xtc::triple::parse("arm-linux-gnueabihf.2.28").zig() ==
        "arm-linux-gnueabihf.2.28");
  CHECK(xtc::triple::parse("i686-linux-gnu.2.17").zig() ==
        "x86-linux-gnu.2.17");
  CHECK(xtc::triple::parse(t.display()) == t);
  CHECK(t != xtc::triple::parse("x86_64-linux-gnu"));
}

TEST_CASE("a libc pin on musl is rejected", "[triple]") {
  const xtc::Error e = parse_error("x86_64-linux-musl.1.2");
  CHECK(e.message() == "target 'x86_64-linux-musl.1.2' pins a libc version, "
                       "but only glibc targets can be pinned");
  CHECK(e.hint() == "drop the '.1.2': 'x86_64-linux-musl'");
  CHECK(e.code() == xtc::ExitCode::usage);
}

TEST_CASE("a malformed glibc pin is rejected", "[triple]") {
  for (const char* spelling :
       {"x86_64-linux-gnu.", "x86_64-linux-gnu.2..17", "x86_64-linux-gnu.2.x",
        "x86_64-linux-gnu.v2", "x86_64-linux-gnu.2.17."}) {
    INFO(spelling);
    const xtc::Error e = parse_error(spelling);
    CHECK(e.message().find("has an invalid glibc version") !=
          std::string::npos);
    CHECK(e.hint() ==
          "a glibc version is digits and dots, as in 'x86_64-linux-gnu.2.17'");
  }
}

TEST_CASE("a typo is answered with the nearest known spelling", "[triple]") {
  const xtc::Error e = parse_error("x86_64-linux-mus");
  CHECK(e.message() == "unknown target 'x86_64-linux-mus'");
  CHECK(e.hint() == "did you mean 'x86_64-linux-musl'?");
  CHECK(e.code() == xtc::ExitCode::usage);

  CHECK(parse_error("aarch64-unknown-linux-gn").hint() ==
        "did you mean 'aarch64-unknown-linux-gnu'?");
  CHECK(parse_error("x86_64-linux-gnueabihf").hint() ==
        "did you mean 'x86_64-linux-gnu'?");
  CHECK(parse_error("x86_64-apple-linux-gnu").hint() ==
        "did you mean 'x86_64-linux-gnu'?");
  CHECK(parse_error("x86_64-unknown-linux-muls").hint() ==
        "did you mean 'x86_64-unknown-linux-musl'?");
}

TEST_CASE("a typo keeps its glibc pin in the suggestion", "[triple]") {
  const xtc::Error e = parse_error("x86_64-linux-gnx.2.17");
  CHECK(e.message() == "unknown target 'x86_64-linux-gnx.2.17'");
  CHECK(e.hint() == "did you mean 'x86_64-linux-gnu.2.17'?");
}

TEST_CASE("a spelling far from any target points at the list", "[triple]") {
  for (const char* spelling : {"windows", "", "sparc64-sun-solaris2.10",
                               "wasm32-unknown-unknown", "-", "x86_64"}) {
    INFO(spelling);
    const xtc::Error e = parse_error(spelling);
    CHECK(e.message() == "unknown target '" + std::string(spelling) + "'");
    CHECK(e.hint() == "run 'xtc target list' to see the supported targets");
  }
}

TEST_CASE("upper case is rejected with the lower-case spelling", "[triple]") {
  const xtc::Error e = parse_error("X86_64-Linux-GNU");
  CHECK(e.message() == "unknown target 'X86_64-Linux-GNU'");
  CHECK(e.hint() ==
        "target names are lower-case: did you mean 'x86_64-linux-gnu'?");
  CHECK_FALSE(xtc::triple::try_parse("AARCH64-linux-musl"));
}

TEST_CASE("i586 is not silently widened to i686", "[triple]") {
  const xtc::Error e = parse_error("i586-linux-gnu");
  CHECK(e.message() ==
        "target 'i586-linux-gnu' is not supported: xtc's 32-bit x86 targets "
        "are i686");
  CHECK(e.hint() == "did you mean 'i686-linux-gnu'?");
  CHECK(parse_error("i586-unknown-linux-musl").hint() ==
        "did you mean 'i686-unknown-linux-musl'?");
}

TEST_CASE("32-bit Arm needs the hard-float environment", "[triple]") {
  const xtc::Error e = parse_error("armv7-linux-gnu");
  CHECK(e.message().find("'armv7-linux-gnu'") != std::string::npos);
  CHECK(e.hint() == "did you mean 'armv7-linux-gnueabihf'?");
  CHECK(parse_error("armv7-unknown-linux-musl").hint() ==
        "did you mean 'armv7-unknown-linux-musleabihf'?");
  CHECK(parse_error("armv7-linux-gnu.2.28").hint() ==
        "did you mean 'armv7-linux-gnueabihf.2.28'?");
  CHECK_FALSE(xtc::triple::try_parse("armv7-linux-gnueabi"));
}

TEST_CASE("Rust's ARMv6 'arm' target is not taken for ARMv7", "[triple]") {
  const xtc::Error e = parse_error("arm-unknown-linux-gnueabihf");
  CHECK(e.message() == "target 'arm-unknown-linux-gnueabihf' is Rust's ARMv6 "
                       "target, which xtc does not support");
  CHECK(e.hint() == "did you mean 'armv7-unknown-linux-gnueabihf'?");
  CHECK(xtc::triple::parse("arm-linux-gnueabihf").arch == Arch::armv7);
}

TEST_CASE("try_parse returns nullopt instead of throwing", "[triple]") {
  CHECK_FALSE(xtc::triple::try_parse("x86_64-linux-mus"));
  CHECK_FALSE(xtc::triple::try_parse("x86_64-linux-musl.1.2"));
  CHECK_FALSE(xtc::triple::try_parse("x86_64-unknown-linux"));
  CHECK_FALSE(xtc::triple::try_parse("x86_64-unknown-unknown-linux-gnu"));
  CHECK_FALSE(xtc::triple::try_parse("x86_64-linux-gnu-"));
  CHECK_FALSE(xtc::triple::try_parse("x86_64--linux-gnu"));
  REQUIRE(xtc::triple::try_parse("riscv64gc-unknown-linux-musl"));
  CHECK(xtc::triple::try_parse("riscv64gc-unknown-linux-musl")->gnu() ==
        "riscv64-linux-musl");
}
