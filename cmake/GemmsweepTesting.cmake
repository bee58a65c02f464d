# Test helpers. Every test target is built; GPU tests are registered only with
# GEMMSWEEP_DEVICE_TESTS=ON (nvbench's testing/device).
include(GoogleTest)

set(GEMMSWEEP_MPIEXEC_FLAGS --oversubscribe --bind-to none)
if(CMAKE_HOST_UNIX)
  execute_process(COMMAND id -u OUTPUT_VARIABLE _gs_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_gs_uid STREQUAL "0")
    list(APPEND GEMMSWEEP_MPIEXEC_FLAGS --allow-run-as-root)
  endif()
endif()

# gemmsweep_add_gtest(NAME SOURCES ... LIBS ... [LABELS ...] [GPU])
function(gemmsweep_add_gtest name)
  cmake_parse_arguments(A "GPU" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT A_LABELS)
    set(A_LABELS "")
  endif()
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_LIBS} GTest::gtest_main GTest::gmock gemmsweep_warnings)
  target_compile_definitions(${name} PRIVATE
    GEMMSWEEP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GEMMSWEEP_BINARY="$<TARGET_FILE:gemmsweep>")
  # gtest_discover_tests cannot carry a list through PROPERTIES, so a test gets one label here
  # (gpu for GPU tests, else the first of LABELS); tests/CMakeLists.txt adds the folder's name
  # to every test of a folder.
  if(A_GPU)
    set(label gpu)
  else()
    list(GET A_LABELS 0 label)
  endif()
  if(NOT A_GPU OR GEMMSWEEP_DEVICE_TESTS)
    if(label)
      gtest_discover_tests(${name} PROPERTIES LABELS ${label} DISCOVERY_TIMEOUT 60)
    else()
      gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
    endif()
  endif()
endfunction()

# gemmsweep_add_mpi_test(NAME RANKS N COMMAND cmd args... [LABELS ...] [TIMEOUT s])
# Runs the command under mpiexec -n N (Umpire's umpire_add_test_with_mpi).
function(gemmsweep_add_mpi_test name)
  cmake_parse_arguments(A "" "RANKS;TIMEOUT" "COMMAND;LABELS" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  add_test(NAME ${name}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${A_RANKS} ${GEMMSWEEP_MPIEXEC_FLAGS}
            ${A_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS "mpi;${A_LABELS}" TIMEOUT ${A_TIMEOUT}
    PROCESSORS ${A_RANKS})
endfunction()
