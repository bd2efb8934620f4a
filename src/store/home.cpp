#include "store/home.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fs.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string_view>

namespace xtc::store {
namespace {

constexpr std::string_view k_marker = ".xtc-home";
constexpr std::string_view k_marker_text =
    "This directory is an xtc home: xtc made it, and may add and remove\n"
    "anything in it. Remove it with 'xtc self uninstall'.\n";

// Every name xtc makes at the top of its home.
constexpr std::array<std::string_view, 10> k_own_names = {
    k_marker,    "bin",  "toolchains", "targets", "cache",
    "manifests", "keys", "locks",      "tmp",     "config.toml"};

bool has_marker(const std::filesystem::path& root) {
  struct stat st {};
  return ::lstat((root / k_marker).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool is_real_directory(const std::filesystem::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Error foreign_home(const Layout& layout) {
  const std::string root = layout.root().string();
  return Error(
      fmt::format("'{}' is not an xtc home: it is not empty and has no '{}' "
                  "marker, so xtc will neither write nor delete anything in it",
                  root, k_marker),
      fmt::format(
          "set XTC_HOME to a new or empty directory (the default is "
          "~/.xtc); if '{}' really is xtc's, mark it with 'touch {}/{}'",
          root, root, k_marker));
}

void write_marker(const Layout& layout) {
  platform::write_file_atomic(layout.root() / k_marker, k_marker_text,
                              "xtc home marker");
}

} // namespace

HomeState inspect_home(const Layout& layout) {
  const std::filesystem::path& root = layout.root();
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return HomeState::absent;
    }
    throw_errno(fmt::format("cannot use xtc home '{}'", root.string()));
  }
  if (!S_ISDIR(st.st_mode)) {
    throw Error(
        fmt::format("cannot use xtc home '{}': not a directory", root.string()),
        "set XTC_HOME to a directory (the default is ~/.xtc)");
  }
  if (has_marker(root)) {
    return HomeState::marked;
  }
  std::vector<std::string> names = platform::list_directory(root);
  // Another xtc may have created this home between the look above and the
  // listing: it writes the marker before anything else, so whatever of its
  // the listing saw, the marker is there by now. Looking again after the
  // listing is what keeps a home being created from being called foreign.
  if (has_marker(root)) {
    return HomeState::marked;
  }
  // Another xtc that is creating this home right now writes the marker
  // through a temporary file first: that is no one else's file.
  std::erase_if(names, [](const std::string& name) {
    return name.starts_with(std::string(k_marker) + ".tmp.");
  });
  if (names.empty()) {
    return HomeState::empty;
  }
  const bool only_own =
      std::all_of(names.begin(), names.end(), [](const std::string& name) {
        return std::find(k_own_names.begin(), k_own_names.end(), name) !=
               k_own_names.end();
      });
  if (only_own && is_real_directory(layout.toolchains()) &&
      is_real_directory(layout.targets()) &&
      is_real_directory(layout.locks())) {
    return HomeState::legacy;
  }
  return HomeState::foreign;
}

void claim_home(const Layout& layout) {
  switch (inspect_home(layout)) {
  case HomeState::marked:
    return;
  case HomeState::foreign:
    throw foreign_home(layout);
  case HomeState::absent:
    platform::make_directories(layout.root(), "xtc home directory");
    break;
  case HomeState::empty:
  case HomeState::legacy:
    break;
  }
  write_marker(layout);
}

bool owns_home(const Layout& layout) {
  switch (inspect_home(layout)) {
  case HomeState::absent:
  case HomeState::empty:
    return false;
  case HomeState::foreign:
    throw foreign_home(layout);
  case HomeState::legacy:
    write_marker(layout);
    return true;
  case HomeState::marked:
    break;
  }
  return true;
}

} // namespace xtc::store
