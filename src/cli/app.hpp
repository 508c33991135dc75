// The regsweep command line: one table of subcommands, each in its own file with an options struct,
// setup_* and run_*. Only this layer prints; it maps errors to exit codes (0 ok, 1 an operation
// failed, 2 bad usage or input).
#pragma once

namespace regsweep::cli {

int run_main(int argc, char** argv);

}  // namespace regsweep::cli
