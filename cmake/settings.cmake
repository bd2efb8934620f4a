# Compile settings shared by every xtc target, and never applied to
# third-party code: link xtc_settings and xtc_warnings explicitly.

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

add_library(xtc_settings INTERFACE)
# fmt without std::locale: xtc formats nothing locale-dependent, and
# <locale>'s facets were a third of the statically linked shim, mapped on
# every compiler call.
target_compile_definitions(xtc_settings INTERFACE
  XTC_VERSION="${PROJECT_VERSION}"
  "FMT_STATIC_THOUSANDS_SEPARATOR=','"
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
target_include_directories(xtc_settings INTERFACE ${PROJECT_SOURCE_DIR}/src)

if(XTC_SANITIZE)
  list(JOIN XTC_SANITIZE "," _xtc_sanitizers)
  target_compile_options(xtc_settings INTERFACE
    -fsanitize=${_xtc_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(xtc_settings INTERFACE -fsanitize=${_xtc_sanitizers})
endif()

# Sanitizer reports need file and line, not full debug information, which
# would double the build time of these builds.
if(XTC_SANITIZE OR XTC_FUZZ)
  target_compile_options(xtc_settings INTERFACE
    $<IF:$<CXX_COMPILER_ID:Clang>,-gline-tables-only,-g1>)
endif()

# libFuzzer: every xtc library gets coverage and AddressSanitizer; only the
# fuzz executables link the fuzzer's main (tests/fuzz). With XTC_SANITIZE as
# well, one build serves both the sanitizer test run and the fuzzers.
if(XTC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "XTC_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++)")
  endif()
  target_compile_options(xtc_settings INTERFACE
    -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer)
  target_link_options(xtc_settings INTERFACE -fsanitize=address)
endif()

# A target whose XTC_NO_NULL_DEREFERENCE_WARNING property is set goes without
# -Wnull-dereference (see src/cli).
add_library(xtc_warnings INTERFACE)
target_compile_options(xtc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<NOT:$<BOOL:$<TARGET_PROPERTY:XTC_NO_NULL_DEREFERENCE_WARNING>>>:-Wnull-dereference>
  -Wcast-align -Wextra-semi
  $<$<BOOL:${XTC_WARNINGS_AS_ERRORS}>:-Werror>)
# GCC's flow analysis loses track of initialisation through the sanitizers'
# instrumentation and reports -Wmaybe-uninitialized inside libstdc++ (the
# std::function in <regex>); the plain build keeps the warning.
if(XTC_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(xtc_warnings INTERFACE -Wno-maybe-uninitialized)
endif()

if(XTC_CLANG_TIDY)
  find_program(XTC_CLANG_TIDY_EXE NAMES clang-tidy clang-tidy-14 REQUIRED)
  set(CMAKE_CXX_CLANG_TIDY ${XTC_CLANG_TIDY_EXE})
endif()

# xtc_module(NAME SOURCES... DEPENDS ...): one static library per directory;
# DEPENDS is the module's "may use" list, so layering is stated here.
function(xtc_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPENDS")
  add_library(xtc_${name} STATIC ${arg_SOURCES})
  target_link_libraries(xtc_${name} PUBLIC xtc_settings ${arg_DEPENDS}
                        PRIVATE xtc_warnings)
endfunction()
