// Per-operation call counters for the admin endpoint: calls, error answers (any non-200), and the
// injected faults. Lock-free: the table of names is fixed at construction.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "api.hpp"

namespace ecr_emulator {

class Counters {
 public:
  enum Kind { calls, errors, throttled, server_errors, dropped, k_kinds };

  void add(std::string_view operation, Kind kind);
  Json describe() const;
  void reset();

 private:
  static constexpr std::array<std::string_view, 25> k_names = {
      "CreateRepository",
      "DescribeRepositories",
      "DeleteRepository",
      "ListTagsForResource",
      "TagResource",
      "UntagResource",
      "DescribeRegistry",
      "GetAuthorizationToken",
      "ListImages",
      "DescribeImages",
      "BatchGetImage",
      "BatchDeleteImage",
      "PutImage",
      "GetLifecyclePolicy",
      "PutLifecyclePolicy",
      "DeleteLifecyclePolicy",
      "UpdateImageStorageClass",
      "ListImageReferrers",
      "RegisterPullTimeUpdateExclusion",
      "DeregisterPullTimeUpdateExclusion",
      "ListPullTimeUpdateExclusions",
      "AssumeRole",
      "GetCallerIdentity",  // STS (sts.hpp)
      "(unknown)",
      "(unauthenticated)"};
  std::array<std::array<std::atomic<std::uint64_t>, k_kinds>, k_names.size()> m_counts{};
};

}  // namespace ecr_emulator
