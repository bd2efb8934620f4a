// Property test of the cargo config editor over the golden inputs and a
// corpus of generated configs (fixed seed): the result parses, every setting
// of the original survives except the intended ones, the intended keys hold
// the intended values, and without --force the edit only inserts bytes.
#include "project/cargo_config.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using xtc::project::CargoEdit;
using xtc::project::CargoTargetSettings;
using xtc::project::edit_cargo_config;

namespace fs = std::filesystem;

namespace {

const std::string k_triple = "x86_64-unknown-linux-musl";

CargoTargetSettings settings() {
  return {k_triple,
          "x86_64-linux-musl-gcc",
          {{"AR_x86_64_unknown_linux_musl", "x86_64-linux-musl-ar"},
           {"CC_x86_64_unknown_linux_musl", "x86_64-linux-musl-gcc"}}};
}

using Flat = std::map<std::vector<std::string>, std::string>;

std::string leaf_text(const toml::node& node) {
  std::ostringstream text;
  text << node.type() << ':' << toml::node_view<const toml::node>(&node);
  return text.str();
}

// Every leaf as path -> "<type>:<value>". Arrays are leaves.
void flatten(const toml::table& table, std::vector<std::string>& path,
             Flat& out) {
  for (const auto& [key, node] : table) {
    path.emplace_back(key.str());
    if (const toml::table* inner = node.as_table()) {
      flatten(*inner, path, out);
    } else {
      out[path] = leaf_text(node);
    }
    path.pop_back();
  }
}

Flat flatten(const toml::table& table) {
  Flat out;
  std::vector<std::string> path;
  flatten(table, path, out);
  return out;
}

bool is_subsequence(const std::string& small, const std::string& big) {
  std::size_t at = 0;
  for (const char c : big) {
    if (at < small.size() && small[at] == c) {
      ++at;
    }
  }
  return at == small.size();
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& options) {
  return options[rng() % options.size()];
}

// A config built from fragments cargo users write; combinations may be
// invalid TOML (a table defined twice), the caller keeps only valid ones.
std::string generate(std::mt19937& rng) {
  const std::string t = k_triple;
  std::vector<std::string> top = {
      "# generated config",
      "target." + t + ".runner = \"qemu-x86_64\"",
      "env.RUST_LOG = \"debug\"",
      "env = { RUST_BACKTRACE = \"1\" }",
      "target." + t + " = { rustflags = [\"-Ctarget-feature=+crt-static\"] }",
      "build.jobs = 8",
  };
  std::vector<std::string> blocks = {
      "[build]\ntarget = \"" + t + "\"  # default\njobs = 4",
      "[target." + t +
          "]\nrustflags = [\n  \"-C\", # flag\n  "
          "\"target-feature=+crt-static\",\n]",
      "[target." + t + "]\nlinker = \"x86_64-linux-musl-gcc\"",
      "[target." + t + "]\n  linker = 'musl-gcc'  # mine\n  runner = \"qemu\"",
      "[target.\"" + t + "\"]\nrunner = \"\"\"qemu-x86_64\n-L /sysroot\"\"\"",
      "[target." + t + ".dev]\nrunner = \"gdb\"",
      "[target]\n" + t +
          ".runner = \"qemu\"\naarch64-unknown-linux-gnu.linker = \"gcc\"",
      "[target]\n" + t + " = { runner = \"qemu\" }",
      "[target.aarch64-unknown-linux-gnu]\nlinker = \"aarch64-linux-gnu-gcc\"",
      "[env]\nRUST_LOG = \"info\"\nCC_x86_64_unknown_linux_musl = \"clang\"",
      "[env]\nAR_x86_64_unknown_linux_musl = { value = \"llvm-ar\", force = "
      "true }",
      "[env]\n# nothing yet",
      "[env.CC_x86_64_unknown_linux_musl]\nvalue = "
      "\"x86_64-linux-musl-gcc\"\nforce = true",
      "[alias]\nb = \"build\"\nx = '''\nrun -p xtask'''",
      "[net]\nretry = 3\nratio = nan\nstamp = 1979-05-27 07:32:00Z\nmask = "
      "0x1F",
      "[[patch.unused]]\nname = \"a\"\n[[patch.unused]]\nname = \"b\"",
      "[registries.\"my registry\"]\nindex = \"https://example.com/index\"",
  };
  const std::string newline = rng() % 4 == 0 ? "\r\n" : "\n";
  std::string text;
  for (const std::string& line : top) {
    if (rng() % 3 == 0) {
      text += line + "\n";
    }
  }
  const std::size_t count = 1 + rng() % 5;
  for (std::size_t i = 0; i < count; ++i) {
    text += std::string(rng() % 3, '\n');
    if (rng() % 4 == 0) {
      text += pick(rng, {"# about the next table", "  # indented note"}) + "\n";
    }
    text += blocks[rng() % blocks.size()] + "\n";
  }
  if (rng() % 4 == 0) {
    text.pop_back(); // no final newline
  }
  std::string out;
  for (const char c : text) {
    out += c == '\n' ? newline : std::string(1, c);
  }
  return out;
}

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  const fs::path golden = fs::path(XTC_TEST_DATA_DIR) / "cargo_config";
  for (const fs::directory_entry& entry : fs::directory_iterator(golden)) {
    if (entry.is_directory()) {
      out.push_back(xtc::test::slurp(entry.path() / "before.toml"));
    }
  }
  std::mt19937 rng(20240611U);
  std::size_t generated = 0;
  while (generated < 50) {
    std::string text = generate(rng);
    try {
      (void)toml::parse(text);
    } catch (const toml::parse_error&) {
      continue;
    }
    out.push_back(std::move(text));
    ++generated;
  }
  return out;
}

