#include "shim/resolution.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <algorithm>

namespace xtc::shim {
std::optional<InvocationView> match_invocation(std::string_view basename) {
  // The longest name that ends the basename after a '-': "…-gcc-ar" is
  // gcc-ar, not ar of a triple ending in "-gcc".
  const ShimName* best = nullptr;
  for (const ShimName& shim : k_shim_names) {
    if (basename.size() > shim.name.size() + 1 &&
        basename.ends_with(shim.name) &&
        basename[basename.size() - shim.name.size() - 1] == '-' &&
        (best == nullptr || shim.name.size() > best->name.size())) {
      best = &shim;
    }
  }
  if (best == nullptr) {
    return std::nullopt;
  }
  return InvocationView{
      basename.substr(0, basename.size() - best->name.size() - 1), best->tool};
}

std::vector<ShimName> linked_shims(const std::set<std::string>& tools) {
  std::vector<ShimName> names;
  for (const ShimName& shim : k_shim_names) {
    if (shim.always || tools.contains(std::string(shim.tool))) {
      names.push_back(shim);
    }
  }
  return names;
}

std::optional<Invocation> parse_invocation(std::string_view basename) {
  if (const std::optional<InvocationView> view = match_invocation(basename)) {
    return Invocation{std::string(view->triple), std::string(view->tool)};
  }
  return std::nullopt;
}

const std::vector<std::string>&
tool_entry(const std::map<std::string, std::vector<std::string>>& directive,
           const std::string& tool) {
  static const std::vector<std::string> none;
  const auto it = directive.find(tool);
  return it == directive.end() ? none : it->second;
}

std::vector<std::string>
linking_flags(const std::map<std::string, std::vector<std::string>>& baseline,
              const std::map<std::string, std::vector<std::string>>& link_only,
              const std::string& tool) {
  std::vector<std::string> flags = tool_entry(baseline, tool);
  const std::vector<std::string>& linker = tool_entry(link_only, tool);
  flags.insert(flags.end(), linker.begin(), linker.end());
  return flags;
}

std::string per_target_variable(std::string_view name,
                                std::string_view triple) {
  std::string variable(name);
  variable += '_';
  for (const char c : triple) {
    variable += c == '-' || c == '.' ? '_' : c;
  }
  return variable;
}

std::vector<std::string_view> host_program_names(std::string_view program) {
  if (program == "pkg-config") {
    return {"pkg-config", "pkgconf"};
  }
  return {program};
}

std::string host_program_install(std::string_view program) {
  if (program == "pkg-config") {
#if defined(__APPLE__)
    return "install it: brew install pkgconf";
#else
    return "install it: apt-get install pkgconf (Debian, Ubuntu), dnf "
           "install pkgconf-pkg-config (Fedora), or brew install pkgconf";
#endif
  }
  return fmt::format("install {}", program);
}

bool matches_drop(std::string_view argument, std::string_view pattern) {
  if (pattern.ends_with('*')) {
    return argument.starts_with(pattern.substr(0, pattern.size() - 1));
  }
  return argument == pattern;
}

std::string format_resolution(const Resolution& resolution) {
  std::string out(k_resolution_header);
  out += '\n';
  const auto line = [&out](std::string_view key,
                           const std::vector<std::string>& fields) {
    out += key;
    for (const std::string& field : fields) {
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
  };
  for (const auto& [tool, argv] : resolution.tools) {
    line(tool, argv);
  }
  for (const std::string& assignment : resolution.env) {
    line(k_env_key, {assignment});
  }
  const auto per_tool =
      [&line](std::string_view key,
              const std::map<std::string, std::vector<std::string>>& map) {
        for (const auto& [tool, values] : map) {
          std::vector<std::string> fields{tool};
          fields.insert(fields.end(), values.begin(), values.end());
          line(key, fields);
        }
      };
  per_tool(k_drop_key, resolution.drop);
  per_tool(k_baseline_key, resolution.baseline);
  per_tool(k_linker_dir_key, resolution.linker_dirs);
  per_tool(k_link_only_key, resolution.link_only);
  per_tool(k_set_key, resolution.set);
  return out;
}

namespace {

// The map of a per-tool directive's key, or null for any other key.
std::map<std::string, std::vector<std::string>>*
per_tool_directive(Resolution& resolution, std::string_view key) {
  return key == k_drop_key         ? &resolution.drop
         : key == k_baseline_key   ? &resolution.baseline
         : key == k_linker_dir_key ? &resolution.linker_dirs
         : key == k_link_only_key  ? &resolution.link_only
         : key == k_set_key        ? &resolution.set
                                   : nullptr;
}

} // namespace

std::optional<Resolution> parse_resolution(std::string_view text) {
  std::vector<std::string> lines = split(text, '\n');
  if (lines.empty() || lines.front() != k_resolution_header) {
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
    std::string key = std::move(fields.front());
    fields.erase(fields.begin());
    if (key == k_env_key) {
      if (fields.size() != 1 || !valid_assignment(fields[0])) {
        return std::nullopt;
      }
      resolution.env.push_back(std::move(fields[0]));
    } else if (auto* map = per_tool_directive(resolution, key)) {
      std::string tool = std::move(fields.front());
      fields.erase(fields.begin());
      if (key == k_set_key &&
          !std::all_of(fields.begin(), fields.end(), valid_assignment)) {
        return std::nullopt;
      }
      map->insert_or_assign(std::move(tool), std::move(fields));
    } else {
      resolution.tools.insert_or_assign(std::move(key), std::move(fields));
    }
  }
  return resolution;
}

} // namespace xtc::shim
