#include "cli/cli_events.hpp"

#include <unistd.h>

#include <iostream>

#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {

CliEvents::CliEvents(std::string command, bool quiet)
    : m_command(std::move(command)), m_quiet(quiet), m_progress(quiet) {}

void CliEvents::progress(const Progress& p) {
  const std::string prefix = p.registry.empty() ? "" : p.registry + ": ";
  if (p.phase == Progress::Phase::listing) {
    m_progress.update(prefix + "listing repositories " + std::to_string(p.done) + "/" +
                      std::to_string(p.total));
  } else {
    m_progress.update(prefix + "deleting " + std::to_string(p.done) + "/" +
                      std::to_string(p.total) + " images, " + std::to_string(p.repositories_done) +
                      "/" + std::to_string(p.repositories_total) + " repositories");
  }
}

void CliEvents::note(NoteKind kind, std::string_view line) {
  if (kind == NoteKind::info && m_quiet) return;
  m_progress.finish();
  std::cerr << "regsweep " << m_command << ": " << (kind == NoteKind::warning ? "warning: " : "")
            << printable(line) << '\n';
}

Consent ask_on_terminal(const std::string& question) {
  if (::isatty(STDIN_FILENO) != 1) return Consent::cannot_ask;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return Consent::declined;
  return answer == "y" || answer == "Y" || answer == "yes" ? Consent::granted : Consent::declined;
}

std::string consent_question_text(const ConsentQuestion& question) {
  return "Delete " + counted(question.images, "image", "images") + " (" +
         format_bytes(question.bytes) + ") from " +
         counted(question.repositories, "repository", "repositories") + " of " + question.where +
         "?";
}

}  // namespace regsweep::cli
