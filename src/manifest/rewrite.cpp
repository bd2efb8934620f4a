#include "manifest/rewrite.hpp"

#include "base/error.hpp"
#include "manifest/fields.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

namespace xtc::manifest {
namespace {

// `first`, then the strings of row[key] not among them.
void put_first(toml::table& row, std::string_view key,
               const std::vector<std::string>& first) {
  if (first.empty()) {
    return;
  }
  toml::array urls;
  for (const std::string& url : first) {
    urls.push_back(url);
  }
  if (const toml::array* old = row.get_as<toml::array>(key)) {
    for (const toml::node& url : *old) {
      const std::optional<std::string> value = url.value<std::string>();
      if (value &&
          std::find(first.begin(), first.end(), *value) == first.end()) {
        urls.push_back(*value);
      }
    }
  }
  row.insert_or_assign(key, std::move(urls));
}

} // namespace

std::string
rewrite_for_mirror(std::string_view text, std::string_view source,
                   const std::map<std::string, MirrorCopy, std::less<>>& copies,
                   const std::vector<std::string>& header) {
  toml::table document = detail::parse_toml(text, source);
  toml::array* artifacts = document["artifact"].as_array();
  if (artifacts == nullptr) {
    throw Error(
        fmt::format("invalid manifest '{}': it lists no [[artifact]]", source));
  }
  toml::array kept;
  for (toml::node& node : *artifacts) {
    toml::table* row = node.as_table();
    const std::optional<std::string> id =
        row == nullptr ? std::nullopt : (*row)["id"].value<std::string>();
    const auto copy = id ? copies.find(*id) : copies.end();
    if (copy == copies.end()) {
      continue;
    }
    put_first(*row, "urls", copy->second.urls);
    put_first(*row, "signature_urls", copy->second.signature_urls);
    kept.push_back(std::move(*row));
  }
  document.insert_or_assign("artifact", std::move(kept));

  std::ostringstream out;
  for (const std::string& line : header) {
    out << (line.empty() ? "#" : "# " + line) << '\n';
  }
  out << toml::toml_formatter(document) << '\n';
  return out.str();
}

} // namespace xtc::manifest
