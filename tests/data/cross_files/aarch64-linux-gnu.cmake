# CMake toolchain file for aarch64-linux-gnu, written by `xtc config cmake aarch64-linux-gnu`.
#   cmake -DCMAKE_TOOLCHAIN_FILE=<this file> -S . -B build
# The tools are xtc's shims, named by absolute path so the build needs no PATH
# change; run the command again after moving $XTC_HOME.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER "/home/u/.xtc/bin/aarch64-linux-gnu-gcc")
set(CMAKE_CXX_COMPILER "/home/u/.xtc/bin/aarch64-linux-gnu-g++")
set(CMAKE_AR "/home/u/.xtc/bin/aarch64-linux-gnu-ar" CACHE FILEPATH "xtc ar")
set(CMAKE_RANLIB "/home/u/.xtc/bin/aarch64-linux-gnu-ranlib" CACHE FILEPATH "xtc ranlib")
set(CMAKE_STRIP "/home/u/.xtc/bin/aarch64-linux-gnu-strip" CACHE FILEPATH "xtc strip")

set(CMAKE_SYSROOT "/home/u/.xtc/toolchains/gcc-aarch64-linux-gnu")
list(APPEND CMAKE_FIND_ROOT_PATH "/home/u/.xtc/toolchains/gcc-aarch64-linux-gnu/usr/aarch64-linux-gnu")

# Programs run on this host; libraries, headers and packages come from the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# try_run() and add_test() run target programs through qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR "/usr/bin/qemu-aarch64-static;-L;/home/u/.xtc/toolchains/gcc-aarch64-linux-gnu/usr/aarch64-linux-gnu")
