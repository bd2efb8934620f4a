#include "manifest/changes.hpp"

#include <fmt/format.h>

#include <map>

namespace xtc::manifest {
namespace {

bool for_host(const Artifact& artifact, const Host& host) {
  return artifact.host == "any" || artifact.host == host.platform;
}

// "gcc toolchain for aarch64-linux-gnu from messense (x86_64-darwin)"
std::string describe(const Artifact& artifact) {
  std::string what =
      artifact.kind == Kind::sysroot
          ? std::string("sysroot")
          : fmt::format("{} toolchain",
                        artifact.flavor ? flavor_name(*artifact.flavor) : "");
  what += " for ";
  what += artifact.target ? artifact.target->display() : "every target";
  if (artifact.producer) {
    what += " from " + *artifact.producer;
  }
  if (artifact.host != "any") {
    what += " (" + artifact.host + ")";
  }
  return what;
}

std::string version_of(const Artifact& artifact) {
  std::string version = artifact.version;
  if (artifact.libc_version) {
    version += fmt::format(", {} {}", artifact.libc.value_or("libc"),
                           *artifact.libc_version);
  }
  return version;
}

// What an artifact is, whatever its version: the rows of two manifests
// with the same identity are one toolchain in two releases. Several rows
// with one identity (mirrors of the preference order) count in order.
std::vector<std::string> identities(const Manifest& manifest) {
  std::map<std::string, int> seen;
  std::vector<std::string> out;
  for (const Artifact& artifact : manifest.artifacts) {
    std::string identity =
        describe(artifact) + "|" + artifact.libc.value_or("");
    identity += fmt::format("#{}", seen[identity]++);
    out.push_back(std::move(identity));
  }
  return out;
}

} // namespace

Changes compare(const Manifest& before, const Manifest& after,
                const Host& host) {
  const std::vector<std::string> old_ids = identities(before);
  const std::vector<std::string> new_ids = identities(after);
  std::map<std::string, const Artifact*> old_by_id;
  for (std::size_t i = 0; i < old_ids.size(); ++i) {
    old_by_id.emplace(old_ids[i], &before.artifacts[i]);
  }
  Changes changes;
  const auto add = [&](const Artifact& artifact, Change change) {
    if (for_host(artifact, host)) {
      changes.here.push_back(std::move(change));
    } else {
      ++changes.elsewhere;
    }
  };
  for (std::size_t i = 0; i < new_ids.size(); ++i) {
    const Artifact& artifact = after.artifacts[i];
    const auto old = old_by_id.find(new_ids[i]);
    if (old == old_by_id.end()) {
      add(artifact,
          {Change::Kind::added, describe(artifact), "", version_of(artifact)});
      continue;
    }
    const Artifact& previous = *old->second;
    old_by_id.erase(old);
    if (version_of(previous) != version_of(artifact) ||
        previous.sha256 != artifact.sha256) {
      add(artifact, {Change::Kind::updated, describe(artifact),
                     version_of(previous), version_of(artifact)});
    }
  }
  for (std::size_t i = 0; i < old_ids.size(); ++i) {
    if (old_by_id.contains(old_ids[i])) {
      const Artifact& artifact = before.artifacts[i];
      add(artifact, {Change::Kind::removed, describe(artifact),
                     version_of(artifact), ""});
    }
  }
  return changes;
}

} // namespace xtc::manifest
