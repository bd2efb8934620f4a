#include "base/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <numeric>

namespace xtc {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      return out;
    }
    out.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return out;
}

std::string join(std::span<const std::string> parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

std::string replace_all(std::string text, std::string_view from,
                        std::string_view to) {
  std::size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest(std::string_view word,
                                   std::span<const std::string> candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string human_bytes(unsigned long long bytes) {
  static constexpr std::array<const char*, 5> k_units = {"B", "KiB", "MiB",
                                                         "GiB", "TiB"};
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < k_units.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, k_units[unit]);
}

bool is_producer_name(std::string_view text) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  return !text.empty() && alnum(text.front()) &&
         std::all_of(text.begin(), text.end(),
                     [&](char c) { return alnum(c) || c == '-'; });
}

std::string shell_quote(std::string_view text) {
  const bool plain =
      !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
               std::string_view("@%_+=:,./-").find(c) != std::string_view::npos;
      });
  if (plain) {
    return std::string(text);
  }
  // Built in place: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug
  // 105329) about "'" + std::string + "'".
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '\'';
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

std::optional<unsigned long long> parse_uint(std::string_view text) {
  text = trim(text);
  unsigned long long value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

} // namespace xtc

namespace xtc {
namespace {

// Where a URL ends inside a message: messages quote URLs with '…', and a
// URL never contains blanks or quotes unescaped.
bool ends_url(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' ||
         c == '"' || c == '<' || c == '>' || c == '`';
}

bool is_secret_parameter(std::string_view name) {
  const std::string lower = to_lower(name);
  for (const std::string_view secret : {"token",
                                        "access_token",
                                        "id_token",
                                        "refresh_token",
                                        "auth",
                                        "authorization",
                                        "password",
                                        "passwd",
                                        "pwd",
                                        "secret",
                                        "client_secret",
                                        "key",
                                        "api_key",
                                        "apikey",
                                        "sig",
                                        "signature",
                                        "credential",
                                        "session",
                                        "jwt",
                                        "x-amz-signature",
                                        "x-amz-credential",
                                        "x-amz-security-token",
                                        "x-goog-signature",
                                        "x-goog-credential"}) {
    if (lower == secret) {
      return true;
    }
  }
  return lower.ends_with("_token") || lower.ends_with("-token") ||
         lower.ends_with("_secret") || lower.ends_with("password");
}

// Appends the URL `url` (without its scheme and "://") with its secrets
// replaced.
void append_redacted(std::string& out, std::string_view url) {
  const std::size_t authority_end = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, authority_end);
  if (const std::size_t at = authority.rfind('@');
      at != std::string_view::npos) {
    out += "***";
    out += authority.substr(at);
  } else {
    out += authority;
  }
  if (authority_end == std::string_view::npos) {
    return;
  }
  std::string_view rest = url.substr(authority_end);
  const std::size_t query = rest.find('?');
  out += rest.substr(0, query);
  if (query == std::string_view::npos) {
    return;
  }
  rest.remove_prefix(query);
  const std::size_t fragment = rest.find('#');
  std::string_view parameters = rest.substr(0, fragment);
  // "?a=1&b=2": each parameter with the separator before it.
  while (!parameters.empty()) {
    out += parameters.front();
    parameters.remove_prefix(1);
    const std::size_t end = parameters.find_first_of("&;");
    const std::string_view parameter = parameters.substr(0, end);
    const std::size_t equals = parameter.find('=');
    if (equals != std::string_view::npos &&
        is_secret_parameter(parameter.substr(0, equals))) {
      out += parameter.substr(0, equals + 1);
      out += "***";
    } else {
      out += parameter;
    }
    parameters.remove_prefix(parameter.size());
  }
  if (fragment != std::string_view::npos) {
    out += rest.substr(fragment);
  }
}

} // namespace

std::string redact_credentials(std::string_view text) {
  // Most messages hold no URL at all: return them untouched at once.
  std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  std::size_t done = 0;
  while (scheme_end != std::string_view::npos) {
    const std::size_t start = scheme_end + 3;
    std::size_t end = start;
    while (end < text.size() && !ends_url(text[end])) {
      ++end;
    }
    out += text.substr(done, start - done);
    append_redacted(out, text.substr(start, end - start));
    done = end;
    scheme_end = text.find("://", end);
  }
  out += text.substr(done);
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return lines;
}

} // namespace xtc
