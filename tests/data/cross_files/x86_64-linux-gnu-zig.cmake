# CMake toolchain file for x86_64-linux-gnu, written by `xtc config cmake x86_64-linux-gnu`.
#   cmake -DCMAKE_TOOLCHAIN_FILE=<this file> -S . -B build
# The tools are xtc's shims, named by absolute path so the build needs no PATH
# change; run the command again after moving $XTC_HOME.
# This host runs the target's programs itself: CMake builds for it as for
# the host, try_run() and tests run them directly.

set(CMAKE_C_COMPILER "/home/u/.xtc/bin/x86_64-linux-gnu-gcc")
set(CMAKE_CXX_COMPILER "/home/u/.xtc/bin/x86_64-linux-gnu-g++")
set(CMAKE_AR "/home/u/.xtc/bin/x86_64-linux-gnu-ar" CACHE FILEPATH "xtc ar")
set(CMAKE_RANLIB "/home/u/.xtc/bin/x86_64-linux-gnu-ranlib" CACHE FILEPATH "xtc ranlib")

# The compiler brings the target's C library itself: libraries and headers
# are looked for under its directory, never in this host's /usr.
list(APPEND CMAKE_FIND_ROOT_PATH "/home/u/.xtc/toolchains/zig-0.11.0")

# Programs run on this host; libraries, headers and packages come from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
