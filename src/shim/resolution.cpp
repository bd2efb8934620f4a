#include "shim/resolution.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

namespace xtc::shim {
namespace {

constexpr std::string_view k_header = "xtc-shim-resolution 1";

} // namespace

const std::vector<ShimName>& shim_names() {
  static const std::vector<ShimName> names = {
      {"gcc", "cc"},      {"cc", "cc"}, {"g++", "cxx"},
      {"c++", "cxx"},     {"ar", "ar"}, {"ranlib", "ranlib"},
      {"strip", "strip"}, {"nm", "nm"}, {"objcopy", "objcopy"},
      {"ld", "ld"},
  };
  return names;
}

std::optional<Invocation> parse_invocation(std::string_view basename) {
  for (const ShimName& shim : shim_names()) {
    if (basename.size() > shim.name.size() + 1 &&
        basename.ends_with(shim.name) &&
        basename[basename.size() - shim.name.size() - 1] == '-') {
      return Invocation{std::string(basename.substr(
                            0, basename.size() - shim.name.size() - 1)),
                        shim.tool};
    }
  }
  return std::nullopt;
}

std::string format_resolution(const Resolution& resolution) {
  std::string out(k_header);
  out += '\n';
  for (const auto& [tool, argv] : resolution) {
    out += tool;
    for (const std::string& field : argv) {
      if (field.find_first_of("\t\n") != std::string::npos) {
        throw Error(fmt::format("cannot record the path '{}' for the shims: it "
                                "contains a tab or a newline",
                                field),
                    "install xtc's home (XTC_HOME) under a plainer path");
      }
      out += '\t';
      out += field;
    }
    out += '\n';
  }
  return out;
}

std::optional<Resolution> parse_resolution(std::string_view text) {
  std::vector<std::string> lines = split(text, '\n');
  if (lines.empty() || lines.front() != k_header) {
    return std::nullopt;
  }
  Resolution resolution;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      continue;
    }
    std::vector<std::string> fields = split(lines[i], '\t');
    if (fields.size() < 2 || fields[1].empty()) {
      return std::nullopt;
    }
    std::string tool = std::move(fields.front());
    fields.erase(fields.begin());
    resolution.insert_or_assign(std::move(tool), std::move(fields));
  }
  return resolution;
}

} // namespace xtc::shim
