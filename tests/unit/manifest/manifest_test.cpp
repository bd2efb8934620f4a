#include "base/error.hpp"
#include "manifest/manifest.hpp"
#include "shim/resolution.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

using xtc::manifest::Flavor;
using xtc::manifest::Kind;
using xtc::manifest::Manifest;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

const std::string k_hex =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// A valid gcc toolchain artifact, as TOML key/value pairs.
Fields toolchain_fields() {
  return {
      {"id", R"("gcc-aarch64-linux-gnu")"},
      {"kind", R"("toolchain")"},
      {"flavor", R"("gcc")"},
      {"target", R"("aarch64-linux-gnu")"},
      {"host", R"("x86_64-linux")"},
      {"version", R"("12.2.0")"},
      {"urls", R"(["https://a.example/gcc.tar.xz", "file:///m/gcc.tar.xz"])"},
      {"sha256", "\"" + k_hex + "\""},
      {"size", "28311552"},
      {"format", R"("tar.xz")"}};
}

const std::string k_tools = "[artifact.tools]\n"
                            "cc = \"usr/bin/aarch64-linux-gnu-gcc-12\"\n"
                            "ar = \"usr/bin/aarch64-linux-gnu-ar\"\n";

// One [[artifact]] from fields with `changes` applied: a change replaces the
// key's value, adds the key when new, or drops it when its value is empty.
std::string artifact(Fields fields, const Fields& changes = {},
                     const std::string& tools = k_tools) {
  for (const auto& change : changes) {
    const std::string& key = change.first;
    const std::string& value = change.second;
    const auto it = std::find_if(fields.begin(), fields.end(),
                                 [&](const auto& f) { return f.first == key; });
    if (it == fields.end()) {
      fields.emplace_back(key, value);
    } else {
      it->second = value;
    }
  }
  std::string text = "[[artifact]]\n";
  for (const auto& [key, value] : fields) {
    if (!value.empty()) {
      text += key + " = " + value + "\n";
    }
  }
  return text + tools;
}

// The error parsing `text` as manifest 'm.toml' throws; fails when it parses.
xtc::Error error_of(const std::string& text) {
  try {
    (void)xtc::manifest::parse(text, "m.toml");
  } catch (const xtc::Error& error) {
    return error;
  }
  FAIL("the manifest parsed but should not:\n" << text);
  return xtc::Error("");
}

// The error for a manifest of one toolchain artifact with `changes`.
xtc::Error toolchain_error(const Fields& changes,
                           const std::string& tools = k_tools) {
  return error_of("schema_version = 1\n" +
                  artifact(toolchain_fields(), changes, tools));
}

const std::string k_prefix =
    "invalid manifest 'm.toml': artifact 1 ('gcc-aarch64-linux-gnu'): ";

} // namespace

