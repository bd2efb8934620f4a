// Fuzzes the archive policy: fuzzed bytes are extracted (as tar, tar.gz,
// zip, .deb…, detected from content) into a fresh root inside a sandbox
// directory. Whatever happens, nothing may appear in the sandbox outside the
// root, and nothing under the root may be a device, FIFO or setuid file, or
// a symlink that resolves outside the root.
#include "base/error.hpp"
#include "unpack/extract.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path& sandbox() {
  static const fs::path dir = [] {
    std::string pattern =
        (fs::temp_directory_path() / "xtc-fuzz-archive.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::abort();
    }
    return fs::path(pattern);
  }();
  return dir;
}

bool inside(const fs::path& path, const fs::path& root) {
  const std::string p = path.lexically_normal().string();
  const std::string r = root.lexically_normal().string();
  return p == r || p.starts_with(r + "/");
}

void check_tree(const fs::path& root) {
  const fs::path real_root = fs::canonical(root);
  for (auto it = fs::recursive_directory_iterator(root);
       it != fs::recursive_directory_iterator(); ++it) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) {
      std::abort();
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
      std::abort(); // a device, FIFO or socket
    }
    if ((st.st_mode & (S_ISUID | S_ISGID | S_ISVTX)) != 0) {
      std::abort();
    }
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      const fs::path target = fs::weakly_canonical(it->path(), ec);
      if (!ec && !inside(target, real_root)) {
        std::abort(); // a symlink out of the root
      }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const fs::path archive = sandbox() / "input";
  const fs::path root = sandbox() / "root";
  {
    std::ofstream out(archive, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data),
              static_cast<std::streamsize>(size));
  }
  fs::remove_all(root);
  fs::create_directory(root);
  try {
    xtc::unpack::extract(archive, root, {0, {64U << 20U, 10000}});
  } catch (const xtc::Error&) {
    // Refused: the caller discards the root; the checks below still hold.
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(sandbox())) {
    if (entry.path() != archive && entry.path() != root) {
      std::abort(); // written outside the root
    }
  }
  check_tree(root);
  return 0;
}
