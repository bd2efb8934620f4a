#include "base/error.hpp"
#include "support/catch.hpp"
#include "verify/minisign.hpp"
#include "verify/minisign_sign.hpp"

#include <string>

using namespace xtc::verify;

namespace {

// Keys made by the reference minisign tool (0.11). plain: `minisign -G -W`
// (unencrypted; minisign leaves its checksum all zeros). encrypted:
// `minisign -G` with the password "correct horse", run under `ulimit -v` so
// that it fell back to cheaper scrypt parameters (opslimit 2^21, memlimit
// 64 MiB) than its 1 GiB default, which would make this test slow.
// decrypted: the encrypted key after `minisign -C -W` (unencrypted, with its
// checksum).
const std::string k_plain_key =
    "untrusted comment: xtc test unencrypted secret key\n"
    "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA8"
    "sPUjiD1Y/Pq0DS88x6VwubYwd9IzEeFTCQyXCfDDeYgRqbd4zrpxqMjnLtfO6C7kAedZBM4S7"
    "UJV1ixwA4y/femR3PvQM1NAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
const std::string k_plain_pub =
    "untrusted comment: minisign public key F363F5208ED4C3F2\n"
    "RWTyw9SOIPVj86MjnLtfO6C7kAedZBM4S7UJV1ixwA4y/femR3PvQM1N\n";

const std::string k_encrypted_key =
    "untrusted comment: xtc test encrypted secret key\n"
    "RWRTY0IyIEr/5YDQ5hL/NCkUesTPTt6jjNxolN7tHTI/ry5CLEgAACAAAAAAAAAAAAQAAAAAX"
    "2F5vqv+Ghb4kQU8w+B39xvpxooXKHcjfcnH20PvdxrjPvUYXlZS0/1xJ60UJHIPnENVRqox+u"
    "KTYJUYEbY1q5hGfZNLN9zZUswGuVJe8SgCPOSi3DsLn5JlxvQFAP7s/dh+FVBIitQ=\n";
const std::string k_decrypted_key =
    "untrusted comment: xtc test encrypted secret key\n"
    "RWQAAEIyIEr/5YDQ5hL/NCkUesTPTt6jjNxolN7tHTI/ry5CLEgAACAAAAAAAAAAAAQAAAAAX"
    "XReaq/4xrtJrTJVLcxYuyRvWkyHw8bHG9UevDMMgvaPdi+nY6ftkGhfQOHplOVMlAnInrrQs6"
    "d9VfKWs51YAFaeb59mWBTqH7xuk7WgOGaVQQquu+r73ZPGGChJeqFof8R0xhE+1P8=\n";
const std::string k_encrypted_pub =
    "untrusted comment: minisign public key BBC6F8AF6A5E745D\n"
    "RWRddF5qr/jGu2hfQOHplOVMlAnInrrQs6d9VfKWs51YAFaeb59mWBTq\n";
const std::string k_password = "correct horse";

// What `minisign -S -m data.txt -c "signature from xtc test" -t
// "<k_trusted>"` wrote with each key, data.txt holding k_data.
const std::string k_data = "xtc minisign signing test\n";
const std::string k_trusted = "timestamp:1732470000\tfile:data.txt\thashed";
const std::string k_untrusted = "signature from xtc test";
const std::string k_plain_minisig =
    "untrusted comment: signature from xtc test\n"
    "RUTyw9SOIPVj80/ahwc78zBWrWJwPZsIHJGcy8JCtUPbiUqOL1toHzbGHr8bGvNspSJLrEZIj"
    "UGiTzx1kHz5gft/xHc+jY2eHAw=\n"
    "trusted comment: timestamp:1732470000\tfile:data.txt\thashed\n"
    "8lDtGPRCSSAlAXoI/eYzUOF4dVeOkqSti/yNON004c45dszeFt5IdkgRmq/PD8W7lP16Lxngb"
    "+yMUI1gyCgLAg==\n";
const std::string k_encrypted_minisig =
    "untrusted comment: signature from xtc test\n"
    "RURddF5qr/jGu2lhjGyEi4dNp1gf8T2n5jPcwPEx6Drof6dM4VHHh/aMpqYlr2Go7Zm+svHn9"
    "aL4QHe9DeqM287mYsBga5ryUQA=\n"
    "trusted comment: timestamp:1732470000\tfile:data.txt\thashed\n"
    "9Q43xGDWClVVL3kMtumLOilamcTckFLkeGf/rPUar67B5otBzyVCIHaWDim8GKKdhhxsXxZ83"
    "BETXbljHVAgBg==\n";

MinisignKey public_key(const std::string& text) {
  return parse_minisign_key(text, "minisign.pub");
}

// Decrypted once: each decryption costs a 64 MiB scrypt.
const MinisignSecretKey& encrypted_key() {
  static const MinisignSecretKey key =
      parse_minisign_secret_key(k_encrypted_key, "enc.key", k_password);
  return key;
}

std::string line_of(const std::string& text, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    start = text.find('\n', start) + 1;
  }
  return text.substr(start, text.find('\n', start) - start);
}

