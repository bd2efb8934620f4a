/* Floating point and a loop a vectoriser takes: the object's instructions
   and ARM attributes show which CPU and FPU the compiler targeted. */
double scale(double a, double b) { return a * b + 1.0; }

void twice(float* x, int n) {
  for (int i = 0; i < n; i++) {
    x[i] *= 2.0f;
  }
}
