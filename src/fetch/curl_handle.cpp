#include "fetch/curl_handle.hpp"

#include "base/error.hpp"

namespace xtc::fetch {

void CurlSlist::append(const std::string& line) {
  // On failure curl_slist_append returns NULL and leaves the old list
  // alone, so m_list still owns it.
  curl_slist* grown = curl_slist_append(m_list.get(), line.c_str());
  if (grown == nullptr) {
    throw Error("cannot set up the transfer: out of memory");
  }
  static_cast<void>(m_list.release());
  m_list.reset(grown);
}

CurlEasy make_easy() {
  CurlEasy easy(curl_easy_init());
  if (!easy) {
    throw Error("cannot set up the transfer: curl_easy_init failed",
                "libcurl could not initialise; check that it is installed "
                "correctly");
  }
  return easy;
}

void throw_setopt_error(CURLcode code) {
  throw Error(
      fmt::format("cannot set up the transfer: {}", curl_easy_strerror(code)),
      "this libcurl lacks a feature xtc needs (HTTPS, file://); "
      "install a libcurl built with OpenSSL");
}

} // namespace xtc::fetch
