#!/usr/bin/env bash
# Checks the installable package from an existing build (build/, made by scripts/test.sh or
# scripts/build.sh; BUILD_DIR=... for another one), without building resample again:
#   - installs it into a temporary prefix;
#   - builds tests/consumer against it with find_package(resample CONFIG) and runs it;
#   - compiles the same main.cpp with `pkg-config --cflags --libs resample` and runs it;
#   - reads `man resample-bootstrap` from the prefix;
#   - sources the bash completion and completes `resample boo` and `resample bootstrap --sta`;
#   - moves the prefix elsewhere and runs `resample report` from there, then with RESAMPLE_DATA_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
if [[ ! -f "$build/CMakeCache.txt" || ! -x "$build/bin/resample" ]]; then
  echo "install-check: no built $build/ (run scripts/build.sh or scripts/test.sh first)" >&2
  exit 1
fi
# man itself (man-db) is not in minimal Debian images.
RESAMPLE_EXTRA_PACKAGES="man-db ${RESAMPLE_EXTRA_PACKAGES:-}" scripts/install-deps.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/resample-install-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail() {
  echo "install-check: $*" >&2
  exit 1
}
check() { printf 'install-check: %s\n' "$1"; }

check "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in bin/resample lib/cmake/resample/resampleConfig.cmake lib/cmake/resample/resampleConfigVersion.cmake \
  lib/pkgconfig/resample.pc share/resample/gaughen2002_table1.csv share/resample/example_study.json \
  share/resample/gaughen2002_claims.json share/resample/README.md \
  share/bash-completion/completions/resample include/resample/bootstrap/bootstrap.hpp; do
  [[ -e "$prefix/$f" ]] || fail "the prefix has no $f"
done
# Private engine headers stay private.
for f in random_stream.hpp parallel_for.hpp bootstrap/sampling.hpp bootstrap/multinomial.hpp; do
  [[ ! -e "$prefix/include/resample/$f" ]] || fail "private header resample/$f was installed"
done
expected="sign-flip p 0.03125"

check "consumer project: find_package(resample CONFIG REQUIRED)"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S tests/consumer -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" >"$work/consumer-configure.log"
cmake --build "$work/consumer" >"$work/consumer-build.log"
"$work/consumer/resample_consumer" | tee "$work/consumer.txt"
grep -q "$expected" "$work/consumer.txt" || fail "the CMake consumer printed no '$expected'"

check "consumer compiled with pkg-config --cflags --libs resample"
read -r -a pc_flags <<<"$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs resample)"
c++ -std=c++20 -O1 tests/consumer/main.cpp "${pc_flags[@]}" -o "$work/pkg-config-consumer"
"$work/pkg-config-consumer" | tee "$work/pkg-config-consumer.txt"
grep -q "$expected" "$work/pkg-config-consumer.txt" || fail "the pkg-config consumer printed no '$expected'"

check "man -M $prefix/share/man resample-bootstrap"
MANPAGER=cat MANWIDTH=100 man -M "$prefix/share/man" resample-bootstrap >"$work/man.txt" 2>&1 || true
grep -q "RESAMPLE-BOOTSTRAP" "$work/man.txt" || fail "man resample-bootstrap failed: $(head -3 "$work/man.txt")"
grep -q -- "--resamples" "$work/man.txt" || fail "man resample-bootstrap does not document --resamples"
head -n 5 "$work/man.txt"
for command in $("$prefix/bin/resample" --help | awk '/^Subcommands:/ { on = 1; next } on && NF { print $1 }'); do
  [[ -f "$prefix/share/man/man1/resample-$command.1" ]] || fail "no man page for resample $command"
done

check "bash completion of 'resample boo' and 'resample bootstrap --sta'"
completion="$prefix/share/bash-completion/completions/resample"
# shellcheck disable=SC2016
bash -c '
  source "$1"
  COMP_WORDS=(resample boo); COMP_CWORD=1; _resample
  [[ "${COMPREPLY[*]}" == "bootstrap" ]] || { echo "resample boo -> ${COMPREPLY[*]}"; exit 1; }
  COMP_WORDS=(resample bootstrap --sta); COMP_CWORD=2; _resample
  [[ "${COMPREPLY[*]}" == "--stat" ]] || { echo "resample bootstrap --sta -> ${COMPREPLY[*]}"; exit 1; }
' _ "$completion" || fail "completion"

check "resample report from a moved prefix"
moved="$work/moved/elsewhere"
mkdir -p "$(dirname "$moved")"
mv "$prefix" "$moved"
(cd / && "$moved/bin/resample" report) >"$work/report.txt"
grep -q "16 of 16 match" "$work/report.txt" || fail "the moved prefix's report has no '16 of 16 match'"
grep "16 of 16 match" "$work/report.txt"

check "resample report with RESAMPLE_DATA_DIR"
mkdir -p "$work/data"
cp data/gaughen2002_table1.csv data/example_study.json data/gaughen2002_claims.json "$work/data/"
(cd / && RESAMPLE_DATA_DIR="$work/data" "$moved/bin/resample" report) >"$work/report-env.txt"
grep -q "16 of 16 match" "$work/report-env.txt" || fail "RESAMPLE_DATA_DIR's report has no '16 of 16 match'"
if RESAMPLE_DATA_DIR="$work/nowhere" "$moved/bin/resample" report >/dev/null 2>"$work/report-missing.txt"; then
  fail "a RESAMPLE_DATA_DIR without the shipped study did not fail"
fi
grep -q "$work/nowhere/example_study.json" "$work/report-missing.txt" ||
  fail "the missing-study error does not name the file: $(cat "$work/report-missing.txt")"

check "ok"
