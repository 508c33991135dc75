"""Image content for e2e tests that push or seed images: digests over exact bytes, and a Docker v2
manifest unique to a seed (its config and layer digests derived from the seed)."""
import hashlib
import json

DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json"


def sha(text):
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def manifest(seed):
    return json.dumps({"schemaVersion": 2, "mediaType": DOCKER_V2,
                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 100,
                                  "digest": sha("config-" + seed)},
                       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                   "size": 1000, "digest": sha("layer-" + seed)}]}, separators=(",", ":"))
