#!/usr/bin/env bash
# Installs exactly the Debian 12 packages the build needs. Idempotent: does nothing when all are present.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config help2man
  libboost-dev libboost-math-dev libboost-random-dev
  libtbb-dev librandom123-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libgtest-dev libbenchmark-dev
  librsvg2-bin netpbm
  python3 python3-jsonschema
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest python3-pandas
  python3-setuptools python3-pip python3-venv python3-statsmodels python3-scipy
)
# librsvg2-bin and netpbm let the tests render the report's SVG figures with a real renderer.
# help2man writes the man pages from --help (CMake option RESAMPLE_MAN_PAGES turns on when it is
# found); pkg-config reads the installed resample.pc (scripts/install-check.sh).
# python3-jsonschema validates every command's JSON against docs/schema/ (tests/apps/json_schema_test.py).
# The Python package of python/ (CMake option RESAMPLE_PYTHON turns on when python3-dev and
# pybind11-dev are found): numpy for its arrays, pytest for its tests (ctest python_tests), pandas
# for the optional to_frame() the tests check; setuptools, pip and venv for the offline
# `pip install ./python` of python/README.md, whose setup.py finds pybind11-dev's CMake package
# through python3-pybind11 (pybind11.get_cmake_dir()).
# python3-statsmodels is the peer the ordinal tests' asymptotic statistics are checked against
# (tests/apps/ordinal_peers_test.py: Stuart-Maxwell, Bhapkar, Bowker, McNemar); python3-scipy the
# peer of the exact tests on tie-free data (python/tests/test_scipy.py).
# --tests: also what only the test suite needs, so that the main job downloads neither: chromium
# opens the HTML report headless (tests/apps/report_html_test.cpp); R reads the CSV and TSV
# outputs with read.csv and read.delim (tests/apps/csv_r_test.cpp), and with coin, exactRankTests
# and boot it is the peer of docs/compared-with-r-and-scipy.md (ctest peer_comparison_doc).
if [[ "${1:-}" == --tests ]]; then
  packages+=(chromium r-base-core r-cran-coin r-cran-exactranktests r-cran-boot)
fi
# MPI for `resample batch --mpi` (CMake option RESAMPLE_MPI turns on when it is found).
if [[ "${RESAMPLE_WITH_MPI:-0}" == 1 ]]; then
  packages+=(libopenmpi-dev openmpi-bin)
fi
# Optional extras, installed when asked: RESAMPLE_EXTRA_PACKAGES="librsvg2-bin openmpi-bin libopenmpi-dev"
if [[ -n "${RESAMPLE_EXTRA_PACKAGES:-}" ]]; then
  read -r -a extra <<<"${RESAMPLE_EXTRA_PACKAGES}"
  packages+=("${extra[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
