"""Builds pairedresample with the project's own CMake: `pip install ./python` (python/README.md).

setuptools only drives the build: build_ext configures the checkout one directory up (the module
needs the engine and the CLI's JSON serializers, which live there) and builds the one target
_engine into the place setuptools packs. Nothing is downloaded: CMake, pybind11-dev and the
engine's dependencies are the Debian packages scripts/install-deps.sh installs, and pip must be
told not to isolate the build (--no-build-isolation), which would fetch setuptools from PyPI.
"""

import os
import pathlib
import shlex
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def project_version():
    # One version for the engine, the command line and this package: the project() line.
    for line in (ROOT / "CMakeLists.txt").read_text().splitlines():
        if line.startswith("project(") and " VERSION " in line:
            return line.split(" VERSION ")[1].split()[0]
    raise RuntimeError("no VERSION in the top-level CMakeLists.txt")


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        output = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        args = [
            f"-DPython3_EXECUTABLE={sys.executable}",
            f"-DRESAMPLE_PYTHON_OUTPUT_DIR={output}",
            "-DCMAKE_BUILD_TYPE=Release",
            "-DRESAMPLE_PYTHON=ON",
            # The module alone: no tests, benchmarks, man pages or MPI.
            "-DRESAMPLE_BUILD_TESTS=OFF",
            "-DRESAMPLE_BUILD_BENCH=OFF",
            "-DRESAMPLE_MAN_PAGES=OFF",
            "-DRESAMPLE_MPI=OFF",
        ]
        # Extra configure arguments, e.g. CMAKE_ARGS="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache".
        args += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        try:
            import pybind11  # Debian python3-pybind11: where pybind11-dev's CMake package is

            args.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:
            pass
        if os.environ.get("CMAKE_GENERATOR") is None and subprocess.run(
            ["ninja", "--version"], capture_output=True, check=False
        ).returncode == 0:
            args += ["-G", "Ninja"]
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), *args], check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_engine", "-j", jobs], check=True)


setup(
    name="pairedresample",
    version=project_version(),
    description="Exact and Monte Carlo resampling for paired data (the resample engine from Python)",
    long_description=(HERE / "README.md").read_text(),
    long_description_content_type="text/markdown",
    packages=["pairedresample"],
    python_requires=">=3.9",
    install_requires=["numpy"],
    extras_require={"pandas": ["pandas"]},
    ext_modules=[CMakeExtension("pairedresample._engine")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
