#!/usr/bin/env python3
"""Writes regsweep's man pages (section 1) from the binary's own --help output: regsweep.1.gz and one
page per subcommand (regsweep-plan.1.gz, regsweep-policy-put.1.gz, ...), so the pages list exactly
the flags of the binary they ship with. The main page also gets the hand-written sections of
packaging/man/regsweep.1.extra (exit status, environment, files, examples).

    gen_man.py BINARY OUTDIR --version 0.1.0 --date 2026-01-31 --docdir /usr/share/doc/regsweep
               [--extra packaging/man/regsweep.1.extra]

CLI11's help layout, which this reads: a description line, "Usage: ...", then sections headed
"Name:" at column 0 ("Options:", "Positionals:", "Subcommands:", or an option group such as
"Source:"); entries indented by two spaces, the name part padded to column 30 and the description
after it or, when the name part is too long, on the next line indented by 30. Pages are gzipped without a timestamp, so
the same binary gives the same bytes."""
import argparse
import gzip
import pathlib
import re
import subprocess
import sys

PROGRAM = "regsweep"
DESCRIPTION_COLUMN = 30  # CLI11's default column width for option names


def roff_text(text: str) -> str:
    """Escapes text for roff: backslashes, minus signs (so that options copy as typed), and a
    leading dot or quote that would start a request; lets lines break after commas."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # A long list such as "pods,deployments,statefulsets,..." may break after its commas.
    text = re.sub(r",(?=\S)", r",\\:", text)
    return "\\&" + text if text.startswith((".", "'")) else text


def run_help(binary: str, path: list) -> str:
    # argv[0] "regsweep", so that the usage line names the program, not the build path.
    result = subprocess.run([PROGRAM, *path, "--help"], executable=binary, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"gen_man.py: {binary} {' '.join(path)} --help exited {result.returncode}: "
                 f"{result.stderr.strip()}")
    return result.stdout


def parse_help(text: str):
    """Returns (description, usage, sections): sections is a list of (title, entries), each entry
    a (left, description) pair."""
    lines = text.splitlines()
    if len(lines) < 2 or not lines[1].startswith("Usage: "):
        sys.exit("gen_man.py: --help output does not start with a description and a Usage: line; "
                 "has CLI11's help format changed?")
    description, usage = lines[0].strip(), lines[1][len("Usage: "):].strip()
    sections = []
    body = lines[2:]
    for i, line in enumerate(body):
        continued = i + 1 < len(body) and body[i + 1].startswith(" " * DESCRIPTION_COLUMN)
        if not line.strip():
            continue
        if not line.startswith(" ") and line.endswith(":"):
            sections.append((line[:-1], []))
        elif line.startswith(" " * DESCRIPTION_COLUMN) and sections and sections[-1][1]:
            left, desc = sections[-1][1][-1]
            sections[-1][1][-1] = (left, (desc + " " if desc else "") + line.strip())
        elif line.startswith("  ") and sections:
            # The left part is padded to the description's column, or, when too long for that,
            # alone on its line with the description on the next.
            if continued or len(line) <= DESCRIPTION_COLUMN:
                left, desc = line.strip(), ""
            else:
                left, desc = line[:DESCRIPTION_COLUMN].strip(), line[DESCRIPTION_COLUMN:].strip()
            sections[-1][1].append((left, desc))
        else:
            sys.exit(f"gen_man.py: unexpected --help line: {line!r}")
    return description, usage, sections


def option_item(left: str, desc: str, is_option: bool) -> str:
    """One .TP entry. The left part is "NAMES [TYPE] [REQUIRED] [Excludes: ...] [Needs: ...]"."""
    constraint = ""
    m = re.search(r"\s(Excludes|Needs):\s.*$", left)
    if m:
        constraint, left = m.group(0).strip(), left[:m.start()]
    required = left.endswith(" REQUIRED")
    if required:
        left = left[: -len(" REQUIRED")]
    names, _, value = left.partition(" ")
    if is_option:
        head = ", ".join(f"\\fB{roff_text(n)}\\fR" for n in names.split(","))
    else:
        head = f"\\fI{roff_text(names)}\\fR"
    if value:
        head += " \\fI" + roff_text(value) + "\\fR"
    notes = [n for n in ("required" if required else "", constraint) if n]
    body = roff_text(desc) + (" (" + roff_text("; ".join(notes)) + ")" if notes else "")
    return f".TP\n{head}\n{body}\n"


def page_name(path: list) -> str:
    return "-".join([PROGRAM, *path])


def render(path, description, usage, sections, args, extra) -> str:
    name = page_name(path)
    title = name.upper()
    out = [f'.TH {title} 1 "{args.date}" "{PROGRAM} {args.version}" "User Commands"\n',
           ".nh\n",  # no hyphenation: options and paths are copied as they are
           ".SH NAME\n", f"{roff_text(name)} \\- {roff_text(description)}\n",
           ".SH SYNOPSIS\n"]
    command = " ".join([PROGRAM, *path])
    rest = usage[len(command):].strip() if usage.startswith(command) else usage
    out.append(f".B {roff_text(command)}\n{roff_text(rest)}\n")
    out.append(".SH DESCRIPTION\n" + extra.get("DESCRIPTION", roff_text(description) + ".\n"))
    children = []
    for title_, entries in sections:
        if title_ == "Subcommands":
            out.append(".SH COMMANDS\n")
            for left, desc in entries:
                children.append(path + [left])
                out.append(f".TP\n\\fB{roff_text(left)}\\fR\n{roff_text(desc)}; see "
                           f"\\fB{roff_text(page_name(path + [left]))}\\fR(1)\n")
        elif title_ == "Positionals":
            out.append(".SH ARGUMENTS\n")
            out.extend(option_item(left, desc, False) for left, desc in entries)
        else:
            out.append(".SH OPTIONS\n" if title_ == "Options" else f".SS {roff_text(title_)}\n")
            out.extend(option_item(left, desc, True) for left, desc in entries)
    for section, body in extra.items():
        if section not in ("DESCRIPTION", "SEE ALSO"):
            out.append(f".SH {section}\n{body}")
    see_also = [page_name(path[:-1])] if path else []
    see_also += [page_name(child) for child in children]
    out.append(".SH SEE ALSO\n" + ",\n".join(f".BR {roff_text(p)} (1)" for p in see_also)
               + ("\n" if see_also else ""))
    out.append(extra.get("SEE ALSO", ""))
    out.append(f".PP\nThe full documentation: \\fI{roff_text(args.docdir)}/README.md\\fR and "
               f"\\fI{roff_text(args.docdir)}/docs/\\fR.\n")
    return "".join(out), children


def read_extra(path, docdir: str) -> dict:
    """help2man's include format: "[SECTION]" lines, each followed by roff text; @DOCDIR@ is
    replaced with the documentation directory."""
    extra, section = {}, None
    if path is None:
        return extra
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines(keepends=True):
        m = re.match(r"^\[([A-Z ]+)\]\s*$", line)
        if m:
            section = m.group(1)
            extra[section] = ""
        elif section is not None:
            extra[section] += line.replace("@DOCDIR@", docdir)
        elif line.strip() and not line.startswith("#"):
            sys.exit(f"gen_man.py: {path}: text before the first [SECTION] line")
    return extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--docdir", required=True)
    parser.add_argument("--extra")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for old in args.outdir.glob("*.1.gz"):  # a subcommand that no longer exists leaves no page
        old.unlink()
    pending = [[]]
    while pending:
        path = pending.pop(0)
        description, usage, sections = parse_help(run_help(args.binary, path))
        if not path:
            description = description.removeprefix(PROGRAM + ": ")
        page, children = render(path, description, usage, sections, args,
                                read_extra(args.extra, roff_text(args.docdir)) if not path else {})
        (args.outdir / f"{page_name(path)}.1.gz").write_bytes(
            gzip.compress(page.encode("utf-8"), compresslevel=9, mtime=0))
        pending.extend(children)
    return 0


if __name__ == "__main__":
    sys.exit(main())
