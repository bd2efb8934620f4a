#include "verify/minisign_sign.hpp"

#include "base/base64.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "verify/openssl.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace xtc::verify {
namespace {

// The secret key line decodes to minisign.h's SeckeyStruct: sig_alg "Ed",
// kdf_alg ("Sc" or 0,0), chk_alg "B2", the scrypt salt, opslimit and
// memlimit (little-endian u64), then keynum_sk: key id, Ed25519 seed and
// public key, checksum. A password encrypts keynum_sk only.
constexpr std::size_t k_sk_kdf_alg = 2;
constexpr std::size_t k_sk_chk_alg = 4;
constexpr std::size_t k_sk_salt = 6;
constexpr std::size_t k_sk_salt_size = 32;
constexpr std::size_t k_sk_opslimit = 38;
constexpr std::size_t k_sk_memlimit = 46;
constexpr std::size_t k_sk_keynum = 54;
constexpr std::size_t k_sk_keynum_size = 104;
constexpr std::size_t k_sk_secret = 62;
constexpr std::size_t k_sk_checksum = 126;
constexpr std::size_t k_sk_size = 158;

// minisign's sign() refuses longer trusted comments (its limit is
// TRUSTEDCOMMENTMAXBYTES, 8192, less sizeof "trusted comment: ", 18), and its
// verify reads the line into a buffer of that size.
constexpr std::size_t k_trusted_comment_max = 8192 - 19;

// Bytes that held secret material, wiped on every way out.
template <std::size_t N> class WipedBytes {
public:
  WipedBytes() = default;
  WipedBytes(const WipedBytes&) = delete;
  WipedBytes& operator=(const WipedBytes&) = delete;
  ~WipedBytes() { OPENSSL_cleanse(m_bytes.data(), m_bytes.size()); }

  unsigned char* data() { return m_bytes.data(); }
  const unsigned char* data() const { return m_bytes.data(); }
  unsigned char& operator[](std::size_t i) { return m_bytes[i]; }
  unsigned char operator[](std::size_t i) const { return m_bytes[i]; }

private:
  std::array<unsigned char, N> m_bytes{};
};

using SecretKeyBlob = WipedBytes<k_sk_size>;

struct Ed25519KeyDeleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using Ed25519KeyPtr = std::unique_ptr<EVP_PKEY, Ed25519KeyDeleter>;

Error invalid_secret_key(std::string_view source, std::string_view why);
bool read_secret_key_blob(std::string_view text, std::string_view source,
                          SecretKeyBlob& blob);
void decrypt_keynum(SecretKeyBlob& blob, std::string_view password,
                    std::string_view source);
void blake2b_256(const unsigned char* data, std::size_t size,
                 unsigned char* out);
Ed25519KeyPtr ed25519_private_key(const unsigned char* seed);
std::array<std::uint8_t, 64>
ed25519_sign(EVP_PKEY* key, const unsigned char* message, std::size_t size);

} // namespace

MinisignKey MinisignSecretKey::public_key() const {
  MinisignKey key;
  key.id = id;
  std::copy(secret.begin() + 32, secret.end(), key.public_key.begin());
  return key;
}

MinisignSecretKey::~MinisignSecretKey() {
  OPENSSL_cleanse(secret.data(), secret.size());
}

bool minisign_secret_key_encrypted(std::string_view text,
                                   std::string_view source) {
  SecretKeyBlob blob;
  return read_secret_key_blob(text, source, blob);
}

