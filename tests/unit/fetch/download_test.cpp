// download() over file:// URLs: hermetic (no network) yet through libcurl,
// so resume, verification and error paths run for real.
#include "base/error.hpp"
#include "fetch/download.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using xtc::fetch::Options;
using xtc::fetch::Request;

namespace {

std::string content(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = static_cast<char>((i * 7919U + i / 251U) & 0xFFU);
  }
  return out;
}

xtc::verify::Sha256Digest digest_of(std::string_view data) {
  xtc::verify::Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

Options quiet_options() {
  Options options;
  options.progress = false;
  options.retries = 0;
  return options;
}

struct Fixture {
  xtc::fetch::GlobalInit curl;
  xtc::test::ScopedTempDir dir;
  std::string data = content(300 * 1000 + 3);
  fs::path source = dir.write("mirror/pkg.tar.gz", data);
  Request request;

  Fixture() {
    request.label = "pkg-1.0";
    request.urls = {"file://" + source.string()};
    request.sha256 = digest_of(data);
    request.size = data.size();
    request.dest = dir.path() / "cache" / request.sha256.hex();
  }
  fs::path part() const { return fs::path(request.dest.string() + ".part"); }
};

std::string error_of(const Request& request, const Options& options) {
  try {
    xtc::fetch::download(request, options);
  } catch (const xtc::Error& e) {
    return e.message();
  }
  return "no error";
}

} // namespace

