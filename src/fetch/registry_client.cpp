#include "fetch/registry_client.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "fetch/attempt.hpp"
#include "fetch/curl_handle.hpp"
#include "fetch/oci.hpp"
#include "fetch/registry_auth.hpp"
#include "fetch/transport.hpp"
#include "fetch/url.hpp"
#include "platform/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace xtc::fetch {
namespace {

// 401s answered in a row: a registry that refuses fresh tokens refuses.
constexpr int k_max_auth_rounds = 3;

class DiscardSink final : public Sink {
public:
  std::uint64_t held() const override { return 0; }
  void reset() override {}
  bool write(std::string_view /*chunk*/) override { return true; }
};

// The request body, read by libcurl: bytes in memory or a file's.
struct Reader {
  std::string_view bytes;
  int fd = -1;
  std::uint64_t offset = 0;
  std::exception_ptr error;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count,
                    void* context) {
  Reader& reader = *static_cast<Reader*>(context);
  const std::size_t room = size * count;
  if (reader.fd < 0) {
    const std::size_t n =
        std::min<std::size_t>(room, reader.bytes.size() - reader.offset);
    std::memcpy(buffer, reader.bytes.data() + reader.offset, n);
    reader.offset += n;
    return n;
  }
  while (true) {
    const ssize_t n = ::read(reader.fd, buffer, room);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      reader.error = std::make_exception_ptr(Error(fmt::format(
          "cannot read the file being uploaded: {}", std::strerror(errno))));
      return CURL_READFUNC_ABORT;
    }
    reader.offset += static_cast<std::uint64_t>(n);
    return static_cast<std::size_t>(n);
  }
}

// The origin ("https://host:port") of an absolute URL, or empty.
std::string origin_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    return {};
  }
  const std::size_t end = url.find('/', scheme + 3);
  return std::string(url.substr(0, end));
}

} // namespace

struct RegistryClient::Reply {
  long status = 0;
  std::string location;
  std::string content_digest;
};

struct RegistryClient::Body {
  std::string_view bytes;                      // when file is null
  const std::filesystem::path* file = nullptr; // the upload's bytes
  std::uint64_t size = 0;                      // of the file
  Progress* progress = nullptr;                // counts the bytes sent
};

RegistryClient::RegistryClient(std::string registry, std::string repository,
                               const Options& options)
    : m_registry(std::move(registry)), m_repository(std::move(repository)),
      m_scope(repository_scope(m_repository, true)), m_options(options) {
  // The same rules as a blob URL: a digest of zeros stands in.
  parse_oci_url(fmt::format("oci://{}/{}@sha256:{}", m_registry, m_repository,
                            std::string(64, '0')));
}

std::string RegistryClient::describe() const {
  return fmt::format("oci://{}/{}", m_registry, m_repository);
}

RegistryClient::Reply RegistryClient::exchange(std::string_view method,
                                               const std::string& url,
                                               const Body& body,
                                               const std::string& header) {
  std::shared_ptr<RegistryAuth> auth = m_options.registry_auth;
  if (!auth) {
    auth = std::make_shared<RegistryAuth>(Env({}, "/"));
  }
  // Credentials go to the registry only: an upload session the registry
  // placed on another host gets none.
  const bool same_origin =
      origin_of(url) == origin_of(repository_endpoint(m_registry, ""));
  std::string authorization =
      same_origin ? auth->cached(m_registry, m_scope) : std::string();
  const CurlEasy easy = make_easy();
  for (int round = 0;; ++round) {
    throw_if_interrupted();
    curl_easy_reset(easy.get());
    DiscardSink sink;
    Progress quiet({}, 0, false);
    RequestState state;
    state.easy = easy.get();
    state.sink = &sink;
    state.progress = body.progress != nullptr ? body.progress : &quiet;
    state.uploading = body.progress != nullptr;
    state.is_http = true;
    state.cancel = m_options.cancel;
    CurlSlist headers;
    if (!authorization.empty()) {
      headers.append("Authorization: " + authorization);
    }
    if (!header.empty()) {
      headers.append(header);
    }
    headers.append("Expect:"); // no 100-continue round trip
    std::array<char, CURL_ERROR_SIZE> error_buffer{};
    check_url_allowed(url);
    configure_request(easy.get(), url, "https", m_options, state,
                      error_buffer.data(), headers);
    // Uploads are never redirected: the registry names where they go.
    set_option(easy.get(), CURLOPT_FOLLOWLOCATION, 0L);

    std::optional<platform::Fd> file;
    Reader reader;
    if (method == "HEAD") {
      set_option(easy.get(), CURLOPT_NOBODY, 1L);
    } else if (method == "POST") {
      set_option(easy.get(), CURLOPT_POST, 1L);
      set_option(easy.get(), CURLOPT_POSTFIELDSIZE, 0L);
    } else if (method == "PUT" || method == "PATCH") {
      if (body.file != nullptr) {
        const int fd = ::open(body.file->c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          throw_errno(fmt::format("cannot read '{}'", body.file->string()));
        }
        file.emplace(fd);
        reader.fd = fd;
      } else {
        reader.bytes = body.bytes;
      }
      set_option(easy.get(), CURLOPT_UPLOAD, 1L);
      set_option(easy.get(), CURLOPT_READFUNCTION, &on_read);
      set_option(easy.get(), CURLOPT_READDATA, static_cast<void*>(&reader));
      set_option(easy.get(), CURLOPT_INFILESIZE_LARGE,
                 static_cast<curl_off_t>(
                     body.file != nullptr ? body.size : body.bytes.size()));
      if (method == "PATCH") {
        set_option(easy.get(), CURLOPT_CUSTOMREQUEST, "PATCH");
      }
    }

    const CURLcode code = curl_easy_perform(easy.get());
    if (state.error) {
      std::rethrow_exception(state.error);
    }
    if (reader.error) {
      std::rethrow_exception(reader.error);
    }
    if (state.interrupted) {
      throw_if_interrupted();
    }
    if (!state.refused.empty()) {
      throw Error(fmt::format("cannot reach registry '{}': {}", m_registry,
                              state.refused));
    }
    if (code != CURLE_OK) {
      throw Error(fmt::format("cannot reach registry '{}': {}", m_registry,
                              error_buffer[0] != '\0'
                                  ? error_buffer.data()
                                  : curl_easy_strerror(code)),
                  "check that the registry is up and that XTC_CA_BUNDLE "
                  "trusts its certificate");
    }
    Reply reply;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    if (reply.status == 401 && same_origin && !state.authenticate.empty() &&
        round < k_max_auth_rounds) {
      authorization = auth->answer(m_registry, m_scope, state.authenticate,
                                   authorization, m_options);
      continue;
    }
    if (reply.status == 401 || reply.status == 403) {
      throw Error(fmt::format("registry '{}' refused {} of {}: {}", m_registry,
                              method, describe(), status_line(reply.status)),
                  fmt::format("the credentials for {} need push access to "
                              "{}; run 'docker login {}', or set "
                              "XTC_REGISTRY_AUTH=user:password",
                              m_registry, m_repository, m_registry));
    }
    reply.location = state.location;
    reply.content_digest = state.content_digest;
    return reply;
  }
}

