// Catch2 2.x needs one translation unit to provide main(); 3.x links
// Catch2WithMain instead.
#if !defined(XTC_CATCH3)
#define CATCH_CONFIG_MAIN
#include "support/catch.hpp"
#endif
