# Install-time script (install(SCRIPT)): writes DOCDIR/README.binary, which says what this build
# holds and which shared libraries its executables need, the CUDA ones apart since no
# distribution package provides them. Read from the installed executables themselves (their
# NEEDED entries, and where the build machine resolves them), so the list is what the loader
# will ask for. Set before it runs: GEMMSWEEP_README_{VERSION,REVISION,FLAVOUR,BINDIR,DOCDIR},
# _EXECUTABLES, _OBJDUMP, _CUDA_DIRS (the CUDA toolkit's and NCCL's library directories) and
# _SEARCH_DIRS (where the dependencies were linked from).
set(_root "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(_executables "")
set(_needed "")
foreach(name ${GEMMSWEEP_README_EXECUTABLES})
  set(_exe "${_root}/${GEMMSWEEP_README_BINDIR}/${name}")
  list(APPEND _executables "${_exe}")
  if(NOT GEMMSWEEP_README_OBJDUMP)
    continue()  # no objdump: the list below is every library the loader resolves
  endif()
  execute_process(COMMAND ${GEMMSWEEP_README_OBJDUMP} -p "${_exe}" OUTPUT_VARIABLE _headers
    RESULT_VARIABLE _status)
  if(NOT _status EQUAL 0)
    message(FATAL_ERROR "${GEMMSWEEP_README_OBJDUMP} -p ${_exe} exited ${_status}")
  endif()
  string(REGEX MATCHALL "NEEDED +[^\n]+" _lines "${_headers}")
  foreach(line ${_lines})
    string(REGEX REPLACE "NEEDED +" "" _soname "${line}")
    list(APPEND _needed "${_soname}")
  endforeach()
endforeach()
file(GET_RUNTIME_DEPENDENCIES EXECUTABLES ${_executables}
  DIRECTORIES ${GEMMSWEEP_README_SEARCH_DIRS}
  RESOLVED_DEPENDENCIES_VAR _resolved UNRESOLVED_DEPENDENCIES_VAR _unresolved)
if(NOT GEMMSWEEP_README_OBJDUMP)
  foreach(library ${_resolved})
    get_filename_component(_name "${library}" NAME)
    list(APPEND _needed "${_name}")
  endforeach()
  list(APPEND _needed ${_unresolved})
endif()
list(REMOVE_DUPLICATES _needed)
list(SORT _needed)

set(_cuda "")
set(_system "")
foreach(soname ${_needed})
  set(_where "not found on the build machine")
  foreach(library ${_resolved})
    get_filename_component(_name "${library}" NAME)
    if(_name STREQUAL soname)
      get_filename_component(_where "${library}" DIRECTORY)
    endif()
  endforeach()
  set(_is_cuda FALSE)
  if(soname MATCHES "^lib(cudart|cublas|cublasLt|nccl|nvrtc|nvJitLink)[.]")
    set(_is_cuda TRUE)
  endif()
  foreach(dir ${GEMMSWEEP_README_CUDA_DIRS})
    file(REAL_PATH "${dir}" _real_dir)
    file(REAL_PATH "${_where}" _real_where)
    if(_real_where STREQUAL _real_dir)
      set(_is_cuda TRUE)
    endif()
  endforeach()
  if(_is_cuda)
    string(APPEND _cuda "  ${soname} (on the build machine: ${_where})\n")
  else()
    string(APPEND _system "  ${soname}\n")
  endif()
endforeach()

set(_text "gemmsweep ${GEMMSWEEP_README_VERSION} (${GEMMSWEEP_README_REVISION}), ${GEMMSWEEP_README_FLAVOUR}\n\n")
string(APPEND _text "The installed tree runs from wherever it lies (a moved prefix, an unpacked tarball):\n"
  "put its bin/ on PATH, or `module use PREFIX/share/modulefiles` and `module load gemmsweep`.\n"
  "`man gemmsweep` and share/doc/gemmsweep/ (README.md, install.md, running.md) say the rest.\n\n")
if(_cuda)
  string(APPEND _text "CUDA libraries it needs, from the CUDA toolkit and NCCL (no distribution package\n"
    "provides them: load the CUDA module or add their directory to LD_LIBRARY_PATH). It runs on\n"
    "nodes without a GPU, where --backend auto falls back to cpu, but these must be found:\n"
    "${_cuda}\n")
else()
  string(APPEND _text "Built without CUDA: backends cpu and model (and the MPI collectives).\n\n")
endif()
if(GEMMSWEEP_README_OBJDUMP)
  set(_how "directly")
else()
  set(_how "with what those need in turn")
endif()
string(APPEND _text "Other shared libraries it needs, ${_how} (MPI, HDF5, OpenBLAS, toml++ and fmt\n"
  "where they were not built in, the C++ runtime):\n${_system}")
file(WRITE "${_root}/${GEMMSWEEP_README_DOCDIR}/README.binary" "${_text}")
message(STATUS "Installing: ${_root}/${GEMMSWEEP_README_DOCDIR}/README.binary")
