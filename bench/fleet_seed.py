#!/usr/bin/env python3
"""Writes bench/fleet.sh's emulator seed: REPOS repositories of IMAGES images each — a quarter
tagged (v1, v2, ...), the rest untagged — pushed over the last 120 days, and the matching policy.
usage: fleet_seed.py SEED_FILE POLICY_FILE REPOS IMAGES"""
import hashlib
import json
import sys
import time

seed_path, policy_path, repos, per_repo = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
now = time.time()
repositories = []
for r in range(repos):
    name = f"team-{r // 50:02d}/service-{r:04d}"
    images = []
    for i in range(per_repo):
        digest = "sha256:" + hashlib.sha256(f"{name}/{i}".encode()).hexdigest()
        detail = {"imageDigest": digest, "imagePushedAt": now - (120 - i * 119 / per_repo) * 86400,
                  "imageSizeInBytes": 50_000_000 + i,
                  "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"}
        if i % 4 == 3:
            detail["imageTags"] = [f"v{i}"]
        images.append(detail)
    repositories.append({"repositoryName": name, "imageDetails": images})
with open(seed_path, "w") as f:
    json.dump({"repositories": repositories}, f)
policy = {"rules": [
    {"rulePriority": 1, "description": "untagged after 14 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 14}, "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "keep the 10 newest tagged images",
     "selection": {"tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan",
                   "countNumber": 10}, "action": {"type": "expire"}}]}
with open(policy_path, "w") as f:
    json.dump(policy, f)