bool RegistryClient::has_blob(std::string_view digest) {
  const Reply reply = exchange("HEAD",
                               repository_endpoint(m_registry, m_repository) +
                                   "blobs/" + std::string(digest),
                               {}, {});
  if (reply.status == 200) {
    return true;
  }
  if (reply.status == 404) {
    return false;
  }
  throw Error(fmt::format("registry '{}' answered {} when asked for blob {}",
                          m_registry, status_line(reply.status), digest));
}

void RegistryClient::upload(const Body& body, std::string_view digest) {
  const std::string base = repository_endpoint(m_registry, m_repository);
  const Reply opened = exchange("POST", base + "blobs/uploads/", {}, {});
  if (opened.status != 202 || opened.location.empty()) {
    throw Error(fmt::format("registry '{}' did not open an upload to {}: {}",
                            m_registry, describe(), status_line(opened.status)),
                "check that the registry accepts pushes");
  }
  // The session's URL: absolute, or relative to the registry.
  std::string session = opened.location;
  if (session.find("://") == std::string::npos) {
    session = origin_of(base) + (session.starts_with('/') ? "" : "/") + session;
  }
  session += session.find('?') == std::string::npos ? '?' : '&';
  session += "digest=" + std::string(digest);
  const Reply closed =
      exchange("PUT", session, body, "Content-Type: application/octet-stream");
  if (closed.status != 201) {
    throw Error(fmt::format("registry '{}' refused the upload of {} to {}: "
                            "{}",
                            m_registry, digest, describe(),
                            status_line(closed.status)),
                closed.status == 400
                    ? "the bytes sent do not have the digest they were sent "
                      "as; the file changed during the upload"
                    : "check the registry's logs");
  }
}

void RegistryClient::push_blob(const std::filesystem::path& file,
                               std::string_view digest, std::uint64_t size,
                               Progress& progress) {
  Body body;
  body.file = &file;
  body.size = size;
  body.progress = &progress;
  upload(body, digest);
}

void RegistryClient::push_blob(std::string_view bytes,
                               std::string_view digest) {
  Body body;
  body.bytes = bytes;
  upload(body, digest);
}

bool RegistryClient::has_manifest(std::string_view reference,
                                  std::string_view digest) {
  const Reply reply =
      exchange("HEAD",
               repository_endpoint(m_registry, m_repository) + "manifests/" +
                   std::string(reference),
               {}, "Accept: application/vnd.oci.image.manifest.v1+json");
  return reply.status == 200 && reply.content_digest == digest;
}

void RegistryClient::put_manifest(std::string_view reference,
                                  std::string_view media_type,
                                  std::string_view json) {
  Body body;
  body.bytes = json;
  const Reply reply =
      exchange("PUT",
               repository_endpoint(m_registry, m_repository) + "manifests/" +
                   std::string(reference),
               body, "Content-Type: " + std::string(media_type));
  if (reply.status != 201) {
    throw Error(fmt::format("registry '{}' refused the manifest '{}' of {}: "
                            "{}",
                            m_registry, reference, describe(),
                            status_line(reply.status)),
                "check the registry's logs");
  }
}

} // namespace xtc::fetch
