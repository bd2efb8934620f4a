#include "base/diagnostics.hpp"
#include "base/strings.hpp"
#include "support/catch.hpp"

#include <string>

using namespace xtc;

TEST_CASE("printable escapes every control character", "[base]") {
  CHECK(diag::printable("plain text, 'quoted' / path") ==
        "plain text, 'quoted' / path");
  // ESC sequences that would set the title, clear the screen or recolour.
  CHECK(diag::printable("a\x1b]0;owned\x07"
                        "b\x1b[2J\x1b[31mred") ==
        "a\\x1b]0;owned\\x07b\\x1b[2J\\x1b[31mred");
  CHECK(diag::printable("one\ntwo\rthree\tfour\x7f") ==
        "one\\ntwo\\rthree\\tfour\\x7f");
  CHECK(diag::printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
  // UTF-8 stays; the C1 controls (U+009B is CSI) and invalid bytes do not.
  CHECK(diag::printable("gr\xc3\xbc\xc3\x9f \xe2\x9c\x93") ==
        "gr\xc3\xbc\xc3\x9f \xe2\x9c\x93");
  CHECK(diag::printable("\xc2\x9b"
                        "31m") == "\\u009b31m");
  CHECK(diag::printable("\x9b"
                        "31m \xff \xc3") == "\\x9b31m \\xff \\xc3");
  CHECK(diag::printable("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
  CHECK(diag::printable("\xc0\xaf") == "\\xc0\\xaf");          // overlong '/'
}

TEST_CASE("credentials in URLs are redacted", "[base]") {
  CHECK(
      redact_credentials(
          "cannot fetch 'https://user:s3cret@mirror.example/a.tar.xz': 401") ==
      "cannot fetch 'https://***@mirror.example/a.tar.xz': 401");
  CHECK(redact_credentials("https://token@h/x https://h/y?a=1&token=abc&b=2") ==
        "https://***@h/x https://h/y?a=1&token=***&b=2");
  CHECK(redact_credentials("s3: https://b.s3.amazonaws.com/k?X-Amz-Credential="
                           "AKIA&X-Amz-Signature=f00d#frag") ==
        "s3: https://b.s3.amazonaws.com/k?X-Amz-Credential=***&"
        "X-Amz-Signature=***#frag");
  CHECK(redact_credentials("https://h/p?access_token=x;sig=y") ==
        "https://h/p?access_token=***;sig=***");
  // What is not a credential stays as it was.
  CHECK(redact_credentials("https://h/a@b/c?file=x.tar.xz") ==
        "https://h/a@b/c?file=x.tar.xz");
  CHECK(redact_credentials("no url here: a@b") == "no url here: a@b");
  CHECK(redact_credentials("file:///home/u/m.toml") == "file:///home/u/m.toml");
}
