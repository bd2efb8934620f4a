#include "shim/pin_file.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/fd.hpp"

#include <sys/stat.h>

#include <array>

namespace xtc::shim {
namespace {

constexpr std::string_view k_hint =
    "xtc.toml holds one [targets] table of one-line entries, e.g. "
    "aarch64-linux-gnu = { flavor = \"llvm\", libc_version = \"2.31\" }, "
    "x86_64-linux-musl = { producer = \"filosottile\" }";

constexpr std::array<std::string_view, 3> k_flavors = {"gcc", "llvm", "zig"};

// A reason the text is not a pin file xtc can read; turned into an Error
// with the path and line by parse_pin_file.
struct Unreadable {
  std::string reason;
  std::string hint;
};

[[noreturn]] void refuse(std::string reason, std::string hint = {}) {
  throw Unreadable{std::move(reason), std::move(hint)};
}

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is
// not one (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0U;
  };
  const unsigned lead = byte(i);
  const auto cont = [&](std::size_t k) { return (byte(k) & 0xC0U) == 0x80U; };
  if (lead < 0x80U) {
    return 1;
  }
  if (lead >= 0xC2U && lead <= 0xDFU) {
    return cont(i + 1) ? 2 : 0;
  }
  if (lead >= 0xE0U && lead <= 0xEFU) {
    const unsigned second = byte(i + 1);
    if ((lead == 0xE0U && second < 0xA0U) ||
        (lead == 0xEDU && second >= 0xA0U)) {
      return 0;
    }
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (lead >= 0xF0U && lead <= 0xF4U) {
    const unsigned second = byte(i + 1);
    if ((lead == 0xF0U && second < 0x90U) ||
        (lead == 0xF4U && second >= 0x90U)) {
      return 0;
    }
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

// TOML text is UTF-8 without control characters other than tab.
void check_characters(std::string_view line) {
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c < 0x20U && c != '\t') || c == 0x7FU) {
      refuse(fmt::format("control character 0x{:02x}", c));
    }
    const std::size_t length = utf8_sequence(line, i);
    if (length == 0) {
      refuse("the text is not valid UTF-8");
    }
    i += length;
  }
}

// Reads one line of the subset; every method throws Unreadable.
class Line {
public:
  explicit Line(std::string_view text) : m_text(text) {}

