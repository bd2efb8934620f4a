#include "platform/host.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <sys/utsname.h>
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

#include <unistd.h>

#include <array>
#include <cstdlib>

namespace xtc::platform {
namespace {

std::string normalise_machine(const std::string& machine) {
  if (machine == "arm64" || machine == "aarch64") {
    return "aarch64";
  }
  if (machine == "amd64" || machine == "x86_64") {
    return "x86_64";
  }
  if (machine == "i386" || machine == "i486" || machine == "i586" ||
      machine == "i686") {
    return "i686";
  }
  return machine;
}

bool running_under_rosetta() {
#if defined(__APPLE__)
  int translated = 0;
  std::size_t size = sizeof(translated);
  if (::sysctlbyname("sysctl.proc_translated", &translated, &size, nullptr,
                     0) == 0) {
    return translated == 1;
  }
#endif
  return false;
}

} // namespace

std::string host_platform() {
  if (const char* forced = std::getenv("XTC_HOST");
      forced != nullptr && *forced != '\0') {
    return forced;
  }
  struct utsname name {};
  if (::uname(&name) != 0) {
    throw_errno("cannot read the machine type (uname)");
  }
  std::string machine = normalise_machine(name.machine);
  const std::string os = to_lower(name.sysname);
  if (os == "darwin" && running_under_rosetta()) {
    machine = "aarch64";
  }
  return machine + "-" + os;
}

std::optional<std::string> host_version() {
  if (const char* forced = std::getenv("XTC_HOST_VERSION");
      forced != nullptr && *forced != '\0') {
    return forced;
  }
#if defined(__APPLE__)
  std::array<char, 64> buffer{};
  std::size_t size = buffer.size();
  if (::sysctlbyname("kern.osproductversion", buffer.data(), &size, nullptr,
                     0) == 0 &&
      size > 0) {
    return std::string(buffer.data());
  }
  return std::nullopt;
#elif defined(_CS_GNU_LIBC_VERSION)
  std::array<char, 64> buffer{};
  const std::size_t length =
      ::confstr(_CS_GNU_LIBC_VERSION, buffer.data(), buffer.size());
  const std::string text(buffer.data());
  // "glibc 2.36"
  if (length == 0 || length > buffer.size() || !text.starts_with("glibc ")) {
    return std::nullopt;
  }
  return text.substr(6);
#else
  return std::nullopt;
#endif
}

} // namespace xtc::platform
