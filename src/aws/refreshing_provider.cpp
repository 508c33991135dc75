#include "aws/refreshing_provider.hpp"

#include <fstream>
#include <sstream>

namespace regsweep {
namespace {

constexpr EpochMillis k_refresh_before = 15 * 60 * 1000;  // botocore's advisory window
constexpr EpochMillis k_still_usable = 60 * 1000;         // keep old ones if a refresh fails

}  // namespace

Result<AwsCredentials> RefreshingProvider::credentials() {
  std::lock_guard lock(m_mutex);  // one refresh at a time; the others wait for its result
  const EpochMillis now = m_clock.now();
  if (m_cached && (!m_cached->expiration || *m_cached->expiration - now > k_refresh_before))
    return *m_cached;
  auto fresh = m_fetch();
  if (fresh) {
    m_cached = *fresh;
    return fresh;
  }
  if (m_cached && m_cached->expiration && *m_cached->expiration - now > k_still_usable)
    return *m_cached;
  return fresh;
}

void RefreshingProvider::invalidate() {
  std::lock_guard lock(m_mutex);
  m_cached.reset();
}

Result<Secret> read_token_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorCode::unauthorized, what + ": cannot read the web identity token file " +
                                                   path +
                                                   "; fix: check the path and its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty())
    return make_error(ErrorCode::unauthorized,
                      what + ": the web identity token file " + path + " is empty");
  return Secret(std::move(token));
}

}  // namespace regsweep