// The key text with character `index` of its base64 line replaced.
std::string with_key_char(const std::string& text, std::size_t index, char c) {
  std::string out = text;
  out[text.find('\n') + 1 + index] = c;
  return out;
}

} // namespace

TEST_CASE("an unencrypted minisign secret key parses to its key pair",
          "[verify][minisign]") {
  CHECK_FALSE(minisign_secret_key_encrypted(k_plain_key, "plain.key"));
  const MinisignSecretKey key = parse_minisign_secret_key(k_plain_key, "k");
  CHECK(key_id_hex(key.id) == "F363F5208ED4C3F2");
  CHECK(key.public_key() == public_key(k_plain_pub));
  // A password is not needed, and ignored; "\r\n" line ends are read too.
  CHECK(parse_minisign_secret_key(k_plain_key, "k", "unused").secret ==
        key.secret);
  std::string crlf = k_plain_key;
  crlf.insert(crlf.find('\n'), "\r");
  CHECK(parse_minisign_secret_key(crlf, "k").secret == key.secret);
}

TEST_CASE("an encrypted minisign secret key decrypts with its password",
          "[verify][minisign]") {
  CHECK(minisign_secret_key_encrypted(k_encrypted_key, "enc.key"));
  const MinisignSecretKey& key = encrypted_key();
  CHECK(key_id_hex(key.id) == "BBC6F8AF6A5E745D");
  CHECK(key.public_key() == public_key(k_encrypted_pub));
  // minisign -C -W removed the password and kept the checksum.
  CHECK_FALSE(minisign_secret_key_encrypted(k_decrypted_key, "dec.key"));
  const MinisignSecretKey decrypted =
      parse_minisign_secret_key(k_decrypted_key, "dec.key");
  CHECK(decrypted.id == key.id);
  CHECK(decrypted.secret == key.secret);
}

