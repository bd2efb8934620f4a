#include "store/target_record.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "store/toml_file.hpp"

#include <toml++/toml.h>

#include <sstream>

namespace xtc::store {
namespace {

toml::array to_array(const std::vector<std::string>& values) {
  toml::array out;
  for (const std::string& value : values) {
    out.push_back(value);
  }
  return out;
}

std::vector<std::string>
from_array(const toml::node_view<const toml::node>& node) {
  std::vector<std::string> out;
  if (const toml::array* array = node.as_array()) {
    for (const toml::node& item : *array) {
      if (auto value = item.value<std::string>()) {
        out.push_back(*value);
      }
    }
  }
  return out;
}

toml::table
to_table(const std::map<std::string, std::vector<std::string>>& map) {
  toml::table table;
  for (const auto& [name, values] : map) {
    table.insert(name, to_array(values));
  }
  return table;
}

std::map<std::string, std::vector<std::string>>
from_table(const toml::node_view<const toml::node>& node) {
  std::map<std::string, std::vector<std::string>> map;
  if (const toml::table* table = node.as_table()) {
    for (const auto& [name, value] : *table) {
      map.emplace(std::string(name.str()),
                  from_array(toml::node_view<const toml::node>(value)));
    }
  }
  return map;
}

void write_record(const Layout& layout, const TargetRecord& record,
                  const std::filesystem::path& path) {
  toml::table tools;
  for (const auto& [name, argv] : record.tools) {
    tools.insert(name, to_array(argv));
  }
  const toml::table table{
      {"triple", record.triple},
      {"gnu", record.gnu},
      {"rust", record.rust},
      {"flavor", record.flavor},
      {"variant", record.variant},
      {"artifacts", to_array(record.artifacts)},
      {"tools", std::move(tools)},
      {"env", to_array(record.env)},
      {"drop", to_table(record.drop)},
      {"baseline", to_table(record.baseline)},
      {"linker_dirs", to_table(record.linker_dirs)},
      {"link_only", to_table(record.link_only)},
      {"set", to_table(record.set)},
      {"libc_version", record.libc_version},
      {"producer", record.producer},
  };
  std::ostringstream out;
  out << "# Written by xtc: what this target uses. Edit with xtc, not by "
         "hand.\n"
      << table << '\n';
  platform::make_directories(layout.targets(), "targets directory");
  platform::update_file_atomic(path, out.str(), "target record");
}

std::optional<TargetRecord> read_record(const std::filesystem::path& path,
                                        std::string_view gnu) {
  const std::optional<std::string> text =
      platform::read_file_if_exists(path, "target record");
  if (!text) {
    return std::nullopt;
  }
  const toml::table table =
      parse_own_toml(*text, path, "target record",
                     fmt::format("run 'xtc target add {}' to rewrite it", gnu));
  TargetRecord record;
  record.triple = table["triple"].value_or(std::string(gnu));
  record.gnu = table["gnu"].value_or(std::string(gnu));
  record.rust = table["rust"].value_or(std::string());
  record.flavor = table["flavor"].value_or(std::string());
  // Records written before variants existed: the flavor, plus the glibc pin
  // of "<gnu>.<version>".
  std::string variant = record.flavor;
  if (record.triple.starts_with(record.gnu + ".")) {
    variant += '-';
    variant += std::string_view(record.triple).substr(record.gnu.size() + 1);
  }
  record.variant = table["variant"].value_or(std::string());
  if (record.variant.empty()) {
    record.variant = std::move(variant);
  }
  record.artifacts = from_array(table["artifacts"]);
  if (const toml::table* tools = table["tools"].as_table()) {
    for (const auto& [name, node] : *tools) {
      record.tools.emplace(std::string(name.str()),
                           from_array(toml::node_view<const toml::node>(node)));
    }
  }
  record.env = from_array(table["env"]);
  record.libc_version = table["libc_version"].value_or(std::string());
  record.drop = from_table(table["drop"]);
  record.baseline = from_table(table["baseline"]);
  record.linker_dirs = from_table(table["linker_dirs"]);
  record.link_only = from_table(table["link_only"]);
  record.set = from_table(table["set"]);
  record.producer = table["producer"].value_or(std::string());
  return record;
}

std::vector<TargetRecord> list_records(const Layout& layout, bool variants) {
  std::vector<TargetRecord> out;
  for (const std::string& name : platform::list_directory(layout.targets())) {
    const std::size_t at = name.find('@');
    if (!name.ends_with(".toml") || (at != std::string::npos) != variants) {
      continue;
    }
    const std::string gnu = name.substr(0, std::min(at, name.size() - 5));
    if (auto record = read_record(layout.targets() / name, gnu)) {
      out.push_back(std::move(*record));
    }
  }
  return out;
}

} // namespace

void write_target_record(const Layout& layout, const TargetRecord& record) {
  write_record(layout, record, layout.target_record(record.gnu));
}

void write_variant_record(const Layout& layout, const TargetRecord& record) {
  write_record(layout, record,
               layout.variant_record(record.gnu, record.variant));
}

std::optional<TargetRecord> read_target_record(const Layout& layout,
                                               std::string_view gnu) {
  return read_record(layout.target_record(gnu), gnu);
}

std::optional<TargetRecord> read_variant_record(const Layout& layout,
                                                std::string_view gnu,
                                                std::string_view variant) {
  return read_record(layout.variant_record(gnu, variant), gnu);
}

std::vector<TargetRecord> list_target_records(const Layout& layout) {
  return list_records(layout, false);
}

std::vector<TargetRecord> list_variant_records(const Layout& layout) {
  return list_records(layout, true);
}

std::map<std::string, std::set<std::string>>
installed_tools(const Layout& layout) {
  std::map<std::string, std::set<std::string>> tools;
  for (const auto& records :
       {list_target_records(layout), list_variant_records(layout)}) {
    for (const TargetRecord& record : records) {
      for (const auto& entry : record.tools) {
        tools[record.gnu].insert(entry.first);
      }
    }
  }
  return tools;
}

} // namespace xtc::store