MinisignSecretKey parse_minisign_secret_key(std::string_view text,
                                            std::string_view source,
                                            std::string_view password) {
  SecretKeyBlob blob;
  const bool encrypted = read_secret_key_blob(text, source, blob);
  if (encrypted) {
    decrypt_keynum(blob, password, source);
  }
  // The checksum covers sig_alg, the key id and the secret key.
  WipedBytes<74> covered;
  std::copy_n(blob.data(), 2, covered.data());
  std::copy_n(blob.data() + k_sk_keynum, 72, covered.data() + 2);
  WipedBytes<32> checksum;
  blake2b_256(covered.data(), 74, checksum.data());
  const unsigned char* stored = blob.data() + k_sk_checksum;
  if (CRYPTO_memcmp(checksum.data(), stored, 32) != 0) {
    if (encrypted) {
      throw Error(
          fmt::format("wrong password for minisign secret key '{}'", source),
          "give the password the key was encrypted with (minisign -G or -C)");
    }
    // `minisign -G -W` leaves an unencrypted key's checksum all zeros; the
    // key halves are compared below instead.
    if (std::any_of(stored, stored + 32,
                    [](unsigned char c) { return c != 0; })) {
      throw invalid_secret_key(source, "checksum mismatch (corrupt key)");
    }
  }
  // The public half must be the one the seed makes, or the signatures we
  // make would not verify with the key's minisign.pub.
  const Ed25519KeyPtr pkey = ed25519_private_key(blob.data() + k_sk_secret);
  std::array<unsigned char, 32> derived{};
  std::size_t derived_size = derived.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), derived.data(), &derived_size) !=
      1) {
    throw_openssl("cannot compute an Ed25519 public key");
  }
  if (!std::equal(derived.begin(), derived.end(),
                  blob.data() + k_sk_secret + 32)) {
    throw invalid_secret_key(
        source, "its Ed25519 seed and public key do not match (corrupt key)");
  }
  MinisignSecretKey key;
  std::copy_n(blob.data() + k_sk_keynum, key.id.size(), key.id.begin());
  std::copy_n(blob.data() + k_sk_secret, key.secret.size(), key.secret.begin());
  return key;
}

std::string sign_minisign(const MinisignSecretKey& key, std::string_view data,
                          std::string_view trusted_comment,
                          std::string_view untrusted_comment) {
  for (const auto& [role, comment] :
       {std::pair{"trusted", trusted_comment},
        std::pair{"untrusted", untrusted_comment}}) {
    if (comment.find_first_of(std::string_view("\n\r\0", 3)) !=
        std::string_view::npos) {
      throw Error(
          fmt::format("the minisign {} comment contains a line break or a "
                      "NUL byte",
                      role),
          "a signature comment is one line of text");
    }
  }
  if (trusted_comment.size() > k_trusted_comment_max) {
    throw Error(fmt::format("the minisign trusted comment is too long ({} "
                            "bytes, minisign reads at most {})",
                            trusted_comment.size(), k_trusted_comment_max));
  }
  // "ED": the file signature is over the BLAKE2b-512 digest of the data.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &digest_size,
                 EVP_blake2b512(), nullptr) != 1) {
    throw_openssl("cannot compute a BLAKE2b-512 digest");
  }
  const Ed25519KeyPtr pkey = ed25519_private_key(key.secret.data());
  const std::array<std::uint8_t, 64> signature =
      ed25519_sign(pkey.get(), digest.data(), digest_size);
  std::vector<unsigned char> line = {'E', 'D'};
  line.insert(line.end(), key.id.begin(), key.id.end());
  line.insert(line.end(), signature.begin(), signature.end());
  // The global signature covers the file signature and the trusted comment.
  std::vector<unsigned char> global(signature.begin(), signature.end());
  global.insert(global.end(), trusted_comment.begin(), trusted_comment.end());
  const std::array<std::uint8_t, 64> global_signature =
      ed25519_sign(pkey.get(), global.data(), global.size());
  return fmt::format("untrusted comment: {}\n{}\ntrusted comment: {}\n{}\n",
                     untrusted_comment, base64_encode(line), trusted_comment,
                     base64_encode(global_signature));
}

