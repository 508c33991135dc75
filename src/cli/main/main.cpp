#include "cli/app.hpp"

int main(int argc, char** argv) {
  return regsweep::cli::run_main(argc, argv);
}