TEST_CASE("a valid manifest parses into typed artifacts", "[manifest]") {
  const std::string text =
      "schema_version = 1\n" +
      artifact(toolchain_fields(),
               {{"libc_version", R"("2.36")"},
                {"strip_components", "1"},
                {"sysroot", R"("usr/aarch64-linux-gnu")"},
                {"cflags", R"(["--gcc-toolchain={root}/usr"])"}}) +
      artifact(toolchain_fields(),
               {{"id", R"("sysroot-x86_64-linux-musl")"},
                {"kind", R"("sysroot")"},
                {"flavor", ""},
                {"target", R"("x86_64-unknown-linux-musl")"},
                {"host", R"("any")"},
                {"libc", R"("musl")"},
                {"format", R"("deb")"}},
               "");
  const Manifest manifest = xtc::manifest::parse(text, "m.toml");
  CHECK(manifest.schema_version == 1);
  CHECK(manifest.source == "m.toml");
  REQUIRE(manifest.artifacts.size() == 2);

  const xtc::manifest::Artifact& gcc = manifest.artifacts[0];
  CHECK(gcc.id == "gcc-aarch64-linux-gnu");
  CHECK(gcc.kind == Kind::toolchain);
  CHECK(gcc.flavor == Flavor::gcc);
  REQUIRE(gcc.target);
  CHECK(gcc.target->gnu() == "aarch64-linux-gnu");
  CHECK(gcc.host == "x86_64-linux");
  CHECK(gcc.version == "12.2.0");
  CHECK_FALSE(gcc.libc);
  CHECK(gcc.libc_version == "2.36");
  CHECK(gcc.urls == std::vector<std::string>{"https://a.example/gcc.tar.xz",
                                             "file:///m/gcc.tar.xz"});
  CHECK(gcc.sha256.hex() == k_hex);
  CHECK(gcc.size == 28311552);
  CHECK(gcc.format == "tar.xz");
  CHECK(gcc.strip_components == 1);
  CHECK(gcc.sysroot == "usr/aarch64-linux-gnu");
  CHECK(gcc.cflags == std::vector<std::string>{"--gcc-toolchain={root}/usr"});
  CHECK(gcc.tools == std::map<std::string, std::string>{
                         {"ar", "usr/bin/aarch64-linux-gnu-ar"},
                         {"cc", "usr/bin/aarch64-linux-gnu-gcc-12"}});

  const xtc::manifest::Artifact& sysroot = manifest.artifacts[1];
  CHECK(sysroot.kind == Kind::sysroot);
  CHECK_FALSE(sysroot.flavor);
  REQUIRE(sysroot.target);
  CHECK(sysroot.target->gnu() == "x86_64-linux-musl");
  CHECK(sysroot.host == "any");
  CHECK(sysroot.libc == "musl");
  CHECK(sysroot.strip_components == 0);
  CHECK_FALSE(sysroot.sysroot);
  CHECK(sysroot.tools.empty());

  CHECK(manifest.find("sysroot-x86_64-linux-musl") == &manifest.artifacts[1]);
  CHECK(manifest.find("nope") == nullptr);
}

TEST_CASE("a zig toolchain may target any triple", "[manifest]") {
  const Manifest manifest = xtc::manifest::parse(
      "schema_version = 1\n" +
          artifact(toolchain_fields(), {{"flavor", R"("zig")"},
                                        {"target", R"("any")"},
                                        {"host", R"("aarch64-darwin")"},
                                        {"format", R"("zip")"}}),
      "m.toml");
  REQUIRE(manifest.artifacts.size() == 1);
  CHECK(manifest.artifacts[0].flavor == Flavor::zig);
  CHECK_FALSE(manifest.artifacts[0].target);

  const xtc::Error e = toolchain_error({{"target", R"("any")"}});
  CHECK(e.message() ==
        k_prefix + "key 'target': 'any' is only for zig toolchains");
}

TEST_CASE("a pin in an artifact's target moves to libc_version", "[manifest]") {
  const Manifest manifest = xtc::manifest::parse(
      "schema_version = 1\n" +
          artifact(toolchain_fields(),
                   {{"target", R"("aarch64-linux-gnu.2.17")"}}),
      "m.toml");
  const xtc::manifest::Artifact& a = manifest.artifacts.at(0);
  CHECK(a.libc_version == "2.17");
  REQUIRE(a.target);
  CHECK_FALSE(a.target->libc_version);

  const xtc::Error e =
      toolchain_error({{"target", R"("aarch64-linux-gnu.2.17")"},
                       {"libc_version", R"("2.36")"}});
  CHECK(e.message() == k_prefix + "key 'libc_version': '2.36' does not match "
                                  "the pin of target 'aarch64-linux-gnu.2.17'");
}

