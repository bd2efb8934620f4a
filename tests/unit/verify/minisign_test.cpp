#include "base/error.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "verify/minisign.hpp"

#include <string>

using namespace xtc::verify;
using xtc::test::slurp;

namespace {

const std::string k_data = XTC_TEST_DATA_DIR "/minisign/";

// Signatures made by the reference minisign tool (0.11) with test.key over
// sample.toml: "ED" is its default prehashed mode, "Ed" its legacy one (-l).
MinisignSignature signature_file(const std::string& mode) {
  const std::string path = k_data + "sample.toml." + mode + ".minisig";
  return parse_minisign_signature(slurp(path), path);
}

MinisignKey test_key() {
  return parse_minisign_key(slurp(k_data + "test.pub"), "test.pub");
}

std::string replace_line(const std::string& text, std::size_t index,
                         const std::string& line) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; start <= text.size(); ++i) {
    const std::size_t end = text.find('\n', start);
    const std::string current =
        text.substr(start, end == std::string::npos ? end : end - start);
    out += (i == index ? line : current);
    if (end == std::string::npos) {
      break;
    }
    out += "\n";
    start = end + 1;
  }
  return out;
}

} // namespace

TEST_CASE("a minisign public key file parses to its id and key", "[verify]") {
  const MinisignKey key = test_key();
  CHECK(key_id_hex(key.id) == "20C836B41F983E23");
  CHECK(key.base64() ==
        "RWQjPpgftDbIIGUExT1uOR7JVyrY3N9OrNtB1zGepZg2m/wODpORmiMB");
  CHECK(parse_minisign_key(key.base64(), "line") == key);
}

TEST_CASE("malformed public keys are refused with the reason", "[verify]") {
  CHECK_THROWS_WITH(parse_minisign_key("", "k.pub"),
                    "invalid minisign public key 'k.pub': no key line");
  CHECK_THROWS_WITH(parse_minisign_key("RWQ!notbase64", "k.pub"),
                    "invalid minisign public key 'k.pub': the key line is "
                    "not base64");
  // A valid base64 line of the wrong length (a signature's, 74 bytes).
  CHECK_THROWS_WITH(
      parse_minisign_key("RWQjPpgftDbIIGUExT1uOR7JVyrY3N9OrNtB1zGepZg2", "k"),
      "invalid minisign public key 'k': not an Ed25519 minisign key");
}

TEST_CASE("prehashed and legacy signatures from minisign verify", "[verify]") {
  const std::string data = slurp(k_data + "sample.toml");
  for (const std::string mode : {"ED", "Ed"}) {
    const MinisignSignature signature = signature_file(mode);
    CHECK(signature.prehashed == (mode == "ED"));
    CHECK(signature.key_id == test_key().id);
    CHECK(signature.trusted_comment == "timestamp:1732470000 file:sample.toml");
    CHECK(check_minisign(test_key(), signature, data) == SignatureCheck::valid);
  }
}

TEST_CASE("any change to the data breaks the signature", "[verify]") {
  const std::string data = slurp(k_data + "sample.toml");
  for (const std::string mode : {"ED", "Ed"}) {
    const MinisignSignature signature = signature_file(mode);
    for (std::size_t i = 0; i < data.size(); ++i) {
      std::string changed = data;
      changed[i] = static_cast<char>(changed[i] ^ 1);
      CHECK(check_minisign(test_key(), signature, changed) ==
            SignatureCheck::bad_signature);
    }
    CHECK(check_minisign(test_key(), signature, data + " ") ==
          SignatureCheck::bad_signature);
    CHECK(check_minisign(test_key(), signature, "") ==
          SignatureCheck::bad_signature);
  }
}

TEST_CASE("an altered trusted comment is detected", "[verify]") {
  MinisignSignature signature = signature_file("ED");
  signature.trusted_comment = "timestamp:1999999999 file:sample.toml";
  CHECK(check_minisign(test_key(), signature, slurp(k_data + "sample.toml")) ==
        SignatureCheck::bad_trusted_comment);
}

TEST_CASE("another key does not verify the signature", "[verify]") {
  const MinisignKey other =
      parse_minisign_key(slurp(k_data + "other.pub"), "other.pub");
  CHECK(other.id != test_key().id);
  CHECK(check_minisign(other, signature_file("ED"),
                       slurp(k_data + "sample.toml")) ==
        SignatureCheck::bad_signature);
}

TEST_CASE("truncated or malformed signature files are refused", "[verify]") {
  const std::string path = k_data + "sample.toml.ED.minisig";
  const std::string text = slurp(path);
  const std::string data = slurp(k_data + "sample.toml");
  // Every prefix of the file: refused, or (once only the final line end is
  // missing) still the same valid signature; never anything else.
  for (std::size_t size = 0; size < text.size(); ++size) {
    const std::string prefix = text.substr(0, size);
    try {
      const MinisignSignature parsed = parse_minisign_signature(prefix, path);
      CHECK(size + 1 == text.size());
      CHECK(check_minisign(test_key(), parsed, data) == SignatureCheck::valid);
    } catch (const xtc::Error& error) {
      CHECK(std::string(error.what()).starts_with("invalid signature '"));
    }
  }
  CHECK_THROWS_WITH(parse_minisign_signature(text.substr(0, 40), "s"),
                    "invalid signature 's': expected 4 lines, found 1 "
                    "(truncated?)");
  CHECK_THROWS_WITH(parse_minisign_signature(replace_line(text, 2, "x"), "s"),
                    "invalid signature 's': line 3 is not a 'trusted "
                    "comment:'");
  CHECK_THROWS_WITH(
      parse_minisign_signature(replace_line(text, 1, "RWQ="), "s"),
      "invalid signature 's': line 2 is not a base64 minisign signature");
  CHECK_THROWS_WITH(parse_minisign_signature(text + "extra\n", "s"),
                    "invalid signature 's': more than 4 lines");
}

TEST_CASE("a file verifies as its bytes do, read in chunks", "[verify]") {
  const xtc::test::ScopedTempDir dir;
  const std::string data = slurp(k_data + "sample.toml");
  const auto copy = dir.write("sample.toml", data);
  std::string changed = data;
  changed.back() = changed.back() == 'x' ? 'y' : 'x';
  const auto altered = dir.write("altered.toml", changed);
  for (const std::string mode : {"ED", "Ed"}) {
    const MinisignSignature signature = signature_file(mode);
    CHECK(check_minisign_file(test_key(), signature, copy, "sample") ==
          SignatureCheck::valid);
    CHECK(check_minisign_file(test_key(), signature, altered, "sample") ==
          SignatureCheck::bad_signature);
  }
  CHECK_THROWS_AS(check_minisign_file(test_key(), signature_file("ED"),
                                      dir.path() / "missing", "sample"),
                  xtc::Error);
}
