#include "cli/cli_events.hpp"

#include <unistd.h>

#include <cctype>
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
  std::vector<std::string> parts;
  if (question.images > 0 || question.changes() == 0)
    parts.push_back("delete " + counted(question.images, "image", "images") + " (" +
                    format_bytes(question.bytes) + ")");
  if (question.archives > 0)
    parts.push_back("archive " + counted(question.archives, "image", "images") + " (" +
                    format_bytes(question.bytes_archived) + ")");
  if (question.restores > 0)
    parts.push_back("restore " + counted(question.restores, "archived image", "archived images") +
                    " (" + format_bytes(question.bytes_restored) + ")");
  std::string what;
  for (std::size_t i = 0; i < parts.size(); ++i)
    what += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
  const bool only_deletions = question.archives + question.restores == 0;
  return what + (only_deletions ? " from " : " in ") +
         counted(question.repositories, "repository", "repositories") + " of " + question.where +
         "?";
}

}  // namespace regsweep::cli
