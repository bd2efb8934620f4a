// Owners for libcurl's handles (easy handle, header list, URL handle, strings
// libcurl allocates) and the checked curl_easy_setopt used by every transfer.
// Internal to fetch/: no header outside this directory includes curl.h.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

// Older libcurl lacks CURLOPT_PREREQFUNCTION (7.80), which the plain-HTTP
// guard needs, and curl_url_strerror (7.80).
#if LIBCURL_VERSION_NUM < 0x075000
#error "xtc needs libcurl 7.80 or newer"
#endif

namespace xtc::fetch {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept {
    curl_slist_free_all(list);
  }
};

// A header list; append() keeps ownership when curl_slist_append fails.
class CurlSlist {
public:
  // Throws xtc::Error when libcurl cannot allocate the entry.
  void append(const std::string& line);
  curl_slist* get() const noexcept { return m_list.get(); }

private:
  std::unique_ptr<curl_slist, CurlSlistDeleter> m_list;
};

struct CurlUrlDeleter {
  void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlFreeDeleter {
  void operator()(char* text) const noexcept { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlFreeDeleter>;

// Returns a fresh easy handle; throws xtc::Error when libcurl cannot make one.
CurlEasy make_easy();

// Throws xtc::Error "cannot set up the transfer: <curl's message>".
void throw_setopt_error(CURLcode code);

// curl_easy_setopt with its result checked. The option is a runtime value
// here, so libcurl's compile-time type check does not apply: callers pass
// long for numbers, curl_off_t for sizes, const char* for strings.
template <typename T>
void set_option(CURL* handle, CURLoption option, T value) {
  const CURLcode code = curl_easy_setopt(handle, option, value);
  if (code != CURLE_OK) {
    throw_setopt_error(code);
  }
}

} // namespace xtc::fetch
