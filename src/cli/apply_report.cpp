#include "cli/apply_report.hpp"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

using nlohmann::json;

std::string tags_text(const std::vector<std::string>& tags) {
  if (tags.empty()) return "<untagged>";
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::string short_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  return colon == std::string::npos ? digest
                                    : digest.substr(0, std::min(digest.size(), colon + 13));
}

json item_json(const ItemOutcome& o) {
  json id = json::object();
  if (!o.item.id.digest.empty()) id["imageDigest"] = o.item.id.digest;
  if (!o.item.id.tag.empty()) id["imageTag"] = o.item.id.tag;
  json out = {{"repositoryName", o.repository},
              {"imageDigest", o.item.image.digest},
              {"imageTags", o.item.image.tags},
              {"imageId", id},
              {"sizeInBytes", o.item.frees_image ? o.item.image.size_bytes : 0},
              {"reason", o.item.reason}};
  if (o.result != ItemResult::deleted && o.result != ItemResult::archived &&
      o.result != ItemResult::restored) {
    out["code"] = o.code;
    out["detail"] = o.detail;
  } else if (!o.detail.empty()) {
    out["detail"] = o.detail;  // "restoring (ACTIVATING)"
  }
  return out;
}

std::string item_line(const ItemOutcome& o) {
  std::string what = o.item.id.digest.empty() ? "tag " + o.item.id.tag + " of " : "";
  std::string line = "  " + o.repository + "  " + what + short_digest(o.item.image.digest) + "  " +
                     tags_text(o.item.image.tags);
  if (o.result == ItemResult::deleted) {
    line += "  " + (o.item.frees_image ? format_bytes(o.item.image.size_bytes) : "untagged");
  } else if (o.result == ItemResult::archived || o.result == ItemResult::restored) {
    line +=
        "  " + format_bytes(o.item.image.size_bytes) + (o.detail.empty() ? "" : "  " + o.detail);
  } else {
    line += "  " + o.code + ": " + o.detail;
  }
  return printable(line) + "\n";
}

// "delete 3 images", "delete 3 images and archive 2 images", "restore 1 archived image"
std::string changes_text(const ConsentQuestion& q) {
  std::vector<std::string> parts;
  if (q.images > 0 || q.changes() == 0)
    parts.push_back("delete " + counted(q.images, "image", "images"));
  if (q.archives > 0) parts.push_back("archive " + counted(q.archives, "image", "images"));
  if (q.restores > 0)
    parts.push_back("restore " + counted(q.restores, "archived image", "archived images"));
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i)
    text += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return text;
}

}  // namespace

