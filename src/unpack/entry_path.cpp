#include "unpack/entry_path.hpp"

#include "base/strings.hpp"

#include <fmt/format.h>

namespace xtc::unpack {

NameVerdict judge_name(std::string_view name, unsigned strip) {
  NameVerdict verdict;
  if (name.empty()) {
    verdict.reason = "has an empty name";
    return verdict;
  }
  if (name.front() == '/') {
    verdict.reason = "has an absolute path";
    return verdict;
  }
  const std::vector<std::string> raw = split(name, '/');
  // ".." is refused anywhere, even inside the components that strip would
  // drop: no honest archive needs it, and refusing it outright keeps the
  // policy independent of the manifest's strip count.
  for (const std::string& part : raw) {
    if (part == "..") {
      verdict.reason = "escapes the destination with '..'";
      return verdict;
    }
  }
  unsigned to_strip = strip;
  for (const std::string& part : raw) {
    if (part.empty()) {
      continue; // "a//b" has two components, as tar counts them
    }
    if (to_strip > 0) {
      --to_strip;
      continue;
    }
    if (part != ".") {
      verdict.path.parts.push_back(part);
    }
  }
  if (verdict.path.parts.empty()) {
    verdict.skipped = true;
    return verdict;
  }
  verdict.path.text = join(verdict.path.parts, "/");
  return verdict;
}

std::string symlink_target_problem(const RelPath& link,
                                   std::string_view target) {
  if (target.empty()) {
    return "is a symlink with an empty target";
  }
  const std::string outside = fmt::format(
      "is a symlink pointing outside the destination ('{}')", target);
  if (target.front() == '/') {
    return outside;
  }
  // The link's own directory is a real directory (nothing is written through
  // a symlink), so leading ".." climb real parents: allowed up to the root.
  // A ".." after a name would climb out of whatever that name is, and if it
  // is (or later becomes) a symlink, that is somewhere lexical resolution
  // cannot see ("d/up -> ..", then "s -> d/up/.."): refused.
  std::size_t climbs = 0;
  bool descended = false;
  for (const std::string& part : split(target, '/')) {
    if (part.empty() || part == ".") {
      continue;
    }
    if (part != "..") {
      descended = true;
      continue;
    }
    if (descended) {
      return fmt::format(
          "is a symlink whose target climbs back out of a directory ('{}')",
          target);
    }
    ++climbs;
  }
  if (climbs > link.parts.size() - 1) {
    return outside;
  }
  return {};
}

Error unsafe_entry(const std::filesystem::path& archive, std::string_view name,
                   std::string_view reason) {
  return Error(fmt::format("unsafe archive '{}': entry '{}' {}",
                           archive.string(), name, reason),
               "the archive may be corrupt or malicious; it was not installed");
}

} // namespace xtc::unpack