namespace {

Error invalid_secret_key(std::string_view source, std::string_view why) {
  return Error(fmt::format("invalid minisign secret key '{}': {}", source, why),
               "a minisign secret key file is what `minisign -G` writes: an "
               "'untrusted comment:' line, then one base64 line");
}

// Reads the key file's two lines into `blob`, checks its algorithms and
// returns whether the key is encrypted. Throws invalid_secret_key.
bool read_secret_key_blob(std::string_view text, std::string_view source,
                          SecretKeyBlob& blob) {
  std::vector<std::string_view> lines = lines_of(text);
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  if (lines.size() != 2) {
    throw invalid_secret_key(
        source, fmt::format("expected 2 lines, found {}", lines.size()));
  }
  if (!lines[0].starts_with("untrusted comment:")) {
    throw invalid_secret_key(source, "line 1 is not an 'untrusted comment:'");
  }
  std::optional<std::vector<std::uint8_t>> decoded = base64_decode(lines[1]);
  if (!decoded) {
    throw invalid_secret_key(source, "the key line is not base64");
  }
  if (decoded->size() != k_sk_size) {
    throw invalid_secret_key(source,
                             fmt::format("the key line holds {} bytes, not {}",
                                         decoded->size(), k_sk_size));
  }
  std::copy(decoded->begin(), decoded->end(), blob.data());
  OPENSSL_cleanse(decoded->data(), decoded->size());
  if (blob[0] != 'E' || blob[1] != 'd') {
    throw invalid_secret_key(source, "unknown signature algorithm");
  }
  if (blob[k_sk_chk_alg] != 'B' || blob[k_sk_chk_alg + 1] != '2') {
    throw invalid_secret_key(source, "unknown checksum algorithm");
  }
  const unsigned char kdf0 = blob[k_sk_kdf_alg];
  const unsigned char kdf1 = blob[k_sk_kdf_alg + 1];
  if (kdf0 == 'S' && kdf1 == 'c') {
    return true;
  }
  if (kdf0 == 0 && kdf1 == 0) {
    return false;
  }
  throw invalid_secret_key(source, "unknown key derivation algorithm");
}

std::uint64_t load_le64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 8; i-- > 0;) {
    value = (value << 8) | bytes[i];
  }
  return value;
}

struct ScryptParams {
  std::uint32_t n_log2 = 0;
  std::uint32_t r = 0;
  std::uint32_t p = 0;
};

// libsodium's pickparams() (crypto_pwhash/scryptsalsa208sha256/
// pwhash_scryptsalsa208sha256.c), which crypto_pwhash_scryptsalsa208sha256
// uses to turn minisign's stored opslimit and memlimit into scrypt's N, r
// and p. It has to agree exactly: other parameters derive another stream.
ScryptParams libsodium_scrypt_params(std::uint64_t opslimit,
                                     std::uint64_t memlimit) {
  // The smallest N_log2 in [1, 63) with 2^N_log2 > max_n / 2, else 63.
  const auto n_log2_for = [](std::uint64_t max_n) {
    std::uint32_t n_log2 = 1;
    while (n_log2 < 63 && (std::uint64_t{1} << n_log2) <= max_n / 2) {
      ++n_log2;
    }
    return n_log2;
  };
  opslimit = std::max<std::uint64_t>(opslimit, 32768);
  ScryptParams params;
  params.r = 8;
  if (opslimit < memlimit / 32) {
    params.p = 1;
    params.n_log2 = n_log2_for(opslimit / (params.r * 4));
    return params;
  }
  params.n_log2 = n_log2_for(memlimit / (params.r * 128));
  const std::uint64_t max_rp =
      std::min<std::uint64_t>((opslimit / 4) >> params.n_log2, 0x3fffffff);
  params.p = static_cast<std::uint32_t>(max_rp) / params.r;
  return params;
}

// XORs keynum_sk with crypto_pwhash_scryptsalsa208sha256(password, salt,
// opslimit, memlimit), as minisign's decrypt_key() does.
void decrypt_keynum(SecretKeyBlob& blob, std::string_view password,
                    std::string_view source) {
  // minisign hands its u64 memlimit to libsodium as a size_t.
  const ScryptParams params = libsodium_scrypt_params(
      load_le64(blob.data() + k_sk_opslimit),
      static_cast<std::size_t>(load_le64(blob.data() + k_sk_memlimit)));
  WipedBytes<k_sk_keynum_size> stream;
  // OpenSSL refuses to use more than maxmem (32 MiB by default) and minisign's
  // default parameters take 1 GiB; libsodium sets no limit, nor do we.
  if (EVP_PBE_scrypt(password.data(), password.size(), blob.data() + k_sk_salt,
                     k_sk_salt_size, std::uint64_t{1} << params.n_log2,
                     params.r, params.p,
                     std::numeric_limits<std::uint64_t>::max(), stream.data(),
                     k_sk_keynum_size) != 1) {
    throw_openssl(fmt::format(
        "cannot derive the key of minisign secret key '{}' from its password",
        source));
  }
  for (std::size_t i = 0; i < k_sk_keynum_size; ++i) {
    blob[k_sk_keynum + i] ^= stream[i];
  }
}