  void skip_space() {
    while (m_pos < m_text.size() &&
           (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }
  bool peek(char c) const {
    return m_pos < m_text.size() && m_text[m_pos] == c;
  }
  bool take(char c) {
    if (peek(c)) {
      ++m_pos;
      return true;
    }
    return false;
  }
  // True at the end of the line or at a comment.
  bool at_end() {
    skip_space();
    return m_pos == m_text.size() || m_text[m_pos] == '#';
  }
  std::string rest() const { return std::string(m_text.substr(m_pos)); }

  // A bare key or a quoted one; `what` names it in messages, `dotted_hint`
  // says what to write instead of a dotted key.
  std::string key(std::string_view what, std::string_view dotted_hint) {
    skip_space();
    std::string key;
    if (peek('"') || peek('\'')) {
      key = string(what);
    } else {
      const std::size_t start = m_pos;
      while (m_pos < m_text.size() && is_bare_key_char(m_text[m_pos])) {
        ++m_pos;
      }
      if (m_pos == start) {
        refuse(fmt::format("expected {} at '{}'", what, rest()));
      }
      key = m_text.substr(start, m_pos - start);
    }
    skip_space();
    if (peek('.')) {
      std::size_t end = m_pos;
      while (end < m_text.size() &&
             (is_bare_key_char(m_text[end]) || m_text[end] == '.')) {
        ++end;
      }
      refuse(fmt::format("dotted key '{}{}' is not supported", key,
                         m_text.substr(m_pos, end - m_pos)),
             std::string(dotted_hint));
    }
    return key;
  }

  // A "basic" or 'literal' string on this line, without escapes.
  std::string string(std::string_view what) {
    skip_space();
    const char quote = peek('"') ? '"' : peek('\'') ? '\'' : '\0';
    if (quote == '\0') {
      refuse(fmt::format("{} must be a quoted string, got '{}'", what, rest()),
             "quote it: flavor = \"llvm\", libc_version = \"2.31\"");
    }
    if (m_text.substr(m_pos).starts_with(std::string(3, quote))) {
      refuse(fmt::format("multi-line strings are not supported ({})", what));
    }
    ++m_pos;
    const std::size_t end = m_text.find(quote, m_pos);
    if (end == std::string_view::npos) {
      refuse(fmt::format("unterminated string in {}", what));
    }
    std::string value(m_text.substr(m_pos, end - m_pos));
    if (quote == '"' && value.find('\\') != std::string::npos) {
      refuse(fmt::format("escape sequences are not supported ({})", what),
             "write the value without backslashes");
    }
    m_pos = end + 1;
    return value;
  }

private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

void set_field(Pin& pin, const std::string& name, std::string value) {
  if (name == "flavor") {
    if (pin.flavor) {
      refuse(fmt::format("'flavor' appears twice for '{}'", pin.target));
    }
    if (!is_flavor(value)) {
      refuse(fmt::format("unknown flavor '{}' for '{}'", value, pin.target),
             "flavor is one of gcc, llvm, zig");
    }
    pin.flavor = std::move(value);
  } else if (name == "libc_version") {
    if (pin.libc_version) {
      refuse(fmt::format("'libc_version' appears twice for '{}'", pin.target));
    }
    if (!is_libc_version(value)) {
      refuse(fmt::format("libc_version '{}' of '{}' is not a version like "
                         "\"2.31\"",
                         value, pin.target));
    }
    pin.libc_version = std::move(value);
  } else if (name == "producer") {
    if (pin.producer) {
      refuse(fmt::format("'producer' appears twice for '{}'", pin.target));
    }
    if (!is_producer_name(value)) {
      refuse(fmt::format("producer '{}' of '{}' is not a producer name like "
                         "\"filosottile\"",
                         value, pin.target),
             "producer names are lower-case letters, digits and '-', as "
             "'xtc target list' shows them");
    }
    pin.producer = std::move(value);
  } else {
    refuse(fmt::format("unknown key '{}' for '{}'", name, pin.target),
           "a target takes flavor, libc_version and producer");
  }
}

// "<target> = { [key = "value" [, key = "value"]] }"
Pin parse_entry(Line& line) {
  Pin pin;
  pin.target = line.key(
      "a target name",
      "write a glibc version as <target> = { libc_version = \"2.31\" }");
  if (pin.target.empty()) {
    refuse("empty target name");
  }
  if (!line.take('=')) {
    refuse(fmt::format("expected '=' after '{}'", pin.target));
  }
  line.skip_space();
  if (!line.take('{')) {
    refuse(fmt::format("the value of '{}' must be an inline table {{ … }}, "
                       "got '{}'",
                       pin.target, line.rest()));
  }
  line.skip_space();
  if (!line.take('}')) {
    for (;;) {
      const std::string name =
          line.key("a key", "a target takes flavor, libc_version and producer");
      if (!line.take('=')) {
        refuse(fmt::format("expected '=' after '{}'", name));
      }
      set_field(pin, name, line.string(fmt::format("the value of '{}'", name)));
      line.skip_space();
      if (line.take('}')) {
        break;
      }
      if (!line.take(',')) {
        refuse(fmt::format("expected ',' or '}}' in the entry of '{}', got "
                           "'{}'",
                           pin.target, line.rest()));
      }
      line.skip_space();
      if (line.peek('}')) {
        refuse(fmt::format("trailing comma in the entry of '{}'", pin.target));
      }
    }
  }
  if (!line.at_end()) {
    refuse(fmt::format("unexpected '{}' after the entry of '{}'", line.rest(),
                       pin.target));
  }
  return pin;
}

// "[targets]"; anything else in brackets is refused.
void parse_header(Line& line) {
  line.take('[');
  if (line.peek('[')) {
    refuse("arrays of tables ([[…]]) are not supported");
  }
  const std::string name =
      line.key("a table name", "write each target on one line under [targets]: "
                               "<target> = { flavor = \"llvm\" }");
  if (name != "targets") {
    refuse(fmt::format("unknown table [{}]", name));
  }
  if (!line.take(']')) {
    refuse(fmt::format("sub-tables of [targets] are not supported: '{}'",
                       line.rest()),
           "write each target on one line: <target> = { flavor = \"llvm\" }");
  }
  if (!line.at_end()) {
    refuse(fmt::format("unexpected '{}' after [targets]", line.rest()));
  }
}

} // namespace

std::string Variant::name() const {
  std::string text = libc_version ? flavor + "-" + *libc_version : flavor;
  if (producer) {
    text += '+';
    text += *producer;
  }
  return text;
}

bool is_flavor(std::string_view text) {
  for (std::string_view flavor : k_flavors) {
    if (text == flavor) {
      return true;
    }
  }
  return false;
}

bool is_libc_version(std::string_view text) {
  bool digit = false;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && digit) {
      digit = false;
    } else {
      return false;
    }
  }
  return digit;
}

