#include <math.h>
#include <stdio.h>

int main(int argc, char** argv) {
  (void)argv;
  /* argc keeps the call from being folded at compile time, so -lm is needed */
  printf("sqrt %.3f\n", sqrt(2.0 * argc));
  return 0;
}