TEST_CASE("download copies a file:// URL and names it after verifying",
          "[fetch]") {
  Fixture f;
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("download resumes from an existing .part", "[fetch]") {
  Fixture f;
  fs::create_directories(f.request.dest.parent_path());
  f.dir.write(f.part().string().substr(f.dir.path().string().size() + 1),
              f.data.substr(0, 12345));
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("resumed bytes count: a bad prefix in .part fails the digest",
          "[fetch]") {
  Fixture f;
  fs::create_directories(f.request.dest.parent_path());
  f.dir.write(f.part().string().substr(f.dir.path().string().size() + 1),
              std::string(1000, 'x'));
  const std::string message = error_of(f.request, quiet_options());
  REQUIRE(message.find("checksum mismatch for 'pkg-1.0'") == 0);
  REQUIRE_FALSE(fs::exists(f.part()));
  // The next run starts from zero and succeeds.
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
}

TEST_CASE("a complete .part is verified without a request", "[fetch]") {
  Fixture f;
  fs::create_directories(f.request.dest.parent_path());
  std::filesystem::copy_file(f.source, f.part());
  f.request.urls = {"file://" + (f.dir.path() / "missing").string()};
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
}

TEST_CASE("a corrupt complete .part is downloaded again", "[fetch]") {
  Fixture f;
  fs::create_directories(f.request.dest.parent_path());
  std::string bad = f.data;
  bad[100] = static_cast<char>(bad[100] ^ 1);
  f.dir.write(f.part().string().substr(f.dir.path().string().size() + 1), bad);
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
}

TEST_CASE("a digest mismatch names both digests and removes the .part",
          "[fetch]") {
  Fixture f;
  const xtc::verify::Sha256Digest wrong = digest_of("something else");
  f.request.sha256 = wrong;
  f.request.dest = f.dir.path() / "cache" / wrong.hex();
  const std::string message = error_of(f.request, quiet_options());
  REQUIRE(message == "checksum mismatch for 'pkg-1.0' from '" +
                         f.request.urls[0] + "': expected " + wrong.hex() +
                         ", got " + digest_of(f.data).hex());
  REQUIRE_FALSE(fs::exists(f.request.dest));
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("a short file is a size mismatch", "[fetch]") {
  Fixture f;
  f.request.size = f.data.size() + 10;
  const std::string message = error_of(f.request, quiet_options());
  REQUIRE(message.find("size mismatch for 'pkg-1.0'") == 0);
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("a longer file is cut off at the expected size", "[fetch]") {
  Fixture f;
  f.request.size = f.data.size() - 1;
  const std::string message = error_of(f.request, quiet_options());
  REQUIRE(message.find("size mismatch for 'pkg-1.0'") == 0);
  REQUIRE(message.find("more than the expected") != std::string::npos);
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("a missing file falls through to the next URL", "[fetch]") {
  Fixture f;
  const std::string missing = "file://" + (f.dir.path() / "gone").string();
  f.request.urls.insert(f.request.urls.begin(), missing);
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
}

TEST_CASE("the error names the label and the last URL", "[fetch]") {
  Fixture f;
  const std::string missing = "file://" + (f.dir.path() / "gone").string();
  f.request.urls = {missing};
  const std::string message = error_of(f.request, quiet_options());
  REQUIRE(message.find("cannot download 'pkg-1.0' from '" + missing + "': ") ==
          0);
}

TEST_CASE("an existing dest is not downloaded again", "[fetch]") {
  Fixture f;
  f.dir.write(f.request.dest.string().substr(f.dir.path().string().size() + 1),
              "already here");
  f.request.urls = {"https://example.invalid/never"};
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(xtc::test::slurp(f.request.dest) == "already here");
}

TEST_CASE("offline refuses to download a missing file", "[fetch]") {
  Fixture f;
  Options options = quiet_options();
  options.offline = true;
  REQUIRE(error_of(f.request, options) ==
          "'pkg-1.0' is not in the download cache and --offline forbids "
          "downloading it");
  REQUIRE_FALSE(fs::exists(f.request.dest));
}

TEST_CASE("XTC_MIRROR is tried before the original URL", "[fetch]") {
  Fixture f;
  f.request.urls = {"https://example.invalid" + f.source.string()};
  Options options = quiet_options();
  options.mirror = "file://";
  xtc::fetch::download(f.request, options);
  REQUIRE(xtc::test::slurp(f.request.dest) == f.data);
}

TEST_CASE("download refuses plain http to a remote host before any request",
          "[fetch]") {
  Fixture f;
  const std::string remote = "http://example.com/pkg";
  f.request.urls.insert(f.request.urls.begin(), remote);
  REQUIRE(error_of(f.request, quiet_options()) ==
          "refusing plain HTTP for 'http://example.com/pkg'");
  REQUIRE_FALSE(fs::exists(f.part()));
}

TEST_CASE("fetch_text reads a document", "[fetch]") {
  const xtc::fetch::GlobalInit curl;
  const xtc::test::ScopedTempDir dir;
  const fs::path manifest = dir.write("m.toml", "schema = 1\n");
  REQUIRE(xtc::fetch::fetch_text("file://" + manifest.string(),
                                 quiet_options()) == "schema = 1\n");
}

TEST_CASE("fetch_text names a missing document", "[fetch]") {
  const xtc::fetch::GlobalInit curl;
  const xtc::test::ScopedTempDir dir;
  const std::string url = "file://" + (dir.path() / "none.toml").string();
  try {
    (void)xtc::fetch::fetch_text(url, quiet_options());
    FAIL("no exception");
  } catch (const xtc::Error& e) {
    REQUIRE(e.message().find("cannot fetch '" + url + "': ") == 0);
  }
}

TEST_CASE("an unknown size (0) is checked by the digest alone", "[fetch]") {
  Fixture f;
  f.request.size = 0;
  xtc::fetch::download(f.request, quiet_options());
  REQUIRE(fs::file_size(f.request.dest) == f.data.size());
  CHECK_FALSE(fs::exists(f.part()));

  Fixture g;
  g.request.size = 0;
  g.request.sha256 = digest_of("something else");
  const std::string message = error_of(g.request, quiet_options());
  CHECK(message.find("checksum mismatch for 'pkg-1.0'") == 0);
  CHECK_FALSE(fs::exists(g.request.dest));
}