TEST_CASE("keys encrypted with other scrypt parameters decrypt",
          "[verify][minisign]") {
  // Made with libsodium's crypto_sign_keypair and
  // crypto_pwhash_scryptsalsa208sha256 in minisign's layout (the password
  // "correct horse"), so that each branch of libsodium's choice of N, r and
  // p is taken; minisign 0.11 signs with each of them.
  struct Case {
    const char* what;
    std::string key;
    std::string pub;
  };
  const Case cases[] = {
      {"opslimit < memlimit / 32: p = 1, N = 2^15",
       "untrusted comment: opslimit 1048576 memlimit 1073741824\n"
       "RWRTY0IyCmf2UnVOser/AnQpbA3eW3uQNwk/1CrSyP/HZ/2O5uYAABAAAAAAAAAAAEAAAAA"
       "A51eZQl36VvwhrZwJ+YfpzdEeM8qZbS350kXiAxXxvl9oOE8ohu/wIIUVnLuZyz3EuYc4x"
       "OLamiUbpMBAqbfrJeu83V4bcYxAIyY7QirOrZSi7E7I0wZ8KjP/XaKbEyOGXo86wfIFJy0"
       "=\n",
       "RWQvNaDj6xHuDJoY+EO6dVRbpueH2QWclQdamm1jCMCC2ftFMzstVLkT"},
      {"memory-bound: N = 2^14, p = 8",
       "untrusted comment: opslimit 4194304 memlimit 16777216\n"
       "RWRTY0Iy2tVRBz9p0GSvIrZDuOAVt4NcfGBIxrF7HaMhY8ZbnOYAAEAAAAAAAAAAAAEAAAA"
       "Az8EJuN7ivIosBBBW4xc/6kvCQmU8HXW1PTDCqvDSIMcM875OT+evsBA9zZOMu73XKStTY"
       "E3KmGaVW2KWVn9J7jCZNWJBawss8QdLre5ABKj1yS5n48/6MVBwg9wnBJqftgpEdP+9NrU"
       "=\n",
       "RWRQWlH5ZepCeQr3ZIlF5l1n+5uFN/29TejNei98FTjH61ZYU0B0Cr1a"},
      {"opslimit 1000 raised to 32768: N = 2^10",
       "untrusted comment: opslimit 1000 memlimit 16777216\n"
       "RWRTY0IyZKTWIoqNCbT7ObPQYhnUPcgj2vvUymHy5uCRnP7amfjoAwAAAAAAAAAAAAEAAAA"
       "A6wwrv3WNAs5NemEEcPvNXOcrshHHIvIIMw7cFfIUlZN2QCGRReLwqpLX0kIkSNoFOrhSDy"
       "h1/lbxlZOwOWuw6xJoTb7GizyPbOR1FW3CgMcd4w1ljih/n5peyPUKFqG68bSXYQKOaAE"
       "=\n",
       "RWRn1y9qMIs8gf15nb9qoisNHA09nbJEI7pTLzxBnJA5BojVhoOr++BQ"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    CHECK(parse_minisign_secret_key(c.key, "k", k_password).public_key() ==
          public_key(c.pub));
  }
}

TEST_CASE("sign_minisign writes what minisign -S writes",
          "[verify][minisign]") {
  const MinisignSecretKey plain = parse_minisign_secret_key(k_plain_key, "k");
  const std::string signed_plain =
      sign_minisign(plain, k_data, k_trusted, k_untrusted);
  CHECK(line_of(signed_plain, 1) == line_of(k_plain_minisig, 1));
  CHECK(line_of(signed_plain, 3) == line_of(k_plain_minisig, 3));
  CHECK(signed_plain == k_plain_minisig);
  CHECK(sign_minisign(encrypted_key(), k_data, k_trusted, k_untrusted) ==
        k_encrypted_minisig);
}

TEST_CASE("a signature from sign_minisign verifies, and only as signed",
          "[verify][minisign]") {
  const MinisignSecretKey& key = encrypted_key();
  for (const std::string& data : {k_data, std::string()}) {
    for (const std::string& trusted : {k_trusted, std::string()}) {
      MinisignSignature signature = parse_minisign_signature(
          sign_minisign(key, data, trusted, ""), "sig");
      CHECK(signature.prehashed);
      CHECK(signature.key_id == key.id);
      CHECK(signature.trusted_comment == trusted);
      CHECK(check_minisign(key.public_key(), signature, data) ==
            SignatureCheck::valid);
      CHECK(check_minisign(key.public_key(), signature, data + "x") ==
            SignatureCheck::bad_signature);
      signature.trusted_comment += " altered";
      CHECK(check_minisign(key.public_key(), signature, data) ==
            SignatureCheck::bad_trusted_comment);
    }
  }
}

TEST_CASE("a wrong password is refused", "[verify][minisign]") {
  const std::string message = "wrong password for minisign secret key 'k'";
  CHECK_THROWS_WITH(
      parse_minisign_secret_key(k_encrypted_key, "k", "correct horse "),
      message);
  CHECK_THROWS_WITH(parse_minisign_secret_key(k_encrypted_key, "k"), message);
}

TEST_CASE("malformed or corrupt secret keys are refused with the reason",
          "[verify][minisign]") {
  const auto refused = [](const std::string& text, const std::string& why) {
    const std::string message = "invalid minisign secret key 'k': " + why;
    CHECK_THROWS_WITH(parse_minisign_secret_key(text, "k", k_password),
                      message);
    CHECK_THROWS_WITH(minisign_secret_key_encrypted(text, "k"), message);
  };
  refused("", "expected 2 lines, found 0");
  refused(line_of(k_plain_key, 0), "expected 2 lines, found 1");
  refused(k_plain_key + "RWQA\n", "expected 2 lines, found 3");
  refused(line_of(k_plain_key, 1) + "\n", "expected 2 lines, found 1");
  refused("comment\n" + line_of(k_plain_key, 1),
          "line 1 is not an 'untrusted comment:'");
  refused(with_key_char(k_plain_key, 10, '!'), "the key line is not base64");
  refused(with_key_char(k_plain_key, 10, '='), "the key line is not base64");
  refused(k_plain_pub, "the key line holds 42 bytes, not 158");
  // Characters 0, 4 and 6 of the line hold bits of sig_alg, kdf_alg and
  // chk_alg; minisign refuses these keys too.
  refused(with_key_char(k_plain_key, 0, 'S'), "unknown signature algorithm");
  refused(with_key_char(k_plain_key, 4, 'B'),
          "unknown key derivation algorithm");
  refused(with_key_char(k_plain_key, 6, 'J'), "unknown checksum algorithm");
  // Character 100 is in the Ed25519 seed, 180 in the checksum: well-formed
  // keys, so only parsing them finds the damage.
  const auto corrupt = [](const std::string& text, const std::string& why) {
    CHECK_FALSE(minisign_secret_key_encrypted(text, "k"));
    CHECK_THROWS_WITH(parse_minisign_secret_key(text, "k"),
                      "invalid minisign secret key 'k': " + why +
                          " (corrupt key)");
  };
  corrupt(with_key_char(k_plain_key, 100, 'B'),
          "its Ed25519 seed and public key do not match");
  corrupt(with_key_char(k_plain_key, 180, 'B'), "checksum mismatch");
  corrupt(with_key_char(k_decrypted_key, 100, 'B'), "checksum mismatch");
}

TEST_CASE("sign_minisign refuses comments minisign cannot carry",
          "[verify][minisign]") {
  const MinisignSecretKey key = parse_minisign_secret_key(k_plain_key, "k");
  CHECK_THROWS_WITH(
      sign_minisign(key, k_data, "two\nlines", k_untrusted),
      "the minisign trusted comment contains a line break or a NUL byte");
  CHECK_THROWS_WITH(
      sign_minisign(key, k_data, k_trusted, "carriage\rreturn"),
      "the minisign untrusted comment contains a line break or a NUL byte");
  CHECK_THROWS_WITH(
      sign_minisign(key, k_data, std::string("nul\0byte", 8), k_untrusted),
      "the minisign trusted comment contains a line break or a NUL byte");
  CHECK_NOTHROW(sign_minisign(key, k_data, std::string(8173, 'a'), ""));
  CHECK_THROWS_WITH(sign_minisign(key, k_data, std::string(8174, 'a'), ""),
                    "the minisign trusted comment is too long (8174 bytes, "
                    "minisign reads at most 8173)");
}
