// Fuzzes the cargo config editor: any input is refused with xtc::Error or
// edited into text that edits again to itself (the edit is idempotent, so
// the output is valid TOML holding the settings).
#include "base/error.hpp"
#include "project/cargo_config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const xtc::project::CargoTargetSettings settings{
      "x86_64-unknown-linux-musl",
      "x86_64-linux-musl-gcc",
      {{"CC_x86_64_unknown_linux_musl", "x86_64-linux-musl-gcc"},
       {"AR_x86_64_unknown_linux_musl", "x86_64-linux-musl-ar"}}};
  xtc::project::CargoEdit first;
  try {
    first = xtc::project::edit_cargo_config(text, "fuzz.toml", settings, true);
  } catch (const xtc::Error&) {
    return 0;
  }
  try {
    const xtc::project::CargoEdit second = xtc::project::edit_cargo_config(
        first.text, "fuzz.toml", settings, true);
    if (second.changed || second.text != first.text) {
      std::abort(); // not idempotent
    }
  } catch (const xtc::Error&) {
    std::abort(); // the editor produced text it cannot read back
  }
  return 0;
}