TEST_CASE("schema_version must be present and understood", "[manifest]") {
  const std::string body = artifact(toolchain_fields());
  xtc::Error e = error_of(body);
  CHECK(e.message() == "invalid manifest 'm.toml': key 'schema_version' is "
                       "missing");
  e = error_of("schema_version = 2\nnew_key = 1\n" + body);
  CHECK(e.message() == "invalid manifest 'm.toml': schema_version 2 is newer "
                       "than this xtc understands (1)");
  CHECK(e.hint() == "update xtc");
  e = error_of("schema_version = 0\n" + body);
  CHECK(e.message() ==
        "invalid manifest 'm.toml': key 'schema_version': expected 1, got 0");
  e = error_of("schema_version = \"1\"\n" + body);
  CHECK(e.message() == "invalid manifest 'm.toml': key 'schema_version': "
                       "expected an integer, got a string");
}

TEST_CASE("the artifact list must be an array of tables", "[manifest]") {
  xtc::Error e = error_of("schema_version = 1\n");
  CHECK(e.message() == "invalid manifest 'm.toml': key 'artifact' is missing");
  e = error_of("schema_version = 1\n[artifact]\nid = \"x\"\n");
  CHECK(e.message() == "invalid manifest 'm.toml': key 'artifact': expected "
                       "an array of tables, got a table");
  CHECK(e.hint().find("[[artifact]]") != std::string::npos);
  e = error_of("schema_version = 1\nartifact = [1]\n");
  CHECK(e.message() ==
        "invalid manifest 'm.toml': artifact 1: expected a table, got an "
        "integer");
  CHECK(xtc::manifest::parse("schema_version = 1\nartifact = []\n", "m.toml")
            .artifacts.empty());
}

TEST_CASE("a TOML syntax error names line and column", "[manifest]") {
  const xtc::Error e =
      error_of("schema_version = 1\n[[artifact]]\nid = \"unterminated\n");
  const std::string prefix = "invalid manifest 'm.toml': 3:";
  REQUIRE(e.message().substr(0, prefix.size()) == prefix);
  // line:column: description, with a description after the column.
  const std::size_t colon = e.message().find(": ", prefix.size());
  REQUIRE(colon != std::string::npos);
  CHECK(e.message().size() > colon + 2);
}

TEST_CASE("unknown keys are rejected with the nearest known key",
          "[manifest]") {
  xtc::Error e = toolchain_error({{"sha265", "\"x\""}});
  CHECK(e.message() == k_prefix + "unknown key 'sha265'");
  CHECK(e.hint() == "did you mean 'sha256'?");
  e = toolchain_error({}, "[artifact.tools]\ncc = \"bin/gcc\"\ncxxx = \"g\"\n");
  CHECK(e.message() == k_prefix + "unknown key 'tools.cxxx'");
  CHECK(e.hint() == "did you mean 'tools.cxx'?");
  e = error_of("schema_version = 1\nartifacts = []\n");
  CHECK(e.message() == "invalid manifest 'm.toml': unknown key 'artifacts'");
  CHECK(e.hint() == "did you mean 'artifact'?");
}

TEST_CASE("every required key is reported when missing", "[manifest]") {
  for (const char* key : {"kind", "flavor", "target", "host", "version", "urls",
                          "sha256", "format"}) {
    INFO(key);
    const xtc::Error e = toolchain_error({{key, ""}});
    CHECK(e.message() == k_prefix + "key '" + key + "' is missing");
  }
  const xtc::Error e = toolchain_error({{"id", ""}});
  CHECK(e.message() == "invalid manifest 'm.toml': artifact 1: key 'id' is "
                       "missing");
}

