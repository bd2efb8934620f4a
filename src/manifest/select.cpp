#include "base/error.hpp"
#include "base/strings.hpp"
#include "manifest/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
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

// Made by the requested producer, or any when none is requested.
bool made_by(const Artifact& artifact,
             const std::optional<std::string>& producer) {
  return !producer || artifact.producer == producer;
}

const Artifact* find_sysroot(const Manifest& manifest,
                             const triple::Triple& target, const Host& host,
                             const std::optional<std::string>& producer) {
  return best(manifest, target, [&](const Artifact& a) {
    return a.kind == Kind::sysroot && runs_on(a, host) && fits(a, target) &&
           made_by(a, producer);
  });
}

// zig ships its own libc headers and builds any glibc version's stubs, so a
// zig toolchain matches on arch and libc only, never on the pin.
bool zig_fits(const Artifact& artifact, const triple::Triple& target) {
  return !artifact.target || (artifact.target->arch == target.arch &&
                              artifact.target->libc == target.libc);
}

std::optional<Selection>
try_flavor(const Manifest& manifest, const triple::Triple& target,
           const Host& host, Flavor flavor,
           const std::optional<std::string>& producer = std::nullopt) {
  Selection selection;
  selection.flavor = flavor;
  selection.producer = producer;
  switch (flavor) {
  case Flavor::gcc:
    selection.toolchain = best(manifest, target, [&](const Artifact& a) {
      return a.kind == Kind::toolchain && a.flavor == Flavor::gcc &&
             runs_on(a, host) && fits(a, target) && made_by(a, producer);
    });
    if (selection.toolchain == nullptr) {
      return std::nullopt;
    }
    break;
  case Flavor::llvm:
    selection.sysroot = find_sysroot(manifest, target, host, producer);
    if (selection.sysroot == nullptr) {
      return std::nullopt;
    }
    break;
  case Flavor::zig:
    selection.toolchain = first(manifest, [&](const Artifact& a) {
      return a.kind == Kind::toolchain && a.flavor == Flavor::zig &&
             runs_on(a, host) && zig_fits(a, target) && made_by(a, producer);
    });
    if (selection.toolchain == nullptr) {
      return std::nullopt;
    }
    // zig's optional sysroot is whoever's there: the producer asked for is
    // the compiler's.
    selection.sysroot = find_sysroot(manifest, target, host, std::nullopt);
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

Flavor flavor_of(const Artifact& artifact) {
  return artifact.kind == Kind::sysroot ? Flavor::llvm
         : artifact.flavor              ? *artifact.flavor
                                        : Flavor::zig;
}

// "x86_64-linux-musl (llvm), aarch64-linux-gnu.2.36 (gcc, llvm)": what runs
// on host, one entry per target (with its glibc version), in manifest order.
// With `only`, the rows for that target (any glibc version) alone, each
// flavor with its producers: "gcc from messense or filosottile, zig from
// zig".
std::string describe_offers(const Manifest& manifest, const Host& host,
                            const triple::Triple* only = nullptr) {
  std::vector<
      std::pair<std::string, std::map<Flavor, std::vector<std::string>>>>
      offers;
  for (const Artifact& artifact : manifest.artifacts) {
    if (!runs_on(artifact, host)) {
      continue;
    }
    if (only != nullptr) {
      triple::Triple unpinned = *only;
      unpinned.libc_version.reset();
      const bool fit = flavor_of(artifact) == Flavor::zig
                           ? zig_fits(artifact, unpinned)
                           : fits(artifact, unpinned);
      if (!fit || !artifact.producer) {
        continue;
      }
    }
    std::string label = "any target";
    if (artifact.target) {
      triple::Triple shown = *artifact.target;
      if (shown.libc == triple::Libc::gnu) {
        shown.libc_version = artifact.libc_version;
      }
      label = shown.display();
    }
    if (only != nullptr) {
      label = only->display();
    }
    auto it =
        std::find_if(offers.begin(), offers.end(),
                     [&](const auto& offer) { return offer.first == label; });
    if (it == offers.end()) {
      offers.emplace_back(std::move(label),
                          std::map<Flavor, std::vector<std::string>>{});
      it = std::prev(offers.end());
    }
    std::vector<std::string>& producers = it->second[flavor_of(artifact)];
    if (artifact.producer && std::find(producers.begin(), producers.end(),
                                       *artifact.producer) == producers.end()) {
      producers.push_back(*artifact.producer);
    }
  }

  std::vector<std::string> entries;
  for (std::size_t i = 0; i < offers.size() && i < k_max_offers; ++i) {
    std::vector<std::string> flavors;
    for (const auto& [flavor, producers] : offers[i].second) {
      flavors.push_back(only == nullptr
                            ? flavor_name(flavor)
                            : fmt::format("{} from {}", flavor_name(flavor),
                                          join(producers, " or ")));
    }
    entries.push_back(only == nullptr ? fmt::format("{} ({})", offers[i].first,
                                                    join(flavors, ", "))
                                      : join(flavors, ", "));
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

// The requested producer has nothing for the target here (the manifest
// does name it): say who does.
Error no_match_from(const Manifest& manifest, const triple::Triple& target,
                    const Host& host, std::optional<Flavor> flavor,
                    const std::string& producer) {
  std::string message = fmt::format(
      "producer '{}' offers no {}toolchain for '{}' on host {} in manifest "
      "'{}'",
      producer, flavor ? flavor_name(*flavor) + " " : std::string(),
      target.display(), host.platform, manifest.source);
  const std::string offers = describe_offers(manifest, host, &target);
  std::string hint =
      offers.empty()
          ? fmt::format("no producer in this manifest offers '{}' on {}{}",
                        target.display(), host.platform,
                        skipped_for_host(manifest, host))
          : fmt::format("on {}, '{}' comes as {}: choose one of them with "
                        "--producer, or leave it out for the default",
                        host.platform, target.display(), offers);
  return Error(std::move(message), std::move(hint));
}

// The producer must be one the manifest names at all: otherwise it is a
// typo, answered with the nearest name.
void check_producer(const Manifest& manifest, const std::string& producer) {
  const std::vector<std::string> names = manifest.producers();
  if (std::find(names.begin(), names.end(), producer) != names.end()) {
    return;
  }
  const std::optional<std::string> near = nearest(producer, names);
  std::string hint =
      names.empty()
          ? std::string("this manifest names no producers; drop --producer")
          : fmt::format("its producers are {}", join(names, ", "));
  if (near) {
    hint = fmt::format("did you mean '{}'? {}", *near, hint);
  }
  throw Error(fmt::format("unknown producer '{}' in manifest '{}'", producer,
                          manifest.source),
              std::move(hint));
}

// For a pinned request that only newer artifacts fit: the oldest glibc
// offered for the target (of `flavor`, or of gcc and llvm), or nullptr when
// nothing of that kind is offered at all.
const Artifact* oldest_too_new(const Manifest& manifest,
                               const triple::Triple& target, const Host& host,
                               std::optional<Flavor> flavor,
                               const std::optional<std::string>& producer) {
  triple::Triple unpinned = target;
  unpinned.libc_version.reset();
  const Artifact* oldest = nullptr;
  for (const Artifact& a : manifest.artifacts) {
    const Flavor kind = flavor_of(a);
    if (kind == Flavor::zig || (flavor && kind != *flavor) ||
        !runs_on(a, host) || !fits(a, unpinned) || !a.libc_version ||
        !made_by(a, producer)) {
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
                 const Host& host, std::optional<Flavor> flavor,
                 const std::optional<std::string>& producer) {
  if (producer) {
    check_producer(manifest, *producer);
  }
  const auto nothing = [&](std::optional<Flavor> asked) {
    return producer ? no_match_from(manifest, target, host, asked, *producer)
                    : no_match(manifest, target, host, asked);
  };
  const bool floor = target.libc_version.has_value();
  if (flavor) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, *flavor, producer)) {
      return *selection;
    }
    if (floor && *flavor != Flavor::zig) {
      if (const Artifact* oldest =
              oldest_too_new(manifest, target, host, flavor, producer)) {
        throw below_floor(manifest, target, host, *oldest);
      }
    }
    throw nothing(flavor);
  }
  if (floor) {
    // A floor: the newest glibc that meets it, whichever of gcc and llvm
    // has it (gcc on a tie); never something newer, and zig only when the
    // manifest has neither for this target.
    const std::optional<Selection> gcc =
        try_flavor(manifest, target, host, Flavor::gcc, producer);
    const std::optional<Selection> llvm =
        try_flavor(manifest, target, host, Flavor::llvm, producer);
    if (gcc && llvm) {
      return older(*gcc->toolchain->libc_version, *llvm->sysroot->libc_version)
                 ? *llvm
                 : *gcc;
    }
    if (gcc || llvm) {
      return gcc ? *gcc : *llvm;
    }
    if (const Artifact* oldest =
            oldest_too_new(manifest, target, host, std::nullopt, producer)) {
      throw below_floor(manifest, target, host, *oldest);
    }
  }
  for (Flavor candidate : k_preference) {
    if (std::optional<Selection> selection =
            try_flavor(manifest, target, host, candidate, producer)) {
      return *selection;
    }
  }
  throw nothing(std::nullopt);
}

std::optional<std::string> Selection::chosen_producer() const {
  const Artifact* chosen = flavor == Flavor::llvm ? sysroot : toolchain;
  return chosen != nullptr ? chosen->producer : std::nullopt;
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
