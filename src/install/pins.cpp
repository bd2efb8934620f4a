#include "install/pins.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/toml_guard.hpp"
#include "platform/fd.hpp"

#include <toml++/toml.h>

#include <algorithm>

namespace xtc::install {
namespace {

constexpr std::string_view k_form =
    "xtc.toml holds one [targets] table, e.g. aarch64-linux-gnu = "
    "{ flavor = \"llvm\", libc_version = \"2.31\" } or x86_64-linux-musl = "
    "{ producer = \"filosottile\" }";

Error invalid(const std::filesystem::path& path, std::string_view reason,
              std::string hint = std::string(k_form)) {
  return Error(fmt::format("invalid pin file '{}': {}", path.string(), reason),
               std::move(hint));
}

bool by_target(const shim::Pin& a, const shim::Pin& b) {
  return a.target < b.target;
}

} // namespace

std::vector<shim::Pin> read_pins_as_toml(std::string_view text,
                                         const std::filesystem::path& path) {
  toml::table root;
  try {
    guard_toml_nesting(text, path.string());
    root = toml::parse(text, path.string());
  } catch (const toml::parse_error& error) {
    throw invalid(path, fmt::format("{}:{}: {}", error.source().begin.line,
                                    error.source().begin.column,
                                    error.description()));
  }
  std::vector<shim::Pin> pins;
  for (const auto& [key, node] : root) {
    if (key.str() != "targets" || !node.is_table()) {
      throw invalid(path, fmt::format("unexpected '{}'", key.str()));
    }
    for (const auto& [target, entry] : *node.as_table()) {
      const toml::table* fields = entry.as_table();
      if (fields == nullptr) {
        throw invalid(path, fmt::format("the value of '{}' is not a table",
                                        target.str()));
      }
      shim::Pin pin{std::string(target.str()), std::nullopt, std::nullopt,
                    std::nullopt};
      for (const auto& [name, value] : *fields) {
        const std::optional<std::string> text_value =
            value.value_exact<std::string>();
        if (!text_value) {
          throw invalid(path, fmt::format("'{}' of '{}' is not a string",
                                          name.str(), pin.target));
        }
        if (name.str() == "flavor" && shim::is_flavor(*text_value)) {
          pin.flavor = text_value;
        } else if (name.str() == "libc_version" &&
                   shim::is_libc_version(*text_value)) {
          pin.libc_version = text_value;
        } else if (name.str() == "producer" && is_producer_name(*text_value)) {
          pin.producer = text_value;
        } else {
          throw invalid(path, fmt::format("'{}' = \"{}\" of '{}' is not a "
                                          "flavor, a libc_version or a "
                                          "producer",
                                          name.str(), *text_value, pin.target));
        }
      }
      pins.push_back(std::move(pin));
    }
  }
  std::sort(pins.begin(), pins.end(), by_target);
  return pins;
}

Pins parse_pins(std::string_view text, const std::filesystem::path& path) {
  const shim::PinFile file = shim::parse_pin_file(text, path);
  std::vector<shim::Pin> strict = file.pins;
  std::sort(strict.begin(), strict.end(), by_target);
  if (strict != read_pins_as_toml(text, path)) {
    // Both readers accepted the text but see different pins: refuse rather
    // than install something the shims would not choose.
    throw invalid(path, "xtc's shims and TOML read it differently",
                  "write it in the documented form; " + std::string(k_form));
  }

  Pins pins{path, {}};
  for (const shim::Pin& pin : file.pins) {
    const std::optional<triple::Triple> parsed = triple::try_parse(pin.target);
    if (!parsed) {
      try {
        triple::parse(pin.target);
      } catch (const Error& error) {
        throw invalid(path, fmt::format("unknown target '{}'", pin.target),
                      error.hint());
      }
      throw invalid(path, fmt::format("unknown target '{}'", pin.target));
    }
    if (parsed->gnu() != pin.target) {
      throw invalid(path,
                    fmt::format("write the target '{}' as '{}'", pin.target,
                                parsed->gnu()),
                    "shims look targets up by their GNU name; a glibc "
                    "version goes in { libc_version = \"…\" }");
    }
    PinnedTarget pinned{pin, *parsed, std::nullopt, pin.producer};
    if (pin.libc_version) {
      if (parsed->libc != triple::Libc::gnu) {
        throw invalid(path, fmt::format("libc_version is for glibc targets; "
                                        "'{}' uses {}",
                                        pin.target, parsed->libc_name()));
      }
      pinned.target.libc_version = pin.libc_version;
    }
    if (pin.flavor) {
      pinned.flavor = manifest::parse_flavor(*pin.flavor);
    }
    pins.targets.push_back(std::move(pinned));
  }
  return pins;
}

Pins load_pins(const std::filesystem::path& path) {
  return parse_pins(platform::read_file(path, "pin file"), path);
}

} // namespace xtc::install
