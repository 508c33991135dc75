// The emulator's request/response vocabulary. An ECR operation takes the parsed JSON body and
// answers either a JSON object (HTTP 200) or one whole-call ECR error. Handlers signal that error
// by throwing ApiError; dispatch() in server.cpp is the single place that catches it and turns it
// into ECR's envelope {"__type": ..., "message": ...} (one error per call, as the service does).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace ecr_emulator {

using Json = nlohmann::json;

struct ApiError : std::runtime_error {
  ApiError(int status_code, std::string error_type, const std::string& msg)
      : std::runtime_error(msg), status(status_code), type(std::move(error_type)) {}
  int status;
  std::string type;  // bare model name, e.g. "RepositoryNotFoundException"
};

// The wire answer of one call: status and a compact JSON body.
struct Reply {
  int status = 200;
  std::string body;
};

Reply error_reply(int status, const std::string& type, const std::string& message);

// 400 InvalidParameterException with AWS's constraint wording:
// "Invalid parameter at '<member>' failed to satisfy constraint: '<rule>'".
[[noreturn]] void throw_invalid_parameter(const std::string& member, const std::string& rule);

// Typed access to request members. Absent or null optional members yield the fallback; a member
// of the wrong JSON type is a SerializationException, as the service answers.
std::string opt_string(const Json& body, const char* name, const std::string& fallback = "");
std::string req_string(const Json& body, const char* name);
bool opt_bool(const Json& body, const char* name, bool fallback);
const Json* opt_array(const Json& body, const char* name);
const Json* opt_object(const Json& body, const char* name);
// maxResults within [1, upper]; absent gives `fallback`.
int max_results(const Json& body, int upper, int fallback);

}  // namespace ecr_emulator
