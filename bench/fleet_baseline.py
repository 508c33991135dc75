#!/usr/bin/env python3
"""The baseline of bench/fleet.sh: cleaning ECR the way people script it today with boto3 —
describe_repositories and describe_images paginators, the policy's two rules in Python, then
batch_delete_image 100 ids a call, one repository after another. Nothing clever, nothing wrong.

usage: fleet_baseline.py ENDPOINT [--list-only]   (credentials and region from the environment)
Prints one JSON line: {"seconds": ..., "list_seconds": ..., "deleted": ..., "repositories": ...}."""
import datetime
import json
import sys
import time

import boto3

UNTAGGED_DAYS = 14   # rule 1: untagged images pushed more than 14 days ago
KEEP_TAGGED = 10     # rule 2: keep the 10 newest tagged images


def main():
    endpoint = sys.argv[1]
    list_only = "--list-only" in sys.argv
    ecr = boto3.client("ecr", endpoint_url=endpoint)
    started = time.monotonic()
    repositories = []
    for page in ecr.get_paginator("describe_repositories").paginate():
        repositories += [r["repositoryName"] for r in page["repositories"]]
    images = {}
    for name in repositories:
        images[name] = []
        for page in ecr.get_paginator("describe_images").paginate(repositoryName=name):
            images[name] += page["imageDetails"]
    listed = time.monotonic()
    deleted = 0
    if not list_only:
        cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=UNTAGGED_DAYS)
        for name in repositories:
            untagged = [i for i in images[name] if not i.get("imageTags") and i["imagePushedAt"] < cutoff]
            tagged = sorted((i for i in images[name] if i.get("imageTags")),
                            key=lambda i: i["imagePushedAt"], reverse=True)
            doomed = [{"imageDigest": i["imageDigest"]} for i in untagged + tagged[KEEP_TAGGED:]]
            for start in range(0, len(doomed), 100):
                answer = ecr.batch_delete_image(repositoryName=name, imageIds=doomed[start:start + 100])
                deleted += len(answer["imageIds"])
    done = time.monotonic()
    print(json.dumps({"seconds": done - started, "list_seconds": listed - started, "deleted": deleted,
                      "repositories": len(repositories)}))


if __name__ == "__main__":
    main()