// The path settings write for an env key: `value` inside cargo's table form.
std::vector<std::string> env_path(const Flat& flat, const std::string& name) {
  const std::vector<std::string> table_form = {"env", name, "value"};
  if (flat.count(table_form) != 0) {
    return table_form;
  }
  return {"env", name};
}

void check_property(const std::string& original, bool force) {
  const CargoEdit edit =
      edit_cargo_config(original, "c.toml", settings(), force);
  INFO("original:\n" << original << "\nedited:\n" << edit.text);
  const Flat before = flatten(toml::parse(original));
  const Flat after = flatten(toml::parse(edit.text));

  std::map<std::vector<std::string>, std::string> intended = {
      {{"target", k_triple, "linker"}, "x86_64-linux-musl-gcc"}};
  for (const auto& [name, value] : settings().env) {
    intended[env_path(before, name)] = value;
  }
  for (const auto& [path, value] : before) {
    if (intended.count(path) == 0) {
      const auto kept = after.find(path);
      CHECK((kept != after.end() && kept->second == value));
    }
  }
  for (const auto& [path, value] : after) {
    CHECK((before.count(path) == 1 || intended.count(path) == 1));
  }
  for (const auto& [path, value] : intended) {
    const std::string wanted = leaf_text(toml::value<std::string>(value));
    const bool keep_old = !force && before.count(path) == 1;
    CHECK(after.count(path) == 1);
    if (after.count(path) == 1) {
      CHECK(after.at(path) == (keep_old ? before.at(path) : wanted));
    }
  }
  if (!force) {
    CHECK(is_subsequence(original, edit.text));
  }
  const CargoEdit again =
      edit_cargo_config(edit.text, "c.toml", settings(), force);
  CHECK_FALSE(again.changed);
}

std::size_t count_lone_newlines(const std::string& text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
      ++count;
    }
  }
  return count;
}

} // namespace

TEST_CASE("cargo config property: edits keep every other setting",
          "[project]") {
  const std::vector<std::string> inputs = corpus();
  REQUIRE(inputs.size() >= 60);
  for (const std::string& original : inputs) {
    check_property(original, false);
    check_property(original, true);
  }
}

TEST_CASE("cargo config property: CRLF files stay CRLF", "[project]") {
  std::size_t crlf_files = 0;
  for (const std::string& original : corpus()) {
    if (original.find("\r\n") == std::string::npos ||
        count_lone_newlines(original) != 0) {
      continue;
    }
    ++crlf_files;
    const CargoEdit edit =
        edit_cargo_config(original, "c.toml", settings(), true);
    CHECK(count_lone_newlines(edit.text) == 0);
  }
  CHECK(crlf_files >= 5);
}
