#include "base/error.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"
#include "unit/unpack/archive_builder.hpp"
#include "unpack/extract.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using xtc::test::ArchiveFormat;
using xtc::test::directory;
using xtc::test::file;
using xtc::test::hard_link;
using xtc::test::Member;
using xtc::test::special;
using xtc::test::symbolic_link;

namespace {

// A temp dir holding the archive, an empty root to extract into, and a
// sentinel beside the root that hostile archives aim at.
struct Sandbox {
  xtc::test::ScopedTempDir tmp;
  fs::path root = tmp.path() / "root";
  fs::path sentinel = tmp.write("sentinel", "untouched\n");

  Sandbox() { fs::create_directory(root); }

  fs::path archive(ArchiveFormat format, const std::vector<Member>& members,
                   const std::string& name = "a.tar") const {
    return xtc::test::write_archive(tmp.path() / name, format, members);
  }

  // Extracts a tar of members that must be refused; returns the message and
  // checks that nothing appeared or changed outside the root.
  std::string refused(const std::vector<Member>& members,
                      const xtc::unpack::Options& options = {}) const {
    const fs::path path = archive(ArchiveFormat::tar, members, "evil.tar");
    std::string message = "(no error)";
    try {
      xtc::unpack::extract(path, root, options);
    } catch (const xtc::Error& error) {
      message = error.message();
    }
    CHECK(xtc::test::slurp(sentinel) == "untouched\n");
    std::vector<std::string> names;
    for (const fs::directory_entry& entry :
         fs::directory_iterator(tmp.path())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"evil.tar", "root", "sentinel"});
    return message;
  }

  std::string unsafe(const std::string& name, const std::string& reason) const {
    return "unsafe archive '" + (tmp.path() / "evil.tar").string() +
           "': entry '" + name + "' " + reason;
  }
};

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777U;
}

std::vector<Member> sample_tree(bool with_hard_link) {
  std::vector<Member> members = {
      directory("pkg/"),
      directory("pkg/bin/"),
      file("pkg/bin/tool", "#!/bin/sh\necho tool\n", 0755),
      symbolic_link("pkg/bin/cc", "tool"),
      file("pkg/share/doc/readme.txt", "read me\n"),
      symbolic_link("pkg/lib/readme", "../share/doc/readme.txt"),
  };
  if (with_hard_link) {
    members.push_back(hard_link("pkg/bin/tool2", "pkg/bin/tool"));
  }
  return members;
}

} // namespace

