#!/usr/bin/env python3
"""Writes examples/demo-registry.json: a realistic, deterministic ECR snapshot for `make demo`.

Twelve repositories, about 1,500 images pushed over the 18 months before the demo's fixed "now"
(2026-11-01T00:00:00Z): CI builds tagged git-<sha>, semver releases (v1.4.2) with prod-<date>
deploy tags and `latest`, images left untagged when a moving tag (main, nightly) moved on,
multi-arch images (an OCI image index whose imageManifest lists its untagged per-platform children),
cosign-style signatures (artifacts whose manifest names a subject), and a legacy repository whose
old releases are already archived. Sizes are realistic per kind of image.

Stdlib only and seeded, so the file is the same on every run:
    python3 scripts/gen_demo_snapshot.py [OUTPUT]   (default examples/demo-registry.json)
"""
import datetime as dt
import hashlib
import json
import pathlib
import random
import sys

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
START = NOW - dt.timedelta(days=548)  # 18 months
REGISTRY_ID = "123456789012"
MIB = 1024 * 1024

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
COSIGN_SIG = "application/vnd.dev.cosign.artifact.sig.v1+json"

rng = random.Random(20261101)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def digest_of(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def git_sha():
    return "%07x" % rng.getrandbits(28)


class Repo:
    def __init__(self, name):
        self.name = name
        self.images = []

    def add(self, pushed, tags, size, media=DOCKER_MANIFEST, artifact=DOCKER_CONFIG, **extra):
        detail = {
            "registryId": REGISTRY_ID,
            "repositoryName": self.name,
            "imageDigest": digest_of(f"{self.name}/{len(self.images)}/{pushed.isoformat()}"),
            "imagePushedAt": iso(pushed),
            "imageSizeInBytes": int(size),
            "imageManifestMediaType": media,
            "artifactMediaType": artifact,
        }
        if tags:
            detail["imageTags"] = list(tags)
        # Images are pulled after they are pushed: deploys keep pulling them, CI builds rarely.
        if pushed < NOW - dt.timedelta(days=1) and rng.random() < 0.8:
            horizon = (NOW - pushed).total_seconds()
            pulled = pushed + dt.timedelta(seconds=rng.uniform(60, horizon * rng.choice([0.05, 0.3, 1.0])))
            detail["lastRecordedPullTime"] = iso(min(pulled, NOW - dt.timedelta(hours=1)))
        detail.update(extra)
        self.images.append(detail)
        return detail

    def add_multiarch(self, pushed, tags, size, platforms=("amd64", "arm64")):
        """An OCI image index with untagged per-platform children, as `docker buildx` pushes them."""
        children = [self.add(pushed, [], size * rng.uniform(0.9, 1.1), OCI_MANIFEST, OCI_CONFIG)
                    for _ in platforms]
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": OCI_MANIFEST, "digest": c["imageDigest"], "size": 1234,
                           "platform": {"architecture": arch, "os": "linux"}}
                          for c, arch in zip(children, platforms)],
        }, separators=(",", ":"))
        index = self.add(pushed, tags, max(c["imageSizeInBytes"] for c in children), OCI_INDEX, "",
                         imageManifest=manifest)
        index["imageDigest"] = digest_of(manifest)
        del index["artifactMediaType"]
        return index

    def add_signature(self, subject):
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": COSIGN_SIG,
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": digest_of("{}"), "size": 2},
            "layers": [], "subject": {"mediaType": subject["imageManifestMediaType"],
                                      "digest": subject["imageDigest"], "size": 1234},
        }, separators=(",", ":"))
        pushed = dt.datetime.strptime(subject["imagePushedAt"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.timezone.utc) + dt.timedelta(minutes=2)
        sig = self.add(pushed, [], 1800, OCI_MANIFEST, COSIGN_SIG, imageManifest=manifest)
        sig["imageDigest"] = digest_of(manifest)
        return sig


def push_times(count, start=START, end=NOW - dt.timedelta(hours=2)):
    span = (end - start).total_seconds()
    return sorted(start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(count))


def service(name, builds, size_mib, release_every, multiarch=False, sign=False, deploys=True):
    """A service: CI builds of main (git-<sha> + the moving `main` tag), every Nth one released as
    v<major>.<minor>.<patch>, releases deployed with prod-<date>; `latest` on the newest release."""
    repo = Repo(name)
    version = [1, 0, 0]
    releases = []
    main_holder = None
    for i, t in enumerate(push_times(builds)):
        size = size_mib * MIB * rng.uniform(0.85, 1.15)
        tags = ["git-" + git_sha(), "main"]
        released = i % release_every == release_every - 1
        if released:
            version[2] += 1
            if rng.random() < 0.15:
                version[1:] = [version[1] + 1, 0]
            tags.append("v%d.%d.%d" % tuple(version))
            if deploys:
                tags.append("prod-" + t.strftime("%Y%m%d-%H%M"))
        elif rng.random() < 0.35:
            tags = ["main"]  # builds of main only: left untagged once `main` moves on
        image = repo.add_multiarch(t, tags, size) if multiarch else repo.add(t, tags, size)
        if main_holder is not None:
            main_holder["imageTags"].remove("main")
            if not main_holder["imageTags"]:
                del main_holder["imageTags"]
        main_holder = image
        if released:
            releases.append(image)
            if sign:
                repo.add_signature(image)
    if releases:
        releases[-1]["imageTags"].append("latest")
    return repo


def nightly(name, days, size_mib):
    """A nightly job image: `nightly` moves every night; `nightly-<date>` kept for the last 30 days."""
    repo = Repo(name)
    previous = None
    for d in range(days):
        t = NOW - dt.timedelta(days=days - d) + dt.timedelta(hours=2, minutes=rng.randint(0, 50))
        tags = ["nightly"] + (["nightly-" + t.strftime("%Y%m%d")] if days - d <= 30 else [])
        image = repo.add(t, tags, size_mib * MIB * rng.uniform(0.95, 1.05))
        if previous is not None:
            previous["imageTags"].remove("nightly")
            if not previous["imageTags"]:
                del previous["imageTags"]
        previous = image
    return repo


def pull_requests(name, count, size_mib):
    repo = Repo(name)
    for t in push_times(count):
        pr = rng.randint(100, 999)
        repo.add(t, ["pr-%d" % pr, "pr-%d-%s" % (pr, git_sha())], size_mib * MIB * rng.uniform(0.8, 1.2))
    return repo


def base_images(name):
    """Multi-arch base images rebuilt weekly: debian-12-<date>, and `latest`/`debian-12` on the newest."""
    repo = Repo(name)
    weeks = 78
    newest = None
    for w in range(weeks):
        t = START + dt.timedelta(weeks=w, hours=rng.randint(0, 12))
        newest = repo.add_multiarch(t, ["debian-12-" + t.strftime("%Y%m%d")], 45 * MIB * rng.uniform(0.95, 1.05),
                                    platforms=("amd64", "arm64", "arm"))
    newest["imageTags"] += ["debian-12", "latest"]
    return repo


def ci_runner(name):
    """Rebuilt on every dependency bump and tagged only `current`: almost everything is untagged."""
    repo = Repo(name)
    previous = None
    for t in push_times(140):
        image = repo.add(t, ["current"], 1900 * MIB * rng.uniform(0.9, 1.1))
        if previous is not None:
            del previous["imageTags"]
        previous = image
    return repo


def legacy(name):
    """A retired monolith: last pushed a year ago; its oldest releases were archived in May 2026."""
    repo = Repo(name)
    end = NOW - dt.timedelta(days=370)
    for i, t in enumerate(push_times(60, START, end)):
        extra = {}
        if i < 20:
            extra = {"imageStatus": "ARCHIVED", "lastArchivedAt": iso(dt.datetime(2026, 5, 2, 3, tzinfo=dt.timezone.utc))}
        else:
            extra = {"imageStatus": "ACTIVE"}
        repo.add(t, ["v3.%d.0" % i, "git-" + git_sha()], 1200 * MIB * rng.uniform(0.9, 1.1), **extra)
    return repo


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                       pathlib.Path(__file__).resolve().parent.parent / "examples" / "demo-registry.json")
    repos = [
        service("payments/api", 220, 310, 6),
        service("payments/worker", 120, 280, 8),
        service("web/frontend", 90, 95, 5, multiarch=True),
        service("web/backend", 160, 420, 7),
        service("auth/service", 110, 240, 5, sign=True),
        service("tools/cli", 45, 60, 3, multiarch=True, sign=True, deploys=False),
        service("ml/model-server", 40, 5200, 4),
        nightly("data/etl-jobs", 200, 1500),
        pull_requests("sandbox/experiments", 130, 350),
        base_images("platform/base-images"),
        ci_runner("platform/ci-runner"),
        legacy("legacy/monolith"),
    ]
    doc = {"repositories": [{"repositoryName": r.name, "registryId": REGISTRY_ID,
                             "imageDetails": [{k: v for k, v in d.items() if k != "repositoryName"}
                                              for d in r.images]} for r in repos]}
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"repositories": [\n')
        for i, repo in enumerate(doc["repositories"]):
            f.write(' {"repositoryName": %s, "registryId": %s, "imageDetails": [\n' %
                    (json.dumps(repo["repositoryName"]), json.dumps(repo["registryId"])))
            f.write(",\n".join("  " + json.dumps(d, separators=(",", ":")) for d in repo["imageDetails"]))
            f.write("\n ]}" + (",\n" if i + 1 < len(doc["repositories"]) else "\n"))
        f.write("]}\n")
    total = sum(len(r.images) for r in repos)
    print(f"{out}: {len(repos)} repositories, {total} images, "
          f"{sum(d['imageSizeInBytes'] for r in repos for d in r.images) / 2**30:.1f} GiB", file=sys.stderr)


if __name__ == "__main__":
    main()
