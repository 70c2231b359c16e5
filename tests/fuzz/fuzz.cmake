# Fuzz targets (STYLE.md §8), included from tests/CMakeLists.txt.
#
# Always (any compiler): one replay binary per target, <t>_replay, which runs
# every file of tests/fuzz/corpus/<t>/ through the target; registered with
# ctest under the label fuzz-replay. The libFuzzer binaries themselves are
# built by tests/fuzz/CMakeLists.txt when BGPY_FUZZ=ON (clang only).
set(BGPY_FUZZ_TARGETS
  message_fuzzer
  update_fuzzer
  roundtrip_fuzzer
  session_fuzzer)
set(BGPY_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

foreach(t ${BGPY_FUZZ_TARGETS})
  add_executable(${t}_replay ${BGPY_FUZZ_DIR}/${t}.cc ${BGPY_FUZZ_DIR}/replay_main.cc)
  target_link_libraries(${t}_replay PRIVATE bgpy)
  target_include_directories(${t}_replay PRIVATE ${BGPY_FUZZ_DIR})
  bgpy_target_warnings(${t}_replay)
  add_test(NAME fuzz_replay.${t}
    COMMAND ${t}_replay ${BGPY_FUZZ_DIR}/corpus/${t})
  set_tests_properties(fuzz_replay.${t} PROPERTIES LABELS fuzz-replay)
endforeach()

# Writes the seed inputs (see tests/fuzz/README.md); not a test.
add_executable(fuzz_make_seeds ${BGPY_FUZZ_DIR}/make_seeds.cc)
target_link_libraries(fuzz_make_seeds PRIVATE bgpy)
bgpy_target_warnings(fuzz_make_seeds)
