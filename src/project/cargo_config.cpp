#include "project/cargo_config.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/toml_guard.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "project/cross_target.hpp"
#include "project/toml_edit.hpp"
#include "project/toml_text.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sys/stat.h>

#include <cmath>
#include <sstream>
#include <system_error>

namespace xtc::project {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_role = "cargo config";

// One string the settings want at a TOML path; `display` is how messages
// name it ("target.x86_64-unknown-linux-musl.linker", "env.CC_…").
struct Assignment {
  KeyPath path;
  std::string value;
  std::string display;
};

toml::table parse_config(std::string_view text, std::string_view file_name) {
  guard_toml_nesting(text, file_name);
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("cannot parse cargo config '{}': {}:{}: {}",
                            file_name, e.source().begin.line,
                            e.source().begin.column, e.description()));
  }
}

const toml::node* find_node(const toml::table& root, const KeyPath& path) {
  const toml::node* node = &root;
  for (const std::string& part : path) {
    const toml::table* table = node->as_table();
    if (table == nullptr) {
      return nullptr;
    }
    node = table->get(part);
    if (node == nullptr) {
      return nullptr;
    }
  }
  return node;
}

// Every existing ancestor of the key must be a table, else there is no
// place for the key and cargo would not read it either.
void require_tables(const toml::table& root, const Assignment& wanted,
                    std::string_view what) {
  const toml::table* table = &root;
  std::string name;
  for (std::size_t i = 0; i + 1 < wanted.path.size(); ++i) {
    name += (name.empty() ? "" : ".") + wanted.path[i];
    const toml::node* node = table->get(wanted.path[i]);
    if (node == nullptr) {
      return;
    }
    table = node->as_table();
    if (table == nullptr) {
      throw Error(fmt::format("cannot set {} in {}: {} is not a table",
                              wanted.display, what, name));
    }
  }
}

void assign(toml::table& root, const KeyPath& path, const std::string& value) {
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    toml::node* node = table->get(path[i]);
    if (node == nullptr) {
      node = table->insert(path[i], toml::table{}).first->second.as_table();
    }
    table = node->as_table();
  }
  table->insert_or_assign(path.back(), value);
}

std::string describe(const toml::node& node) {
  if (const toml::value<std::string>* text = node.as_string()) {
    return fmt::format("\"{}\"", text->get());
  }
  if (node.is_table()) {
    return "{...}";
  }
  std::ostringstream out;
  out << toml::node_view<const toml::node>(&node);
  return out.str();
}

// Deep equality where NaN equals NaN: a file may hold `x = nan`, and that
// value is unchanged by the edit.
bool same_node(const toml::node& a, const toml::node& b) {
  if (a.type() != b.type()) {
    return false;
  }
  switch (a.type()) {
  case toml::node_type::table: {
    const toml::table& left = *a.as_table();
    const toml::table& right = *b.as_table();
    if (left.size() != right.size()) {
      return false;
    }
    for (const auto& [key, value] : left) {
      const toml::node* other = right.get(key.str());
      if (other == nullptr || !same_node(value, *other)) {
        return false;
      }
    }
    return true;
  }
  case toml::node_type::array: {
    const toml::array& left = *a.as_array();
    const toml::array& right = *b.as_array();
    if (left.size() != right.size()) {
      return false;
    }
    for (std::size_t i = 0; i < left.size(); ++i) {
      if (!same_node(left[i], right[i])) {
        return false;
      }
    }
    return true;
  }
  case toml::node_type::floating_point: {
    const double x = a.as_floating_point()->get();
    const double y = b.as_floating_point()->get();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  case toml::node_type::string:
    return *a.as_string() == *b.as_string();
  case toml::node_type::integer:
    return *a.as_integer() == *b.as_integer();
  case toml::node_type::boolean:
    return *a.as_boolean() == *b.as_boolean();
  case toml::node_type::date:
    return *a.as_date() == *b.as_date();
  case toml::node_type::time:
    return *a.as_time() == *b.as_time();
  case toml::node_type::date_time:
    return *a.as_date_time() == *b.as_date_time();
  case toml::node_type::none:
    return true;
  }
  return false;
}

// The safety net under the text edit: the result must parse and hold
// exactly the original settings plus the intended ones.
void verify_edit(std::string_view text, const toml::table& expected,
                 std::string_view what) {
  toml::table result;
  try {
    result = toml::parse(text);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("cannot edit {}: the edited text does not parse "
                            "({}:{}: {}); the file is left unchanged",
                            what, e.source().begin.line,
                            e.source().begin.column, e.description()));
  }
  if (!same_node(result, expected)) {
    throw Error(fmt::format("cannot edit {}: the edit would change other "
                            "settings; the file is left unchanged",
                            what));
  }
}

std::vector<Assignment>
wanted_assignments(const toml::table& root,
                   const CargoTargetSettings& settings) {
  std::vector<Assignment> out;
  if (!settings.linker.empty()) {
    if (settings.rust_triple.empty()) {
      throw Error("cannot set a cargo linker without a Rust target triple");
    }
    out.push_back({{"target", settings.rust_triple, "linker"},
                   settings.linker,
                   fmt::format("target.{}.linker", settings.rust_triple)});
  }
  if (!settings.runner.empty()) {
    out.push_back({{"target", settings.rust_triple, "runner"},
                   settings.runner,
                   fmt::format("target.{}.runner", settings.rust_triple)});
  }
  for (const auto& [name, value] : settings.env) {
    Assignment entry{{"env", name}, value, "env." + name};
    // Cargo's table form { value = "…", force = true }: only `value` is ours.
    const toml::node* node = find_node(root, entry.path);
    if (node != nullptr && node->is_table()) {
      entry.path.emplace_back("value");
    }
    out.push_back(std::move(entry));
  }
  return out;
}

} // namespace

