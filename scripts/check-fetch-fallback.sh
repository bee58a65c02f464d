#!/usr/bin/env bash
# The build of a cluster login node where toml++, CLI11, nlohmann_json and fmt are missing
# (docs/install.md), without a network: each system package is hidden
# (CMAKE_DISABLE_FIND_PACKAGE_<Name>) and FetchContent takes the pinned source from a local tree
# (FETCHCONTENT_SOURCE_DIR_<NAME>). Then the binary must work and link neither system library,
# and the install must hold nothing of the fetched projects. Also checks the one-line error of
# GEMMSWEEP_FETCH_DEPENDENCIES=OFF.
#
#   scripts/check-fetch-fallback.sh DEPS_DIR     DEPS_DIR/{tomlplusplus,CLI11,nlohmann_json,fmt}
#
# Each tree is the upstream source at the commit cmake/GemmsweepDependencies.cmake pins, e.g.
#   git clone https://github.com/fmtlib/fmt DEPS_DIR/fmt && git -C DEPS_DIR/fmt checkout 9.1.0
set -euo pipefail
cd "$(dirname "$0")/.."
deps=$(realpath "${1:?usage: scripts/check-fetch-fallback.sh DEPS_DIR}")
build=build/fetch-fallback
fail() {
  echo "check-fetch-fallback: FAIL: $*" >&2
  exit 1
}

common=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DGEMMSWEEP_ENABLE_CUDA=OFF
  -DGEMMSWEEP_BUILD_TESTS=OFF -DGEMMSWEEP_BUILD_BENCHMARKS=OFF
  -DCMAKE_DISABLE_FIND_PACKAGE_tomlplusplus=ON -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON
  -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON)

echo "== GEMMSWEEP_FETCH_DEPENDENCIES=OFF with the packages hidden: one line naming the first"
rm -rf "$build-off"
if cmake -S . -B "$build-off" "${common[@]}" -DGEMMSWEEP_FETCH_DEPENDENCIES=OFF >/dev/null 2>"$build-off.err"; then
  fail "configure succeeded without toml++"
fi
grep -q 'gemmsweep: tomlplusplus >= 3.3 not found: .*FETCHCONTENT_SOURCE_DIR_TOMLPLUSPLUS' "$build-off.err" ||
  fail "no one-line error naming tomlplusplus: $(cat "$build-off.err")"
rm -rf "$build-off" "$build-off.err"

echo "== FetchContent from the local trees in $deps"
rm -rf "$build"
# --no-warn-unused-cli: with FETCHCONTENT_SOURCE_DIR_<NAME> set, FetchContent takes the tree
# without calling find_package, so the CMAKE_DISABLE_FIND_PACKAGE_<Name> of those go unread.
cmake -S . -B "$build" --no-warn-unused-cli "${common[@]}" -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
  -DFETCHCONTENT_SOURCE_DIR_TOMLPLUSPLUS="$deps/tomlplusplus" \
  -DFETCHCONTENT_SOURCE_DIR_CLI11="$deps/CLI11" \
  -DFETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON="$deps/nlohmann_json" \
  -DFETCHCONTENT_SOURCE_DIR_FMT="$deps/fmt" >"$build.log" || fail "configure: $(tail -5 "$build.log")"
# Every compile of the program must see each dependency's headers from its local tree.
for dep in tomlplusplus CLI11 nlohmann_json fmt; do
  grep -q -E -- "-(I|isystem )$deps/$dep/" "$build/compile_commands.json" ||
    fail "no compile takes $dep's headers from $deps/$dep"
done
time cmake --build "$build" -j "$(nproc)" --target gemmsweep gemmsweep_man
bin=$build/orchestrator/gemmsweep
if ldd "$bin" | grep -E 'libfmt|libtomlplusplus'; then
  fail "gemmsweep links the system's fmt or toml++ although they were hidden"
fi
"$bin" plan jobs/demo.toml | grep -q '^points: *192' || fail "gemmsweep plan jobs/demo.toml"
prefix=$(mktemp -d)
cmake --install "$build" --prefix "$prefix" >/dev/null
if [[ -e "$prefix/include" || -e "$prefix/lib/cmake" || -n "$(find "$prefix" -name '*.a')" ]]; then
  fail "the install holds headers or libraries of the fetched projects: $(ls "$prefix" "$prefix/lib")"
fi
rm -rf "$prefix"
echo "check-fetch-fallback: toml++, CLI11, nlohmann_json and fmt built from $deps; gemmsweep works"
