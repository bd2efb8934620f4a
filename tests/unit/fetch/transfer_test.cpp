#include "fetch/transfer.hpp"
#include "support/catch.hpp"

using namespace std::chrono_literals;
using xtc::fetch::retry_delay;

TEST_CASE("retry delay doubles from 250 ms with bounded jitter", "[fetch]") {
  for (int i = 0; i < 50; ++i) {
    const auto first = retry_delay(0, std::nullopt);
    REQUIRE(first >= 250ms);
    REQUIRE(first <= 375ms);
    const auto third = retry_delay(2, std::nullopt);
    REQUIRE(third >= 1000ms);
    REQUIRE(third <= 1500ms);
  }
}

TEST_CASE("retry delay honours Retry-After up to 30 s", "[fetch]") {
  REQUIRE(retry_delay(0, std::chrono::seconds(7)) == 7s);
  REQUIRE(retry_delay(3, std::chrono::seconds(3600)) == 30s);
  REQUIRE(retry_delay(0, std::chrono::seconds(0)) == 0ms);
}
