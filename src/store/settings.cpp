#include "store/settings.hpp"

#include "base/error.hpp"
#include "platform/fd.hpp"
#include "store/toml_file.hpp"

#include <fmt/format.h>

namespace xtc::store {
namespace {

constexpr std::string_view k_role = "settings file";
constexpr std::string_view k_hint =
    "fix or remove it; its keys are described in xtc's README (Environment)";

} // namespace

Settings read_settings(const Layout& layout) {
  const std::filesystem::path path = layout.settings();
  const std::optional<std::string> text =
      platform::read_file_if_exists(path, k_role);
  if (!text) {
    return {};
  }
  const toml::table table = parse_own_toml(*text, path, k_role, k_hint);
  Settings settings;
  for (const auto& [key, node] : table) {
    if (key.str() == "channel") {
      const std::optional<std::string> channel = node.value<std::string>();
      if (!channel || channel->empty()) {
        throw Error(fmt::format("{} '{}': 'channel' must be a URL in quotes",
                                k_role, path.string()),
                    std::string(k_hint));
      }
      settings.channel = *channel;
    } else {
      throw Error(fmt::format("{} '{}': unknown key '{}'", k_role,
                              path.string(), key.str()),
                  std::string(k_hint));
    }
  }
  return settings;
}

} // namespace xtc::store
