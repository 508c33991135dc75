// The deletion journal: an append-only record of every deletion, written before the delete call
// ("intent") and after it ("result"), so that after a crash, a bug or a bad flag anyone can see
// exactly what was deleted, why, and restore it (the manifest body is kept when it was read).
//
// The file form is JSON lines (docs/journal.md): one object per line, each written with a single
// write() and then fsync()'d, on a file opened O_APPEND|O_CREAT|O_NOFOLLOW with mode 0600 in a
// directory created 0700. Records carry no request, credential or endpoint data.
//
// Timestamps come from the caller (the sweep layer owns the clock), so tests are deterministic.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "journal/state_dir.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep {

enum class JournalKind { intent, result };
// gone: the image was already absent when looked at (re-check, ImageNotFound, or a later run's
// reconciliation of an interrupted intent): nothing failed, and no deletion is claimed.
// archived / restored: the storage-class change (archive, restore) or the re-put (put) was done.
enum class JournalOutcome { deleted, failed, skipped, gone, archived, restored };
// What the record is about: a deletion (the default, "delete"; records written before actions
// existed have no "action" field), an archive or restore with UpdateImageStorageClass, or a deleted
// image put back from its journaled manifest (`journal restore`, PutImage).
enum class JournalAction { remove, archive, restore, put };

struct JournalRecord {
  JournalKind kind = JournalKind::intent;
  JournalAction action = JournalAction::remove;
  std::string run_id;
  EpochMillis timestamp = 0;
  // Which image.
  std::string registry;  // ECR registry id (account) or registry host; may be empty
  std::string region;
  std::string repository;
  std::string digest;
  std::vector<std::string> tags;
  // Intent: what it was and why it goes.
  std::optional<EpochMillis> pushed_at;
  std::optional<std::uint64_t> size_bytes;
  std::optional<int> rule_priority;  // the lifecycle rule that expired it
  std::string reason;  // intent: why it is deleted; result: why it failed or was skipped
  std::optional<std::string> manifest_media_type;
  std::optional<std::string> manifest;  // the manifest body, when it was fetched
  std::string manifest_note;            // intent without a manifest: why it could not be read
  // Result.
  std::optional<JournalOutcome> outcome;
  std::string error_code;  // failed: "ImageNotFoundException", "transient", ...
};

std::string_view to_string(JournalKind kind);
std::string_view to_string(JournalOutcome outcome);
std::string_view to_string(JournalAction action);  // "delete", "archive", "restore", "put"

// One line of JSON (no trailing newline).
std::string to_journal_line(const JournalRecord& record);
// Parses one line; invalid_input when it is not a journal record.
Result<JournalRecord> parse_journal_line(std::string_view line);

// What a reader found. Lines that are not records (a torn line from a crash mid-write, which the
// next run's first write moves onto a line of its own) are skipped and reported, not fatal: the
// journal is evidence, and the rest of it stays readable.
struct JournalContents {
  std::vector<JournalRecord> records;
  struct BadLine {
    std::size_t line = 0;  // 1-based
    std::string problem;
    bool torn_tail = false;  // the last line, with no newline: a write cut short
  };
  std::vector<BadLine> bad_lines;
};
JournalContents parse_journal(std::string_view text);

// Intents without a result: the run stopped (was killed) between the two, or is still running.
// An intent is closed by the first later result record with the same run, registry, region,
// repository, digest, tags and action. Returns indexes into `records`, in order.
std::vector<std::size_t> open_intents(const std::vector<JournalRecord>& records);

// Thread-safe: every implementation guards itself (repositories are deleted in parallel and
// share one journal).
class Journal {
 public:
  virtual ~Journal() = default;
  // Durable when it returns ok (fsync'd). A failure must stop the deletion it was about.
  virtual Status append(const JournalRecord& record) = 0;
  // Group commit: all of `records` durable at once (one write, one fsync for a file), or a
  // failure; a batch's intents go in one call before the batch is sent, its results in another.
  virtual Status append_all(std::span<const JournalRecord> records) {
    for (const auto& record : records) {
      if (auto status = append(record); !status) return status;
    }
    return ok_status();
  }
};

class FileJournal final : public Journal {
 public:
  // Creates the parent directory (0700) and the file (0600) when missing. Refuses, before writing
  // a byte (invalid_input): a symlink as the file or as its directory, anything but a regular file
  // owned by `owner` (the effective user; a parameter for tests) with one link, a directory
  // someone else could swap files in (state_dir.hpp, private_file.hpp). An existing file's mode
  // is tightened to 0600. If the file's last byte is not a newline (a torn write), a newline is
  // written first so new records start clean.
  static Result<std::unique_ptr<FileJournal>> open(const std::string& path,
                                                   uid_t owner = effective_uid());
  ~FileJournal() override;
  FileJournal(const FileJournal&) = delete;
  FileJournal& operator=(const FileJournal&) = delete;

  Status append(const JournalRecord& record) override;
  Status append_all(std::span<const JournalRecord> records) override;
  const std::string& path() const { return m_path; }

 private:
  FileJournal(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}
  std::string m_path;
  int m_fd = -1;
  // Group commit across threads: appends queue their lines; one of them (the leader) writes
  // everything queued with one write() and one fsync(), and each caller returns once its own lines
  // are durable (or the write that carried them failed). Repositories deleted in parallel then
  // share fsyncs instead of waiting for each other's.
  std::mutex m_mutex;
  std::condition_variable m_flushed;
  std::string m_queued;
  std::uint64_t m_enqueued = 0;  // tickets handed out
  std::uint64_t m_settled = 0;   // tickets whose write is done (durable or failed)
  bool m_flushing = false;
  struct FailedFlush {
    std::uint64_t first, last;
    Error error;
  };
  std::vector<FailedFlush> m_failures;
};

// The most a journal may hold to be read (journal show, settling interrupted runs): the whole
// file is read into memory. About 3 KB per deletion (an intent with its manifest, a result), so
// some 350,000 deletions; past it, move the file aside and regsweep starts a new one.
constexpr std::size_t k_journal_max_bytes = std::size_t{1} << 30;

// Reads and parses a journal file; not_found when it does not exist; invalid_input (the message
// starts with `what` and the path) for a directory, device, FIFO or socket, an unreadable file, or
// one larger than k_journal_max_bytes. "-" reads standard input. Symlinks are followed: reading
// changes nothing.
Result<JournalContents> read_journal_file(const std::string& path,
                                          std::string_view what = "journal");

}  // namespace regsweep
