#include "base/error.hpp"
#include "manifest/saved.hpp"
#include "platform/fd.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

using namespace xtc;
using manifest::SavedManifests;

namespace {

constexpr std::string_view k_url = "https://m.example/xtc/manifest.toml?v=1";
// A minisign signature is four lines; the text may be anything.
const std::string k_signature =
    "untrusted comment: x\nRUQ...\ntrusted comment: timestamp:1 file:m\nAB\n";
const std::string k_text = "# no final newline\n[[artifact]]\nid = \"a\"";

std::string read(const std::filesystem::path& path) {
  return platform::read_file(path, "test file");
}

} // namespace

TEST_CASE("a saved manifest comes back byte for byte", "[manifest]") {
  const test::ScopedTempDir dir;
  const SavedManifests saved(dir.path() / "saved");
  CHECK_FALSE(saved.load(k_url).has_value());
  saved.save(k_url, k_text, k_signature);
  const auto copy = saved.load(k_url);
  REQUIRE(copy.has_value());
  CHECK(copy->text == k_text);
  CHECK(copy->signature == k_signature);
  CHECK(copy->path == saved.path_of(k_url));
  // Another URL (even one differing only in its query) is another copy.
  CHECK_FALSE(saved.load("https://m.example/xtc/manifest.toml?v=2"));
  CHECK(saved.path_of(k_url) !=
        saved.path_of("https://m.example/xtc/manifest.toml?v=2"));
}

TEST_CASE("a new save replaces text and signature together", "[manifest]") {
  const test::ScopedTempDir dir;
  const SavedManifests saved(dir.path() / "saved");
  saved.save(k_url, k_text, k_signature);
  saved.save(k_url, "new text\n", "new signature\n");
  const auto copy = saved.load(k_url);
  REQUIRE(copy.has_value());
  CHECK(copy->text == "new text\n");
  CHECK(copy->signature == "new signature\n");
}

TEST_CASE("a damaged saved manifest is an error naming it", "[manifest]") {
  const test::ScopedTempDir dir;
  const SavedManifests saved(dir.path() / "saved");
  saved.save(k_url, k_text, k_signature);
  const std::filesystem::path path = saved.path_of(k_url);
  const std::string good = read(path);
  const auto refused = [&](const std::string& content) {
    dir.write(std::filesystem::relative(path, dir.path()).string(), content);
    CHECK_THROWS_WITH(saved.load(k_url),
                      "saved manifest '" + path.string() + "' is damaged");
  };
  refused("");                                  // empty
  refused("garbage\n");                         // not the format
  refused(good.substr(0, good.find('\n')));     // header without end
  refused(good.substr(0, good.find('\n') + 5)); // signature cut short
  // A copy saved for another URL under this one's name.
  std::string other = good;
  other.replace(other.find("?v=1"), 4, "?v=9");
  refused(other);
  // A signature size past the end of the file, or past any number.
  const std::string size = " " + std::to_string(k_signature.size()) + " ";
  for (const std::string bad :
       {" 9999 ", " 99999999999999999999999 ", " -1 ", "  "}) {
    std::string header = good;
    header.replace(header.find(size), size.size(), bad);
    refused(header);
  }
}
