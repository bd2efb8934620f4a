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

// "2.31" -> {2, 31}; empty when it is not a dotted number.
std::vector<unsigned> dotted(std::string_view text) {
  std::vector<unsigned> numbers;
  for (const std::string& part : split(text, '.')) {
    const std::optional<unsigned long long> value = parse_uint(part);
    if (!value) {
      return {};
    }
    numbers.push_back(static_cast<unsigned>(*value));
  }
  return numbers;
}

// Numeric order of dotted versions: "2.9" before "2.17".
bool older(std::string_view a, std::string_view b) {
  const std::vector<unsigned> x = dotted(a);
  const std::vector<unsigned> y = dotted(b);
  return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
}

// Same arch and libc. A pinned request is a floor: the artifact's glibc
// must be known and at most the pin (a program built against it then runs
// on that glibc and every newer one); an unpinned one takes any version.
bool fits(const Artifact& artifact, const triple::Triple& target) {
  if (!artifact.target || artifact.target->arch != target.arch ||
      artifact.target->libc != target.libc) {
    return false;
  }
  if (!target.libc_version) {
    return true;
  }
  if (!artifact.libc_version) {
    return false;
  }
  return !dotted(*artifact.libc_version).empty() &&
         !older(*target.libc_version, *artifact.libc_version);
}

// Among the artifacts `pred` accepts, the one with the newest glibc (for a
// pinned request: the newest that still meets the floor), the first in
// manifest order among equals; for an unpinned request, simply the first.
const Artifact* best(const Manifest& manifest, const triple::Triple& target,
                     auto&& pred) {
  const Artifact* chosen = nullptr;
  for (const Artifact& artifact : manifest.artifacts) {
    if (!pred(artifact)) {
      continue;
    }
    if (!target.libc_version) {
      return &artifact;
    }
    if (chosen == nullptr || older(chosen->libc_version.value_or(""),
                                   artifact.libc_version.value_or(""))) {
      chosen = &artifact;
    }
  }
  return chosen;
}

const Artifact* first(const Manifest& manifest, auto&& pred) {
  const auto it =
      std::find_if(manifest.artifacts.begin(), manifest.artifacts.end(), pred);
  return it == manifest.artifacts.end() ? nullptr : &*it;
}

const Artifact* find_sysroot(const Manifest& manifest,
                             const triple::Triple& target, const Host& host) {
  return best(manifest, target, [&](const Artifact& a) {
    return a.kind == Kind::sysroot && runs_on(a, host) && fits(a, target);
  });
}

