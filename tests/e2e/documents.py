"""What the e2e tests expect of regsweep's JSON documents, in one place (docs/output.md).

Every document names the same things the same way, with ECR's names where ECR has one:
registryId, repositoryName, imageDigest, imageTags, imagePushedAt, imageSizeInBytes. Tests read
fields through these constants, so a rename is one edit here.
"""

PLAN_SCHEMA = 2          # plan --output json, plan --save-plan, policy preview (docs/plan-json.md)
REPORT_SCHEMA = 2        # apply / delete --output json (docs/output.md)
JOURNAL_SHOW_SCHEMA = 2  # journal show --output json (docs/journal.md)
RUN_SCHEMA = 1           # run --output json (docs/config.md)

REGISTRY_ID = "registryId"
REPOSITORY = "repositoryName"
DIGEST = "imageDigest"
TAGS = "imageTags"
PUSHED_AT = "imagePushedAt"
SIZE = "imageSizeInBytes"
# skippedRegistries[] and sources[] of a plan name a registry by its label: ACCOUNT/REGION
REGISTRY_LABEL = "label"


def deleted_digests(journal_doc):
    """The digests a `journal show --output json` document records as deleted."""
    return {r[DIGEST] for r in journal_doc["records"] if r.get("outcome") == "deleted"}
