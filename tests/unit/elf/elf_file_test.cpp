#include "base/error.hpp"
#include "elf/elf_file.hpp"
#include "elf/fit.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "triple/triple.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

using namespace xtc;

namespace {

// A real program of this machine: Debian's /bin/true (x86_64, glibc, needs
// GLIBC_2.34 for __libc_start_main).
const char* const k_program = "/bin/true";

std::vector<unsigned char> bytes_of(const std::filesystem::path& path) {
  const std::string text = test::slurp(path);
  return {text.begin(), text.end()};
}

elf::Info parse(const std::vector<unsigned char>& bytes) {
  return elf::parse(std::span(bytes), "test");
}

} // namespace

TEST_CASE("elf: symbol versions order by number, family by name", "[elf]") {
  const elf::SymbolVersion glibc = elf::parse_symbol_version("GLIBC_2.34");
  CHECK(glibc.family == "GLIBC");
  CHECK(glibc.numbers == std::vector<unsigned>{2, 34});
  CHECK(elf::parse_symbol_version("GLIBCXX_3.4.29").family == "GLIBCXX");
  CHECK(elf::parse_symbol_version("GLIBC_PRIVATE").numbers.empty());
  CHECK(elf::version_less({2, 9}, {2, 17}));
  CHECK(elf::version_less({2, 2, 5}, {2, 3}));
  CHECK_FALSE(elf::version_less({2, 34}, {2, 34}));
  CHECK(elf::parse_dotted("2.31") == std::vector<unsigned>{2, 31});
  CHECK(elf::parse_dotted("2.").empty());
  CHECK(elf::parse_dotted("x").empty());
}

TEST_CASE("elf: a dynamic glibc program's needs, as readelf shows them",
          "[elf]") {
  const elf::Info info = parse(bytes_of(k_program));
  CHECK(info.machine == "x86_64");
  CHECK(info.bits == 64);
  CHECK(info.kind == elf::Kind::executable);
  CHECK(info.linking == elf::Linking::dynamic);
  CHECK(info.interpreter == "/lib64/ld-linux-x86-64.so.2");
  CHECK(info.needed == std::vector<std::string>{"libc.so.6"});
  REQUIRE(info.version_needs.size() == 1);
  CHECK(info.version_needs.front().library == "libc.so.6");
  REQUIRE(info.highest("GLIBC") != nullptr);
  CHECK(info.highest("GLIBC")->name == "GLIBC_2.34");
  const auto& needs_2_34 = info.symbols_by_version.at("GLIBC_2.34");
  CHECK(std::find(needs_2_34.begin(), needs_2_34.end(), "__libc_start_main") !=
        needs_2_34.end());
}

TEST_CASE("elf: fitting a target: machine, C library and glibc floor",
          "[elf]") {
  const elf::Info info = parse(bytes_of(k_program));
  CHECK(elf::misfits(info, triple::parse("x86_64-linux-gnu")).empty());
  CHECK(elf::misfits(info, triple::parse("x86_64-linux-gnu.2.34")).empty());
  const std::vector<std::string> old =
      elf::misfits(info, triple::parse("x86_64-linux-gnu.2.31"));
  REQUIRE(old.size() == 1);
  CHECK(old.front().starts_with("it needs GLIBC_2.34, newer than glibc "
                                "2.31, for "));
  CHECK(old.front().find("__libc_start_main@GLIBC_2.34") != std::string::npos);
  CHECK(elf::misfits(info, triple::parse("aarch64-linux-gnu")) ==
        std::vector<std::string>{"it is for x86_64 (64-bit), not aarch64"});
  const std::vector<std::string> musl =
      elf::misfits(info, triple::parse("x86_64-linux-musl"));
  REQUIRE(musl.size() == 1);
  CHECK(musl.front() == "it is linked against glibc (interpreter "
                        "/lib64/ld-linux-x86-64.so.2), and x86_64-linux-musl "
                        "has musl");
}

TEST_CASE("elf: a static archive is read member by member", "[elf]") {
  const std::vector<unsigned char> bytes =
      bytes_of("/usr/lib/x86_64-linux-gnu/libc_nonshared.a");
  REQUIRE(elf::is_archive(std::span(bytes)));
  const std::vector<elf::Member> members =
      elf::parse_archive(std::span(bytes), "libc_nonshared.a");
  REQUIRE_FALSE(members.empty());
  for (const elf::Member& member : members) {
    CHECK(member.name.find(".o") != std::string::npos); // glibc: "atexit.oS"
    CHECK(member.info.kind == elf::Kind::relocatable);
    CHECK(member.info.machine == "x86_64");
  }
}

TEST_CASE("elf: every truncation and damaged header is one error, never a "
          "crash",
          "[elf]") {
  const std::vector<unsigned char> whole = bytes_of(k_program);
  std::size_t refused = 0;
  // Every prefix up to the end of the version tables (where the interesting
  // offsets are), then a sample of longer ones.
  for (std::size_t size = 0; size < whole.size();
       size += size < 4096 ? 1 : 997) {
    const std::vector<unsigned char> cut(whole.begin(), whole.begin() + size);
    try {
      parse(cut);
    } catch (const Error& error) {
      CHECK(error.message().starts_with("malformed ELF file 'test': "));
      ++refused;
    }
  }
  CHECK(refused > 1000);
  // Each header byte flipped: parsed or refused, nothing else.
  for (std::size_t at = 0; at < 64; ++at) {
    std::vector<unsigned char> flipped = whole;
    flipped[at] ^= 0xFF;
    try {
      parse(flipped);
    } catch (const Error&) {
    }
  }
  std::vector<unsigned char> not_elf = {'#', '!', '/', 'b', 'i', 'n'};
  CHECK_THROWS_WITH(parse(not_elf), "malformed ELF file 'test': it does not "
                                    "start with the ELF magic number");
}

TEST_CASE("elf: a version chain that runs past its table is refused", "[elf]") {
  std::vector<unsigned char> bytes = bytes_of(k_program);
  const elf::Info info = parse(bytes);
  REQUIRE_FALSE(info.version_needs.empty());
  // Find the .gnu.version_r entry (vn_version 1, vn_cnt, vn_file, vn_aux 16)
  // and point its first aux's next far away.
  bool damaged = false;
  for (std::size_t at = 0; at + 32 < bytes.size() && !damaged; ++at) {
    if (bytes[at] == 1 && bytes[at + 1] == 0 && bytes[at + 8] == 16 &&
        bytes[at + 9] == 0 && bytes[at + 10] == 0 && bytes[at + 11] == 0 &&
        bytes[at + 12] == 0 && bytes[at + 2] > 1 && bytes[at + 2] < 16) {
      // vna_next of the first aux: a jump past the table.
      bytes[at + 16 + 12] = 0xF0;
      bytes[at + 16 + 13] = 0xFF;
      damaged = true;
    }
  }
  REQUIRE(damaged);
  CHECK_THROWS_WITH(parse(bytes), "malformed ELF file 'test': its version "
                                  "table runs past its end or loops");
}
