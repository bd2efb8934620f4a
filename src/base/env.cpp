#include "base/env.hpp"

#include "base/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

extern char** environ; // NOLINT: POSIX declares it nowhere else

namespace xtc {

Env Env::from_process() {
  std::map<std::string, std::string, std::less<>> vars;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t eq = text.find('=');
    if (eq != std::string_view::npos) {
      vars.emplace(std::string(text.substr(0, eq)),
                   std::string(text.substr(eq + 1)));
    }
  }
  std::vector<char> buffer(4096);
  while (getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (errno != ERANGE) {
      throw_errno("cannot read the current directory");
    }
    buffer.resize(buffer.size() * 2);
  }
  return Env(std::move(vars), std::filesystem::path(buffer.data()));
}

Env::Env(std::map<std::string, std::string, std::less<>> vars,
         std::filesystem::path cwd)
    : m_vars(std::move(vars)), m_cwd(std::move(cwd)) {}

std::optional<std::string> Env::get(std::string_view name) const {
  const auto it = m_vars.find(name);
  if (it == m_vars.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second;
}

std::filesystem::path Env::home() const {
  if (auto home = get("HOME")) {
    return *home;
  }
  throw Error("HOME is not set, so xtc cannot find its home directory",
              "set HOME, or set XTC_HOME to the directory xtc should use");
}

void Env::set(std::string name, std::string value) {
  m_vars.insert_or_assign(std::move(name), std::move(value));
}

} // namespace xtc
