#include "store/layout.hpp"

#include <utility>

namespace xtc::store {

Layout::Layout(std::filesystem::path root) : m_root(std::move(root)) {}

Layout Layout::from_env(const Env& env) {
  if (auto home = env.get("XTC_HOME")) {
    std::filesystem::path path(*home);
    return Layout(path.is_absolute() ? path : env.cwd() / path);
  }
  return Layout(env.home() / ".xtc");
}

std::filesystem::path Layout::toolchain(std::string_view id) const {
  return toolchains() / std::string(id);
}

std::filesystem::path Layout::target_record(std::string_view gnu_triple) const {
  return targets() / (std::string(gnu_triple) + ".toml");
}

std::filesystem::path
Layout::shim_resolution(std::string_view gnu_triple) const {
  return targets() / (std::string(gnu_triple) + ".shim");
}

std::filesystem::path Layout::variant_record(std::string_view gnu_triple,
                                             std::string_view variant) const {
  return targets() /
         (std::string(gnu_triple) + "@" + std::string(variant) + ".toml");
}

std::filesystem::path
Layout::variant_resolution(std::string_view gnu_triple,
                           std::string_view variant) const {
  return targets() /
         (std::string(gnu_triple) + "@" + std::string(variant) + ".shim");
}

std::filesystem::path Layout::cache_entry(std::string_view sha256_hex) const {
  return cache() / std::string(sha256_hex);
}

std::filesystem::path Layout::lock(std::string_view name) const {
  return locks() / (std::string(name) + ".lock");
}

} // namespace xtc::store
