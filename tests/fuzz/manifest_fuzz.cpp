// Fuzzes the manifest loader: any text either parses into artifacts that
// satisfy the documented invariants or throws xtc::Error.
#include "base/error.hpp"
#include "manifest/manifest.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
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
