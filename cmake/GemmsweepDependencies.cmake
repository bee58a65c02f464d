# Dependencies. On Debian 12 every one comes from a package (scripts/setup.sh installs them); on a
# cluster the compilers, CMake, CUDA, MPI and HDF5 come from modules. toml++, CLI11, nlohmann_json
# and fmt are found the same way and, where they are missing (login nodes rarely have them),
# fetched at configure time at pinned commits (docs/install.md). Whatever is missing is named in
# one line with the way to provide it.
include(FetchContent)
option(GEMMSWEEP_FETCH_DEPENDENCIES
  "Fetch toml++, CLI11, nlohmann_json and fmt at configure time when they are not found" ON)

# gemmsweep_missing(text...): stops with one line (CMake leaves a line that starts with a space
# unwrapped) naming what is missing and how to provide it.
function(gemmsweep_missing)
  string(JOIN "" text ${ARGV})
  message(FATAL_ERROR " gemmsweep: ${text}")
endfunction()

# gemmsweep_require(FOUND "what" "how to provide it"): one line instead of CMake's page of search
# details, naming the module or package that provides the dependency.
function(gemmsweep_require found what how)
  if(NOT found)
    gemmsweep_missing("${what} not found: ${how}")
  endif()
endfunction()

find_package(MPI COMPONENTS C CXX)
gemmsweep_require("${MPI_FOUND}" "MPI (C and C++)"
  "load an MPI module (module load openmpi), install libopenmpi-dev, or set MPI_HOME")
find_package(HDF5 COMPONENTS C)
gemmsweep_require("${HDF5_FOUND}" "HDF5 (C)"
  "load an HDF5 module (module load hdf5), install libhdf5-dev, or set HDF5_ROOT")
find_package(PkgConfig)
gemmsweep_require("${PKG_CONFIG_FOUND}" "pkg-config" "install pkg-config (or pkgconf)")
pkg_check_modules(OPENBLAS IMPORTED_TARGET openblas)
gemmsweep_require("${OPENBLAS_FOUND}" "OpenBLAS (pkg-config openblas)"
  "load an OpenBLAS module, install libopenblas-dev, or add its lib/pkgconfig to PKG_CONFIG_PATH")

# gemmsweep_fetchable(PACKAGE MIN_VERSION TARGET REPOSITORY COMMIT PINNED_VERSION)
# find_package(PACKAGE MIN_VERSION) first; when that fails, the source at COMMIT (the tag
# PINNED_VERSION; a commit id pins the content as a hash does), or the local tree named by
# FETCHCONTENT_SOURCE_DIR_<PACKAGE> (no network: docs/install.md). Run from this file's scope, so
# that the targets are visible to the whole project.
macro(gemmsweep_fetchable package min_version target repository commit pinned)
  if(NOT TARGET ${target})
    if(GEMMSWEEP_FETCH_DEPENDENCIES)
      FetchContent_Declare(${package} GIT_REPOSITORY ${repository} GIT_TAG ${commit}
        FIND_PACKAGE_ARGS ${min_version})
      FetchContent_MakeAvailable(${package})
    else()
      find_package(${package} ${min_version} QUIET)
    endif()
  endif()
  if(NOT TARGET ${target})
    string(TOUPPER ${package} _gs_upper)
    gemmsweep_missing("${package} >= ${min_version} not found: add its install to "
      "CMAKE_PREFIX_PATH, or configure with -DGEMMSWEEP_FETCH_DEPENDENCIES=ON (fetches "
      "${repository} at ${pinned}) and, without a network, "
      "-DFETCHCONTENT_SOURCE_DIR_${_gs_upper}=<its source tree>")
  endif()
endmacro()

# toml++ builds on distributions without its CMake package config can still offer pkg-config.
if(NOT CMAKE_DISABLE_FIND_PACKAGE_tomlplusplus)
  find_package(tomlplusplus 3.3 QUIET)
  if(NOT TARGET tomlplusplus::tomlplusplus)
    pkg_check_modules(TOMLPP QUIET IMPORTED_TARGET tomlplusplus>=3.3)
    if(TOMLPP_FOUND)
      add_library(tomlplusplus::tomlplusplus ALIAS PkgConfig::TOMLPP)
    endif()
  endif()
endif()
# The pins are the versions Debian 12 ships, which the test suite runs against.
gemmsweep_fetchable(tomlplusplus 3.3 tomlplusplus::tomlplusplus
  https://github.com/marzer/tomlplusplus.git c635f218c0aefc801d9748841930365e54fe3089 v3.3.0)
gemmsweep_fetchable(CLI11 2.1 CLI11::CLI11
  https://github.com/CLIUtils/CLI11.git 70f8072f9dd2292fd0b9f9e5f58e279f60483ed3 v2.1.2)
gemmsweep_fetchable(nlohmann_json 3.11 nlohmann_json::nlohmann_json
  https://github.com/nlohmann/json.git bc889afb4c5bf1c0d8ee29ef35eaaf4c8bef8a5d v3.11.2)
gemmsweep_fetchable(fmt 9.1 fmt::fmt
  https://github.com/fmtlib/fmt.git a33701196adfad74917046096bf5a2aa0ab0bb50 9.1.0)

find_package(Threads REQUIRED)
if(GEMMSWEEP_BUILD_TESTS)
  find_package(GTest)
  gemmsweep_require("${GTest_FOUND}" "GoogleTest"
    "install libgtest-dev and libgmock-dev, or configure with -DGEMMSWEEP_BUILD_TESTS=OFF")
endif()
if(GEMMSWEEP_BUILD_BENCHMARKS)
  find_package(benchmark QUIET)
  gemmsweep_require("${benchmark_FOUND}" "Google Benchmark"
    "install libbenchmark-dev, or configure with -DGEMMSWEEP_BUILD_BENCHMARKS=OFF")
endif()
# The Debian interpreter, whose h5py / pandas / matplotlib come from apt (scripts/setup.sh).
if(EXISTS /usr/bin/python3 AND NOT Python3_EXECUTABLE)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 COMPONENTS Interpreter)

add_library(gemmsweep_hdf5 INTERFACE)
target_include_directories(gemmsweep_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(gemmsweep_hdf5 INTERFACE ${HDF5_C_LIBRARIES} ${HDF5_LIBRARIES})
target_compile_definitions(gemmsweep_hdf5 INTERFACE ${HDF5_DEFINITIONS})

set(GEMMSWEEP_HAVE_CUDA ${GEMMSWEEP_ENABLE_CUDA})
set(GEMMSWEEP_HAVE_NCCL ${GEMMSWEEP_ENABLE_NCCL})

execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} OUTPUT_VARIABLE GEMMSWEEP_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT GEMMSWEEP_GIT_REVISION)
  set(GEMMSWEEP_GIT_REVISION "unknown")
endif()
