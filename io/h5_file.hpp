#pragma once
#include <string>

#include "io/h5_handle.hpp"

namespace gs {

// File access properties for results files: the latest format (SWMR needs it) and HDF5's own
// flock-based file locking off, since the lock file (WriterLock) guards writers and flock fails
// or misleads on many cluster file systems. HDF5_USE_FILE_LOCKING, when set, still wins (HDF5
// reads it itself).
H5Plist make_file_access();

// Opens a results file for reading. Throws StoreError with one line for a missing, truncated or
// foreign file. A file whose writer was killed (HDF5's "open for write" flag still set) is
// recovered first when no writer holds it (taking the WriterLock meanwhile; recover_after_crash
// says so on stderr); a file that a live writer holds, or that cannot be written, is read in
// SWMR mode, which sees every row flushed so far.
H5File open_for_read(const std::string& path);

// Opens an existing results file for SWMR writing (so that no moment of a resume leaves the
// file in a state SWMR readers refuse), recovering it first if its writer was killed.
// The caller holds the WriterLock.
H5File open_for_write(const std::string& path);

// What h5clear -s --increment does: clears the superblock's open-for-write flags and moves the
// end-of-allocation address to the end of the file, which a killed SWMR writer leaves behind.
// Says so on stderr. Returns false (and leaves the file alone) when the file cannot be written.
bool recover_after_crash(const std::string& path);

// Throws StoreError unless path exists and is an HDF5 file.
void check_is_hdf5(const std::string& path);

}  // namespace gs
