#include "cli/context.hpp"
#include "support/catch.hpp"

using xtc::cli::date_of;
using xtc::cli::signed_age;

TEST_CASE("a manifest's age: its signature's UTC day and the days since",
          "[cli]") {
  // 2024-11-24 17:40:00 UTC
  constexpr std::uint64_t k_signed = 1732470000;
  CHECK(date_of(k_signed) == "2024-11-24");
  CHECK(signed_age(k_signed, k_signed + 3600) == "signed 2024-11-24, today");
  CHECK(signed_age(k_signed, k_signed + 86400) ==
        "signed 2024-11-24, 1 day ago");
  CHECK(signed_age(k_signed, k_signed + 9 * 86400 + 5) ==
        "signed 2024-11-24, 9 days ago");
  // A clock behind the signature: not a negative age.
  CHECK(signed_age(k_signed, k_signed - 86400 * 3) ==
        "signed 2024-11-24, today");
}
