// Small string helpers shared by every module: splitting, trimming, case,
// quoting for messages, and the edit distance behind "did you mean".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc {

// Splits on every occurrence of sep; empty fields are kept.
std::vector<std::string> split(std::string_view text, char sep);

// Returns text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

// The text's lines without their line ends ("\n" or "\r\n"); a final line
// end does not start another line.
std::vector<std::string_view> lines_of(std::string_view text);

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

// Joins parts with sep between them.
std::string join(std::span<const std::string> parts, std::string_view sep);

// Replaces every occurrence of from (non-empty) with to.
std::string replace_all(std::string text, std::string_view from,
                        std::string_view to);

// Levenshtein distance between a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Returns the candidate closest to word when it is close enough to be a
// plausible typo (distance <= max(2, |word| / 3)), else nullopt.
std::optional<std::string> nearest(std::string_view word,
                                   std::span<const std::string> candidates);

// `text` with the credentials of every URL in it replaced by "***": the
// userinfo of "scheme://user:password@host/…" and the values of query
// parameters named like secrets (token, access_token, password, sig,
// X-Amz-Signature, …). For every URL xtc shows or records; the download
// itself still uses the URL as given.
std::string redact_credentials(std::string_view text);

// Formats a byte count for people: "512 B", "1.5 KiB", "27.3 MiB".
std::string human_bytes(unsigned long long bytes);

// Parses a whole string of decimal digits (surrounding blanks allowed);
// nullopt for anything else, including overflow.
std::optional<unsigned long long> parse_uint(std::string_view text);

// Is text a producer name as manifests, pin files and --producer spell it:
// lower-case letters, digits and '-', starting with a letter or digit
// ("messense", "filosottile", "bootlin")?
bool is_producer_name(std::string_view text);

// Quotes a string for a POSIX shell when it needs quoting.
std::string shell_quote(std::string_view text);

} // namespace xtc
