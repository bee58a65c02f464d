#!/usr/bin/env bash
# The installed tree as a cluster user gets it (issue 16): cmake --install into a prefix, the
# prefix moved elsewhere, then from a directory outside the repository with only the prefix added
# to the system's PATH: plan, a small run, report, gemmsweep-submit; the Lmod module (gemmsweep
# --version, man -w); the analysis package pip-installed into a venv drawing a chart; and the
# packages cpack makes from the same tree (TGZ contents, a run from the unpacked tarball; DEB
# contents, Version and Depends). Reuses the build tree it belongs to; builds nothing.
#
#   install_test.sh BUILD_DIR SOURCE_DIR VERSION PYTHON HAVE_CUDA
set -euo pipefail
build=$1 source=$2 version=$3 python=$4 have_cuda=$5

fail() {
  echo "install_test: FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gemmsweep-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[[ "$tmp" != "$source"/* ]] || fail "the temporary directory $tmp is inside the repository"

# The environment of a fresh login: the system's PATH plus what a step adds, no PYTHONPATH,
# nothing from this build.
clean() {
  env -i HOME="$tmp/home" LANG=C.UTF-8 TMPDIR="$tmp" MPLBACKEND=Agg PATH="/usr/bin:/bin" \
    ${OMPI_ALLOW_RUN_AS_ROOT:+OMPI_ALLOW_RUN_AS_ROOT=$OMPI_ALLOW_RUN_AS_ROOT} \
    ${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:+OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=$OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} \
    "$@"
}
mkdir -p "$tmp/home" "$tmp/work"

step "cmake --install into a prefix, then the prefix moved"
cmake --install "$build" --prefix "$tmp/staged" >"$tmp/install.log" || {
  cat "$tmp/install.log" >&2
  fail "cmake --install $build exited non-zero"
}
mv "$tmp/staged" "$tmp/moved"
prefix=$tmp/moved

expected=(bin/gemmsweep bin/gemmsweep-submit bin/gemmsweep-analysis
  share/gemmsweep/slurm/submit share/gemmsweep/slurm/gemmsweep.sbatch
  share/gemmsweep/slurm/gemmsweep-merge.sbatch share/man/man1/gemmsweep.1
  share/doc/gemmsweep/README.md share/doc/gemmsweep/README.binary
  "share/modulefiles/gemmsweep/$version.lua" lib/python3/dist-packages/gemmsweep_analysis/cli.py)
[[ "$have_cuda" == 1 ]] && expected+=(bin/gemmsweep-gpu-bench)
for job in "$source"/jobs/*.toml; do
  expected+=("share/gemmsweep/jobs/$(basename "$job")")
done
for path in "${expected[@]}"; do
  [[ -e "$prefix/$path" ]] || fail "$path is not in the installed tree"
done
[[ "$(readlink "$prefix/bin/gemmsweep-submit")" != /* ]] ||
  fail "bin/gemmsweep-submit links to an absolute path: $(readlink "$prefix/bin/gemmsweep-submit")"

# Relocatable: no RUNPATH into the build or source tree, no text file naming the build tree or
# the prefix it was installed to.
for exe in "$prefix"/bin/gemmsweep "$prefix"/bin/gemmsweep-gpu-bench; do
  [[ -e "$exe" ]] || continue
  runpath=$(readelf -d "$exe" | sed -n 's/.*R\(UN\)\?PATH.*\[\(.*\)\]/\2/p')
  for entry in ${runpath//:/ }; do
    # shellcheck disable=SC2016 # the literal $ORIGIN, which the loader expands
    [[ "$entry" == '$ORIGIN'* || ("$entry" != "$build"* && "$entry" != "$source"*) ]] ||
      fail "$(basename "$exe") has RUNPATH $entry, inside the build tree"
  done
done
if grep -rIl -e "$build" -e "$tmp/staged" "$prefix" >"$tmp/named"; then
  fail "installed files name the build tree or the prefix they were installed to: $(cat "$tmp/named")"
fi

step "plan, run, report and gemmsweep-submit from outside the repository"
on_path() { clean PATH="$prefix/bin:/usr/bin:/bin" "$@"; }
cd "$tmp/work"
[[ "$(on_path sh -c 'command -v gemmsweep')" == "$prefix/bin/gemmsweep" ]] ||
  fail "gemmsweep on PATH is not the moved prefix's"
job=$prefix/share/gemmsweep/jobs/demo.toml
on_path gemmsweep plan "$job" >plan.txt || fail "gemmsweep plan $job exited $?"
grep -q '^points: *192' plan.txt || fail "plan of demo.toml does not count 192 points: $(cat plan.txt)"
on_path gemmsweep run "$job" -o small.h5 --backend model >run.txt 2>&1 ||
  fail "gemmsweep run --backend model exited $?: $(tail -3 run.txt)"
on_path gemmsweep report small.h5 >report.txt || fail "gemmsweep report exited $?"
grep -q '^results: 192 rows, .*complete yes' report.txt ||
  fail "report of the run does not say 192 rows, complete: $(head -1 report.txt)"

on_path gemmsweep-submit --help >submit-help.txt || fail "gemmsweep-submit --help exited $?"
grep -q -- '--gpus-per-node' submit-help.txt || fail "gemmsweep-submit --help lacks its options"
# Started by its path with the prefix off PATH: it must find the gemmsweep beside itself.
clean "$prefix/bin/gemmsweep-submit" "$job" --nodes 1 --gpus-per-node 0 --time 10 --dry-run >submit.txt ||
  fail "gemmsweep-submit --dry-run exited $?: $(cat submit.txt)"
grep -q "GEMMSWEEP_BIN=$prefix/bin/gemmsweep " submit.txt ||
  fail "gemmsweep-submit does not hand the installed gemmsweep to the batch job: $(cat submit.txt)"
grep -q " $prefix/share/gemmsweep/slurm/gemmsweep.sbatch " submit.txt ||
  fail "gemmsweep-submit does not submit the installed gemmsweep.sbatch: $(cat submit.txt)"

step "the Lmod module: PATH, MANPATH, PYTHONPATH"
cat >module.sh <<EOF
source /usr/share/lmod/lmod/init/bash
module use "$prefix/share/modulefiles"
module load gemmsweep/$version
command -v gemmsweep
gemmsweep --version
man -w gemmsweep
python3 -c 'import gemmsweep_analysis, os; print(os.path.dirname(gemmsweep_analysis.__file__))'
echo "\$MANPATH"
EOF
clean bash module.sh >module.txt 2>module.err || fail "loading the module failed: $(cat module.err)"
mapfile -t lines <module.txt
[[ "${lines[0]}" == "$prefix/bin/gemmsweep" ]] || fail "with the module, gemmsweep is ${lines[0]}"
[[ "${lines[1]}" == "gemmsweep $version "* ]] || fail "gemmsweep --version printed ${lines[1]}"
[[ "${lines[2]}" == "$prefix/share/man/man1/gemmsweep.1" ]] || fail "man -w gemmsweep: ${lines[2]}"
[[ "${lines[3]}" == "$prefix/lib/python3/dist-packages/gemmsweep_analysis" ]] ||
  fail "with the module, python3 imports gemmsweep_analysis from ${lines[3]}"
# An empty entry, so that man still searches its own path for every other page.
[[ ":${lines[4]}:" == *"::"* ]] || fail "with the module, MANPATH ${lines[4]} hides the system's pages"

# Every command of --help has its section, and the page renders without a warning.
for command in $(on_path gemmsweep --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z0-9_-]*\) .*/\1/p'); do
  grep -qx "\.SS $command" "$prefix/share/man/man1/gemmsweep.1" || fail "man page lacks command $command"
done
grep -q '^\.SH EXIT STATUS' "$prefix/share/man/man1/gemmsweep.1" || fail "man page lacks EXIT STATUS"
warnings=$(groff -man -Tutf8 -ww -z "$prefix/share/man/man1/gemmsweep.1" 2>&1)
[[ -z "$warnings" ]] || fail "groff warns about the man page: $warnings"

step "pip install of the analysis into a venv (system h5py/pandas/matplotlib), then a chart"
cp -r "$source/analysis" "$tmp/analysis" # pip builds in the tree; keep the repository clean
rm -rf "$tmp/analysis/build" "$tmp/analysis"/*.egg-info
clean "$python" -m venv --system-site-packages "$tmp/venv" || fail "python3 -m venv failed"
# --no-deps: Debian's python3-h5py registers as the distribution h5py._debian_h5py_serial, which
# pip's resolver does not take for h5py; the check below holds each import to the lower bounds.
clean "$tmp/venv/bin/pip" install --quiet --no-build-isolation --no-index --no-deps \
  "$tmp/analysis" >pip.txt 2>&1 || fail "pip install of analysis: $(tail -5 pip.txt)"
clean "$tmp/venv/bin/python" - >bounds.txt 2>&1 <<'PY' || fail "$(cat bounds.txt)"
import importlib
from importlib.metadata import requires
from pip._vendor.packaging.requirements import Requirement

for text in requires("gemmsweep-analysis"):
    wanted = Requirement(text)
    found = importlib.import_module(wanted.name).__version__
    if not wanted.specifier.contains(found, prereleases=True):
        raise SystemExit(f"gemmsweep-analysis needs {wanted}, the venv has {found}")
PY
clean "$tmp/venv/bin/gemmsweep-analysis" plot small.h5 -o chart.png >chart.txt 2>&1 ||
  fail "gemmsweep-analysis plot exited non-zero: $(cat chart.txt)"
[[ "$(head -c 8 chart.png | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] ||
  fail "chart.png is not a PNG"
grep -q '192 points' chart.txt || fail "the chart does not draw the 192 rows: $(cat chart.txt)"

step "cpack: the tarball and, without CUDA, the .deb"
generators=TGZ
[[ "$have_cuda" == 1 ]] || generators="TGZ;DEB"
cpack --config "$build/CPackConfig.cmake" -G "$generators" -B "$tmp/packages" >cpack.txt 2>&1 ||
  fail "cpack -G $generators failed: $(tail -5 cpack.txt)"
tgz=$(ls "$tmp"/packages/gemmsweep-"$version"-*.tar.gz) || fail "cpack made no gemmsweep-$version tarball"
top=$(basename "$tgz" .tar.gz)
tar -tzf "$tgz" >tgz.txt
for path in "${expected[@]}"; do
  grep -qx "$top/$path" tgz.txt || fail "$path is not in $(basename "$tgz")"
done
mkdir unpacked && tar -xzf "$tgz" -C unpacked
clean PATH="$PWD/unpacked/$top/bin:/usr/bin:/bin" gemmsweep plan "$PWD/unpacked/$top/share/gemmsweep/jobs/demo.toml" \
  >/dev/null || fail "gemmsweep from the unpacked tarball cannot plan"
readme=unpacked/$top/README
cmp -s "$readme" "unpacked/$top/share/doc/gemmsweep/README.binary" ||
  fail "the tarball has no README at its top, or not the installed README.binary"
if [[ "$have_cuda" == 1 ]]; then
  if cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/deb" >deb.txt 2>&1; then
    fail "cpack -G DEB made a .deb of a CUDA build"
  fi
  grep -q 'gemmsweep: the .deb is built from a tree without CUDA' deb.txt ||
    fail "cpack -G DEB on a CUDA build does not say why it refuses: $(cat deb.txt)"
  for library in libcudart libcublas libcublasLt; do
    sed -n '/^CUDA libraries/,/^$/p' "$readme" | grep -q "^  $library\.so" ||
      fail "the CUDA tarball's README.binary does not name $library: $(cat "$readme")"
  done
else
  grep -q 'Built without CUDA' "$readme" || fail "README.binary of a build without CUDA: $(cat "$readme")"
  deb=$(ls "$tmp"/packages/gemmsweep_"$version"_*.deb) || fail "cpack made no gemmsweep_$version .deb"
  dpkg-deb -c "$deb" | awk '{print $6}' >deb.txt
  for path in "${expected[@]}"; do
    grep -qx "./usr/$path" deb.txt || fail "/usr/$path is not in $(basename "$deb")"
  done
  [[ "$(dpkg-deb -f "$deb" Version)" == "$version" ]] || fail "the .deb's Version is not $version"
  depends=$(dpkg-deb -f "$deb" Depends)
  # Every shared library the binary names (NEEDED) comes from a package the .deb depends on, or one that
  # such a package depends on (libopenblas0 is met by libopenblas0-pthread or -openmp).
  names() { sed 's/[,|]/\n/g' | sed 's/(.*)//; s/:any//; s/ //g' | grep -v '^$'; }
  provided=$(
    for package in $(names <<<"$depends"); do
      echo "$package"
      dpkg-query -W -f='${Depends}' "$package" 2>/dev/null | names || true
    done | sort -u
  )
  needed=$(readelf -d "$prefix/bin/gemmsweep" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  [[ -n "$needed" ]] || fail "readelf finds no NEEDED library in gemmsweep"
  for soname in $needed; do
    library=$(ldd "$prefix/bin/gemmsweep" | awk -v name="$soname" '$1 == name {print $3}')
    [[ "$library" == /* ]] || fail "ldd does not resolve $soname, which gemmsweep needs"
    real=$(readlink -f "$library")
    owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null) ||
      fail "no Debian package owns $real, which gemmsweep loads"
    grep -qx "${owner%%:*}" <<<"$provided" ||
      fail "gemmsweep loads $real of package ${owner%%:*}, which the .deb's Depends ($depends) does not bring"
  done
  [[ ", $depends," == *", python3,"* || ", $depends," == *", python3 "* ]] ||
    fail "the .deb does not depend on python3 (gemmsweep-submit): $depends"
fi
echo "install_test: the moved prefix, the module, the venv and the packages all work"