TEST_CASE("extract unpacks files, directories, links and modes", "[unpack]") {
  for (const ArchiveFormat format :
       {ArchiveFormat::tar, ArchiveFormat::tar_gz, ArchiveFormat::tar_xz,
        ArchiveFormat::tar_zst, ArchiveFormat::zip}) {
    CAPTURE(static_cast<int>(format));
    const Sandbox box;
    const bool tar = format != ArchiveFormat::zip; // zip has no hard links
    const xtc::unpack::Extracted result = xtc::unpack::extract(
        box.archive(format, sample_tree(tar)), box.root, {});

    const fs::path pkg = box.root / "pkg";
    CHECK(xtc::test::slurp(pkg / "bin/tool") == "#!/bin/sh\necho tool\n");
    CHECK(mode_of(pkg / "bin/tool") == 0755);
    CHECK(mode_of(pkg / "share/doc/readme.txt") == 0644);
    CHECK(fs::read_symlink(pkg / "bin/cc") == "tool");
    CHECK(fs::read_symlink(pkg / "lib/readme") == "../share/doc/readme.txt");
    CHECK(xtc::test::slurp(pkg / "lib/readme") == "read me\n");
    CHECK(fs::last_write_time(pkg / "bin/tool") ==
          fs::last_write_time(pkg / "share/doc/readme.txt"));
    struct stat st {};
    REQUIRE(::stat((pkg / "bin/tool").c_str(), &st) == 0);
    CHECK(st.st_mtime == 1'600'000'000);
    REQUIRE(::stat(pkg.c_str(), &st) == 0);
    CHECK(st.st_mtime == 1'600'000'000); // set after its entries were made

    // Regular files as they are on disk, sorted; symlinks are not files.
    std::vector<std::string> files = {"pkg/bin/tool",
                                      "pkg/share/doc/readme.txt"};
    if (tar) {
      CHECK(fs::equivalent(pkg / "bin/tool2", pkg / "bin/tool"));
      files.insert(files.begin() + 1, "pkg/bin/tool2");
    }
    CHECK(result.files == files);
    CHECK(result.entries == (tar ? 7U : 6U));
    CHECK(result.bytes == 20 + 8);
  }
}

TEST_CASE("extract strips leading components, link targets too", "[unpack]") {
  const Sandbox box;
  xtc::unpack::Options options;
  options.strip_components = 1;
  const xtc::unpack::Extracted result = xtc::unpack::extract(
      box.archive(ArchiveFormat::tar_gz, sample_tree(true)), box.root, options);
  CHECK(xtc::test::slurp(box.root / "bin/tool") == "#!/bin/sh\necho tool\n");
  CHECK(fs::equivalent(box.root / "bin/tool2", box.root / "bin/tool"));
  CHECK(xtc::test::slurp(box.root / "lib/readme") == "read me\n");
  CHECK_FALSE(fs::exists(box.root / "pkg"));
  CHECK(result.files == std::vector<std::string>{"bin/tool", "bin/tool2",
                                                 "share/doc/readme.txt"});
  CHECK(result.entries == 6); // "pkg/" itself is stripped away
}

TEST_CASE("extract counts './' as a component and folds repeated slashes",
          "[unpack]") {
  const Sandbox box;
  xtc::unpack::Options options;
  options.strip_components = 2;
  const xtc::unpack::Extracted result = xtc::unpack::extract(
      box.archive(ArchiveFormat::tar,
                  {directory("./"), file("./top/a//b/./c.txt", "c"),
                   file("./skipped", "x")}),
      box.root, options);
  CHECK(xtc::test::slurp(box.root / "a/b/c.txt") == "c");
  CHECK(result.files == std::vector<std::string>{"a/b/c.txt"});
  CHECK(fs::directory_iterator(box.root)->path().filename() == "a");
}

TEST_CASE("extract drops setuid, setgid, sticky and group/other write",
          "[unpack]") {
  const Sandbox box;
  xtc::unpack::extract(
      box.archive(ArchiveFormat::tar,
                  {directory("d/", 01777), file("d/suid", "x", 04755),
                   file("d/sgid", "x", 02775), file("d/private", "x", 0600)}),
      box.root, {});
  CHECK(mode_of(box.root / "d") == 0755);
  CHECK(mode_of(box.root / "d/suid") == 0755);
  CHECK(mode_of(box.root / "d/sgid") == 0755);
  CHECK(mode_of(box.root / "d/private") == 0600);
}

TEST_CASE("extract applies a read-only directory's mode after its entries",
          "[unpack]") {
  const Sandbox box;
  xtc::unpack::extract(box.archive(ArchiveFormat::tar,
                                   {directory("ro/", 0555), file("ro/f", "f")}),
                       box.root, {});
  CHECK(xtc::test::slurp(box.root / "ro/f") == "f");
  CHECK(mode_of(box.root / "ro") == 0555);
}

TEST_CASE("extract lets a later entry replace an earlier file", "[unpack]") {
  const Sandbox box;
  const xtc::unpack::Extracted result = xtc::unpack::extract(
      box.archive(ArchiveFormat::tar,
                  {file("f", "old"), symbolic_link("l", "f"), file("f", "new"),
                   file("l", "plain")}),
      box.root, {});
  CHECK(xtc::test::slurp(box.root / "f") == "new");
  CHECK_FALSE(fs::is_symlink(box.root / "l"));
  CHECK(xtc::test::slurp(box.root / "l") == "plain");
  CHECK(result.files == std::vector<std::string>{"f", "l"});
}

TEST_CASE("extract lists the final tree: a file a later symlink replaced is "
          "not a file",
          "[unpack]") {
  const Sandbox box;
  const xtc::unpack::Extracted result = xtc::unpack::extract(
      box.archive(ArchiveFormat::tar,
                  {file("bin/gcc", "real"), file("bin/cc", "copy"),
                   symbolic_link("bin/cc", "gcc"), file("z", "z")}),
      box.root, {});
  CHECK(fs::read_symlink(box.root / "bin/cc") == "gcc");
  CHECK(result.files == std::vector<std::string>{"bin/gcc", "z"});
}

TEST_CASE("extract counts a sparse file at its full size", "[unpack]") {
  const Sandbox box;
  const std::string path = (box.tmp.path() / "evil.tar").string();
  xtc::unpack::Options options;
  options.limits.max_bytes = 64U << 20U;
  // Twenty 60 MiB files that are all hole: a few hundred bytes of archive.
  std::vector<Member> members;
  for (int i = 0; i < 20; ++i) {
    members.push_back(
        xtc::test::sparse_file("s" + std::to_string(i), "x", 60U << 20U));
  }
  CHECK(xtc::test::build_archive(ArchiveFormat::tar, members).size() < 64000);
  CHECK(box.refused(members, options) ==
        "archive '" + path +
            "' unpacks to more than 64.0 MiB (limit from its manifest entry)");
  CHECK_FALSE(fs::exists(box.root / "s1"));

  // One of them fits, counted in full.
  const Sandbox ok;
  const xtc::unpack::Extracted result = xtc::unpack::extract(
      ok.archive(ArchiveFormat::tar, {members.front()}), ok.root, options);
  CHECK(result.bytes == 60U << 20U);
  CHECK(fs::file_size(ok.root / "s0") == 60U << 20U);
}

TEST_CASE("extract refuses an archive that inflates far beyond its size",
          "[unpack]") {
  const Sandbox box;
  xtc::unpack::Options options;
  options.limits.max_ratio = 40;
  options.limits.ratio_floor = 1U << 20U;
  // 8 MiB of zeros compress to a few kilobytes: far over 40 times.
  const fs::path bomb =
      box.archive(ArchiveFormat::tar_xz,
                  {file("zeros", std::string(8U << 20U, '\0'))}, "bomb.tar.xz");
  CHECK(fs::file_size(bomb) < 100000);
  try {
    xtc::unpack::extract(bomb, box.root, options);
    FAIL("the bomb was unpacked");
  } catch (const xtc::Error& error) {
    CHECK(error.message().starts_with("archive '" + bomb.string() +
                                      "' unpacks to more than 1.0 MiB from "
                                      "only "));
    CHECK(error.message().ends_with(
        "read: over 40 times its size, which no toolchain does"));
    CHECK(error.hint().find("max_unpacked_size") != std::string::npos);
  }
  // Stopped as the data arrived: at most the allowance and a block of it
  // reached the disk (and the installer removes the staging directory).
  CHECK((!fs::exists(box.root / "zeros") ||
         fs::file_size(box.root / "zeros") <= (1U << 20U) + (256U << 10U)));

  // Text that compresses 3:1 is fine at any size.
  std::string text;
  for (std::uint64_t i = 0; text.size() < (3U << 20U); ++i) {
    text += std::to_string(i * 7919) + " ";
  }
  const Sandbox fine;
  CHECK_NOTHROW(xtc::unpack::extract(
      fine.archive(ArchiveFormat::tar_xz, {file("text", text)}, "t.tar.xz"),
      fine.root, options));
}

TEST_CASE("extract refuses absolute names and '..'", "[unpack]") {
  const Sandbox box;
  const std::string absolute = (box.tmp.path() / "escaped").string();
  SECTION("absolute") {
    CHECK(box.refused({file(absolute, "x")}) ==
          box.unsafe(absolute, "has an absolute path"));
  }
  SECTION("leading ..") {
    CHECK(box.refused({file("../escaped", "x")}) ==
          box.unsafe("../escaped", "escapes the destination with '..'"));
  }
  SECTION("inner ..") {
    CHECK(box.refused({directory("a/"), file("a/../../escaped", "x")}) ==
          box.unsafe("a/../../escaped", "escapes the destination with '..'"));
  }
  SECTION(".. inside the stripped components") {
    xtc::unpack::Options options;
    options.strip_components = 1;
    CHECK(box.refused({file("../escaped", "x")}, options) ==
          box.unsafe("../escaped", "escapes the destination with '..'"));
  }
}

TEST_CASE("extract refuses symlinks that leave the root", "[unpack]") {
  const Sandbox box;
  SECTION("absolute target") {
    CHECK(box.refused({symbolic_link("passwd", "/etc/passwd")}) ==
          box.unsafe("passwd", "is a symlink pointing outside the destination "
                               "('/etc/passwd')"));
  }
  SECTION("climbing above the root") {
    CHECK(box.refused(
              {directory("d/"), symbolic_link("d/up", "../../escaped")}) ==
          box.unsafe("d/up", "is a symlink pointing outside the destination "
                             "('../../escaped')"));
  }
  SECTION("climbing back out through another symlink") {
    CHECK(box.refused(
              {symbolic_link("d/up", ".."), symbolic_link("s", "d/up/..")}) ==
          box.unsafe("s", "is a symlink whose target climbs back out of a "
                          "directory ('d/up/..')"));
  }
  SECTION("a directory symlink to /tmp") {
    CHECK(box.refused({symbolic_link("a", "/tmp"), file("a/evil", "x")}) ==
          box.unsafe("a", "is a symlink pointing outside the destination "
                          "('/tmp')"));
  }
  CHECK_FALSE(fs::exists(fs::path("/tmp/evil")));
}

TEST_CASE("extract never writes through a symlink", "[unpack]") {
  const Sandbox box;
  SECTION("a file below a symlinked directory") {
    CHECK(box.refused({directory("sub/"), symbolic_link("a", "sub"),
                       file("a/evil", "x")}) ==
          box.unsafe("a/evil", "would be written through a symlink ('a')"));
    CHECK_FALSE(fs::exists(box.root / "sub/evil"));
  }
  SECTION("a directory below a symlink to the root") {
    CHECK(box.refused({symbolic_link("d/up", ".."), directory("d/up/x/")}) ==
          box.unsafe("d/up/x/", "would be written through a symlink ('d/up')"));
    CHECK_FALSE(fs::exists(box.root / "x"));
  }
  SECTION("a symlink replaced by a directory") {
    CHECK(box.refused({symbolic_link("a", "."), directory("a/")}) ==
          box.unsafe("a/", "replaces an earlier entry of another type"));
  }
}

TEST_CASE("extract refuses hard links out of the root or to nothing",
          "[unpack]") {
  const Sandbox box;
  SECTION("absolute") {
    CHECK(box.refused({hard_link("h", "/etc/passwd")}) ==
          box.unsafe("h", "is a hard link pointing outside the destination "
                          "('/etc/passwd')"));
  }
  SECTION("..") {
    CHECK(box.refused({hard_link("h", "../sentinel")}) ==
          box.unsafe("h", "is a hard link pointing outside the destination "
                          "('../sentinel')"));
  }
  SECTION("not extracted") {
    CHECK(box.refused({hard_link("h", "missing")}) ==
          box.unsafe("h", "is a hard link to something other than an "
                          "extracted regular file ('missing')"));
  }
  SECTION("to a symlink") {
    CHECK(box.refused({symbolic_link("s", "."), hard_link("h", "s")}) ==
          box.unsafe("h", "is a hard link to something other than an "
                          "extracted regular file ('s')"));
  }
  SECTION("stripped away") {
    xtc::unpack::Options options;
    options.strip_components = 1;
    CHECK(box.refused({file("top", "x"), hard_link("pkg/h", "top")}, options) ==
          box.unsafe("pkg/h", "is a hard link to an entry that was not "
                              "extracted ('top')"));
  }
}

TEST_CASE("extract refuses devices and FIFOs", "[unpack]") {
  const Sandbox box;
  SECTION("character device") {
    CHECK(box.refused({special("null", Member::Type::char_device)}) ==
          box.unsafe("null", "is a device node"));
  }
  SECTION("block device") {
    CHECK(box.refused({special("disk", Member::Type::block_device)}) ==
          box.unsafe("disk", "is a device node"));
  }
  SECTION("FIFO") {
    CHECK(box.refused({special("pipe", Member::Type::fifo)}) ==
          box.unsafe("pipe", "is a FIFO"));
  }
  CHECK(fs::is_empty(box.root));
}

TEST_CASE("extract enforces the size and entry limits", "[unpack]") {
  const Sandbox box;
  const std::string path = (box.tmp.path() / "evil.tar").string();
  xtc::unpack::Options options;
  SECTION("bytes") {
    options.limits.max_bytes = 100;
    CHECK(box.refused({file("a", std::string(60, 'a')),
                       file("b", std::string(60, 'b'))},
                      options) ==
          "archive '" + path +
              "' unpacks to more than 100 B (limit from its manifest entry)");
    CHECK_FALSE(fs::exists(box.root / "b"));
  }
  SECTION("entries") {
    options.limits.max_entries = 2;
    CHECK(box.refused({file("a", "a"), file("b", "b"), file("c", "c")},
                      options) ==
          "archive '" + path +
              "' has more than 2 entries (limit from its manifest entry)");
  }
  SECTION("at the limit is fine") {
    options.limits.max_bytes = 2;
    options.limits.max_entries = 2;
    const xtc::unpack::Extracted result = xtc::unpack::extract(
        box.archive(ArchiveFormat::tar, {file("a", "a"), file("b", "b")}),
        box.root, options);
    CHECK(result.bytes == 2);
  }
}

TEST_CASE("extract reports truncated and unknown archives with libarchive's "
          "message",
          "[unpack]") {
  const Sandbox box;
  const fs::path bad = box.tmp.path() / "bad";
  std::string bytes;
  std::string expected;
  SECTION("truncated") {
    bytes = xtc::test::build_archive(ArchiveFormat::tar_gz,
                                     {file("big", std::string(100'000, 'x'))});
    bytes.resize(bytes.size() / 2);
    expected = "truncated gzip input";
  }
  SECTION("not an archive") {
    bytes = "this is not an archive at all\n";
    expected = "Unrecognized archive format";
  }
  xtc::test::write_bytes(bad, bytes);
  std::string message;
  try {
    xtc::unpack::extract(bad, box.root, {});
  } catch (const xtc::Error& error) {
    message = error.message();
  }
  CHECK(message == "cannot unpack '" + bad.string() + "': " + expected);
}

TEST_CASE("extract unpacks a .deb's data.tar", "[unpack]") {
  const Sandbox box;
  const std::string control = xtc::test::build_archive(
      ArchiveFormat::tar_gz, {file("./control", "Package: x\n")});
  const std::string data = xtc::test::build_archive(
      ArchiveFormat::tar_xz, {directory("./"), directory("./usr/"),
                              file("./usr/lib/libx.so.1", "ELF", 0644),
                              symbolic_link("./usr/lib/libx.so", "libx.so.1")});
  const fs::path deb =
      box.archive(ArchiveFormat::ar,
                  {file("debian-binary", "2.0\n"),
                   file("control.tar.gz", control), file("data.tar.xz", data)},
                  "x.deb");
  const xtc::unpack::Extracted result = xtc::unpack::extract(deb, box.root, {});
  CHECK(xtc::test::slurp(box.root / "usr/lib/libx.so") == "ELF");
  CHECK(result.files == std::vector<std::string>{"usr/lib/libx.so.1"});
  CHECK_FALSE(fs::exists(box.root / "control"));
  CHECK_FALSE(fs::exists(box.root / "debian-binary"));
}

TEST_CASE("extract refuses an ar archive that is not a .deb", "[unpack]") {
  const Sandbox box;
  const fs::path lib =
      box.archive(ArchiveFormat::ar, {file("a.o", "obj")}, "x.a");
  std::string message;
  try {
    xtc::unpack::extract(lib, box.root, {});
  } catch (const xtc::Error& error) {
    message = error.message();
  }
  CHECK(message == "cannot unpack '" + lib.string() +
                       "': it is an ar archive without a data.tar member, not "
                       "a Debian package");
}

TEST_CASE("extract refuses a destination that is not empty", "[unpack]") {
  const Sandbox box;
  box.tmp.write("root/leftover", "x");
  const fs::path path = box.archive(ArchiveFormat::tar, {file("a", "a")});
  REQUIRE_THROWS_AS(xtc::unpack::extract(path, box.root, {}), xtc::Error);
  CHECK_FALSE(fs::exists(box.root / "a"));
}

TEST_CASE("extract on a file system that ignores case: the later of two "
          "spellings wins, and the policy holds",
          "[unpack]") {
  xtc::unpack::Options folding;
  folding.fold_case = true;
  {
    const Sandbox box;
    const xtc::unpack::Extracted result = xtc::unpack::extract(
        box.archive(ArchiveFormat::tar,
                    {file("inc/xt_CONNMARK.h", "upper"),
                     file("inc/xt_connmark.h", "lower"), directory("Linux/"),
                     file("linux/types.h", "t"), file("same", "1"),
                     file("same", "2")}),
        box.root, folding);
    // Only the pair spelled differently is a collision; a directory under
    // two spellings is one directory, and a name repeated is no collision.
    CHECK(
        result.case_collisions ==
        std::vector<std::string>{"inc/xt_connmark.h (was inc/xt_CONNMARK.h)"});
    CHECK(xtc::test::slurp(box.root / "inc/xt_connmark.h") == "lower");
  }
  {
    // Without folding the same names are two files and no collision.
    const Sandbox box;
    const xtc::unpack::Extracted result = xtc::unpack::extract(
        box.archive(ArchiveFormat::tar, {file("inc/xt_CONNMARK.h", "upper"),
                                         file("inc/xt_connmark.h", "lower")}),
        box.root, {});
    CHECK(result.case_collisions.empty());
    CHECK(result.files.size() == 2);
  }
  const Sandbox box;
  // A symlink "A" must not let "a/x" be written through it.
  CHECK(box.refused(
            {directory("d/"), symbolic_link("d/A", "."), file("d/a/x", "x")},
            folding) ==
        "unsafe archive '" + (box.tmp.path() / "evil.tar").string() +
            "': entry 'd/a/x' would be written through a symlink ('d/A')");
  // Nor may a differently spelled file replace a directory, or the reverse.
  const Sandbox box2;
  CHECK(box2.refused({directory("Dir/"), file("dir", "x")}, folding)
            .ends_with("': entry 'dir' replaces an earlier entry of another "
                       "type"));
}
