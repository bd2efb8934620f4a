// exec_bench: wall time of starting programs, interleaved so that load on
// the machine hits every command alike. Each round runs every command once
// (stdout and stderr to /dev/null) in a rotating order; after the warm-up
// rounds, each run's time from posix_spawn to waitpid is recorded.
//
//   exec_bench RUNS NAME COMMAND… [::: NAME COMMAND…]…
//
// Prints one line per command: name, median, 10th and 90th percentile, in
// microseconds. Exits non-zero when a command fails to start or exits
// non-zero.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace {

constexpr int k_warmup_rounds = 20;

struct Command {
  std::string name;
  std::vector<char*> argv;
  std::vector<double> micros;
};

double run_once(const Command& command, const posix_spawn_file_actions_t* io) {
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, command.argv[0], io, nullptr, command.argv.data(),
                  environ) != 0) {
    std::fprintf(stderr, "exec_bench: cannot start '%s'\n", command.argv[0]);
    std::exit(1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  const auto end = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "exec_bench: '%s' failed (status %d)\n",
                 command.name.c_str(), status);
    std::exit(1);
  }
  return std::chrono::duration<double, std::micro>(end - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(
      p * static_cast<double>(values.size() - 1) + 0.5);
  return values[index];
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(
        stderr,
        "usage: exec_bench RUNS NAME COMMAND... [::: NAME COMMAND...]\n");
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  std::vector<Command> commands;
  for (int i = 2; i < argc; ++i) {
    if (commands.empty() || std::string(argv[i]) == ":::") {
      if (std::string(argv[i]) == ":::") {
        ++i;
      }
      if (i + 1 >= argc) {
        std::fprintf(stderr,
                     "exec_bench: a command needs a name and a program\n");
        return 2;
      }
      commands.push_back({argv[i], {}, {}});
      continue;
    }
    commands.back().argv.push_back(argv[i]);
  }
  for (Command& command : commands) {
    command.argv.push_back(nullptr);
  }

  posix_spawn_file_actions_t io;
  posix_spawn_file_actions_init(&io);
  posix_spawn_file_actions_addopen(&io, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&io, 2, "/dev/null", O_WRONLY, 0);
  for (int round = 0; round < k_warmup_rounds + runs; ++round) {
    for (std::size_t k = 0; k < commands.size(); ++k) {
      Command& command =
          commands[(k + static_cast<std::size_t>(round)) % commands.size()];
      const double micros = run_once(command, &io);
      if (round >= k_warmup_rounds) {
        command.micros.push_back(micros);
      }
    }
  }
  posix_spawn_file_actions_destroy(&io);
  for (const Command& command : commands) {
    std::printf("%s %.0f %.0f %.0f\n", command.name.c_str(),
                percentile(command.micros, 0.5),
                percentile(command.micros, 0.1),
                percentile(command.micros, 0.9));
  }
  return 0;
}
