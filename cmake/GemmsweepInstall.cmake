# Where `cmake --install BUILD --prefix P` puts things (docs/install.md). Every path is relative to
# the prefix, and nothing installed names the build tree or the prefix, so a tree can be moved
# after it is installed (a tarball, a module tree copied between file systems).
include(GNUInstallDirs)
set(GEMMSWEEP_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/gemmsweep)
set(GEMMSWEEP_INSTALL_JOBSDIR ${GEMMSWEEP_INSTALL_DATADIR}/jobs)
set(GEMMSWEEP_INSTALL_SLURMDIR ${GEMMSWEEP_INSTALL_DATADIR}/slurm)
set(GEMMSWEEP_INSTALL_MODULEDIR ${CMAKE_INSTALL_DATADIR}/modulefiles/gemmsweep)
# Where Debian's python3 looks by itself (the .deb needs no PYTHONPATH); elsewhere the module sets
# PYTHONPATH to it. bin/gemmsweep-analysis (analysis/gemmsweep-plot) expects this path.
set(GEMMSWEEP_INSTALL_PYTHONDIR lib/python3/dist-packages)

# The executables link only static libraries of this project, so they need no RPATH of their
# own: CMake drops the build tree's RUNPATH when it installs them. The system libraries (MPI,
# HDF5, OpenBLAS, CUDA) are found as any program finds them; on a cluster,
# -DCMAKE_INSTALL_RPATH_USE_LINK_PATH=ON keeps the modules' library directories (never the
# build tree's) so that the installed binary runs without those modules loaded.
