#include "verify/minisign.hpp"

#include "base/base64.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/fd.hpp"
#include "verify/openssl.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <fcntl.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace xtc::verify {
namespace {

constexpr std::string_view k_untrusted = "untrusted comment:";
constexpr std::string_view k_trusted = "trusted comment: ";
constexpr std::size_t k_file_chunk = 1 << 20;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

template <std::size_t N>
void copy_bytes(const std::vector<std::uint8_t>& from, std::size_t offset,
                std::array<std::uint8_t, N>& to) {
  std::copy_n(from.begin() + static_cast<std::ptrdiff_t>(offset), N,
              to.begin());
}

bool ed25519_verify(const MinisignKey& key,
                    const std::array<std::uint8_t, 64>& signature,
                    const unsigned char* data, std::size_t size) {
  const PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, key.public_key.data(), key.public_key.size()));
  if (!pkey) {
    throw_openssl("cannot load an Ed25519 public key");
  }
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                                   pkey.get()) != 1) {
    throw_openssl("cannot start an Ed25519 verification");
  }
  const int status = EVP_DigestVerify(ctx.get(), signature.data(),
                                      signature.size(), data, size);
  // 0 is a mismatch; a negative status is a malformed signature, which for
  // us is just as much a mismatch. Neither should leave errors queued.
  ERR_clear_error();
  return status == 1;
}

} // namespace

std::string key_id_hex(const MinisignKeyId& id) {
  std::string out;
  for (auto it = id.rbegin(); it != id.rend(); ++it) {
    out += fmt::format("{:02X}", *it);
  }
  return out;
}

std::string MinisignKey::base64() const {
  std::vector<std::uint8_t> bytes = {'E', 'd'};
  bytes.insert(bytes.end(), id.begin(), id.end());
  bytes.insert(bytes.end(), public_key.begin(), public_key.end());
  return base64_encode(bytes);
}

MinisignKey parse_minisign_key(std::string_view text, std::string_view source) {
  const auto fail = [&](std::string_view why) {
    return Error(
        fmt::format("invalid minisign public key '{}': {}", source, why),
        "a minisign public key is a base64 line starting with 'RW', "
        "optionally after an 'untrusted comment:' line");
  };
  std::vector<std::string_view> lines = lines_of(text);
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  if (!lines.empty() && lines.front().starts_with(k_untrusted)) {
    lines.erase(lines.begin());
  }
  if (lines.size() != 1) {
    throw fail(lines.empty() ? "no key line" : "more than one key line");
  }
  const std::optional<std::vector<std::uint8_t>> bytes =
      base64_decode(lines.front());
  if (!bytes) {
    throw fail("the key line is not base64");
  }
  if (bytes->size() != 42 || (*bytes)[0] != 'E' || (*bytes)[1] != 'd') {
    throw fail("not an Ed25519 minisign key");
  }
  MinisignKey key;
  copy_bytes(*bytes, 2, key.id);
  copy_bytes(*bytes, 10, key.public_key);
  return key;
}

MinisignSignature parse_minisign_signature(std::string_view text,
                                           std::string_view source) {
  const auto fail = [&](std::string_view why) {
    return Error(fmt::format("invalid signature '{}': {}", source, why));
  };
  std::vector<std::string_view> lines = lines_of(text);
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  if (lines.size() < 4) {
    throw fail(
        fmt::format("expected 4 lines, found {} (truncated?)", lines.size()));
  }
  if (lines.size() > 4) {
    throw fail("more than 4 lines");
  }
  if (!lines[0].starts_with(k_untrusted)) {
    throw fail("line 1 is not an 'untrusted comment:'");
  }
  const std::optional<std::vector<std::uint8_t>> sig = base64_decode(lines[1]);
  if (!sig || sig->size() != 74) {
    throw fail("line 2 is not a base64 minisign signature");
  }
  MinisignSignature out;
  const std::string_view algorithm(reinterpret_cast<const char*>(sig->data()),
                                   2);
  if (algorithm == "ED") {
    out.prehashed = true;
  } else if (algorithm == "Ed") {
    out.prehashed = false;
  } else {
    throw fail(fmt::format("unknown signature algorithm '{}'", algorithm));
  }
  copy_bytes(*sig, 2, out.key_id);
  copy_bytes(*sig, 10, out.signature);
  if (!lines[2].starts_with(k_trusted)) {
    throw fail("line 3 is not a 'trusted comment:'");
  }
  out.trusted_comment = std::string(lines[2].substr(k_trusted.size()));
  const std::optional<std::vector<std::uint8_t>> global =
      base64_decode(lines[3]);
  if (!global || global->size() != 64) {
    throw fail("line 4 is not a base64 global signature");
  }
  copy_bytes(*global, 0, out.global_signature);
  return out;
}

namespace {

// Both signatures over `message` (the file, or its BLAKE2b-512 digest).
SignatureCheck check_message(const MinisignKey& key,
                             const MinisignSignature& signature,
                             const unsigned char* message,
                             std::size_t message_size) {
  if (!ed25519_verify(key, signature.signature, message, message_size)) {
    return SignatureCheck::bad_signature;
  }
  std::vector<unsigned char> global(signature.signature.begin(),
                                    signature.signature.end());
  global.insert(global.end(), signature.trusted_comment.begin(),
                signature.trusted_comment.end());
  if (!ed25519_verify(key, signature.global_signature, global.data(),
                      global.size())) {
    return SignatureCheck::bad_trusted_comment;
  }
  return SignatureCheck::valid;
}

} // namespace

SignatureCheck check_minisign(const MinisignKey& key,
                              const MinisignSignature& signature,
                              std::string_view data) {
  if (!signature.prehashed) {
    return check_message(key, signature,
                         reinterpret_cast<const unsigned char*>(data.data()),
                         data.size());
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &digest_size,
                 EVP_blake2b512(), nullptr) != 1) {
    throw_openssl("cannot compute a BLAKE2b-512 digest");
  }
  return check_message(key, signature, digest.data(), digest_size);
}

SignatureCheck check_minisign_file(const MinisignKey& key,
                                   const MinisignSignature& signature,
                                   const std::filesystem::path& path,
                                   std::string_view role) {
  if (!signature.prehashed) {
    return check_minisign(key, signature, platform::read_file(path, role));
  }
  // The prehashed kind needs only the file's digest: hashed as it is read,
  // whatever the file's size.
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_blake2b512(), nullptr) != 1) {
    throw_openssl("cannot start a BLAKE2b-512 digest");
  }
  const platform::Fd fd = platform::open_file(path, O_RDONLY, role);
  platform::read_chunks(
      fd.get(), k_file_chunk, role, path, [&ctx](std::string_view data) {
        if (EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1) {
          throw_openssl("cannot compute a BLAKE2b-512 digest");
        }
      });
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &digest_size) != 1) {
    throw_openssl("cannot compute a BLAKE2b-512 digest");
  }
  return check_message(key, signature, digest.data(), digest_size);
}

} // namespace xtc::verify
