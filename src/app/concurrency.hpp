// How many repositories of one registry are listed, deleted in or written to at once, unless the
// user says otherwise (--concurrency, settings.concurrency). Measured by bench/fleet.sh: at 25 ms a
// call (about one AWS round trip), 32 makes apply >= 10x faster than a sequential script and plan
// >= 15x faster than its listing, where 16 does not; the session's adaptive rate control slows
// every worker down together as soon as ECR throttles, so a higher count costs no failures.
#pragma once

namespace regsweep {

constexpr int k_default_concurrency = 32;

}  // namespace regsweep
