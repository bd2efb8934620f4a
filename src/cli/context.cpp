#include "cli/context.hpp"

#include "base/error.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"

namespace xtc::cli {
namespace {

bool is_url(const std::string& text) {
  return text.starts_with("https://") || text.starts_with("http://") ||
         text.starts_with("file://");
}

} // namespace

store::Layout Context::layout() const { return store::Layout::from_env(env); }

fetch::Options Context::fetch_options() const {
  fetch::Options options = fetch::Options::from_env(env);
  options.progress = !quiet;
  return options;
}

manifest::Manifest Context::load_manifest() const {
  std::string source = manifest_arg;
  if (source.empty()) {
    source = env.get("XTC_MANIFEST").value_or("");
  }
  if (source.empty()) {
    const std::filesystem::path fetched = layout().manifests() / "xtc.toml";
    const std::filesystem::path shipped = self.parent_path().parent_path() /
                                          "share" / "xtc" / "manifests" /
                                          "xtc.toml";
    for (const std::filesystem::path& candidate : {fetched, shipped}) {
      if (platform::path_exists(candidate)) {
        return manifest::load_file(candidate);
      }
    }
    throw Error("no artifact manifest found (looked for '" + fetched.string() +
                    "' and '" + shipped.string() + "')",
                "pass one with --manifest PATH|URL or set XTC_MANIFEST");
  }
  if (is_url(source)) {
    return manifest::parse(fetch::fetch_text(source, fetch_options()), source);
  }
  std::filesystem::path path(source);
  return manifest::load_file(path.is_absolute() ? path : env.cwd() / path);
}

} // namespace xtc::cli
