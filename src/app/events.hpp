// How a use case talks to the front end that runs it (the CLI, the web UI, a test) while it
// works; use cases never print. progress() feeds a status line; note() is a line a person should
// read (a warning, intents settled, a glob that matches nothing); the consent question is asked
// once, after planning and before the journal is opened or anything is deleted. Calls may come
// from worker threads, one at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace regsweep {

struct Progress {
  enum class Phase { listing, deleting };
  Phase phase = Phase::listing;
  std::string registry;  // its label when there are several, else empty
  std::size_t done = 0;  // listing: repositories listed; deleting: items settled
  std::size_t total = 0;
  std::size_t repositories_done = 0;  // deleting
  std::size_t repositories_total = 0;
};

// info: what a person may like to know (intents settled, a saved plan's state); a front end may
// hide it (--quiet). warning: something is not as asked (a registry not listed, a glob matching
// nothing, a journal too large to settle from): always shown.
enum class NoteKind { info, warning };

class Events {
 public:
  virtual ~Events() = default;
  virtual void progress(const Progress& progress) { (void)progress; }
  virtual void note(NoteKind kind, std::string_view line) {
    (void)kind;
    (void)line;
  }
  void info(std::string_view line) { note(NoteKind::info, line); }
  void warn(std::string_view line) { note(NoteKind::warning, line); }
};

// Ignores everything (tests, callers that only want the result).
Events& no_events();

struct ConsentQuestion {
  std::size_t images = 0;  // items to delete (an untag is an item)
  std::uint64_t bytes = 0;
  std::size_t archives = 0;  // images to move to the archive storage class
  std::uint64_t bytes_archived = 0;
  std::size_t restores = 0;  // archived images to bring back to standard storage
  std::uint64_t bytes_restored = 0;
  // Deletions of archived images within ECR's 90-day minimum, and what ECR charges for them once.
  std::size_t early_deletions = 0;
  double early_deletion_charge = 0.0;
  std::size_t changes() const { return images + archives + restores; }
  std::size_t repositories = 0;
  std::string where;  // "ECR 111111111111 eu-west-1", "3 registries"
};

enum class Consent {
  granted,
  declined,    // asked, answered no: nothing deleted, not a failure
  cannot_ask,  // nobody to ask (no terminal) and no --yes: refused, a usage error
};

using AskConsent = std::function<Consent(const ConsentQuestion&)>;

}  // namespace regsweep
