// Compiled by build.rs with the target's C compiler.
int answer(void) { return 42; }

const char* built_for(void) {
#if defined(__aarch64__)
  return "aarch64";
#elif defined(__x86_64__)
  return "x86_64";
#else
  return "another architecture";
#endif
}
