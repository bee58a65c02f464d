# The Lmod module, the binary README and the packages (CPack): `cpack -G TGZ` packs the installed
# tree (relocatable), `cpack -G DEB` a Debian package whose Depends come from the shared libraries
# (dpkg-shlibdeps). The DEB is made only from a tree without CUDA, since the CUDA toolkit under
# /usr/local/cuda belongs to no Debian package; a CUDA build's tarball names the CUDA libraries
# it needs in its README (a copy of share/doc/gemmsweep/README.binary). Included after every
# folder, so that the executables exist.
if(GEMMSWEEP_HAVE_CUDA)
  set(GEMMSWEEP_BUILD_FLAVOUR "CUDA ${CUDAToolkit_VERSION}: backends cuda, cpu, model")
  set(GEMMSWEEP_MODULE_CUDA_HINT " and CUDA ${CUDAToolkit_VERSION_MAJOR}")
else()
  set(GEMMSWEEP_BUILD_FLAVOUR "without CUDA: backends cpu, model")
  set(GEMMSWEEP_MODULE_CUDA_HINT "")
endif()

# --- Lmod module: PREFIX/share/modulefiles/gemmsweep/VERSION.lua ---------------------------------
set(_gs_module_file ${GEMMSWEEP_INSTALL_MODULEDIR}/${PROJECT_VERSION}.lua)
string(REPLACE "/" ";" _gs_module_parts "${_gs_module_file}")
list(LENGTH _gs_module_parts GEMMSWEEP_MODULE_DEPTH)
get_filename_component(GEMMSWEEP_INSTALL_MODULEDIR_PARENT ${GEMMSWEEP_INSTALL_MODULEDIR} DIRECTORY)
configure_file(cmake/gemmsweep-module.lua.in ${CMAKE_CURRENT_BINARY_DIR}/${PROJECT_VERSION}.lua @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${PROJECT_VERSION}.lua
  DESTINATION ${GEMMSWEEP_INSTALL_MODULEDIR})

# --- README.binary: what this build needs, read from the installed executables -------------------
set(_gs_executables gemmsweep)
set(_gs_cuda_dirs "")
set(_gs_search_dirs ${OPENBLAS_LIBRARY_DIRS})
foreach(library ${HDF5_C_LIBRARIES} ${MPI_CXX_LIBRARIES})
  get_filename_component(_gs_dir "${library}" DIRECTORY)
  list(APPEND _gs_search_dirs "${_gs_dir}")
endforeach()
if(TARGET gemmsweep-gpu-bench)
  list(APPEND _gs_executables gemmsweep-gpu-bench)
endif()
if(GEMMSWEEP_HAVE_CUDA)
  list(APPEND _gs_cuda_dirs ${CUDAToolkit_LIBRARY_DIR})
  if(GEMMSWEEP_NCCL_LIBRARY)
    get_filename_component(_gs_dir "${GEMMSWEEP_NCCL_LIBRARY}" DIRECTORY)
    list(APPEND _gs_cuda_dirs "${_gs_dir}")
  endif()
endif()
list(APPEND _gs_search_dirs ${_gs_cuda_dirs})
list(REMOVE_DUPLICATES _gs_search_dirs)
install(CODE "
  set(GEMMSWEEP_README_VERSION \"${PROJECT_VERSION}\")
  set(GEMMSWEEP_README_REVISION \"${GEMMSWEEP_GIT_REVISION}\")
  set(GEMMSWEEP_README_FLAVOUR \"${GEMMSWEEP_BUILD_FLAVOUR}\")
  set(GEMMSWEEP_README_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(GEMMSWEEP_README_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(GEMMSWEEP_README_EXECUTABLES \"${_gs_executables}\")
  set(GEMMSWEEP_README_OBJDUMP \"${CMAKE_OBJDUMP}\")
  set(GEMMSWEEP_README_CUDA_DIRS \"${_gs_cuda_dirs}\")
  set(GEMMSWEEP_README_SEARCH_DIRS \"${_gs_search_dirs}\")")
install(SCRIPT cmake/GemmsweepBinaryReadme.cmake)

# --- CPack ---------------------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME gemmsweep)
set(CPACK_PACKAGE_VENDOR "gemmsweep")
set(CPACK_PACKAGE_CONTACT "gemmsweep maintainers <gemmsweep@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "GEMM throughput of transformer shapes, swept across GPUs under MPI")
set(CPACK_PACKAGE_DESCRIPTION
  "gemmsweep times the matrix products of transformer layers over a grid of model shapes, on as many GPUs or CPU ranks as MPI or Slurm give it, into one HDF5 file, and draws the charts.")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
if(GEMMSWEEP_HAVE_CUDA)
  set(CPACK_GENERATOR TGZ)
  set(CPACK_PACKAGE_FILE_NAME
    "gemmsweep-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}-cuda${CUDAToolkit_VERSION_MAJOR}")
else()
  set(CPACK_GENERATOR "TGZ;DEB")
  set(CPACK_PACKAGE_FILE_NAME
    "gemmsweep-${PROJECT_VERSION}-${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beyond the shared libraries: python3 runs gemmsweep-submit and gemmsweep-analysis.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openmpi-bin, python3-h5py, python3-pandas, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "slurm-client, lmod")
# cpack -G DEB on a CUDA tree stops with one line (GemmsweepCPackOptions.cmake.in).
set(GEMMSWEEP_CPACK_HAVE_CUDA ${GEMMSWEEP_HAVE_CUDA})
configure_file(cmake/GemmsweepCPackOptions.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/GemmsweepCPackOptions.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_BINARY_DIR}/GemmsweepCPackOptions.cmake)
set(GEMMSWEEP_DOCDIR ${CMAKE_INSTALL_DOCDIR})
configure_file(cmake/GemmsweepTarballReadme.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/GemmsweepTarballReadme.cmake @ONLY)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_BINARY_DIR}/GemmsweepTarballReadme.cmake)
include(CPack)
