// Fuzzes the manifest loader: any text either parses into artifacts that
// satisfy the documented invariants or throws xtc::Error. Half the inputs go
// through a file, as a manifest on disk does (the bounded regular-file
// read and the nesting guard before the parser): what comes back from the
// file is exactly what went in, or the read refuses it for its size.
#include "base/error.hpp"
#include "manifest/manifest.hpp"
#include "platform/fd.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

namespace {

// Small, so that the size limit is met often.
constexpr std::size_t k_read_limit = 4096;

const std::filesystem::path& scratch_file() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("xtc-fuzz-manifest-" + std::to_string(::getpid()) + ".toml");
  return path;
}

// Writes text to the scratch file and reads it back the way xtc reads a
// local manifest; aborts when the bytes differ.
void check_file_round_trip(std::string_view text) {
  {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  try {
    const std::string back =
        xtc::platform::read_file(scratch_file(), "manifest", k_read_limit);
    if (back != text || text.size() > k_read_limit) {
      std::abort();
    }
  } catch (const xtc::Error&) {
    if (text.size() <= k_read_limit) {
      std::abort(); // a small regular file must read
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size % 2 == 1) {
    check_file_round_trip(text);
  }
  try {
    const xtc::manifest::Manifest manifest =
        xtc::manifest::parse(text, "fuzz.toml");
    std::set<std::string> ids;
    for (const xtc::manifest::Artifact& artifact : manifest.artifacts) {
      // Ids are unique, every artifact has a URL, and find() finds it.
      if (!ids.insert(artifact.id).second || artifact.urls.empty() ||
          manifest.find(artifact.id) == nullptr) {
        std::abort();
      }
    }
  } catch (const xtc::Error&) {
    return 0;
  }
  return 0;
}