TEST_CASE("values are checked for type and range", "[manifest]") {
  const std::vector<std::pair<Fields, std::string>> cases = {
      {{{"sha256", R"("abc")"}},
       "key 'sha256': expected 64 hex digits, got 'abc'"},
      {{{"size", "0"}}, "key 'size': expected a positive integer, got 0"},
      {{{"size", "-5"}}, "key 'size': expected a positive integer, got -5"},
      {{{"size", R"("12")"}}, "key 'size': expected an integer, got a string"},
      {{{"size", "1.5"}},
       "key 'size': expected an integer, got a floating-point number"},
      {{{"urls", "[]"}}, "key 'urls': expected at least one URL"},
      {{{"urls", R"("https://a/b")"}},
       "key 'urls': expected an array of strings, got a string"},
      {{{"urls", R"(["https://a/b", 3])"}},
       "key 'urls': entry 2: expected a string, got an integer"},
      {{{"urls", R"(["https://a/b", "ftp://a/b"])"}},
       "key 'urls': entry 2: expected an https://, http://, file:// or oci:// "
       "URL, "
       "got 'ftp://a/b'"},
      {{{"urls", R"(["https://a/b c"])"}},
       "key 'urls': entry 1: expected an https://, http://, file:// or oci:// "
       "URL, "
       "got 'https://a/b c'"},
      {{{"urls", "[\"oci://r/a@sha256:" + std::string(64, 'b') + "\"]"}},
       "key 'urls': entry 1: the oci:// URL 'oci://r/a@sha256:" +
           std::string(64, 'b') +
           "' does not end in the artifact's digest 'sha256:" + k_hex + "'"},
      {{{"version", R"("")"}}, "key 'version': expected a non-empty string"},
      {{{"strip_components", "-1"}},
       "key 'strip_components': expected an integer from 0 to 64, got -1"},
      {{{"libc_version", R"("2.x")"}},
       "key 'libc_version': expected digits and dots like '2.36', got '2.x'"},
      {{{"libc", R"("musl")"}},
       "key 'libc': 'musl' does not match target 'aarch64-linux-gnu' (glibc)"},
      {{{"cflags", R"("-O2")"}},
       "key 'cflags': expected an array of strings, got a string"},
  };
  for (const auto& [changes, detail] : cases) {
    INFO(detail);
    CHECK(toolchain_error(changes).message() == k_prefix + detail);
  }
}

TEST_CASE("enumerated keys suggest the nearest choice", "[manifest]") {
  xtc::Error e = toolchain_error({{"format", R"("tar.gzz")"}});
  CHECK(e.message() == k_prefix + "key 'format': expected one of tar, tar.gz, "
                                  "tar.xz, tar.zst, tar.bz2, zip, deb, got "
                                  "'tar.gzz'");
  CHECK(e.hint() == "did you mean 'tar.gz'?");
  e = toolchain_error({{"host", R"("x86_64-linus")"}});
  CHECK(e.hint() == "did you mean 'x86_64-linux'?");
  e = toolchain_error({{"kind", R"("toolchian")"}});
  CHECK(e.hint() == "did you mean 'toolchain'?");
  e = toolchain_error({{"libc", R"("glibcc")"}});
  CHECK(e.hint() == "did you mean 'glibc'?");
}

TEST_CASE("an unknown target reports the triple's own error", "[manifest]") {
  const xtc::Error e = toolchain_error({{"target", R"("aarch64-linux-gnuu")"}});
  CHECK(e.message() ==
        k_prefix + "key 'target': unknown target 'aarch64-linux-gnuu'");
  CHECK(e.hint() == "did you mean 'aarch64-linux-gnu'?");
}

TEST_CASE("flavor belongs to toolchains and is gcc or zig", "[manifest]") {
  xtc::Error e = toolchain_error({{"flavor", R"("llvm")"}});
  CHECK(e.message() == k_prefix + "key 'flavor': there are no llvm toolchains");
  CHECK(e.hint().find("kind = \"sysroot\"") != std::string::npos);
  e = toolchain_error({{"flavor", R"("gccc")"}});
  CHECK(e.hint() == "did you mean 'gcc'?");
  e = toolchain_error({{"kind", R"("sysroot")"}, {"libc", R"("glibc")"}}, "");
  CHECK(e.message() ==
        k_prefix + "key 'flavor': only toolchains have a flavor");
}

TEST_CASE("sysroots need libc and map no tools", "[manifest]") {
  const Fields sysroot = {{"kind", R"("sysroot")"}, {"flavor", ""}};
  xtc::Error e = toolchain_error(sysroot, "");
  CHECK(e.message() == k_prefix + "key 'libc' is missing");
  Fields with_libc = sysroot;
  with_libc.emplace_back("libc", R"("glibc")");
  e = toolchain_error(with_libc, k_tools);
  CHECK(e.message() == k_prefix + "key 'tools': only toolchains map tools");
}

TEST_CASE("toolchains map cc to a path inside the install", "[manifest]") {
  xtc::Error e = toolchain_error({}, "");
  CHECK(e.message() == k_prefix + "key 'tools' is missing");
  e = toolchain_error({}, "[artifact.tools]\nar = \"bin/ar\"\n");
  CHECK(e.message() == k_prefix + "key 'tools.cc' is missing");
  e = toolchain_error({}, "[artifact.tools]\ncc = 3\n");
  CHECK(e.message() ==
        k_prefix + "key 'tools.cc': expected a string, got an integer");
  for (const char* bad : {"/usr/bin/gcc", "../gcc", "bin/../../gcc", "",
                          "bin//gcc", "./bin/gcc", "."}) {
    INFO(bad);
    e = toolchain_error({}, "[artifact.tools]\ncc = \"" + std::string(bad) +
                                "\"\n");
    CHECK(e.message() == k_prefix +
                             "key 'tools.cc': expected a relative path "
                             "inside the install root, got '" +
                             bad + "'");
  }
  e = toolchain_error({{"sysroot", R"("../etc")"}});
  CHECK(e.message() == k_prefix + "key 'sysroot': expected a relative path "
                                  "inside the install root, got '../etc'");
}

TEST_CASE("ids are safe directory names and unique", "[manifest]") {
  for (const char* bad : {"..", ".hidden", "Gcc", "gcc/x", "gcc x", ""}) {
    INFO(bad);
    const xtc::Error e =
        toolchain_error({{"id", "\"" + std::string(bad) + "\""}});
    CHECK(e.message().find("invalid manifest 'm.toml': artifact 1: key 'id': "
                           "expected lower-case letters") == 0);
  }
  const std::string twice = artifact(toolchain_fields());
  const xtc::Error e =
      error_of("schema_version = 1\n" + twice +
               artifact(toolchain_fields(), {{"id", R"("other")"}}) + twice);
  CHECK(e.message() ==
        "invalid manifest 'm.toml': artifact 3 ('gcc-aarch64-linux-gnu'): "
        "key 'id': 'gcc-aarch64-linux-gnu' is already the id of artifact 1");
}

TEST_CASE("load_file reads a manifest and names the path", "[manifest]") {
  const xtc::test::ScopedTempDir dir;
  const std::filesystem::path path = dir.write(
      "m.toml", "schema_version = 1\n" + artifact(toolchain_fields()));
  const Manifest manifest = xtc::manifest::load_file(path);
  CHECK(manifest.source == path.string());
  CHECK(manifest.artifacts.size() == 1);

  try {
    (void)xtc::manifest::load_file(dir.path() / "absent.toml");
    FAIL("loading a missing manifest succeeded");
  } catch (const xtc::Error& error) {
    CHECK(error.message().find((dir.path() / "absent.toml").string()) !=
          std::string::npos);
  }
}

TEST_CASE("flavor names round-trip and typos are suggested", "[manifest]") {
  for (Flavor flavor : {Flavor::gcc, Flavor::llvm, Flavor::zig}) {
    CHECK(xtc::manifest::parse_flavor(xtc::manifest::flavor_name(flavor)) ==
          flavor);
  }
  try {
    (void)xtc::manifest::parse_flavor("clang");
    FAIL("'clang' parsed as a flavor");
  } catch (const xtc::Error& error) {
    CHECK(error.message() == "unknown flavor 'clang'");
    CHECK(error.hint() == "flavors are gcc, llvm, zig");
    CHECK(error.code() == xtc::ExitCode::usage);
  }
  REQUIRE_THROWS_WITH(xtc::manifest::parse_flavor("zgi"),
                      "unknown flavor 'zgi'");
  // The names a row may map: every shim's tool, in shim order, but the
  // target pkg-config, which is always the host's.
  std::vector<std::string> shim_tools;
  for (const xtc::shim::ShimName& name : xtc::shim::shim_names()) {
    if (name.tool != "pkg-config" &&
        std::find(shim_tools.begin(), shim_tools.end(), name.tool) ==
            shim_tools.end()) {
      shim_tools.emplace_back(name.tool);
    }
  }
  CHECK(xtc::manifest::tool_names() == shim_tools);
}

TEST_CASE("size may be absent when the producer publishes none", "[manifest]") {
  const Manifest manifest = xtc::manifest::parse(
      "schema_version = 1\n" + artifact(toolchain_fields(), {{"size", ""}}),
      "m.toml");
  REQUIRE(manifest.artifacts.size() == 1);
  CHECK(manifest.artifacts.front().size == 0);
}

TEST_CASE("minisign_key names the producer's key, or is refused",
          "[manifest]") {
  const std::string key =
      "RWSGOq2NVecA2UPNdBUZykf1CCb147pkmdtYxgb3Ti+JO/wCYvhbAb/U";
  const Manifest manifest = xtc::manifest::parse(
      "schema_version = 1\n" +
          artifact(toolchain_fields(), {{"minisign_key", "\"" + key + "\""}}),
      "m.toml");
  REQUIRE(manifest.artifacts[0].minisign_key.has_value());
  CHECK(manifest.artifacts[0].minisign_key->base64() == key);
  CHECK(xtc::verify::key_id_hex(manifest.artifacts[0].minisign_key->id) ==
        "D900E7558DAD3A86");

  const xtc::Error e =
      toolchain_error({{"minisign_key", R"("RWQ-not-a-key")"}});
  CHECK(e.message().rfind(k_prefix + "key 'minisign_key': expected a "
                                     "minisign public key",
                          0) == 0);
}

TEST_CASE("producer names who builds an artifact, in lower case",
          "[manifest]") {
  const Manifest manifest = xtc::manifest::parse(
      "schema_version = 1\n" +
          artifact(toolchain_fields(), {{"producer", R"("bootlin")"}}) +
          artifact(toolchain_fields(), {{"id", R"("gcc-two")"},
                                        {"producer", R"("filo-sottile2")"}}) +
          artifact(toolchain_fields(),
                   {{"id", R"("gcc-three")"}, {"producer", R"("bootlin")"}}) +
          artifact(toolchain_fields(), {{"id", R"("gcc-four")"}}),
      "m.toml");
  REQUIRE(manifest.artifacts.size() == 4);
  CHECK(manifest.artifacts[0].producer == "bootlin");
  CHECK(manifest.artifacts[1].producer == "filo-sottile2");
  CHECK_FALSE(manifest.artifacts[3].producer.has_value());
  CHECK(manifest.producers() ==
        std::vector<std::string>{"bootlin", "filo-sottile2"});

  for (const char* bad : {R"("FiloSottile")", R"("")", R"("-x")",
                          R"("filo sottile")", R"("a_b")"}) {
    INFO(bad);
    const xtc::Error e = toolchain_error({{"producer", bad}});
    CHECK(e.message().starts_with(
        k_prefix + "key 'producer': expected lower-case letters, digits and "
                   "'-', starting with a letter or digit, got '"));
  }
  CHECK(toolchain_error({{"producer", "3"}}).message() ==
        k_prefix + "key 'producer': expected a string, got an integer");
}
