#include "manifest/fields.hpp"

#include "base/strings.hpp"
#include "base/toml_guard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace xtc::manifest::detail {

Error manifest_error(std::string_view source, std::string_view where,
                     std::string_view detail, std::string hint) {
  if (where.empty()) {
    return Error(fmt::format("invalid manifest '{}': {}", source, detail),
                 std::move(hint));
  }
  return Error(
      fmt::format("invalid manifest '{}': {}: {}", source, where, detail),
      std::move(hint));
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a floating-point number";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

bool is_version(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' ||
      text.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_relative_normal(std::string_view path) {
  if (path == ".") {
    return true;
  }
  if (path.empty() || path.front() == '/' ||
      path.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::vector<std::string> parts = split(path, '/');
  return std::none_of(parts.begin(), parts.end(), [](const std::string& part) {
    return part.empty() || part == "." || part == "..";
  });
}

FieldReader::FieldReader(const toml::table& table, std::string_view source,
                         std::string where, std::string prefix)
    : m_table(table), m_source(source), m_where(std::move(where)),
      m_prefix(std::move(prefix)) {}

void FieldReader::reject_unknown_keys(
    std::span<const std::string> known) const {
  for (const auto& [key, value] : m_table) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      continue;
    }
    const std::optional<std::string> near = nearest(name, known);
    std::string hint =
        near ? fmt::format("did you mean '{}{}'?", m_prefix, *near)
             : fmt::format("known keys: {}", join(known, ", "));
    fail_here(fmt::format("unknown key '{}{}'", m_prefix, name),
              std::move(hint));
  }
}

const toml::node* FieldReader::typed(std::string_view key, toml::node_type type,
                                     std::string_view expected) const {
  const toml::node* node = m_table.get(key);
  if (node != nullptr && node->type() != type) {
    fail(key, fmt::format("expected {}, got {}", expected, type_name(*node)));
  }
  return node;
}

std::optional<std::string> FieldReader::string(std::string_view key) const {
  const toml::node* node = typed(key, toml::node_type::string, "a string");
  if (node == nullptr) {
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view key) const {
  const toml::node* node = typed(key, toml::node_type::integer, "an integer");
  if (node == nullptr) {
    return std::nullopt;
  }
  return node->as_integer()->get();
}

const toml::table* FieldReader::table(std::string_view key) const {
  const toml::node* node = typed(key, toml::node_type::table, "a table");
  return node == nullptr ? nullptr : node->as_table();
}

std::vector<std::string> FieldReader::strings(std::string_view key) const {
  const toml::node* node =
      typed(key, toml::node_type::array, "an array of strings");
  std::vector<std::string> out;
  if (node == nullptr) {
    return out;
  }
  const toml::array& array = *node->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const toml::node& item = *array.get(i);
    if (!item.is_string()) {
      fail(key, fmt::format("entry {}: expected a string, got {}", i + 1,
                            type_name(item)));
    }
    out.push_back(item.as_string()->get());
  }
  return out;
}

std::string FieldReader::required_string(std::string_view key) const {
  std::optional<std::string> value = string(key);
  if (!value) {
    fail_missing(key);
  }
  return std::move(*value);
}

std::int64_t FieldReader::required_integer(std::string_view key) const {
  const std::optional<std::int64_t> value = integer(key);
  if (!value) {
    fail_missing(key);
  }
  return *value;
}

void FieldReader::fail(std::string_view key, std::string_view what,
                       std::string hint) const {
  fail_here(fmt::format("key '{}{}': {}", m_prefix, key, what),
            std::move(hint));
}

void FieldReader::fail_missing(std::string_view key, std::string hint) const {
  fail_here(fmt::format("key '{}{}' is missing", m_prefix, key),
            std::move(hint));
}

void FieldReader::fail_here(std::string_view detail, std::string hint) const {
  throw manifest_error(m_source, m_where, detail, std::move(hint));
}

void FieldReader::require_choice(std::string_view key, const std::string& value,
                                 std::span<const std::string> choices) const {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) {
    return;
  }
  const std::optional<std::string> near = nearest(value, choices);
  fail(key,
       fmt::format("expected one of {}, got '{}'", join(choices, ", "), value),
       near ? fmt::format("did you mean '{}'?", *near) : std::string());
}

namespace {

// toml++ words its errors as sentences ("Error while parsing …"); xtc's
// messages continue lower-case after the location.
Error syntax_error(std::string_view source, const toml::parse_error& error) {
  const toml::source_position& at = error.source().begin;
  std::string description(error.description());
  if (!description.empty()) {
    description[0] = to_lower(description.substr(0, 1))[0];
  }
  return manifest_error(
      source, {}, fmt::format("{}:{}: {}", at.line, at.column, description));
}

} // namespace

// toml++ reports syntax errors by exception or by result depending on how it
// was configured (TOML_EXCEPTIONS); both end in the same xtc::Error.
toml::table parse_toml(std::string_view text, std::string_view source) {
  guard_toml_nesting(text, source);
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw syntax_error(source, error);
  }
#else
  toml::parse_result result = toml::parse(text, source);
  if (!result) {
    throw syntax_error(source, result.error());
  }
  return std::move(result).table();
#endif
}

} // namespace xtc::manifest::detail