std::optional<Selection> try_flavor(const Manifest& manifest,
                                    const triple::Triple& target,
                                    const Host& host, Flavor flavor) {
  Selection selection;
  selection.flavor = flavor;
  switch (flavor) {
  case Flavor::gcc:
    selection.toolchain = best(manifest, target, [&](const Artifact& a) {
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

// "; not here: 'filosottile-x86_64-linux-musl' needs macOS 15 or newer
// (this host runs 14.6)": the rows for this platform that its version
// rules out, or "".
std::string skipped_for_host(const Manifest& manifest, const Host& host) {
  std::vector<std::string> skipped;
  for (const Artifact& artifact : manifest.artifacts) {
    if (artifact.host == host.platform && !runs_on(artifact, host)) {
      skipped.push_back(
          fmt::format("'{}' {}", artifact.id, host_requirement(artifact)));
    }
  }
  if (skipped.empty()) {
    return "";
  }
  const std::string runs = host.platform.ends_with("-darwin")
                               ? "this Mac runs macOS"
                               : "this host's glibc is";
  return fmt::format("; not here ({} {}): {}", runs, *host.version,
                     join(skipped, ", "));
}

// "x86_64-linux-musl (llvm), aarch64-linux-gnu.2.36 (gcc, llvm)": what runs
// on host, one entry per target (with its glibc version), in manifest order.
std::string describe_offers(const Manifest& manifest, const Host& host) {
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
               const Host& host, std::optional<Flavor> flavor) {
  std::string message =
      fmt::format("no {}toolchain for '{}' on host {} in manifest '{}'",
                  flavor ? flavor_name(*flavor) + " " : std::string(),
                  target.display(), host.platform, manifest.source);

  const std::string offers = describe_offers(manifest, host);
  const std::string skipped = skipped_for_host(manifest, host);
  if (offers.empty()) {
    return Error(std::move(message),
                 fmt::format("this manifest has nothing that runs on {}{}",
                             host.platform, skipped));
  }
  std::string hint = "this manifest offers: " + offers + skipped;
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

// For a pinned request that only newer artifacts fit: the oldest glibc
// offered for the target (of `flavor`, or of gcc and llvm), or nullptr when
// nothing of that kind is offered at all.
const Artifact* oldest_too_new(const Manifest& manifest,
                               const triple::Triple& target, const Host& host,
                               std::optional<Flavor> flavor) {
  triple::Triple unpinned = target;
  unpinned.libc_version.reset();
  const Artifact* oldest = nullptr;
  for (const Artifact& a : manifest.artifacts) {
    const Flavor kind = a.kind == Kind::sysroot ? Flavor::llvm
                        : a.flavor              ? *a.flavor
                                                : Flavor::zig;
    if (kind == Flavor::zig || (flavor && kind != *flavor) ||
        !runs_on(a, host) || !fits(a, unpinned) || !a.libc_version) {
      continue;
    }
    if (oldest == nullptr || older(*a.libc_version, *oldest->libc_version)) {
      oldest = &a;
    }
  }
  return oldest;
}

Error below_floor(const Manifest& manifest, const triple::Triple& target,
                  const Host& host, const Artifact& oldest) {
  const bool zig = try_flavor(manifest, target, host, Flavor::zig).has_value();
  return Error(
      fmt::format("nothing in manifest '{}' meets the glibc floor of '{}' on "
                  "host {}: the oldest glibc offered is {} ('{}')",
                  manifest.source, target.display(), host.platform,
                  *oldest.libc_version, oldest.id),
      zig ? fmt::format("the zig flavor builds against any glibc from 2.17 "
                        "up: xtc target add {} --flavor zig",
                        target.display())
          : fmt::format("a toolchain built against glibc {} or older would "
                        "(an older release of its producer), or the zig "
                        "flavor where the manifest offers it",
                        *target.libc_version));
}

} // namespace

Selection select(const Manifest& manifest, const triple::Triple& target,
                 const Host& host, std::optional<Flavor> flavor) {
  const bool floor = target.libc_version.has_value();
  if (flavor) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, *flavor)) {
      return *selection;
    }
    if (floor && *flavor != Flavor::zig) {
      if (const Artifact* oldest =
              oldest_too_new(manifest, target, host, flavor)) {
        throw below_floor(manifest, target, host, *oldest);
      }
    }
    throw no_match(manifest, target, host, flavor);
  }
  if (floor) {
    // A floor: the newest glibc that meets it, whichever of gcc and llvm
    // has it (gcc on a tie); never something newer, and zig only when the
    // manifest has neither for this target.
    const std::optional<Selection> gcc =
        try_flavor(manifest, target, host, Flavor::gcc);
    const std::optional<Selection> llvm =
        try_flavor(manifest, target, host, Flavor::llvm);
    if (gcc && llvm) {
      return older(*gcc->toolchain->libc_version, *llvm->sysroot->libc_version)
                 ? *llvm
                 : *gcc;
    }
    if (gcc || llvm) {
      return gcc ? *gcc : *llvm;
    }
    if (const Artifact* oldest =
            oldest_too_new(manifest, target, host, std::nullopt)) {
      throw below_floor(manifest, target, host, *oldest);
    }
  }
  for (Flavor candidate : k_preference) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, candidate)) {
      return *selection;
    }
  }
  throw no_match(manifest, target, host, std::nullopt);
}

bool runs_on(const Artifact& artifact, const Host& host) {
  if (artifact.host != "any" && artifact.host != host.platform) {
    return false;
  }
  return !artifact.min_host_version || !host.version ||
         !older(*host.version, *artifact.min_host_version);
}

std::string host_requirement(const Artifact& artifact) {
  if (!artifact.min_host_version) {
    return "";
  }
  return artifact.host.ends_with("-darwin")
             ? fmt::format("needs macOS {} or newer",
                           *artifact.min_host_version)
             : fmt::format("needs glibc {} or newer on the host",
                           *artifact.min_host_version);
}

} // namespace xtc::manifest
