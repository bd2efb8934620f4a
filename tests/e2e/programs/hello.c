#include <stdio.h>

int main(void) {
  printf("hello from %s\n", TARGET);
  return 0;
}
