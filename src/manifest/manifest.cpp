#include "manifest/manifest.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/toml_guard.hpp"
#include "manifest/artifact.hpp"
#include "manifest/fields.hpp"
#include "platform/fd.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace xtc::manifest {
namespace {

// The newest manifest schema this build understands.
constexpr std::int64_t k_schema_version = 1;

// Checked before anything else, so a newer manifest's new keys are reported
// as "update xtc", not as typos.
void check_schema_version(const detail::FieldReader& root) {
  const std::optional<std::int64_t> version = root.integer("schema_version");
  if (!version) {
    root.fail_missing("schema_version",
                      "a manifest starts with 'schema_version = 1'");
  }
  if (*version > k_schema_version) {
    root.fail_here(
        fmt::format("schema_version {} is newer than this xtc understands ({})",
                    *version, k_schema_version),
        "update xtc");
  }
  if (*version < 1) {
    root.fail("schema_version",
              fmt::format("expected {}, got {}", k_schema_version, *version));
  }
}

} // namespace

std::string flavor_name(Flavor flavor) {
  switch (flavor) {
  case Flavor::gcc:
    return "gcc";
  case Flavor::llvm:
    return "llvm";
  case Flavor::zig:
    return "zig";
  }
  return "gcc";
}

Flavor parse_flavor(std::string_view name) {
  static constexpr std::array<Flavor, 3> k_flavors = {Flavor::gcc, Flavor::llvm,
                                                      Flavor::zig};
  std::vector<std::string> names;
  for (Flavor flavor : k_flavors) {
    if (flavor_name(flavor) == name) {
      return flavor;
    }
    names.push_back(flavor_name(flavor));
  }
  const std::optional<std::string> near = nearest(name, names);
  throw usage_error(fmt::format("unknown flavor '{}'", name),
                    near ? fmt::format("did you mean '{}'?", *near)
                         : fmt::format("flavors are {}", join(names, ", ")));
}

const std::vector<std::string>& tool_names() {
  static const std::vector<std::string> names = {
      "cc",      "cxx",     "ar",        "ranlib",  "strip",   "nm",
      "objcopy", "ld",      "cpp",       "as",      "objdump", "readelf",
      "size",    "strings", "addr2line", "c++filt", "ld.bfd",  "ld.gold",
      "gcc-ar",  "gcc-nm",  "gcc-ranlib"};
  return names;
}

const Artifact* Manifest::find(std::string_view id) const {
  const auto it = std::find_if(
      artifacts.begin(), artifacts.end(),
      [id](const Artifact& artifact) { return artifact.id == id; });
  return it == artifacts.end() ? nullptr : &*it;
}

std::vector<std::string> Manifest::producers() const {
  std::vector<std::string> names;
  for (const Artifact& artifact : artifacts) {
    if (artifact.producer && std::find(names.begin(), names.end(),
                                       *artifact.producer) == names.end()) {
      names.push_back(*artifact.producer);
    }
  }
  return names;
}

Manifest parse(std::string_view text, std::string_view source) {
  const toml::table document = detail::parse_toml(text, source);
  const detail::FieldReader root(document, source, {});
  check_schema_version(root);
  static const std::vector<std::string> k_root_keys = {"schema_version",
                                                       "artifact"};
  root.reject_unknown_keys(k_root_keys);

  const toml::node* list = document.get("artifact");
  if (list == nullptr) {
    root.fail_missing("artifact",
                      "a manifest lists its downloads as [[artifact]] tables");
  }
  if (!list->is_array()) {
    root.fail("artifact",
              fmt::format("expected an array of tables, got {}",
                          detail::type_name(*list)),
              "write each artifact as [[artifact]], with double brackets");
  }

  Manifest manifest;
  manifest.text = std::string(text);
  manifest.schema_version = static_cast<int>(k_schema_version);
  manifest.source = std::string(source);
  // id -> 1-based number of the artifact that first used it.
  std::map<std::string, std::size_t, std::less<>> seen;
  const toml::array& array = *list->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    Artifact artifact = detail::parse_artifact(*array.get(i), i + 1, source);
    const auto [it, fresh] = seen.emplace(artifact.id, i + 1);
    if (!fresh) {
      throw detail::manifest_error(
          source, fmt::format("artifact {} ('{}')", i + 1, artifact.id),
          fmt::format("key 'id': '{}' is already the id of artifact {}",
                      artifact.id, it->second));
    }
    manifest.artifacts.push_back(std::move(artifact));
  }
  return manifest;
}

Manifest load_file(const std::filesystem::path& path) {
  const std::string text = platform::read_file(path, "manifest");
  return parse(text, path.string());
}

} // namespace xtc::manifest