std::optional<Variant> parse_variant(std::string_view name) {
  std::optional<std::string> producer;
  if (const std::size_t plus = name.find('+'); plus != std::string_view::npos) {
    if (!is_producer_name(name.substr(plus + 1))) {
      return std::nullopt;
    }
    producer = std::string(name.substr(plus + 1));
    name = name.substr(0, plus);
  }
  const std::size_t dash = name.find('-');
  const std::string_view flavor = name.substr(0, dash);
  if (!is_flavor(flavor)) {
    return std::nullopt;
  }
  if (dash == std::string_view::npos) {
    return Variant{std::string(flavor), std::nullopt, std::move(producer)};
  }
  const std::string_view version = name.substr(dash + 1);
  if (!is_libc_version(version)) {
    return std::nullopt;
  }
  return Variant{std::string(flavor), std::string(version),
                 std::move(producer)};
}

const Pin* PinFile::find(std::string_view target) const {
  for (const Pin& pin : pins) {
    if (pin.target == target) {
      return &pin;
    }
  }
  return nullptr;
}

PinFile parse_pin_file(std::string_view text,
                       const std::filesystem::path& path) {
  PinFile file{path, {}};
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3); // a byte order mark, as Windows editors write
  }
  bool in_targets = false;
  bool seen_targets = false;
  std::size_t number = 0;
  for (std::size_t start = 0; start <= text.size(); ++number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view content = text.substr(start, end - start);
    start = end + 1;
    if (content.ends_with('\r')) {
      content.remove_suffix(1);
    }
    try {
      check_characters(content);
      Line line(content);
      if (line.at_end()) {
        continue;
      }
      if (line.peek('[')) {
        parse_header(line);
        if (seen_targets) {
          refuse("the [targets] table appears twice");
        }
        in_targets = seen_targets = true;
        continue;
      }
      Pin pin = parse_entry(line);
      if (!in_targets) {
        refuse(fmt::format("'{}' is outside the [targets] table", pin.target),
               "put target entries under a [targets] line");
      }
      if (file.find(pin.target) != nullptr) {
        refuse(fmt::format("target '{}' appears twice", pin.target));
      }
      file.pins.push_back(std::move(pin));
    } catch (const Unreadable& bad) {
      throw Error(fmt::format("cannot read pin file '{}', line {}: {}",
                              path.string(), number + 1, bad.reason),
                  bad.hint.empty() ? std::string(k_hint) : bad.hint);
    }
  }
  return file;
}

std::optional<std::filesystem::path>
find_pin_file(const std::filesystem::path& dir) {
  std::filesystem::path current = dir;
  for (;;) {
    std::filesystem::path candidate = current / k_pin_file_name;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      return candidate;
    }
    std::filesystem::path parent = current.parent_path();
    if (parent == current || parent.empty()) {
      return std::nullopt;
    }
    current = std::move(parent);
  }
}

PinFile read_pin_file(const std::filesystem::path& path) {
  return parse_pin_file(platform::read_file(path, "pin file"), path);
}

std::string toolchain_variable(std::string_view target) {
  std::string name(k_toolchain_variable_prefix);
  for (const char c : target) {
    name += toolchain_variable_char(c);
  }
  return name;
}

} // namespace xtc::shim
