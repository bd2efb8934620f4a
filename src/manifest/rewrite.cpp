#include "manifest/rewrite.hpp"

#include "base/error.hpp"
#include "manifest/fields.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

namespace xtc::manifest {

std::string
rewrite_for_mirror(std::string_view text, std::string_view source,
                   const std::map<std::string, std::vector<std::string>,
                                  std::less<>>& mirror_urls,
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
    const auto wanted = id ? mirror_urls.find(*id) : mirror_urls.end();
    if (wanted == mirror_urls.end()) {
      continue;
    }
    toml::array urls;
    for (const std::string& url : wanted->second) {
      urls.push_back(url);
    }
    if (const toml::array* old = row->get_as<toml::array>("urls")) {
      for (const toml::node& url : *old) {
        const std::optional<std::string> value = url.value<std::string>();
        if (value && std::find(wanted->second.begin(), wanted->second.end(),
                               *value) == wanted->second.end()) {
          urls.push_back(*value);
        }
      }
    }
    row->insert_or_assign("urls", std::move(urls));
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
