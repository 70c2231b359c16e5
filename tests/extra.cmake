# Extra wiring for tests that need more than the library (owned by the tools'
# rendering work): render_test links the tools' rendering library, and
# decode_tool_test runs the built bgpy-decode.
if(TARGET bgpy_tools_common AND TARGET render_test)
  target_link_libraries(render_test PRIVATE bgpy_tools_common)
endif()
if(TARGET bgpy-decode AND TARGET decode_tool_test)
  add_dependencies(decode_tool_test bgpy-decode)
  # Fallback when BGPY_BINARY_DIR is not in the environment (running the
  # binary by hand rather than through ctest).
  target_compile_definitions(decode_tool_test PRIVATE
    BGPY_DECODE_BINARY="$<TARGET_FILE:bgpy-decode>")
endif()
# The POSIX transport test links bgpy::posix (lib/posix/, owned by h7).
if(TARGET bgpy_posix AND TARGET posix_transport_test)
  target_link_libraries(posix_transport_test PRIVATE bgpy_posix)
endif()
