// Error envelope and typed member access (see api.hpp).
#include "api.hpp"

namespace ecr_emulator {

Reply error_reply(int status, const std::string& type, const std::string& message) {
  Json body = {{"__type", type}, {"message", message}};
  return Reply{status, body.dump()};
}

void throw_invalid_parameter(const std::string& member, const std::string& rule) {
  throw ApiError(
      400, "InvalidParameterException",
      "Invalid parameter at '" + member + "' failed to satisfy constraint: '" + rule + "'");
}

namespace {

[[noreturn]] void wrong_type(const char* name, const char* expected) {
  throw ApiError(400, "SerializationException",
                 std::string("Unexpected value for '") + name + "': expected " + expected);
}

const Json* member(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

std::string opt_string(const Json& body, const char* name, const std::string& fallback) {
  const Json* value = member(body, name);
  if (value == nullptr) return fallback;
  if (!value->is_string()) wrong_type(name, "a string");
  return value->get<std::string>();
}

std::string req_string(const Json& body, const char* name) {
  const Json* value = member(body, name);
  if (value == nullptr) throw_invalid_parameter(name, "Member must not be null");
  if (!value->is_string()) wrong_type(name, "a string");
  return value->get<std::string>();
}

bool opt_bool(const Json& body, const char* name, bool fallback) {
  const Json* value = member(body, name);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) wrong_type(name, "a boolean");
  return value->get<bool>();
}

const Json* opt_array(const Json& body, const char* name) {
  const Json* value = member(body, name);
  if (value != nullptr && !value->is_array()) wrong_type(name, "a list");
  return value;
}

const Json* opt_object(const Json& body, const char* name) {
  const Json* value = member(body, name);
  if (value != nullptr && !value->is_object()) wrong_type(name, "a structure");
  return value;
}

int max_results(const Json& body, int upper, int fallback) {
  const Json* value = member(body, "maxResults");
  if (value == nullptr) return fallback;
  if (!value->is_number_integer()) wrong_type("maxResults", "an integer");
  auto n = value->get<std::int64_t>();
  if (n < 1)
    throw_invalid_parameter("maxResults", "Member must have value greater than or equal to 1");
  if (n > upper) {
    throw_invalid_parameter(
        "maxResults", "Member must have value less than or equal to " + std::to_string(upper));
  }
  return static_cast<int>(n);
}

}  // namespace ecr_emulator