// BLAKE2b (RFC 7693), unkeyed, with a 32-byte digest: minisign's key
// checksum. OpenSSL 3.0 only offers BLAKE2b with a 64-byte digest, and the
// digest size is an input of the hash, so that one cannot be truncated.
constexpr std::array<std::uint64_t, 8> k_blake2b_iv = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

constexpr std::array<std::array<std::uint8_t, 16>, 10> k_blake2b_sigma = {{
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
}};

void blake2b_compress(std::array<std::uint64_t, 8>& h,
                      const unsigned char* block, std::uint64_t counter,
                      bool last) {
  std::array<std::uint64_t, 16> m{};
  for (std::size_t i = 0; i < 16; ++i) {
    m[i] = load_le64(block + i * 8);
  }
  std::array<std::uint64_t, 16> v{};
  std::copy(h.begin(), h.end(), v.begin());
  std::copy(k_blake2b_iv.begin(), k_blake2b_iv.end(), v.begin() + 8);
  v[12] ^= counter; // the counter's high word is 0: our inputs are short
  if (last) {
    v[14] = ~v[14];
  }
  const auto rotr = [](std::uint64_t x, int n) {
    return (x >> n) | (x << (64 - n));
  };
  const auto mix = [&](std::size_t a, std::size_t b, std::size_t c,
                       std::size_t d, std::uint64_t x, std::uint64_t y) {
    v[a] = v[a] + v[b] + x;
    v[d] = rotr(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];
    v[b] = rotr(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y;
    v[d] = rotr(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = rotr(v[b] ^ v[c], 63);
  };
  for (std::size_t round = 0; round < 12; ++round) {
    const std::array<std::uint8_t, 16>& s = k_blake2b_sigma[round % 10];
    mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (std::size_t i = 0; i < 8; ++i) {
    h[i] ^= v[i] ^ v[i + 8];
  }
  OPENSSL_cleanse(m.data(), sizeof m);
  OPENSSL_cleanse(v.data(), sizeof v);
}

void blake2b_256(const unsigned char* data, std::size_t size,
                 unsigned char* out) {
  constexpr std::size_t block_size = 128;
  std::array<std::uint64_t, 8> h = k_blake2b_iv;
  h[0] ^= 0x01010000 ^ 32; // depth 1, fanout 1, no key, 32-byte digest
  std::size_t done = 0;
  while (size - done > block_size) {
    done += block_size;
    blake2b_compress(h, data + done - block_size, done, false);
  }
  WipedBytes<block_size> last;
  std::copy_n(data + done, size - done, last.data());
  blake2b_compress(h, last.data(), size, true);
  for (std::size_t i = 0; i < 32; ++i) {
    out[i] = static_cast<unsigned char>(h[i / 8] >> (8 * (i % 8)));
  }
  OPENSSL_cleanse(h.data(), sizeof h);
}

Ed25519KeyPtr ed25519_private_key(const unsigned char* seed) {
  Ed25519KeyPtr key(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, 32));
  if (!key) {
    throw_openssl("cannot load an Ed25519 private key");
  }
  return key;
}

std::array<std::uint8_t, 64>
ed25519_sign(EVP_PKEY* key, const unsigned char* message, std::size_t size) {
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1) {
    throw_openssl("cannot start an Ed25519 signature");
  }
  std::array<std::uint8_t, 64> signature{};
  std::size_t signature_size = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &signature_size, message,
                     size) != 1 ||
      signature_size != signature.size()) {
    throw_openssl("cannot compute an Ed25519 signature");
  }
  return signature;
}

} // namespace
} // namespace xtc::verify