void render_apply_report(const ApplyReport& report, const ApplyRenderOptions& options) {
  const double savings =
      monthly_cost(report.bytes_freed, options.price_per_gb_month) +
      monthly_cost(report.bytes_archived,
                   options.price_per_gb_month - options.archive_price_per_gb_month);
  if (options.json) {
    json out = {{"schemaVersion", 1},        {"deleted", json::array()},
                {"archived", json::array()}, {"restored", json::array()},
                {"failed", json::array()},   {"skipped", json::array()},
                {"gone", json::array()}};
    for (const auto& o : report.outcomes)
      out[std::string(to_string(o.result))].push_back(item_json(o));
    if (options.not_as_planned) {
      out["notAsPlanned"] = json::array();
      for (const auto& n : *options.not_as_planned) {
        out["notAsPlanned"].push_back(
            {{"repositoryName", n.repository}, {"imageDigest", n.digest}, {"reason", n.problem}});
      }
    }
    out["apiCalls"] = json::object();
    for (const auto& [operation, count] : options.api_calls) out["apiCalls"][operation] = count;
    out["totals"] = {{"deleted", report.deleted},
                     {"failed", report.failed},
                     {"skipped", report.skipped},
                     {"gone", report.gone},
                     {"archived", report.archived},
                     {"restored", report.restored},
                     {"skippedRepositories", options.skipped_repositories},
                     {"bytesFreed", report.bytes_freed},
                     {"bytesArchived", report.bytes_archived},
                     {"bytesRestored", report.bytes_restored},
                     {"monthlySavings", savings}};
    write_stdout(out.dump(2) + "\n");
    return;
  }
  std::string text;
  const auto section = [&](ItemResult result, const std::string& title, std::size_t count) {
    if (count == 0 || (result != ItemResult::failed && result != ItemResult::skipped &&
                       result != ItemResult::gone && options.quiet))
      return;
    text += title + " (" + std::to_string(count) + "):\n";
    for (const auto& o : report.outcomes) {
      if (o.result == result) text += item_line(o);
    }
  };
  section(ItemResult::deleted, "Deleted", report.deleted);
  section(ItemResult::archived, "Archived", report.archived);
  section(ItemResult::restored, "Restored (back in standard storage within about 20 minutes)",
          report.restored);
  section(ItemResult::failed, "Failed", report.failed);
  section(ItemResult::skipped, "Skipped, changed since planning", report.skipped);
  section(ItemResult::gone, "Already gone", report.gone);
  char money[64];
  std::snprintf(money, sizeof money, "$%.2f", savings);
  text += "Deleted " + std::to_string(report.deleted) + ", failed " +
          std::to_string(report.failed) + ", skipped " + std::to_string(report.skipped) +
          ", already gone " + std::to_string(report.gone) + "; freed " +
          format_bytes(report.bytes_freed) + ", saving " + money + " per month\n";
  if (report.archived + report.restored > 0) {
    text += "Archived " + std::to_string(report.archived) + " (" +
            format_bytes(report.bytes_archived) + "), restored " + std::to_string(report.restored) +
            " (" + format_bytes(report.bytes_restored) + ")\n";
  }
  if (options.skipped_repositories > 0) {
    text += counted(options.skipped_repositories, "repository was", "repositories were") +
            " skipped because listing failed; nothing in them was deleted\n";
  }
  if (!options.api_calls.empty()) {
    std::string parts;
    for (const auto& [operation, count] : options.api_calls)
      parts += (parts.empty() ? "" : ", ") + operation + " " + std::to_string(count);
    text += "API calls: " + std::to_string(total_calls(options.api_calls)) + " (" + parts + ")\n";
  }
  write_stdout(text);
}

int report_deletion(const std::string& name, const DeletionOutcome& deletion, bool complete,
                    const ApplyRenderOptions& render, bool quiet) {
  const bool only_deletions = deletion.asked.archives + deletion.asked.restores == 0;
  switch (deletion.ending) {
    case DeletionEnding::failed:
      return report_error(name, deletion.error.value_or(make_error(ErrorCode::internal, "failed")));
    case DeletionEnding::declined:
      std::cerr << "regsweep " << name << ": nothing " << (only_deletions ? "deleted" : "changed")
                << "\n";
      return k_exit_ok;
    case DeletionEnding::cannot_ask:
      std::cerr << "regsweep " << name << ": refusing to " << changes_text(deletion.asked)
                << " without --yes: stdin is not a terminal to ask on; re-run with --yes\n";
      return k_exit_usage;
    case DeletionEnding::plan_only:
      if (!quiet) {
        std::cerr << "regsweep " << name << ": plan only, would " << changes_text(deletion.asked)
                  << "; nothing " << (only_deletions ? "deleted" : "changed")
                  << " (run with --yes to do it)\n";
      }
      return complete ? k_exit_ok : k_exit_failed;
    case DeletionEnding::nothing_to_delete:
    case DeletionEnding::deleted:
      break;
  }
  render_apply_report(deletion.report, render);
  const bool failed = deletion.report.any_failed() || !deletion.unidentified.empty() || !complete;
  return failed ? k_exit_failed : k_exit_ok;
}

}  // namespace regsweep::cli
