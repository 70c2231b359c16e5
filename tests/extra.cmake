# Extra wiring for tests that need more than the library: tool_decode_test
# (tests/tools/decode_test.cc) runs the built bgpy-decode.
if(TARGET bgpy-decode AND TARGET tool_decode_test)
  add_dependencies(tool_decode_test bgpy-decode)
  # Fallback when BGPY_BINARY_DIR is not in the environment (running the
  # binary by hand rather than through ctest).
  target_compile_definitions(tool_decode_test PRIVATE
    BGPY_DECODE_BINARY="$<TARGET_FILE:bgpy-decode>")
endif()
# The POSIX transport test links bgpy::posix.
if(TARGET bgpy_posix AND TARGET posix_transport_test)
  target_link_libraries(posix_transport_test PRIVATE bgpy_posix)
endif()
# inject_listen_test runs the built bgpy-inject and bgpy-listen against each
# other on loopback (examples/inject.cc, examples/listen.cc) and unit-tests
# their route generator (bgpy_tools_common).
if(TARGET inject_listen_test)
  if(TARGET bgpy-inject AND TARGET bgpy-listen)
    target_link_libraries(inject_listen_test PRIVATE bgpy_tools_common)
    add_dependencies(inject_listen_test bgpy-inject bgpy-listen
      bgpy-embed-example)
    # Fallback when BGPY_BINARY_DIR is not in the environment.
    target_compile_definitions(inject_listen_test PRIVATE
      BGPY_INJECT_BINARY="$<TARGET_FILE:bgpy-inject>"
      BGPY_LISTEN_BINARY="$<TARGET_FILE:bgpy-listen>")
  else()
    target_compile_definitions(inject_listen_test PRIVATE BGPY_NO_TOOLS=1)
  endif()
endif()
# Interop tests against real BGP daemons (tests/interop/):
# library bgpy_interop, binaries interop_<x>, ctest label `interop`.
include(${CMAKE_CURRENT_SOURCE_DIR}/interop/interop.cmake)
