// The benchmark's baseline: only load a snapshot file into an Inventory (read, parse, build the
// image records), nothing else. Prints the seconds taken and the image count.
//   usage: bench_load_snapshot FILE
#include <chrono>
#include <cstdio>

#include "registry/snapshot/snapshot_reader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SNAPSHOT.json\n", argv[0]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  auto inventory = regsweep::load_snapshot(argv[1]);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!inventory.ok()) {
    std::fprintf(stderr, "%s\n", inventory.error().message.c_str());
    return 2;
  }
  std::size_t images = 0;
  for (const auto& repo : inventory->repositories) images += repo.images.size();
  std::printf("%.3f %zu\n", seconds, images);
  return 0;
}
