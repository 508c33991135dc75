#include "cli/apply_report.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/plan_render.hpp"
#include "cli/table.hpp"
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
              {"imageSizeInBytes", o.item.frees_image ? o.item.image.size_bytes : 0},
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

std::string item_what(const ItemOutcome& o) {
  return (o.item.id.digest.empty() ? "tag " + o.item.id.tag + " of " : std::string()) +
         short_digest(o.item.image.digest);
}

// One section of the table ("Deleted (3):" and its rows), at most max_rows rows.
std::string section_table(const ApplyReport& report, ItemResult result, const std::string& title,
                          std::size_t count, std::size_t max_rows) {
  if (count == 0) return {};
  const bool deleted = result == ItemResult::deleted;
  const bool done = deleted || result == ItemResult::archived || result == ItemResult::restored;
  Table table({{"REPOSITORY"},
               {"IMAGE"},
               {"TAGS"},
               {deleted ? "FREED"
                : done  ? "SIZE"
                        : "CODE",
                done ? Align::right : Align::left},
               {done ? "REASON" : "DETAIL"}});
  for (const auto& o : report.outcomes) {
    if (o.result != result) continue;
    if (max_rows != 0 && table.rows() >= max_rows) break;
    if (deleted) {
      table.add({o.repository, item_what(o), tags_text(o.item.image.tags),
                 o.item.frees_image ? format_bytes(o.item.image.size_bytes) : "untag only",
                 o.item.reason});
    } else if (done) {
      table.add({o.repository, item_what(o), tags_text(o.item.image.tags),
                 format_bytes(o.item.image.size_bytes),
                 o.item.reason + (o.detail.empty() ? "" : " (" + o.detail + ")")});
    } else {
      table.add({o.repository, item_what(o), tags_text(o.item.image.tags), o.code, o.detail});
    }
  }
  return title + " (" + thousands(count) + "):\n" + table.render("  ") +
         more_rows_line(table.rows(), count);
}

void render_text(const ApplyReport& report, const ApplyRenderOptions& options, double savings) {
  std::string text;
  for (const auto& o : report.outcomes) {
    std::string tags;
    for (const auto& t : o.item.image.tags) tags += (tags.empty() ? "" : ",") + t;
    text += text_record({"ITEM", to_string(o.result), o.repository, o.item.image.digest,
                         o.item.id.digest.empty() ? o.item.id.tag : "", tags,
                         std::to_string(o.item.frees_image ? o.item.image.size_bytes : 0),
                         o.item.reason, o.code, o.detail});
  }
  if (options.not_as_planned) {
    for (const auto& n : *options.not_as_planned)
      text += text_record({"NOTASPLANNED", n.repository, n.digest, n.problem});
  }
  char money[64];
  std::snprintf(money, sizeof money, "%.2f", savings);
  text +=
      text_record({"TOTALS", std::to_string(report.deleted), std::to_string(report.failed),
                   std::to_string(report.skipped), std::to_string(report.gone),
                   std::to_string(options.skipped_repositories), std::to_string(report.bytes_freed),
                   money, std::to_string(report.archived), std::to_string(report.restored),
                   std::to_string(report.bytes_archived), std::to_string(report.bytes_restored)});
  write_stdout(text);
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
  if (options.format == OutputFormat::text) {
    render_text(report, options, savings);
    return;
  }
  if (options.format == OutputFormat::json) {
    json out = {{"schemaVersion", 2},        {"deleted", json::array()},
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
  if (!options.quiet) {
    text += section_table(report, ItemResult::deleted, "Deleted", report.deleted, options.max_rows);
    text +=
        section_table(report, ItemResult::archived, "Archived", report.archived, options.max_rows);
    text += section_table(report, ItemResult::restored,
                          "Restored (back in standard storage within about 20 minutes)",
                          report.restored, options.max_rows);
  }
  text += section_table(report, ItemResult::failed, "Failed", report.failed, options.max_rows);
  text += section_table(report, ItemResult::skipped, "Skipped", report.skipped, options.max_rows);
  text += section_table(report, ItemResult::gone, "Already gone", report.gone, options.max_rows);
  char money[64];
  std::snprintf(money, sizeof money, "$%.2f", savings);
  text += "Deleted " + thousands(report.deleted) + ", failed " + thousands(report.failed) +
          ", skipped " + thousands(report.skipped) + ", already gone " + thousands(report.gone) +
          "; freed " + format_bytes(report.bytes_freed) + ", saving " + money + " per month\n";
  if (report.archived + report.restored > 0) {
    text += "Archived " + thousands(report.archived) + " (" + format_bytes(report.bytes_archived) +
            "), restored " + thousands(report.restored) + " (" +
            format_bytes(report.bytes_restored) + ")\n";
  }
  if (options.skipped_repositories > 0) {
    text += counted(options.skipped_repositories, "repository was", "repositories were") +
            " skipped because listing failed; nothing in them was deleted\n";
  }
  text += api_calls_line(options.api_calls);
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
