# Extra wiring for tests that need more than the library: decode_test
# (tests/tools/decode_test.cc) runs the built bgpy-decode.
if(TARGET bgpy-decode AND TARGET decode_test)
  add_dependencies(decode_test bgpy-decode)
  # Fallback when BGPY_BINARY_DIR is not in the environment (running the
  # binary by hand rather than through ctest).
  target_compile_definitions(decode_test PRIVATE
    BGPY_DECODE_BINARY="$<TARGET_FILE:bgpy-decode>")
endif()
# The POSIX transport tests (and the malformed-input table, run over it) link
# bgpy::posix.
foreach(t posix_transport_test posix_pause_test posix_gtsm_test
          malformed_table_test)
  if(TARGET bgpy_posix AND TARGET ${t})
    target_link_libraries(${t} PRIVATE bgpy_posix)
  endif()
endforeach()
# The tests of bgpy-inject and bgpy-listen (tests/tools/inject_listen_test.cc) run
# the built tools against each other on loopback (examples/inject/,
# examples/listen.cc) and unit-test their route generator
# (bgpy_tools_common).
foreach(t inject_listen_test inject_errors_test inject_mrt_test)
  if(NOT TARGET ${t})
    continue()
  endif()
  if(TARGET bgpy-inject AND TARGET bgpy-listen)
    target_link_libraries(${t} PRIVATE bgpy_tools_common)
    add_dependencies(${t} bgpy-inject bgpy-listen bgpy-embed-example)
    # Fallback when BGPY_BINARY_DIR is not in the environment.
    target_compile_definitions(${t} PRIVATE
      BGPY_INJECT_BINARY="$<TARGET_FILE:bgpy-inject>"
      BGPY_LISTEN_BINARY="$<TARGET_FILE:bgpy-listen>")
  else()
    target_compile_definitions(${t} PRIVATE BGPY_NO_TOOLS=1)
  endif()
endforeach()
# inject_mrt_test also runs bgpy-decode (its expectations).
if(TARGET inject_mrt_test AND TARGET bgpy-decode AND TARGET bgpy-inject)
  add_dependencies(inject_mrt_test bgpy-decode)
  target_compile_definitions(inject_mrt_test PRIVATE
    BGPY_DECODE_BINARY="$<TARGET_FILE:bgpy-decode>")
endif()
# Interop tests against real BGP daemons (tests/interop/):
# library bgpy_interop, binaries interop_<x>, ctest label `interop`.
include(${CMAKE_CURRENT_SOURCE_DIR}/interop/interop.cmake)
# tests/tools/listen_backpressure_test.cc runs the built bgpy-listen and
# bgpy-inject.
if(TARGET listen_backpressure_test AND TARGET bgpy-listen AND TARGET bgpy-inject)
  add_dependencies(listen_backpressure_test bgpy-listen bgpy-inject)
endif()
# bgpy-perf's tool test (tests/tools/perf_test.cc) runs the built tool.
if(TARGET perf_test)
  if(TARGET bgpy-perf)
    add_dependencies(perf_test bgpy-perf)
    target_compile_definitions(perf_test PRIVATE
      BGPY_PERF_BINARY="$<TARGET_FILE:bgpy-perf>")
    # Its statistics and output files are unit-tested too.
    target_sources(perf_test PRIVATE
      ${PROJECT_SOURCE_DIR}/examples/perf/report.cc)
    target_include_directories(perf_test PRIVATE ${PROJECT_SOURCE_DIR}/examples)
    target_link_libraries(perf_test PRIVATE absl::str_format absl::strings)
  else()
    target_compile_definitions(perf_test PRIVATE BGPY_NO_TOOLS=1)
  endif()
endif()
# The malformed-input table checks docs/malformed-input.md (and rewrites it
# with BGPY_REGENERATE_DOCS=1) when run by hand, outside ctest.
if(TARGET malformed_table_test)
  target_compile_definitions(malformed_table_test PRIVATE
    BGPY_SOURCE_TREE="${PROJECT_SOURCE_DIR}")
endif()
