// The one include for Catch2 in xtc's tests: Debian 12 ships Catch2 2.13,
// Homebrew ships 3.x. Tests use only the macros both provide.
#pragma once

#if defined(XTC_CATCH3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
