// Whether a built file can run on a target: the right machine and float
// ABI, the right C library, and no glibc symbol version newer than the
// target's glibc floor ("aarch64-linux-gnu.2.28"). This is what `xtc check`
// and `xtc doctor` answer, from the file alone.
#pragma once

#include "elf/elf_file.hpp"
#include "triple/triple.hpp"

#include <string>
#include <vector>

namespace xtc::elf {

// Everything that keeps `info` from running on `target`, one sentence each
// ("needs GLIBC_2.34, newer than 2.28, for __libc_start_main"); empty when
// it fits. Objects and archives are judged by machine and ABI only.
std::vector<std::string> misfits(const Info& info,
                                 const triple::Triple& target);

// The xtc architecture an ELF machine builds for ("aarch64", "armv7", …),
// or "" for one xtc has no target for.
std::string xtc_arch(const Info& info);

} // namespace xtc::elf
