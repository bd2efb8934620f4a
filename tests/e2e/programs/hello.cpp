// Exercises the C++ runtime across an exception and the standard library.
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

static int parse(const std::string& text) {
  if (text.empty()) {
    throw std::invalid_argument("empty");
  }
  return std::stoi(text);
}

int main() {
  std::vector<std::string> inputs = {"40", "", "2"};
  int sum = 0;
  int caught = 0;
  for (const std::string& input : inputs) {
    try {
      sum += parse(input);
    } catch (const std::invalid_argument& error) {
      ++caught;
    }
  }
  std::cout << "c++ sum " << sum << " caught " << caught << std::endl;
  return 0;
}
