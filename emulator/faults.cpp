// Fault decisions (faults.hpp).
#include "faults.hpp"

#include <chrono>

namespace ecr_emulator {

namespace {

constexpr const char* k_fields[] = {"latency_ms",      "jitter_ms",
                                    "throttle_tps",    "throttle_probability",
                                    "error_5xx_rate",  "drop_connection_rate",
                                    "slow_response_ms"};

double* field(FaultSpec& spec, const std::string& name) {
  if (name == "latency_ms") return &spec.latency_ms;
  if (name == "jitter_ms") return &spec.jitter_ms;
  if (name == "throttle_tps") return &spec.throttle_tps;
  if (name == "throttle_probability") return &spec.throttle_probability;
  if (name == "error_5xx_rate") return &spec.error_5xx_rate;
  if (name == "drop_connection_rate") return &spec.drop_connection_rate;
  if (name == "slow_response_ms") return &spec.slow_response_ms;
  return nullptr;
}

}  // namespace

std::optional<std::string> Faults::configure(const Json& config) {
  if (!config.is_object()) return "faults: body must be a JSON object {\"operations\": {...}}";
  std::map<std::string, FaultSpec> specs;
  auto ops = config.find("operations");
  if (ops != config.end() && !ops->is_null()) {
    if (!ops->is_object())
      return "faults: operations: must be an object keyed by operation name or \"*\"";
    for (const auto& [op, values] : ops->items()) {
      if (!values.is_object()) return "faults: operations." + op + ": must be an object";
      FaultSpec spec;
      for (const auto& [name, value] : values.items()) {
        double* target = field(spec, name);
        if (target == nullptr) return "faults: operations." + op + "." + name + ": unknown fault";
        if (!value.is_number() || value.get<double>() < 0) {
          return "faults: operations." + op + "." + name + ": must be a non-negative number";
        }
        *target = value.get<double>();
      }
      specs[op] = spec;
    }
  }
  std::lock_guard lock(m_mutex);
  if (auto seed = config.find("seed"); seed != config.end() && seed->is_number_unsigned()) {
    m_rng.seed(seed->get<std::uint64_t>());
  }
  m_specs = std::move(specs);
  m_buckets.clear();
  m_enabled = !m_specs.empty();
  return std::nullopt;
}

Json Faults::describe() const {
  std::lock_guard lock(m_mutex);
  Json ops = Json::object();
  for (auto& [op, spec] : m_specs) {
    FaultSpec copy = spec;
    Json values = Json::object();
    for (const char* name : k_fields) values[name] = *field(copy, name);
    ops[op] = values;
  }
  return Json{{"operations", ops}};
}

FaultDecision Faults::decide(const std::string& operation) {
  FaultDecision decision;
  if (!m_enabled) return decision;
  std::lock_guard lock(m_mutex);
  auto it = m_specs.find(operation);
  if (it == m_specs.end()) it = m_specs.find("*");
  if (it == m_specs.end()) return decision;
  const FaultSpec& spec = it->second;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  double jitter = spec.jitter_ms > 0 ? unit(m_rng) * spec.jitter_ms : 0;
  decision.delay_ms = static_cast<int>(spec.latency_ms + jitter);
  if (spec.throttle_tps > 0) {
    auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
    double capacity = std::max(1.0, spec.throttle_tps);
    auto [bucket, fresh] = m_buckets.try_emplace(operation, Bucket{capacity, now_ns});
    if (!fresh) {
      bucket->second.tokens =
          std::min(capacity, bucket->second.tokens +
                                 (now_ns - bucket->second.last_ns) * 1e-9 * spec.throttle_tps);
      bucket->second.last_ns = now_ns;
    }
    if (bucket->second.tokens >= 1.0)
      bucket->second.tokens -= 1.0;
    else
      decision.throttle = true;
  }
  // Always draw every number, so one fault's setting does not shift the others' sequence.
  double throttle_draw = unit(m_rng);
  double error_draw = unit(m_rng);
  double drop_draw = unit(m_rng);
  if (throttle_draw < spec.throttle_probability) decision.throttle = true;
  if (!decision.throttle && error_draw < spec.error_5xx_rate) decision.error_5xx = true;
  if (!decision.throttle && !decision.error_5xx && drop_draw < spec.drop_connection_rate)
    decision.drop_connection = true;
  decision.slow_response_ms = static_cast<int>(spec.slow_response_ms);
  return decision;
}

}  // namespace ecr_emulator
