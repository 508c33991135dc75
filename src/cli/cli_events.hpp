// The CLI's side of app/events.hpp: progress on one self-overwriting stderr line (shown on a
// terminal only, cli/progress_line.hpp), notes on stderr as "regsweep COMMAND: ..." (info notes
// hidden by --quiet, warnings always shown), and the consent question on the terminal.
#pragma once

#include <string>

#include "app/events.hpp"
#include "cli/progress_line.hpp"

namespace regsweep::cli {

class CliEvents final : public Events {
 public:
  CliEvents(std::string command, bool quiet);
  void progress(const Progress& progress) override;
  void note(NoteKind kind, std::string_view line) override;
  void finish_progress() { m_progress.finish(); }

 private:
  std::string m_command;
  bool m_quiet;
  ProgressLine m_progress;
};

// With `yes`, granted. Otherwise asks `question` [y/N] on the terminal; cannot_ask when stdin is
// not one (we refuse to delete without an explicit yes).
Consent ask_on_terminal(const std::string& question);

// "Delete 12 images (1.2 GiB) from 3 repositories of ECR 111111111111 us-east-1?"
std::string consent_question_text(const ConsentQuestion& question);

}  // namespace regsweep::cli
