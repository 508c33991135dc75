#!/usr/bin/env python3
"""Checks ARCHITECTURE.md's dependency rules on #include lines: each src/ folder (and sub-folder
layer, e.g. registry/snapshot) may include only itself and the layers it "uses"; third-party
headers only in the layers listed for them; curl only inside src/http/; no clock, file or network
access inside the pure core (policy/, plan/); the emulator shares no code with the ECR client.
Exit 1 on a breach."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# layer -> layers it may include (besides itself). Mirrors ARCHITECTURE.md's layout table. A layer
# is a folder under src/ or one of its sub-folders listed here; a sub-folder not listed belongs to
# its parent.
USES = {
    "util": set(),
    "model": {"util"},
    "policy": {"model", "util"},
    "plan": {"policy", "model", "util"},
    "http": {"util"},
    "aws": {"http", "util"},
    "registry": {"model", "util"},
    "registry/ecr": {"registry", "aws", "http", "model", "util"},
    "registry/snapshot": {"registry", "model", "util"},
    "inuse": {"aws", "http", "model", "util"},
    "journal": {"model", "util"},
    "app": {"util", "model", "policy", "plan", "http", "aws", "registry", "registry/ecr",
            "registry/snapshot", "inuse", "journal"},
    # The CLI reaches the journal only through app/ (one deletion session), except `journal show`,
    # which reads it to print it.
    "cli": {"util", "model", "policy", "plan", "http", "aws", "registry", "inuse", "app", "web"},
    "web": {"util", "model", "policy", "plan", "registry", "inuse", "app"},
}
CLI_JOURNAL_READERS = {"cli/journal_command.cpp"}

# Third-party headers (by their include path's first part) and the layers that may use them.
THIRD_PARTY = {
    "fmt": {"util", "policy", "plan", "app", "cli"},
    "nlohmann": {"plan", "aws", "registry/ecr", "inuse", "journal", "app", "cli", "web"},
    "simdjson.h": {"registry/snapshot"},
    "yaml-cpp": {"inuse", "app"},
    "curl": {"http"},
    "openssl": {"aws", "http"},
    "CLI": {"cli"},
    "httplib.h": {"web"},
}

# The emulator is an independent implementation: it may use the policy validator and basic
# utilities, never the client side (http/, aws/, registry/).
EMULATOR_USES = {"util", "model", "policy"}

PURE_FORBIDDEN = re.compile(
    r"std::chrono::(system|steady|high_resolution)_clock::now|std::[io]?fstream|#include\s*<(fstream|curl/|httplib)"
    r"|\bfopen\(|\bgetenv\(|std::cout|std::cerr|\bprintf\(")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([a-z_/]+)/[a-z_0-9]+\.hpp"')
SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s*<([A-Za-z0-9_.+-]+)(/|>)")


def layer_of(rel_dir: str) -> str:
    """src-relative folder ("registry/ecr/x") -> the layer it belongs to."""
    parts = rel_dir.split("/")
    for n in range(len(parts), 0, -1):
        candidate = "/".join(parts[:n])
        if candidate in USES:
            return candidate
    return parts[0]


def main() -> int:
    problems = []
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        rel = path.relative_to(ROOT / "src")
        layer = layer_of(str(rel.parent))
        allowed = USES.get(layer)
        if allowed is None:
            problems.append(f"src/{rel}: folder '{layer}' is not in ARCHITECTURE.md's layout; add it there and here")
            continue
        is_test = path.name.endswith("_test.cpp")
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if m and not is_test:
                target = layer_of(m.group(1))
                ok = target == layer or target in allowed
                if target == "journal" and str(rel) in CLI_JOURNAL_READERS:
                    ok = True
                if not ok:
                    problems.append(f"src/{rel}:{lineno}: includes {m.group(1)}/, but {layer}/ may use only "
                                    f"{sorted(allowed) or 'std'}")
            s = SYSTEM_INCLUDE.match(line)
            if s and s.group(1) in THIRD_PARTY and not is_test and layer not in THIRD_PARTY[s.group(1)]:
                problems.append(f"src/{rel}:{lineno}: includes <{s.group(1)}...>, which only "
                                f"{sorted(THIRD_PARTY[s.group(1)])} may use")
            if layer.split("/")[0] in ("policy", "plan") and not is_test and PURE_FORBIDDEN.search(line):
                problems.append(f"src/{rel}:{lineno}: I/O or clock read inside the pure core: {line.strip()}")
    for path in sorted((ROOT / "emulator").rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1).split("/")[0] not in EMULATOR_USES and not (ROOT / "emulator" / m.group(1)).is_dir():
                problems.append(f"{path.relative_to(ROOT)}:{lineno}: the emulator may not include "
                                f"{m.group(1)}/ (it must stay independent of the ECR client)")
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} problem(s)")
        return 1
    print("check_layers: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
