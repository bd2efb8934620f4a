#include "base/error.hpp"
#include "manifest/keyring.hpp"
#include "manifest/signature.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <string>

using namespace xtc::manifest;
using xtc::test::ScopedTempDir;
using xtc::test::slurp;

namespace {

const std::string k_data = XTC_TEST_DATA_DIR "/minisign/";

std::vector<TrustedKey> test_keys() {
  return read_key_files({k_data + "test.pub"});
}

Signed check(const std::string& file_name,
             const std::vector<TrustedKey>& keys) {
  return check_signature(slurp(k_data + "sample.toml"),
                         slurp(k_data + "sample.toml.ED.minisig"), file_name,
                         "m.toml", "m.toml.minisig", keys);
}

} // namespace

TEST_CASE("a good signature by a trusted key is accepted", "[manifest]") {
  const Signed result = check("sample.toml", test_keys());
  CHECK(result.key_id == "20C836B41F983E23");
  CHECK(result.timestamp == 1732470000U);
  CHECK(result.file_name == "sample.toml");
}

TEST_CASE("a signature by an untrusted key is refused", "[manifest]") {
  CHECK_THROWS_WITH(check("sample.toml", builtin_keys()),
                    "manifest 'm.toml' is signed by key 20C836B41F983E23, "
                    "which xtc does not trust");
}

TEST_CASE("a signature made for another file name is refused", "[manifest]") {
  CHECK_THROWS_WITH(check("xtc.toml", test_keys()),
                    "manifest 'm.toml' carries the signature of "
                    "'sample.toml', not of 'xtc.toml' (swapped manifest?)");
}

TEST_CASE("altered manifest text is refused", "[manifest]") {
  CHECK_THROWS_WITH(
      check_signature(slurp(k_data + "sample.toml") + "\n",
                      slurp(k_data + "sample.toml.Ed.minisig"), "sample.toml",
                      "m.toml", "m.toml.minisig", test_keys()),
      "bad signature for manifest 'm.toml': its content does not match "
      "'m.toml.minisig' (key 20C836B41F983E23)");
}

TEST_CASE("the built-in keys parse, the current release key first",
          "[manifest]") {
  const std::vector<TrustedKey> keys = builtin_keys();
  REQUIRE(keys.size() == 3);
  CHECK(xtc::verify::key_id_hex(keys[0].key.id) == "0F4C44AD365A84F1");
  CHECK(xtc::verify::key_id_hex(keys[1].key.id) == "DC6A6B612D3A8F03");
  CHECK(xtc::verify::key_id_hex(keys[2].key.id) == "9ACC1EA5BD91B267");
}

TEST_CASE("an older manifest than one accepted is refused", "[manifest]") {
  ScopedTempDir dir;
  const AcceptedManifests accepted(dir.path() / "manifests");
  const Signed now{"20C836B41F983E23", 1000, "xtc.toml"};
  accepted.check_fresh(now, "m"); // nothing recorded yet
  accepted.remember(now);
  accepted.check_fresh(now, "m"); // the same one again is fine
  CHECK_THROWS_WITH(accepted.check_fresh({now.key_id, 999, "xtc.toml"}, "m"),
                    "manifest 'm' is older than one already accepted: signed "
                    "at timestamp 999, but 'xtc.toml' from timestamp 1000 was "
                    "accepted before (replayed or downgraded manifest?)");
  // Other file names and keys have their own history.
  accepted.check_fresh({now.key_id, 5, "other.toml"}, "m");
  accepted.check_fresh({"0000000000000001", 5, "xtc.toml"}, "m");
  accepted.remember({now.key_id, 2000, "xtc.toml"});
  accepted.remember({now.key_id, 1500, "xtc.toml"}); // never goes back
  CHECK_THROWS(accepted.check_fresh({now.key_id, 1999, "xtc.toml"}, "m"));
  accepted.check_fresh({now.key_id, 2000, "xtc.toml"}, "m");
}

TEST_CASE("a damaged record of accepted manifests is an error", "[manifest]") {
  ScopedTempDir dir;
  dir.write("manifests/accepted.toml", "[[[");
  const AcceptedManifests accepted(dir.path() / "manifests");
  try {
    accepted.check_fresh({"20C836B41F983E23", 1, "x"}, "m");
    FAIL("a damaged record was read");
  } catch (const xtc::Error& error) {
    CHECK(error.message().starts_with("damaged manifest record '"));
  }
}

TEST_CASE("the keyring adds, lists and removes keys", "[manifest]") {
  ScopedTempDir dir;
  const Keyring keyring(dir.path() / "keys");
  CHECK(keyring.keys().empty());
  const TrustedKey added = keyring.add(slurp(k_data + "test.pub"), "test.pub");
  keyring.add(added.key.base64(), "again"); // idempotent
  keyring.add(slurp(k_data + "other.pub"), "other.pub");
  const std::vector<TrustedKey> keys = keyring.keys();
  REQUIRE(keys.size() == 2);
  CHECK(std::any_of(keys.begin(), keys.end(), [&](const TrustedKey& key) {
    return key.key == added.key;
  }));
  CHECK(keyring.remove("20c836b41f983e23"));
  CHECK_FALSE(keyring.remove("20C836B41F983E23"));
  CHECK(keyring.keys().size() == 1);
  CHECK_THROWS_WITH(keyring.remove("xyz"), "invalid key id 'xyz'");
  CHECK_THROWS_WITH(keyring.add("garbage", "g"),
                    "invalid minisign public key 'g': the key line is not "
                    "base64");
}
