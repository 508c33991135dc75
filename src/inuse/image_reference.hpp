// Image references as people and orchestrators write them ("nginx", "nginx:1.25",
// "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1@sha256:...", "sha256:...", "v1"),
// parsed with Docker's rules (distribution/reference): the first path component is a registry host
// when it contains '.' or ':' or is "localhost"; otherwise the host is docker.io and a
// one-component name gets "library/". ECR hosts (dkr.ecr, dkr.ecr-fips, dualstack dkr-ecr.*.on.aws,
// China's .amazonaws.com.cn) also yield the account id and region.
//
// A reference with no repository is "bare": a tag or a digest alone (keep files allow that; it then
// applies to every repository). Runtime prefixes ("docker-pullable://", "docker://") are stripped,
// as Kubernetes' containerStatuses[].imageID carries them.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

struct ImageReference {
  std::string registry;     // host[:port], lower-cased; "docker.io" by default; empty when bare
  std::string repository;   // "library/nginx", "team/api"; empty when bare
  std::string tag;          // empty when none
  std::string digest;       // "sha256:<64 hex>" (lower-case); empty when none
  std::string ecr_account;  // set for ECR hosts only
  std::string ecr_region;   // set for ECR hosts only
  // False when the text named no host ("team/api:v1"): Docker would read docker.io, but people
  // writing keep files mean their own registry, so matching then ignores the host (see
  // in_use.hpp). `registry` still says "docker.io" and `repository` gets Docker's "library/".
  bool explicit_registry = false;

  bool bare() const { return repository.empty(); }
  bool is_ecr() const { return !ecr_account.empty(); }
};

// Parses a full reference ("[host/]name[:tag][@digest]"), a bare digest ("sha256:<hex>") or, when
// `allow_bare_tag`, a bare tag ("v1"). Errors are invalid_input: "<text>: problem; fix".
Result<ImageReference> parse_image_reference(std::string_view text, bool allow_bare_tag = false);

// A digest "algorithm:hex" as OCI allows for sha256 (64 hex) and sha512 (128 hex).
bool is_valid_digest(std::string_view text);
// Docker's tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool is_valid_tag(std::string_view text);

// The canonical text: "host/repository[:tag][@digest]" or, when bare, the tag or the digest.
// parse_image_reference(to_string(r)) gives r back.
std::string to_string(const ImageReference& reference);

// For an ECR host "<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]" or
// "<account>.dkr-ecr[-fips].<region>.on.aws": true, with account and region filled in.
bool parse_ecr_host(std::string_view host, std::string& account, std::string& region);

}  // namespace regsweep
