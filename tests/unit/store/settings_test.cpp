#include "base/error.hpp"
#include "store/settings.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <string>

using namespace xtc;

TEST_CASE("settings: none without a file, the channel when set", "[store]") {
  const test::ScopedTempDir dir;
  const store::Layout layout(dir.path());
  CHECK_FALSE(store::read_settings(layout).channel.has_value());
  dir.write("config.toml",
            "# mine\nchannel = \"https://m.example/xtc.toml\"\n");
  CHECK(store::read_settings(layout).channel ==
        std::optional<std::string>("https://m.example/xtc.toml"));
}

TEST_CASE("settings: a damaged file, a wrong type and an unknown key are "
          "errors naming the file",
          "[store]") {
  const test::ScopedTempDir dir;
  const store::Layout layout(dir.path());
  const std::string file = (dir.path() / "config.toml").string();
  for (const auto& [text, message] :
       {std::pair<std::string, std::string>{"channel = \"https://x\n",
                                            "damaged settings file '" + file +
                                                "': 1:"},
        {"channel = 3\n",
         "settings file '" + file + "': 'channel' must be a URL in quotes"},
        {"channel = \"\"\n",
         "settings file '" + file + "': 'channel' must be a URL in quotes"},
        {"chanel = \"https://x\"\n",
         "settings file '" + file + "': unknown key 'chanel'"},
        {std::string(100000, '['), "cannot read '" + file + "': line 1: "}}) {
    dir.write("config.toml", text);
    try {
      (void)store::read_settings(layout);
      FAIL("accepted: " << text.substr(0, 40));
    } catch (const Error& error) {
      INFO(error.message());
      CHECK(error.message().find(message) == 0);
      CHECK_FALSE(error.hint().empty());
    }
  }
}
