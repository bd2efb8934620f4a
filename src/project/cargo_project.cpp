// find_cargo_project: which directory's .cargo/config.toml a project uses.
// Cargo reads config files from the current directory and its ancestors, so
// a workspace member builds with its workspace root's config; writing there
// covers every member and `cargo build` run from the root.
#include "base/toml_guard.hpp"
#include "platform/fd.hpp"
#include "project/cargo_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <system_error>

namespace xtc::project {

namespace fs = std::filesystem;

namespace {

bool has_manifest(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "Cargo.toml", ec);
}

// nullopt when the manifest does not parse: the caller then keeps the answer
// it has instead of failing over someone else's broken file. A manifest that
// is not a regular file, is huge or nests absurdly deep is refused with
// xtc::Error before the parser sees it.
std::optional<toml::table> load_manifest(const fs::path& dir) {
  const fs::path path = dir / "Cargo.toml";
  const std::string text = platform::read_file(path, "Cargo manifest");
  guard_toml_nesting(text, path.string());
  try {
    return toml::parse(text, path.string());
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

std::vector<std::string> string_list(const toml::table& table,
                                     std::string_view key) {
  std::vector<std::string> out;
  if (const toml::array* array = table[key].as_array()) {
    for (const toml::node& item : *array) {
      if (const toml::value<std::string>* text = item.as_string()) {
        out.push_back(text->get());
      }
    }
  }
  return out;
}

// Literal, component-wise prefix test: cargo compares with Path::starts_with.
bool path_within(const fs::path& relative, const std::string& entry) {
  const fs::path prefix = fs::path(entry).lexically_normal();
  auto have = relative.begin();
  for (const fs::path& part : prefix) {
    if (part.empty() || part == ".") {
      continue; // "crates/" and "." add nothing
    }
    if (have == relative.end() || *have != part) {
      return false;
    }
    ++have;
  }
  return true;
}

// Cargo's rule (core/workspace.rs, find_workspace_root and is_excluded): a
// workspace claims every package below it unless `exclude` lists it and no
// `members` entry names it literally. A glob such as "crates/*" selects
// members but never overrides `exclude`, so it plays no part here.
bool workspace_claims(const toml::table& workspace, const fs::path& root,
                      const fs::path& package) {
  const fs::path relative = package.lexically_relative(root);
  const auto within = [&relative](const std::string& entry) {
    return path_within(relative, entry);
  };
  const std::vector<std::string> excluded = string_list(workspace, "exclude");
  if (std::none_of(excluded.begin(), excluded.end(), within)) {
    return true;
  }
  const std::vector<std::string> members = string_list(workspace, "members");
  return std::any_of(members.begin(), members.end(), within);
}

} // namespace

std::optional<fs::path> find_cargo_project(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) {
    return std::nullopt;
  }
  if (!dir.has_filename()) {
    dir = dir.parent_path(); // "/p/" -> "/p"
  }
  while (!has_manifest(dir)) {
    if (dir == dir.parent_path()) {
      return std::nullopt;
    }
    dir = dir.parent_path();
  }
  const fs::path package = dir;

  const std::optional<toml::table> own = load_manifest(package);
  if (!own || own->contains("workspace")) {
    return package;
  }
  // `package.workspace` names the root explicitly; cargo looks no further.
  if (std::optional<std::string> root =
          (*own)["package"]["workspace"].value<std::string>()) {
    fs::path named = (package / *root).lexically_normal();
    return named.has_filename() ? named : named.parent_path(); // "../" form
  }
  while (dir != dir.parent_path()) {
    dir = dir.parent_path();
    if (!has_manifest(dir)) {
      continue;
    }
    const std::optional<toml::table> manifest = load_manifest(dir);
    if (!manifest) {
      return package;
    }
    const toml::table* workspace = (*manifest)["workspace"].as_table();
    if (workspace != nullptr && workspace_claims(*workspace, dir, package)) {
      return dir;
    }
  }
  return package;
}

} // namespace xtc::project
