// Proof that a target builds what it promises: links a small program with
// the target's own compilers (a C one, and a C++ one when the toolchain has
// C++, so libstdc++'s GLIBCXX versions count too) and reads what the
// programs need with the ELF reader behind `xtc check`. `target add` runs
// it for a glibc-pinned target before it declares success; `xtc doctor`
// reports what it found for every target.
#pragma once

#include "elf/elf_file.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace xtc::install {

struct Probe {
  // "needs GLIBC_2.34 (C), GLIBCXX_3.4.30 (C++)": what the programs need.
  std::string summary;
  // Why they would not run on `target` (its machine, C library and glibc
  // floor); empty when they would.
  std::vector<std::string> misfits;
};

// Builds the probe programs in `scratch` (an empty directory the caller
// owns) by running the record's tools directly, with the record's
// environment. Throws xtc::Error with the compiler's first lines when the
// C program does not build; a C++ one that does not build (a toolchain
// without a C++ library) is noted in the summary.
Probe probe_target(const store::TargetRecord& record,
                   const triple::Triple& target,
                   const std::filesystem::path& scratch);

} // namespace xtc::install
