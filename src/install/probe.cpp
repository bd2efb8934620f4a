#include "install/probe.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "elf/fit.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "platform/process.hpp"
#include "shim/resolution.hpp"
#include "shim/runtime.hpp"

#include <fmt/format.h>

#include <span>

namespace xtc::install {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_c_source =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "int main(int argc, char** argv) {\n"
    "  (void)argv;\n"
    "  char buffer[32];\n"
    "  snprintf(buffer, sizeof buffer, \"%d\", argc);\n"
    "  return (int)strlen(buffer) - 1;\n"
    "}\n";
// Streams, strings and exceptions: what pulls libstdc++'s versions in.
constexpr const char* k_cxx_source =
    "#include <iostream>\n"
    "#include <stdexcept>\n"
    "#include <string>\n"
    "int main(int argc, char**) {\n"
    "  try {\n"
    "    if (argc > 8) throw std::runtime_error(\"many\");\n"
    "    std::cout << std::string(\"probe\") << std::endl;\n"
    "  } catch (const std::exception& e) { std::cerr << e.what(); }\n"
    "}\n";

// Compiles `source` into `output` with the record's tool; returns "" or,
// when that fails, why (its exit status and first lines).
std::string build(const store::TargetRecord& record, const std::string& tool,
                  const fs::path& source, const fs::path& output) {
  // The command a shim runs for a call that links: the tool, its baseline
  // CPU flags and its link-only flags (the llvm flavor's linker choice).
  std::vector<std::string> argv = record.tools.at(tool);
  const std::vector<std::string> flags =
      shim::linking_flags(record.baseline, record.link_only, tool);
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-o", output.string(), source.string()});
  // As the shims run it: without the variables that let a host's headers
  // and libraries in, with the record's own (zig's caches).
  const platform::RunResult result =
      platform::run_capture(argv, record.env, shim::leaked_variables());
  if (result.exit_code == 0) {
    return platform::path_exists(output) ? ""
                                         : "exit 0, but it wrote no program";
  }
  std::vector<std::string> lines =
      split(std::string(trim(result.output)), '\n');
  lines.resize(std::min<std::size_t>(lines.size(), 2));
  return fmt::format("exit {}: {}", result.exit_code, join(lines, " | "));
}

} // namespace

Probe probe_target(const store::TargetRecord& record,
                   const triple::Triple& target, const fs::path& scratch) {
  struct Program {
    std::string tool;
    std::string label;
    const char* source;
    std::string file;
  };
  std::vector<Program> programs = {{"cc", "C", k_c_source, "probe.c"}};
  if (record.tools.count("cxx") != 0) {
    programs.push_back({"cxx", "C++", k_cxx_source, "probe.cpp"});
  }
  Probe probe;
  std::vector<std::string> needs;
  for (const Program& program : programs) {
    const fs::path source = scratch / program.file;
    const fs::path output = scratch / (program.file + ".out");
    platform::write_file_atomic(source, program.source, "probe source");
    const std::string failed = build(record, program.tool, source, output);
    if (!failed.empty() && program.tool == "cxx") {
      // A toolchain without a C++ library (a bare musl sysroot): said, not
      // held against the floor, which is about what does build.
      needs.push_back(fmt::format("no C++ program ({})", failed));
      continue;
    }
    if (!failed.empty()) {
      throw Error(fmt::format("the C probe program for '{}' did not build "
                              "({})",
                              record.triple, failed),
                  fmt::format("run 'xtc doctor {}' for details", record.gnu));
    }
    const std::string bytes =
        platform::read_file(output, "probe program", std::size_t{1} << 30U);
    const elf::Info info = elf::parse(
        std::span(reinterpret_cast<const unsigned char*>(bytes.data()),
                  bytes.size()),
        output.string());
    std::vector<std::string> versions;
    for (const char* family : {"GLIBC", "GLIBCXX", "CXXABI"}) {
      if (const elf::SymbolVersion* version = info.highest(family)) {
        versions.push_back(version->name);
      }
    }
    needs.push_back(fmt::format("{} ({})",
                                versions.empty()
                                    ? std::string("no versioned symbols")
                                    : join(versions, ", "),
                                program.label));
    for (const std::string& misfit : elf::misfits(info, target)) {
      probe.misfits.push_back(
          fmt::format("the {} probe: {}", program.label, misfit));
    }
  }
  probe.summary = "needs " + join(needs, "; ");
  return probe;
}

} // namespace xtc::install
