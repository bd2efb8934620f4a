#include "base/error.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "verify/sha256.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

using xtc::verify::Sha256;
using xtc::verify::Sha256Digest;

namespace {

std::string hash_hex(std::string_view data) {
  Sha256 hasher;
  hasher.update(data);
  return hasher.finish().hex();
}

// Deterministic, non-repeating-looking content so chunk boundaries matter.
std::string pattern_bytes(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t state = 2463534242U;
  for (char& c : out) {
    state ^= state << 13U;
    state ^= state >> 17U;
    state ^= state << 5U;
    c = static_cast<char>(state & 0xFFU);
  }
  return out;
}

} // namespace

TEST_CASE("sha256 of the empty string", "[verify]") {
  REQUIRE(hash_hex("") ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256 of abc", "[verify]") {
  REQUIRE(hash_hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256 of a two-block message", "[verify]") {
  REQUIRE(
      hash_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256 fed in odd-sized chunks equals one-shot", "[verify]") {
  const std::string data = pattern_bytes(1000 * 1000);
  const std::string one_shot = hash_hex(data);

  Sha256 hasher;
  std::size_t offset = 0;
  std::size_t chunk = 1;
  while (offset < data.size()) {
    const std::size_t n = std::min(chunk, data.size() - offset);
    hasher.update(data.data() + offset, n);
    offset += n;
    chunk = chunk * 3 + 7; // 1, 10, 37, 118, … never aligned to 64
    if (chunk > 100000) {
      chunk = 13;
    }
  }
  REQUIRE(hasher.finish().hex() == one_shot);
  REQUIRE(one_shot != hash_hex(data.substr(1)));
}

TEST_CASE("sha256 of one million 'a'", "[verify]") {
  REQUIRE(hash_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 refuses use after finish", "[verify]") {
  Sha256 hasher;
  hasher.update("x");
  (void)hasher.finish();
  REQUIRE_THROWS_AS(hasher.update("y"), xtc::Error);
  REQUIRE_THROWS_AS(hasher.finish(), xtc::Error);
}

TEST_CASE("sha256 hasher can be moved", "[verify]") {
  Sha256 first;
  first.update("a");
  Sha256 second(std::move(first));
  second.update("bc");
  REQUIRE(second.finish().hex() == hash_hex("abc"));
}

TEST_CASE("digest round-trips through hex in either case", "[verify]") {
  const std::string lower =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  std::string upper = lower;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const auto from_lower = Sha256Digest::from_hex(lower);
  const auto from_upper = Sha256Digest::from_hex(upper);
  REQUIRE(from_lower.has_value());
  REQUIRE(from_upper.has_value());
  REQUIRE(*from_lower == *from_upper);
  REQUIRE(from_upper->hex() == lower);
  REQUIRE(from_lower->bytes()[0] == 0xba);
  REQUIRE(from_lower->bytes()[31] == 0xad);
}

TEST_CASE("digest from_hex rejects bad input", "[verify]") {
  const std::string good =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  REQUIRE(Sha256Digest::from_hex(good).has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex("").has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex(good.substr(1)).has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex(good + "0").has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex(" " + good.substr(1)).has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex("g" + good.substr(1)).has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex("0x" + good.substr(2)).has_value());
  REQUIRE_FALSE(Sha256Digest::from_hex(good.substr(0, 63) + "\n").has_value());
}

TEST_CASE("sha256_file hashes a file's bytes", "[verify]") {
  const xtc::test::ScopedTempDir dir;
  // Larger than one read chunk so the loop runs more than once.
  const std::string data = pattern_bytes(3 * 1024 * 1024 + 17);
  const auto path = dir.write("blob.bin", data);
  REQUIRE(xtc::verify::sha256_file(path).hex() == hash_hex(data));

  const auto empty = dir.write("empty", "");
  REQUIRE(xtc::verify::sha256_file(empty).hex() == hash_hex(""));
}

TEST_CASE("sha256_file names the file's role when it is missing", "[verify]") {
  const xtc::test::ScopedTempDir dir;
  const auto missing = dir.path() / "nope.tar.gz";
  try {
    (void)xtc::verify::sha256_file(missing, "download");
    FAIL("no exception");
  } catch (const xtc::Error& e) {
    const std::string message = e.message();
    REQUIRE(message.find("cannot open download '" + missing.string() + "'") !=
            std::string::npos);
    REQUIRE(message.find("No such file or directory") != std::string::npos);
  }
}
