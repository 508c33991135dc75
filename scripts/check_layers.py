#!/usr/bin/env python3
"""Checks DESIGN.md's dependency rules on #include lines: each src/ folder may include only itself
and the folders it "uses"; curl only inside src/http/; no clock, file or network access inside the
pure core (policy/, plan/); the emulator shares no code with the ECR client. Exit 1 on a breach."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# folder -> folders it may include (besides itself). Mirrors DESIGN.md's layout table.
USES = {
    "util": set(),
    "model": {"util"},
    "policy": {"model", "util"},
    "plan": {"policy", "model", "util"},
    "http": {"util"},
    "aws": {"http", "util"},
    "registry": {"aws", "http", "model", "util"},
    "inuse": {"aws", "http", "model", "util"},
    "journal": {"model", "util"},
    "sweep": {"util", "http", "aws"},
    "app": {"util", "model", "policy", "plan", "http", "aws", "registry", "inuse", "journal", "sweep"},
    "cli": {"util", "model", "policy", "plan", "http", "aws", "registry", "inuse", "journal", "sweep", "app"},
    "web": {"util", "model", "policy", "plan", "http", "aws", "registry", "inuse", "journal", "sweep", "app"},
}
# The emulator is an independent implementation: it may use the policy validator and basic
# utilities, never the client side (http/, aws/, registry/).
EMULATOR_USES = {"util", "model", "policy"}

PURE_FORBIDDEN = re.compile(
    r"std::chrono::(system|steady|high_resolution)_clock::now|std::[io]?fstream|#include\s*<(fstream|curl/|httplib)"
    r"|\bfopen\(|\bgetenv\(|std::cout|std::cerr|\bprintf\(")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([a-z_]+)/')
CURL = re.compile(r"^\s*#\s*include\s*<curl/")


def main() -> int:
    problems = []
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        rel = path.relative_to(ROOT / "src")
        folder = rel.parts[0]
        allowed = USES.get(folder)
        if allowed is None:
            problems.append(f"src/{rel}: folder '{folder}' is not in DESIGN.md's layout; add it there and here")
            continue
        is_test = path.name.endswith("_test.cpp")
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) != folder and m.group(1) not in allowed and not is_test:
                problems.append(f"src/{rel}:{lineno}: includes {m.group(1)}/, but {folder}/ may use only "
                                f"{sorted(allowed) or 'std'}")
            if CURL.match(line) and folder != "http":
                problems.append(f"src/{rel}:{lineno}: curl is included outside src/http/")
            if folder in ("policy", "plan") and not is_test and PURE_FORBIDDEN.search(line):
                problems.append(f"src/{rel}:{lineno}: I/O or clock read inside the pure core: {line.strip()}")
    for path in sorted((ROOT / "emulator").rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) not in EMULATOR_USES and not (ROOT / "emulator" / m.group(1)).is_dir():
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
