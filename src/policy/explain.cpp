#include "policy/explain.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>

namespace regsweep {
namespace {

void append_ordinal(std::string& out, std::uint64_t n);

std::string ordinal(std::uint64_t n) {
  std::string out;
  append_ordinal(out, n);
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

const Rule* find_rule(const Policy& policy, std::optional<std::int64_t> priority) {
  if (!priority) return nullptr;
  for (const auto& rule : policy.rules) {
    if (rule.priority == *priority) return &rule;
  }
  return nullptr;
}

std::string_view reference_name(CountType type) {
  switch (type) {
    case CountType::since_image_pulled:
      return "last pulled (or pushed/restored)";
    case CountType::since_image_transitioned:
      return "archived";
    default:
      return "pushed";
  }
}

std::string age_days(EpochMillis now, EpochMillis then) {
  const double days = static_cast<double>(now - then) / static_cast<double>(k_millis_per_day);
  if (days < 0) return "in the future";
  const double rounded = std::nearbyint(days);
  return fmt::format("{:.0f} {} ago", rounded, rounded == 1 ? "day" : "days");
}

std::string rule_summary(const Rule& rule) {
  const std::string what = describe_selection(rule);
  if (rule.count_type == CountType::image_count_more_than) {
    return fmt::format("rule {} keeps the {} newest {}", rule.priority, rule.count_number, what);
  }
  return fmt::format("rule {} {}s {} {} more than {} {} ago", rule.priority, to_string(rule.action),
                     what, reference_name(rule.count_type), rule.count_number,
                     rule.count_number == 1 ? "day" : "days");
}

}  // namespace

std::string describe_selection(const Rule& rule) {
  std::string what;
  switch (rule.tag_status) {
    case TagStatus::untagged:
      what = "untagged images";
      break;
    case TagStatus::any:
      what = "images";
      break;
    case TagStatus::tagged:
      what =
          rule.tag_prefixes.empty()
              ? fmt::format("images tagged {}", join(rule.tag_patterns, " and "))
              : fmt::format("images tagged {}", join(
                                                    [&] {
                                                      std::vector<std::string> p;
                                                      for (const auto& prefix : rule.tag_prefixes)
                                                        p.push_back(prefix + "*");
                                                      return p;
                                                    }(),
                                                    " and "));
      break;
  }
  if (rule.storage_class == StorageClass::archive) what = "archived " + what;
  return what;
}

std::string explain(const Verdict& verdict, const Policy& policy, EpochMillis now) {
  const Rule* rule = find_rule(policy, verdict.rule_priority);
  const std::string_view action = to_string(verdict.action);
  std::string text;
  switch (verdict.reason) {
    case VerdictReason::no_rule_selects:
      return "keep: no rule selects this image";
    case VerdictReason::being_restored:
      return "keep: being restored from archive (ACTIVATING)";
    case VerdictReason::no_archive_time:
      text = fmt::format("keep: {}, but the image has no lastArchivedAt",
                         rule ? rule_summary(*rule) : "");
      break;
    case VerdictReason::within_count:
      text = fmt::format("keep: {}; this is the {}", rule ? rule_summary(*rule) : "",
                         ordinal(verdict.rank));
      break;
    case VerdictReason::count_exceeded:
      text = fmt::format("{}: {}; this is the {}", action, rule ? rule_summary(*rule) : "",
                         ordinal(verdict.rank));
      break;
    case VerdictReason::too_recent:
    case VerdictReason::age_exceeded:
      text = fmt::format("{}: {}; this one was {} {}", action, rule ? rule_summary(*rule) : "",
                         rule ? reference_name(rule->count_type) : "pushed",
                         age_days(now, verdict.reference_time));
      break;
    case VerdictReason::child_of_live_index:
      text = fmt::format("keep: {} would {} it, but an image index that stays references it",
                         rule ? fmt::format("rule {}", rule->priority) : std::string("a rule"),
                         rule ? to_string(rule->action) : "expire");
      break;
    case VerdictReason::follows_subject:
      text =
          fmt::format("{}: a referrer (signature, SBOM or attestation) whose subject rule {} {}s",
                      action, verdict.rule_priority.value_or(0), action);
      break;
  }
  if (verdict.shadowed_rule_priority) {
    text += fmt::format(" (rule {} would act on it, but rule {} selected it first)",
                        *verdict.shadowed_rule_priority, verdict.rule_priority.value_or(0));
  }
  return text;
}

Explainer::Explainer(const Policy& policy, EpochMillis now)
    : m_policy(policy), m_now(now), m_summaries(policy.rules.size()) {}

const Rule* Explainer::rule_of(std::optional<std::int64_t> priority) const {
  return find_rule(m_policy, priority);
}

const std::string& Explainer::summary(const Rule& rule) {
  auto& cached = m_summaries[static_cast<std::size_t>(&rule - m_policy.rules.data())];
  if (!cached) cached = rule_summary(rule);
  return *cached;
}

namespace {

void append_number(std::string& out, std::int64_t n) {
  char tmp[24];
  out.append(tmp, std::to_chars(tmp, tmp + sizeof tmp, n).ptr);
}

// ordinal(), appended.
void append_ordinal(std::string& out, std::uint64_t n) {
  char tmp[24];
  out.append(tmp, std::to_chars(tmp, tmp + sizeof tmp, n).ptr);
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    switch (n % 10) {
      case 1:
        suffix = "st";
        break;
      case 2:
        suffix = "nd";
        break;
      case 3:
        suffix = "rd";
        break;
      default:
        break;
    }
  }
  out += suffix;
}

}  // namespace

// Mirrors explain() case by case (explain_test.cpp checks the two agree on every reason).
std::string_view Explainer::operator()(const Verdict& verdict) {
  const Rule* rule = rule_of(verdict.rule_priority);
  const std::string_view action = to_string(verdict.action);
  std::string& out = m_buf;
  out.clear();
  switch (verdict.reason) {
    case VerdictReason::no_rule_selects:
      return "keep: no rule selects this image";
    case VerdictReason::being_restored:
      return "keep: being restored from archive (ACTIVATING)";
    case VerdictReason::no_archive_time:
      out += "keep: ";
      if (rule) out += summary(*rule);
      out += ", but the image has no lastArchivedAt";
      break;
    case VerdictReason::within_count:
    case VerdictReason::count_exceeded:
      out += verdict.reason == VerdictReason::within_count ? std::string_view("keep") : action;
      out += ": ";
      if (rule) out += summary(*rule);
      out += "; this is the ";
      append_ordinal(out, verdict.rank);
      break;
    case VerdictReason::too_recent:
    case VerdictReason::age_exceeded: {
      out += action;
      out += ": ";
      if (rule) out += summary(*rule);
      out += "; this one was ";
      out += rule ? reference_name(rule->count_type) : "pushed";
      out += ' ';
      const double days = static_cast<double>(m_now - verdict.reference_time) /
                          static_cast<double>(k_millis_per_day);
      if (days < 0) {
        out += "in the future";
      } else {
        // As explain()'s "{:.0f}": rounded to nearest, ties to even (the default rounding mode).
        const auto rounded = static_cast<std::int64_t>(std::nearbyint(days));
        append_number(out, rounded);
        out += rounded == 1 ? " day ago" : " days ago";
      }
      break;
    }
    case VerdictReason::child_of_live_index:
      out += "keep: ";
      if (rule) {
        out += "rule ";
        append_number(out, rule->priority);
      } else {
        out += "a rule";
      }
      out += " would ";
      out += rule ? to_string(rule->action) : "expire";
      out += " it, but an image index that stays references it";
      break;
    case VerdictReason::follows_subject:
      out += action;
      out += ": a referrer (signature, SBOM or attestation) whose subject rule ";
      append_number(out, verdict.rule_priority.value_or(0));
      out += ' ';
      out += action;
      out += 's';
      break;
  }
  if (verdict.shadowed_rule_priority) {
    out += " (rule ";
    append_number(out, *verdict.shadowed_rule_priority);
    out += " would act on it, but rule ";
    append_number(out, verdict.rule_priority.value_or(0));
    out += " selected it first)";
  }
  return out;
}

}  // namespace regsweep
