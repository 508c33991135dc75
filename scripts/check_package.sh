#!/usr/bin/env bash
# Checks the Debian package `make package` built, as CI does (`make package-check`):
#   - its control data and file list (dpkg-deb --info / --contents): name, version, Depends, and
#     every file the package promises (binaries, man pages, completions, docs, examples);
#   - that Depends names the package of every shared library the binaries load (ldd + dpkg -S),
#     and that apt can resolve it on this Debian (apt-get install --simulate);
#   - that the binaries are stripped, and the -dbgsym package holds their debug symbols under the
#     same build ids;
#   - then, extracted into a temporary root (dpkg-deb -x): the installed binary's --version, a
#     plan of the bundled demo, the installed emulator's --help, every man page (groff, man -l) and
#     the completion scripts (bash, zsh, fish load them and complete a subcommand).
# Usage: scripts/check_package.sh BUILD_DIR     (where cpack left regsweep_*.deb)
set -euo pipefail

build=${1:?usage: check_package.sh BUILD_DIR}
fail() { echo "check_package: $*" >&2; exit 1; }
step() { echo "-- $*"; }

shopt -s nullglob
debs=("$build"/regsweep_*.deb)
ddebs=("$build"/regsweep-dbgsym_*.ddeb)
[[ ${#debs[@]} -eq 1 ]] || fail "expected one regsweep_*.deb in $build, found ${#debs[@]}; run make package"
[[ ${#ddebs[@]} -eq 1 ]] || fail "expected one regsweep-dbgsym_*.ddeb in $build, found ${#ddebs[@]}"
deb=${debs[0]} ddeb=${ddebs[0]}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

step "dpkg-deb --info $deb"
dpkg-deb --info "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == regsweep ]] || fail "Package is '$(field Package)', not regsweep"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
[[ -n $depends ]] || fail "no Depends: CPack did not run dpkg-shlibdeps"
# "libc6 (>= 2.34), a | b" -> one package name a line
depends_names=$(tr ',|' '\n\n' <<<"$depends" | awk 'NF {print $1}')

step "dpkg-deb --contents"
dpkg-deb --contents "$deb"
contents=$(dpkg-deb --contents "$deb" | awk '{print $NF}')
for path in ./usr/bin/regsweep ./usr/bin/regsweep-ecr-emulator \
  ./usr/share/man/man1/regsweep.1.gz ./usr/share/man/man1/regsweep-plan.1.gz \
  ./usr/share/man/man1/regsweep-policy-put.1.gz ./usr/share/man/man1/regsweep-inuse-scan.1.gz \
  ./usr/share/man/man1/regsweep-journal-show.1.gz \
  ./usr/share/bash-completion/completions/regsweep ./usr/share/zsh/vendor-completions/_regsweep \
  ./usr/share/fish/vendor_completions.d/regsweep.fish \
  ./usr/share/doc/regsweep/README.md ./usr/share/doc/regsweep/docs/config.md \
  ./usr/share/doc/regsweep/examples/demo-registry.json \
  ./usr/share/doc/regsweep/examples/policies/demo-policy.json; do
  grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
if grep -v -e '^\./usr/' -e '^\./$' <<<"$contents"; then
  fail "files outside /usr (above)"
fi

dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/regsweep
emulator=$root/usr/bin/regsweep-ecr-emulator

step "Depends: $depends"
# Every library the binaries load must come from a package Depends names (libc6 and the
# libraries' own dependencies included: dpkg-shlibdeps lists what the binaries link directly).
for exe in "$bin" "$emulator"; do
  if ldd "$exe" | grep -q 'not found'; then
    ldd "$exe" >&2
    fail "$exe: a library is missing"
  fi
  for lib in $(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    path=$(ldd "$exe" | awk -v lib="$lib" '$1 == lib {print $3}')
    owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) ||
      owner=$(dpkg -S "$path" | head -1 | cut -d: -f1)
    [[ -n $owner ]] || fail "$lib ($path) belongs to no package"
    grep -qxF "$owner" <<<"$depends_names" ||
      fail "$(basename "$exe") needs $lib from $owner, which Depends does not name"
    echo "   $(basename "$exe"): $lib <- $owner"
  done
done
# The libraries were installed to build the binaries, so this needs no apt lists.
apt-get install --simulate -qq "$(readlink -f "$deb")" >/dev/null ||
  fail "apt cannot install the package here (its Depends do not resolve)"
echo "   apt-get install --simulate: the Depends resolve"

step "stripped binaries, debug symbols in $(basename "$ddeb")"
dbgroot=$root/dbgsym
mkdir "$dbgroot"
dpkg-deb -x "$ddeb" "$dbgroot"
for exe in "$bin" "$emulator"; do
  file -b "$exe" | grep -q ', stripped' || fail "$exe is not stripped: $(file -b "$exe")"
  id=$(readelf -n "$exe" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
  debug=$dbgroot/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
  [[ -s $debug ]] || fail "no debug file for $(basename "$exe") (build id $id) in $ddeb"
  readelf -S "$debug" 2>/dev/null | grep -q '\.debug_info' || fail "$debug has no .debug_info"
  echo "   $(basename "$exe"): $(stat -c %s "$exe") bytes; debug symbols $(stat -c %s "$debug") bytes"
done

step "the installed binary"
version=$("$bin" --version)
echo "   $version"
package_version=$(field Version)
expected="^regsweep ${package_version%-*} \\(commit ([0-9a-f]{12}(-dirty)?|unknown), [A-Za-z]+\\)$"
[[ $version =~ $expected ]] ||
  fail "--version prints '$version', not 'regsweep ${package_version%-*} (commit HASH, BUILD_TYPE)'"
examples=$root/usr/share/doc/regsweep/examples
plan=$("$bin" plan --snapshot "$examples/demo-registry.json" --policy "$examples/policies/demo-policy.json" \
  --now 2026-11-01 --output table)
grep -q 'expire' <<<"$plan" || fail "the demo plan expires nothing: $plan"
echo "$plan" | tail -4 | sed 's/^/   /'
"$bin" policy validate "$examples"/policies/*.json >/dev/null || fail "the bundled policies do not validate"
"$emulator" --help 2>&1 | grep -q 'usage: ecr-emulator' || fail "regsweep-ecr-emulator --help prints no usage"

step "man pages"
pages=("$root"/usr/share/man/man1/*.1.gz)
# One page per command: regsweep, its subcommands and the sub-subcommands.
subcommands=$("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}')
for sub in $subcommands; do
  [[ -f $root/usr/share/man/man1/regsweep-$sub.1.gz ]] || fail "no man page for regsweep $sub"
done
for page in "${pages[@]}"; do
  warnings=$(zcat "$page" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z 2>&1)
  [[ -z $warnings ]] || fail "$(basename "$page"): groff warns: $warnings"
done
MANWIDTH=80 man -l "$root/usr/share/man/man1/regsweep.1.gz" 2>/dev/null | grep -q 'EXIT STATUS' ||
  fail "man -l regsweep.1.gz shows no EXIT STATUS section"
MANWIDTH=80 man -l "$root/usr/share/man/man1/regsweep-plan.1.gz" 2>/dev/null | grep -q -- '--snapshot' ||
  fail "man -l regsweep-plan.1.gz does not document --snapshot"
echo "   ${#pages[@]} pages render without warnings"

step "completions"
bash_script=$root/usr/share/bash-completion/completions/regsweep
bash -n "$bash_script" || fail "bash cannot parse $bash_script"
got=$(bash -c 'source "$1"; complete -p regsweep >/dev/null || exit 1
  COMP_WORDS=(regsweep policy ""); COMP_CWORD=2; _regsweep; echo "${COMPREPLY[*]}"' bash "$bash_script")
[[ $got == *validate* && $got == *put* ]] || fail "bash: 'regsweep policy <TAB>' offers '$got'"
echo "   bash: regsweep policy <TAB> -> $got"
zsh_script=$root/usr/share/zsh/vendor-completions/_regsweep
if command -v zsh >/dev/null; then
  zsh -n "$zsh_script" || fail "zsh cannot parse $zsh_script"
  got=$(zsh -f -c 'autoload -Uz compinit; compinit -u -D; source "$1"; print -r -- $_comps[regsweep]' zsh "$zsh_script")
  [[ $got == _regsweep ]] || fail "zsh: sourcing $zsh_script does not register _regsweep"
  echo "   zsh: parses, registers _regsweep"
else
  echo "   zsh not installed: skipped"
fi
fish_script=$root/usr/share/fish/vendor_completions.d/regsweep.fish
if command -v fish >/dev/null; then
  fish -n "$fish_script" || fail "fish cannot parse $fish_script"
  got=$(fish -c "source '$fish_script'; complete -C 'regsweep inuse '" | cut -f1 | tr '\n' ' ')
  [[ $got == "scan " ]] || fail "fish: 'regsweep inuse <TAB>' offers '$got'"
  echo "   fish: regsweep inuse <TAB> -> $got"
else
  echo "   fish not installed: skipped"
fi

step "ok: $(basename "$deb") ($(stat -c %s "$deb") bytes), $(basename "$ddeb") ($(stat -c %s "$ddeb") bytes)"
