#include "base/error.hpp"
#include "base/strings.hpp"
#include "manifest/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace xtc::manifest {
namespace {

// The order select() tries flavors in when none is requested.
constexpr std::array<Flavor, 3> k_preference = {Flavor::gcc, Flavor::llvm,
                                                Flavor::zig};

// A longer list in a hint stops being read; the rest is counted.
constexpr std::size_t k_max_offers = 12;

// Same arch and libc. A pinned request also needs the artifact's
// libc_version to be exactly the pin; an unpinned one takes any version.
bool fits(const Artifact& artifact, const triple::Triple& target) {
  if (!artifact.target || artifact.target->arch != target.arch ||
      artifact.target->libc != target.libc) {
    return false;
  }
  return !target.libc_version || artifact.libc_version == target.libc_version;
}

const Artifact* first(const Manifest& manifest, auto&& pred) {
  const auto it =
      std::find_if(manifest.artifacts.begin(), manifest.artifacts.end(), pred);
  return it == manifest.artifacts.end() ? nullptr : &*it;
}

const Artifact* find_sysroot(const Manifest& manifest,
                             const triple::Triple& target,
                             std::string_view host) {
  return first(manifest, [&](const Artifact& a) {
    return a.kind == Kind::sysroot && runs_on(a, host) && fits(a, target);
  });
}

std::optional<Selection> try_flavor(const Manifest& manifest,
                                    const triple::Triple& target,
                                    std::string_view host, Flavor flavor) {
  Selection selection;
  selection.flavor = flavor;
  switch (flavor) {
  case Flavor::gcc:
    selection.toolchain = first(manifest, [&](const Artifact& a) {
      return a.kind == Kind::toolchain && a.flavor == Flavor::gcc &&
             runs_on(a, host) && fits(a, target);
    });
    if (selection.toolchain == nullptr) {
      return std::nullopt;
    }
    break;
  case Flavor::llvm:
    selection.sysroot = find_sysroot(manifest, target, host);
    if (selection.sysroot == nullptr) {
      return std::nullopt;
    }
    break;
  case Flavor::zig:
    // zig ships its own libc headers and builds any glibc version's stubs,
    // so a zig toolchain matches on arch and libc only, never on the pin.
    selection.toolchain = first(manifest, [&](const Artifact& a) {
      return a.kind == Kind::toolchain && a.flavor == Flavor::zig &&
             runs_on(a, host) &&
             (!a.target ||
              (a.target->arch == target.arch && a.target->libc == target.libc));
    });
    if (selection.toolchain == nullptr) {
      return std::nullopt;
    }
    selection.sysroot = find_sysroot(manifest, target, host);
    break;
  }
  return selection;
}

// "x86_64-linux-musl (llvm), aarch64-linux-gnu.2.36 (gcc, llvm)": what runs
// on host, one entry per target (with its glibc version), in manifest order.
std::string describe_offers(const Manifest& manifest, std::string_view host) {
  std::vector<std::pair<std::string, std::set<Flavor>>> offers;
  for (const Artifact& artifact : manifest.artifacts) {
    if (!runs_on(artifact, host)) {
      continue;
    }
    std::string label = "any target";
    if (artifact.target) {
      triple::Triple shown = *artifact.target;
      if (shown.libc == triple::Libc::gnu) {
        shown.libc_version = artifact.libc_version;
      }
      label = shown.display();
    }
    const Flavor flavor =
        artifact.kind == Kind::sysroot ? Flavor::llvm : *artifact.flavor;
    const auto it =
        std::find_if(offers.begin(), offers.end(),
                     [&](const auto& offer) { return offer.first == label; });
    if (it == offers.end()) {
      offers.emplace_back(std::move(label), std::set<Flavor>{flavor});
    } else {
      it->second.insert(flavor);
    }
  }

  std::vector<std::string> entries;
  for (std::size_t i = 0; i < offers.size() && i < k_max_offers; ++i) {
    std::vector<std::string> flavors;
    for (Flavor flavor : offers[i].second) {
      flavors.push_back(flavor_name(flavor));
    }
    entries.push_back(
        fmt::format("{} ({})", offers[i].first, join(flavors, ", ")));
  }
  std::string text = join(entries, ", ");
  if (offers.size() > k_max_offers) {
    text += fmt::format(" and {} more", offers.size() - k_max_offers);
  }
  return text;
}

Error no_match(const Manifest& manifest, const triple::Triple& target,
               std::string_view host, std::optional<Flavor> flavor) {
  std::string message =
      fmt::format("no {}toolchain for '{}' on host {} in manifest '{}'",
                  flavor ? flavor_name(*flavor) + " " : std::string(),
                  target.display(), host, manifest.source);

  const std::string offers = describe_offers(manifest, host);
  if (offers.empty()) {
    return Error(
        std::move(message),
        fmt::format("this manifest has nothing that runs on {}", host));
  }
  std::string hint = "this manifest offers: " + offers;
  if (flavor) {
    for (Flavor other : k_preference) {
      if (other != *flavor && try_flavor(manifest, target, host, other)) {
        hint += fmt::format("; try --flavor {}", flavor_name(other));
        break;
      }
    }
  }
  return Error(std::move(message), std::move(hint));
}

} // namespace

Selection select(const Manifest& manifest, const triple::Triple& target,
                 std::string_view host, std::optional<Flavor> flavor) {
  if (flavor) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, *flavor)) {
      return *selection;
    }
    throw no_match(manifest, target, host, flavor);
  }
  for (Flavor candidate : k_preference) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, candidate)) {
      return *selection;
    }
  }
  throw no_match(manifest, target, host, std::nullopt);
}

bool runs_on(const Artifact& artifact, std::string_view host) {
  return artifact.host == "any" || artifact.host == host;
}

} // namespace xtc::manifest
