/* A toolchain wrapper with the checks of Buildroot's (toolchain/
   toolchain-wrapper.c, which every Bootlin toolchain's gcc is): it refuses,
   with exit status 1, any -I, -idirafter, -iquote, -isystem or -L (joined or
   separate) naming a path under the host's /lib, /usr/include, /usr/lib,
   /usr/local/include or /usr/local/lib, then runs <its own name>.br_real
   beside it with --sysroot <its directory>/../SYSROOT prepended. Built by
   e2e.bootlin_wrapper with -DSYSROOT='"…"'. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char* const unsafe_paths[] = {
    "/lib", "/usr/include", "/usr/lib", "/usr/local/include", "/usr/local/lib",
};
static const char* const path_options[] = {
    "-I", "-idirafter", "-iquote", "-isystem", "-L",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* option: the argument as given ("-L/usr/lib", or "-L" before a separate
   path). */
static void refuse_host_path(const char* option, const char* path,
                             int joined) {
  for (size_t i = 0; i < COUNT(unsafe_paths); i++) {
    if (strncmp(path, unsafe_paths[i], strlen(unsafe_paths[i])) == 0) {
      fprintf(stderr,
              "%s: ERROR: unsafe header/library path used in "
              "cross-compilation: '%s%s%s'\n",
              program_invocation_short_name, option,
              joined ? "" : "' '", joined ? "" : path);
      exit(1);
    }
  }
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    for (size_t o = 0; o < COUNT(path_options); o++) {
      const size_t n = strlen(path_options[o]);
      if (strncmp(argv[i], path_options[o], n) != 0) {
        continue;
      }
      if (argv[i][n] != '\0') {
        refuse_host_path(argv[i], argv[i] + n, 1);
      } else if (i + 1 < argc) {
        refuse_host_path(argv[i], argv[i + 1], 0);
        i++;
      }
      break;
    }
  }
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) {
    perror("readlink");
    return 2;
  }
  self[length] = '\0';
  char* slash = strrchr(self, '/');
  *slash = '\0';
  char real[2 * PATH_MAX];
  char sysroot[2 * PATH_MAX];
  const char* name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  if (snprintf(real, sizeof real, "%s/%s.br_real", self, name) >=
          (int)sizeof real ||
      snprintf(sysroot, sizeof sysroot, "%s/../%s", self, SYSROOT) >=
          (int)sizeof sysroot) {
    fprintf(stderr, "%s: path too long\n", program_invocation_short_name);
    return 3;
  }
  char** args = calloc((size_t)argc + 3, sizeof(char*));
  args[0] = real;
  args[1] = "--sysroot";
  args[2] = sysroot;
  memcpy(args + 3, argv + 1, sizeof(char*) * (size_t)argc);
  execv(real, args);
  perror(real);
  return 2;
}
