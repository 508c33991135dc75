// parallel_for: run task(i) for every i in [0, count) on up to `concurrency` threads (the caller's
// thread included). Tasks must be independent; each writes only its own slot of a result vector.
// Returns after every task has finished.
#pragma once

#include <cstddef>
#include <functional>

namespace regsweep {

void parallel_for(std::size_t count, int concurrency, const std::function<void(std::size_t)>& task);

}  // namespace regsweep
