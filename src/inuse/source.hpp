// Where in-use images come from. Each source collects an InUseSet; a source that cannot give a
// complete answer fails (fail closed): a partial in-use set would let a running image be deleted.
// Parsers are separate pure functions (tested and fuzzed without I/O); the sources wrap them.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "aws/json_rpc.hpp"
#include "inuse/in_use.hpp"
#include "util/result.hpp"

namespace regsweep {

class InUseSource {
 public:
  virtual ~InUseSource() = default;
  virtual Result<InUseSet> collect() = 0;
};

// --- Kubernetes: `kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs,replicasets
// -A -o json` output (a List, nested Lists, or one object). From every item: the images of
// containers, initContainers and ephemeralContainers of a pod spec found at spec (pods),
// spec.template.spec (deployments, statefulsets, daemonsets, replicasets, jobs, any other kind
// with a pod template) or spec.jobTemplate.spec.template.spec (cronjobs); and from a pod's
// status.{,init,ephemeral}containerStatuses[].imageID the digest it is running, combined with the
// status' image name when the imageID has no repository. Invalid JSON is invalid_input; image
// strings that are not references become problems. `name` labels sources ("prod.json").
Result<InUseSet> parse_kubernetes_json(std::string_view text, const std::string& name);

// --- Keep file: one entry per line, '#' starts a comment, blank lines ignored. An entry is a full
// image reference, a bare tag ("v1": every repository's image tagged v1) or a bare digest
// ("sha256:...": that image, in whichever repository has it). A word with no '/', ':' or '@' is a
// tag. Any other line is an error naming file:line (fail closed: a typo must not unprotect).
Result<InUseSet> parse_keep_file(std::string_view text, const std::string& name);

// --- In-use command output: a JSON array of image reference strings. Anything else is an error.
Result<InUseSet> parse_in_use_command_output(std::string_view text, const std::string& command);

// Reads `path` completely (util/input_file: "-" is standard input; a directory, such as a mounted
// ConfigMap, is read as its files) and parses each file with `parse`, merged into one set. An
// input that cannot be read completely fails, naming `what` (the flag or config key): a
// protection is never applied from a partial or empty read.
using InUseParser = Result<InUseSet> (*)(std::string_view text, const std::string& name);
Result<InUseSet> read_in_use_files(std::string_view what, const std::string& path,
                                   InUseParser parse);

// Sources that read_in_use_files() with one of the parsers above (--kubernetes-json, --keep-file).
std::unique_ptr<InUseSource> make_kubernetes_file_source(std::string path);
std::unique_ptr<InUseSource> make_keep_file_source(std::string path);

// Runs `command` with /bin/sh -c in its own process group (stdin from /dev/null, stderr passed
// through), reads its stdout (at most 64 MiB) and parses it. A non-zero exit, a signal, output
// that is not a JSON array of references, or running past `timeout` (the group is killed) fails.
std::unique_ptr<InUseSource> make_command_source(std::string command,
                                                 std::chrono::milliseconds timeout);

// --- ECS (JSON 1.1 through `client`, target prefix AmazonEC2ContainerServiceV20141113), every
// cluster of one account and region: tasks RUNNING and STOPPED (ECS keeps stopped tasks about an
// hour) with their containers' image and imageDigest; services' deployments other than INACTIVE
// and their task definitions; and the newest `revisions_per_family` ACTIVE revisions of every task
// definition family. All listings paginated; any failed call fails the scan.
struct EcsScanOptions {
  std::string region;  // for the source descriptions
  int revisions_per_family = 5;
};
std::unique_ptr<InUseSource> make_ecs_source(std::shared_ptr<AwsJsonClient> client,
                                             EcsScanOptions options);

// --- Lambda (REST-JSON through `client`, signing name "lambda"): every function of one account and
// region whose PackageType is Image; for each, its $LATEST and published versions
// (ListVersionsByFunction) and the versions its aliases route to (ListAliases, including weighted
// routing), the image of each read with GetFunction: Code.ResolvedImageUri (the digest Lambda
// runs) and Code.ImageUri (the reference it was created from). All listings paginated (Marker);
// any failed call fails the scan. The parsers below are pure, one per answer.
struct LambdaPage {
  std::vector<std::string> items;  // function names / versions, in order
  std::string next_marker;         // empty: last page
};
// ListFunctions: names of the image functions only.
Result<LambdaPage> parse_lambda_functions(std::string_view body);
// ListVersionsByFunction: versions ("$LATEST", "1", ...) of image packages.
Result<LambdaPage> parse_lambda_versions(std::string_view body);
// ListAliases: every version an alias routes to (FunctionVersion + AdditionalVersionWeights).
Result<LambdaPage> parse_lambda_aliases(std::string_view body);
struct LambdaCode {
  std::string image_uri;           // Code.ImageUri
  std::string resolved_image_uri;  // Code.ResolvedImageUri (repo@sha256:...)
};
// GetFunction: an image function's code location; invalid_input when it has none.
Result<LambdaCode> parse_lambda_function_code(std::string_view body);

class AwsRestClient;
std::unique_ptr<InUseSource> make_lambda_source(std::shared_ptr<AwsRestClient> client,
                                                std::string region);

}  // namespace regsweep