CargoEdit edit_cargo_config(std::string_view original,
                            std::string_view file_name,
                            const CargoTargetSettings& settings, bool force) {
  const toml::table root = parse_config(original, file_name);
  const std::string what = fmt::format("cargo config '{}'", file_name);
  const std::string newline = detect_newline(original);

  CargoEdit edit;
  edit.text = std::string(original);
  toml::table expected = root;
  for (const Assignment& wanted : wanted_assignments(root, settings)) {
    require_tables(expected, wanted, what);
    const toml::node* current = find_node(expected, wanted.path);
    if (current != nullptr) {
      if (current->is_string() && current->as_string()->get() == wanted.value) {
        continue;
      }
      if (!force) {
        edit.warnings.push_back(fmt::format(
            "{} already sets {} = {}; keeping it (use --force to replace it "
            "with \"{}\")",
            what, wanted.display, describe(*current), wanted.value));
        continue;
      }
      // Re-scanned per edit: offsets shift with every change.
      const TextDocument doc = scan_toml_text(edit.text, what);
      const TextValue* token = find_value(doc, wanted.path);
      if (token == nullptr) {
        throw Error(fmt::format("cannot set {} in {}: it is a table",
                                wanted.display, what));
      }
      edit.text = replace_value(edit.text, *token, quote_basic(wanted.value));
    } else {
      const TextDocument doc = scan_toml_text(edit.text, what);
      edit.text = insert_value(edit.text, doc, wanted.path,
                               quote_basic(wanted.value), newline);
    }
    assign(expected, wanted.path, wanted.value);
  }
  edit.changed = edit.text != original;
  if (edit.changed) {
    verify_edit(edit.text, expected, what);
  }
  return edit;
}

fs::path cargo_config_path(const fs::path& project_dir) {
  const fs::path dir = project_dir / ".cargo";
  // Cargo reads `.cargo/config` whenever it exists, even next to
  // `config.toml` ("If both files exist, Cargo will use the file without the
  // extension", https://doc.rust-lang.org/cargo/reference/config.html
  // #hierarchical-structure); editing the file cargo ignores would change
  // nothing. exists() follows symlinks, as cargo's check does.
  std::error_code ec;
  if (fs::exists(dir / "config", ec)) {
    return dir / "config";
  }
  return dir / "config.toml";
}

CargoTargetSettings cargo_target_settings(const triple::Triple& target,
                                          const store::Layout& layout,
                                          bool absolute) {
  const auto tool = [&](const char* name) {
    const std::string shim = target.gnu() + "-" + name;
    return absolute ? (layout.bin() / shim).string() : shim;
  };
  // cc-rs reads CC_<target> with the target's dashes as underscores, and
  // pkg-config-rs PKG_CONFIG_<target>: the target pkg-config, which sets
  // the sysroot and search path of whichever variant the project uses
  // (xtc.toml), so no machine's paths go into the project's file. With it
  // set, pkg-config-rs allows a cross build; ALLOW_CROSS says so to older
  // versions too.
  const std::string suffix = replace_all(target.rust(), "-", "_");
  return {target.rust(),
          tool("gcc"),
          {{"CC_" + suffix, tool("gcc")},
           {"CXX_" + suffix, tool("g++")},
           {"AR_" + suffix, tool("ar")},
           {"PKG_CONFIG_" + suffix, tool("pkg-config")},
           {"PKG_CONFIG_ALLOW_CROSS_" + suffix, "1"}}};
}

std::string cargo_runner(const triple::Triple& target,
                         const std::string& host_platform, const Env& env,
                         const std::string& xtc) {
  // qemu-user runs Linux programs on Linux hosts only.
  if (!host_platform.ends_with("-linux") ||
      same_machine(target, host_platform) ||
      find_emulator(target, std::nullopt, host_platform, env).empty()) {
    return {};
  }
  return fmt::format("{} run {}", xtc, target.display());
}

CargoEdit update_cargo_config(const fs::path& project_dir,
                              const CargoTargetSettings& settings, bool force) {
  return update_cargo_config_file(cargo_config_path(project_dir), settings,
                                  force);
}

CargoEdit update_cargo_config_file(const fs::path& path,
                                   const CargoTargetSettings& settings,
                                   bool force) {
  const std::optional<std::string> existing =
      platform::read_file_if_exists(path, k_role);
  CargoEdit edit =
      edit_cargo_config(existing.value_or(""), path.string(), settings, force);
  if (!edit.changed) {
    return edit;
  }
  platform::make_directories(path.parent_path(), "cargo config directory");
  // A config kept elsewhere and linked in (dotfiles, `config` ->
  // `config.toml`) is edited where it lives: renaming over the link would
  // replace it with a copy.
  fs::path target = path;
  std::error_code ec;
  if (fs::is_symlink(path, ec)) {
    fs::path resolved = fs::weakly_canonical(path, ec);
    if (!ec) {
      target = std::move(resolved);
    }
  }
  int mode = 0644;
  struct stat info {};
  if (::stat(target.c_str(), &info) == 0) {
    mode = static_cast<int>(info.st_mode & 07777);
  }
  platform::write_file_atomic(target, edit.text, k_role, mode);
  return edit;
}

} // namespace xtc::project
