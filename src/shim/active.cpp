#include "shim/active.hpp"

#include "platform/fd.hpp"

namespace xtc::shim {
namespace {

std::string describe(const Pin& pin) {
  std::vector<std::string> fields;
  if (pin.flavor) {
    fields.push_back(fmt::format("flavor = \"{}\"", *pin.flavor));
  }
  if (pin.libc_version) {
    fields.push_back(fmt::format("libc_version = \"{}\"", *pin.libc_version));
  }
  if (pin.producer) {
    fields.push_back(fmt::format("producer = \"{}\"", *pin.producer));
  }
  if (fields.empty()) {
    return "{}";
  }
  std::string text = "{ " + fields.front();
  for (std::size_t i = 1; i < fields.size(); ++i) {
    text += ", " + fields[i];
  }
  return text + " }";
}

// The first installed candidate wins. A damaged resolution file counts as
// not installed: `xtc target add` rewrites it.
Active load(Active active) {
  for (const Active::Candidate& candidate : active.candidates) {
    const std::optional<std::string> text =
        platform::read_file_if_exists(candidate.file, "shim resolution");
    if (!text) {
      continue;
    }
    if (std::optional<Resolution> resolution = parse_resolution(*text)) {
      active.chosen = candidate;
      active.resolution = std::move(resolution);
      break;
    }
  }
  return active;
}

} // namespace

std::string_view source_name(Source source) {
  switch (source) {
  case Source::environment:
    return "environment";
  case Source::pin_file:
    return "pin file";
  case Source::default_install:
    break;
  }
  return "default";
}

Active find_active(const store::Layout& layout, std::string_view target,
                   const Lookup& lookup, const std::filesystem::path& cwd) {
  Active active;
  active.target = target;
  const auto variant_candidate = [&](Variant variant) {
    return Active::Candidate{layout.variant_resolution(target, variant.name()),
                             std::move(variant)};
  };

  std::string variable = toolchain_variable(target);
  if (std::optional<std::string> value = lookup(variable)) {
    std::optional<Variant> variant = parse_variant(*value);
    if (!variant) {
      throw Error(
          fmt::format("{}='{}' names no toolchain of '{}'", variable, *value,
                      target),
          fmt::format("set it to a flavor (gcc, llvm, zig), optionally with "
                      "a glibc version (gcc-2.31) and a producer "
                      "(gcc+filosottile), or unset it"));
    }
    active.source = Source::environment;
    active.request = fmt::format("{}={}", variable, *value);
    active.origin = std::move(variable);
    active.fix = fmt::format(
        "xtc target add {}{} --flavor {}{}", target,
        variant->libc_version ? "." + *variant->libc_version : std::string(),
        variant->flavor,
        variant->producer ? " --producer " + *variant->producer
                          : std::string());
    active.candidates.push_back(variant_candidate(std::move(*variant)));
    return load(std::move(active));
  }

  if (std::optional<std::filesystem::path> path = find_pin_file(cwd)) {
    const PinFile file = read_pin_file(*path);
    if (const Pin* pin = file.find(target)) {
      active.source = Source::pin_file;
      active.origin = path->string();
      active.request = describe(*pin);
      active.fix = "xtc install";
      if (pin->flavor) {
        active.candidates.push_back(variant_candidate(
            Variant{*pin->flavor, pin->libc_version, pin->producer}));
      } else if (pin->libc_version || pin->producer) {
        // The order `xtc install` prefers flavors in when it picks one.
        for (const char* flavor : {"gcc", "llvm", "zig"}) {
          active.candidates.push_back(variant_candidate(
              Variant{flavor, pin->libc_version, pin->producer}));
        }
      } else {
        active.candidates.push_back(
            {layout.shim_resolution(target), std::nullopt});
      }
      return load(std::move(active));
    }
  }

  active.fix = fmt::format("xtc target add {}", target);
  active.candidates.push_back({layout.shim_resolution(target), std::nullopt});
  return load(std::move(active));
}

Error not_installed(const Active& active, std::string_view called_as) {
  const std::string as = called_as.empty()
                             ? std::string()
                             : fmt::format(" (called as '{}')", called_as);
  switch (active.source) {
  case Source::environment:
    return Error(
        fmt::format("{} selects a toolchain of '{}' that is not "
                    "installed{}",
                    active.request, active.target, as),
        fmt::format("run '{}', or unset {}", active.fix, active.origin));
  case Source::pin_file:
    return Error(
        fmt::format("pin file '{}' asks for {} = {}, which is not "
                    "installed{}",
                    active.origin, active.target, active.request, as),
        fmt::format(
            "run '{}' in '{}'", active.fix,
            std::filesystem::path(active.origin).parent_path().string()));
  case Source::default_install:
    break;
  }
  return Error(fmt::format("target '{}' is not installed{}", active.target, as),
               fmt::format("run '{}'", active.fix));
}

} // namespace xtc::shim
