/* Prints crypt(3)'s SHA-256 hash of its argument: a program that needs a
 * library found through pkg-config (libcrypt, from libxcrypt). */
#include <crypt.h>
#include <stdio.h>

int main(int argc, char** argv) {
  const char* hash = crypt(argc > 1 ? argv[1] : "xtc", "$5$xtcsalt$");
  if (hash == NULL) {
    return 1;
  }
  printf("%s\n", hash);
  return 0;
}
