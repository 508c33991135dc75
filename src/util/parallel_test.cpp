#include "util/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace regsweep {
namespace {

TEST(ParallelFor, RunsEveryTaskOnceOnSeveralThreads) {
  std::vector<int> runs(1000, 0);
  std::atomic<int> total{0};
  parallel_for(runs.size(), 4, [&](std::size_t i) {
    ++runs[i];
    ++total;
  });
  EXPECT_EQ(total.load(), 1000);
  for (int r : runs) EXPECT_EQ(r, 1);
  parallel_for(0, 4, [](std::size_t) { FAIL() << "no tasks"; });
}

}  // namespace
}  // namespace regsweep
