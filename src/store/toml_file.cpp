#include "store/toml_file.hpp"

#include "base/error.hpp"
#include "base/toml_guard.hpp"

namespace xtc::store {

toml::table parse_own_toml(const std::string& text,
                           const std::filesystem::path& path,
                           std::string_view role, std::string_view hint) {
  guard_toml_nesting(text, path.string());
  try {
    return toml::parse(text, path.string());
  } catch (const toml::parse_error& error) {
    throw Error(fmt::format("damaged {} '{}': {}:{}: {}", role, path.string(),
                            error.source().begin.line,
                            error.source().begin.column, error.description()),
                std::string(hint));
  }
}

} // namespace xtc::store
