// Fuzzes the triple parser: parse() and try_parse() agree, an accepted
// triple's renderings parse back to the same triple, and nothing crashes.
#include "base/error.hpp"
#include "triple/triple.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<xtc::triple::Triple> parsed =
      xtc::triple::try_parse(text);
  bool threw = false;
  try {
    const xtc::triple::Triple strict = xtc::triple::parse(text);
    if (!parsed || !(strict == *parsed)) {
      std::abort(); // parse accepted what try_parse refused, or differs
    }
  } catch (const xtc::Error&) {
    threw = true;
  }
  if (threw == parsed.has_value()) {
    std::abort();
  }
  if (parsed) {
    const std::optional<xtc::triple::Triple> again =
        xtc::triple::try_parse(parsed->display());
    if (!again || !(*again == *parsed)) {
      std::abort(); // display() does not parse back to the same triple
    }
  }
  return 0;
}
