// The credential providers the chain (credentials.cpp) builds from its sources: fixed keys, and
// temporary keys fetched on demand, cached, and refreshed 15 minutes before they expire (botocore's
// advisory window), one refresh at a time. A failed refresh keeps serving the old keys while they
// are still good for a minute, so a short STS outage does not stop a long run.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.hpp"
#include "util/clock.hpp"

namespace regsweep {

class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(AwsCredentials credentials) : m_credentials(std::move(credentials)) {}
  Result<AwsCredentials> credentials() override { return m_credentials; }

 private:
  AwsCredentials m_credentials;
};

class RefreshingProvider final : public CredentialsProvider {
 public:
  using Fetcher = std::function<Result<AwsCredentials>()>;

  RefreshingProvider(Fetcher fetch, Clock& clock) : m_fetch(std::move(fetch)), m_clock(clock) {}

  Result<AwsCredentials> credentials() override;
  void invalidate() override;

 private:
  Fetcher m_fetch;
  Clock& m_clock;
  std::mutex m_mutex;
  std::optional<AwsCredentials> m_cached;
};

// A web identity token file, re-read on every fetch (EKS rotates it); trailing whitespace removed.
// Errors name the file and `what`, never the token.
Result<Secret> read_token_file(const std::string& path, const std::string& what);

}  // namespace regsweep
