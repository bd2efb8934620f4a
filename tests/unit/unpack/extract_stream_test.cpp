// extract_stream: the same extraction fed from a ByteQueue by another
// thread, as a download feeds it.
#include "base/error.hpp"
#include "platform/byte_queue.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "unit/unpack/archive_builder.hpp"
#include "unpack/extract.hpp"

#include <filesystem>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using xtc::platform::ByteQueue;
using xtc::test::ArchiveFormat;

namespace {

// Feeds the archive's bytes in small chunks from a second thread, then
// closes (or cancels) the stream.
void feed(ByteQueue& queue, const std::string& bytes, bool cancel_midway) {
  const std::size_t stop = cancel_midway ? bytes.size() / 2 : bytes.size();
  for (std::size_t at = 0; at < stop; at += 4096) {
    if (!queue.push(std::string_view(bytes).substr(
            at, std::min<std::size_t>(4096, stop - at)))) {
      break;
    }
  }
  if (cancel_midway) {
    queue.cancel();
  } else {
    queue.close();
  }
}

} // namespace

TEST_CASE("extract_stream unpacks an archive while its bytes arrive",
          "[unpack]") {
  xtc::test::ScopedTempDir tmp;
  const fs::path root = tmp.path() / "root";
  fs::create_directory(root);
  std::string big(300000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) {
    big[i] = static_cast<char>((i * 7919) % 251);
  }
  const fs::path archive = xtc::test::write_archive(
      tmp.path() / "a.tar.xz", ArchiveFormat::tar_xz,
      {xtc::test::directory("usr"), xtc::test::file("usr/big", big),
       xtc::test::file("usr/small", "hello\n"),
       xtc::test::symbolic_link("usr/link", "small")});
  const std::string bytes = xtc::test::slurp(archive);

  ByteQueue queue(1 << 16);
  std::thread producer([&] { feed(queue, bytes, false); });
  const xtc::unpack::Extracted extracted =
      xtc::unpack::extract_stream(queue, "stream.tar.xz", root, {});
  producer.join();
  CHECK(extracted.files == std::vector<std::string>{"usr/big", "usr/small"});
  CHECK(xtc::test::slurp(root / "usr" / "big") == big);
  CHECK(xtc::test::slurp(root / "usr" / "small") == "hello\n");
  CHECK(fs::read_symlink(root / "usr" / "link") == "small");
}

TEST_CASE("extract_stream fails clearly when the stream is cancelled",
          "[unpack]") {
  xtc::test::ScopedTempDir tmp;
  const fs::path root = tmp.path() / "root";
  fs::create_directory(root);
  const fs::path archive = xtc::test::write_archive(
      tmp.path() / "a.tar", ArchiveFormat::tar,
      {xtc::test::file("f", std::string(200000, 'x'))});
  const std::string bytes = xtc::test::slurp(archive);

  ByteQueue queue(1 << 16);
  std::thread producer([&] { feed(queue, bytes, true); });
  std::string message = "(no error)";
  try {
    xtc::unpack::extract_stream(queue, "stream.tar", root, {});
  } catch (const xtc::Error& error) {
    message = error.message();
  }
  producer.join();
  CHECK(message.find("cannot unpack 'stream.tar'") == 0);
  CHECK(message.find("the download was cancelled") != std::string::npos);
}

TEST_CASE("extract_stream judges a large first file by what it has read, "
          "not by the size its header declares",
          "[unpack]") {
  xtc::test::ScopedTempDir tmp;
  const fs::path root = tmp.path() / "root";
  fs::create_directory(root);
  // 6 MiB that do not compress, as a toolchain's compiler binary is first
  // in its archive: the header arrives after a few KiB of the stream.
  std::string big(6U << 20U, '\0');
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (char& c : big) {
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    c = static_cast<char>(state);
  }
  const fs::path archive =
      xtc::test::write_archive(tmp.path() / "a.tar.xz", ArchiveFormat::tar_xz,
                               {xtc::test::file("bin/tool", big)});
  const std::string bytes = xtc::test::slurp(archive);
  xtc::unpack::Options options;
  options.limits.max_ratio = 4;
  options.limits.ratio_floor = 1U << 20U;

  ByteQueue queue(1 << 16);
  std::thread producer([&] { feed(queue, bytes, false); });
  xtc::unpack::Extracted extracted;
  std::string refused;
  try {
    extracted =
        xtc::unpack::extract_stream(queue, "stream.tar.xz", root, options);
  } catch (const xtc::Error& error) {
    refused = error.message(); // the stream is abandoned: the feeder stops
  }
  producer.join();
  CHECK(refused.empty());
  CHECK(extracted.bytes == big.size());
  CHECK(xtc::test::slurp(root / "bin" / "tool") == big);
}
