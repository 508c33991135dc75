// Lambda as an in-use source (source.hpp): image functions, their versions and aliases, the image
// of each from GetFunction. Fail closed: any failed call fails the scan, and a version whose image
// cannot be read is an error, not a gap.
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "aws/rest_json.hpp"
#include "aws/sigv4.hpp"
#include "inuse/source.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

Error bad(const std::string& what, const std::string& problem) {
  return make_error(ErrorCode::invalid_input,
                    "lambda " + what + ": " + problem + "; the answer is not what AWS documents");
}

Result<json> parse_object(std::string_view body, const std::string& what) {
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad(what, "not a JSON object");
  return doc;
}

std::string string_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<const json*> array_at(const json& doc, const char* key, const std::string& what) {
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) {
    static const json empty = json::array();
    return &empty;
  }
  if (!it->is_array()) return bad(what, std::string(key) + " is not an array");
  return &*it;
}

class LambdaSource final : public InUseSource {
 public:
  LambdaSource(std::shared_ptr<AwsRestClient> client, std::string region)
      : m_client(std::move(client)), m_region(std::move(region)) {}

  Result<InUseSet> collect() override {
    InUseSet set;
    auto functions = paged("/2015-03-31/functions/?MaxItems=50", &parse_lambda_functions);
    if (!functions) return functions.error();
    for (const auto& name : *functions) {
      const std::string base = "/2015-03-31/functions/" + aws_uri_encode(name, false);
      auto versions = paged(base + "/versions?MaxItems=50", &parse_lambda_versions);
      if (!versions) return versions.error();
      auto aliases = paged(base + "/aliases?MaxItems=50", &parse_lambda_aliases);
      if (!aliases) return aliases.error();
      std::vector<std::string> qualifiers = {"$LATEST"};
      std::set<std::string> seen(qualifiers.begin(), qualifiers.end());
      for (const auto& list : {*versions, *aliases})
        for (const auto& v : list)
          if (seen.insert(v).second) qualifiers.push_back(v);
      for (const auto& qualifier : qualifiers) {
        const std::string what = "lambda " + m_region + " " + name + ":" + qualifier;
        auto body = m_client->get(base + "?Qualifier=" + aws_uri_encode(qualifier, false));
        if (!body) return body.error();
        auto code = parse_lambda_function_code(*body);
        if (!code) return make_error(ErrorCode::invalid_input, what + ": " + code.error().message);
        for (const auto& uri : {code->resolved_image_uri, code->image_uri}) {
          if (uri.empty()) continue;
          if (auto added = set.add(uri, what); !added) {
            set.problems.push_back({what, added.error().message});
          }
        }
      }
    }
    set.sources.push_back("lambda " + m_region);
    return set;
  }

 private:
  Result<std::vector<std::string>> paged(const std::string& first,
                                         Result<LambdaPage> (*parse)(std::string_view)) {
    std::vector<std::string> all;
    std::string marker;
    do {
      auto body =
          m_client->get(first + (marker.empty() ? "" : "&Marker=" + aws_uri_encode(marker, false)));
      if (!body) return body.error();
      auto page = parse(*body);
      if (!page) return page.error();
      all.insert(all.end(), page->items.begin(), page->items.end());
      if (!page->next_marker.empty() && page->next_marker == marker) {
        return make_error(ErrorCode::internal, "lambda: the same NextMarker twice; stopping");
      }
      marker = page->next_marker;
    } while (!marker.empty());
    return all;
  }

  std::shared_ptr<AwsRestClient> m_client;
  std::string m_region;
};

}  // namespace

Result<LambdaPage> parse_lambda_functions(std::string_view body) {
  auto doc = parse_object(body, "ListFunctions");
  if (!doc) return doc.error();
  auto functions = array_at(*doc, "Functions", "ListFunctions");
  if (!functions) return functions.error();
  LambdaPage page;
  for (const auto& f : **functions) {
    if (!f.is_object()) return bad("ListFunctions", "a function is not an object");
    if (string_at(f, "PackageType") != "Image") continue;  // zip functions hold no image
    const std::string name = string_at(f, "FunctionName");
    if (name.empty()) return bad("ListFunctions", "a function has no FunctionName");
    page.items.push_back(name);
  }
  page.next_marker = string_at(*doc, "NextMarker");
  return page;
}

Result<LambdaPage> parse_lambda_versions(std::string_view body) {
  auto doc = parse_object(body, "ListVersionsByFunction");
  if (!doc) return doc.error();
  auto versions = array_at(*doc, "Versions", "ListVersionsByFunction");
  if (!versions) return versions.error();
  LambdaPage page;
  for (const auto& v : **versions) {
    if (!v.is_object()) return bad("ListVersionsByFunction", "a version is not an object");
    const std::string version = string_at(v, "Version");
    if (version.empty()) return bad("ListVersionsByFunction", "a version has no Version");
    page.items.push_back(version);
  }
  page.next_marker = string_at(*doc, "NextMarker");
  return page;
}

Result<LambdaPage> parse_lambda_aliases(std::string_view body) {
  auto doc = parse_object(body, "ListAliases");
  if (!doc) return doc.error();
  auto aliases = array_at(*doc, "Aliases", "ListAliases");
  if (!aliases) return aliases.error();
  LambdaPage page;
  for (const auto& a : **aliases) {
    if (!a.is_object()) return bad("ListAliases", "an alias is not an object");
    const std::string version = string_at(a, "FunctionVersion");
    if (version.empty()) return bad("ListAliases", "an alias has no FunctionVersion");
    page.items.push_back(version);
    const auto routing = a.find("RoutingConfig");
    if (routing != a.end() && routing->is_object()) {
      const auto weights = routing->find("AdditionalVersionWeights");
      if (weights != routing->end() && weights->is_object()) {
        for (const auto& [extra, weight] : weights->items()) {
          if (extra.empty()) return bad("ListAliases", "a routing weight names no version");
          page.items.push_back(extra);
        }
      }
    }
  }
  page.next_marker = string_at(*doc, "NextMarker");
  return page;
}

Result<LambdaCode> parse_lambda_function_code(std::string_view body) {
  auto doc = parse_object(body, "GetFunction");
  if (!doc) return doc.error();
  const auto code = doc->find("Code");
  if (code == doc->end() || !code->is_object()) return bad("GetFunction", "no Code");
  LambdaCode out{string_at(*code, "ImageUri"), string_at(*code, "ResolvedImageUri")};
  if (out.image_uri.empty() && out.resolved_image_uri.empty()) {
    return bad("GetFunction", "Code has neither ImageUri nor ResolvedImageUri");
  }
  return out;
}

std::unique_ptr<InUseSource> make_lambda_source(std::shared_ptr<AwsRestClient> client,
                                                std::string region) {
  return std::make_unique<LambdaSource>(std::move(client), std::move(region));
}

}  // namespace regsweep
