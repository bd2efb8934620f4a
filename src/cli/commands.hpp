// The command table: each subcommand lives in its own file and registers
// itself on its parent CLI11 app. Adding a command adds a row and a file.
#pragma once

#include "cli/context.hpp"

#include <CLI/CLI.hpp>

namespace xtc::cli {

void add_target_add(CLI::App& parent, Context& context);
void add_target_remove(CLI::App& parent, Context& context);
void add_target_list(CLI::App& parent, Context& context);
void add_show(CLI::App& parent, Context& context);
void add_which(CLI::App& parent, Context& context);
void add_config(CLI::App& parent, Context& context);
void add_gc(CLI::App& parent, Context& context);
void add_doctor(CLI::App& parent, Context& context);
void add_completions(CLI::App& parent, Context& context);
void add_self_uninstall(CLI::App& parent, Context& context);
void add_install(CLI::App& parent, Context& context);
void add_env(CLI::App& parent, Context& context);
void add_key(CLI::App& parent, Context& context);
void add_check(CLI::App& parent, Context& context);
void add_run(CLI::App& parent, Context& context);
void add_update(CLI::App& parent, Context& context);
void add_mirror(CLI::App& parent, Context& context);

// Runs the CLI; returns the exit code. Throws xtc::Error.
int run(int argc, char** argv);

} // namespace xtc::cli
