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
include(${BGPY_FUZZ_DIR}/families.cmake)

foreach(t ${BGPY_FUZZ_TARGETS})
  add_executable(${t}_replay ${BGPY_FUZZ_DIR}/${t}.cc ${BGPY_FUZZ_DIR}/replay_main.cc)
  target_link_libraries(${t}_replay PRIVATE bgpy)
  target_include_directories(${t}_replay PRIVATE ${BGPY_FUZZ_DIR})
  bgpy_target_warnings(${t}_replay)
  add_test(NAME fuzz_replay.${t}
    COMMAND ${t}_replay ${BGPY_FUZZ_DIR}/corpus/${t})
  set_tests_properties(fuzz_replay.${t} PROPERTIES LABELS fuzz-replay)
endforeach()

# NLRI per family: one replay binary; the family comes from the environment
# (BGPY_FUZZ_FAMILY). Its seeds are written into the build tree by
# fuzz_nlri_seeds (from the shared corpus, read in place, plus hand-made
# inputs) in a ctest fixture, then replayed with the repository's
# corpus/nlri_fuzzer/ inputs.
add_executable(nlri_fuzzer_replay ${BGPY_FUZZ_DIR}/nlri_fuzzer.cc ${BGPY_FUZZ_DIR}/replay_main.cc)
target_link_libraries(nlri_fuzzer_replay PRIVATE bgpy)
target_include_directories(nlri_fuzzer_replay PRIVATE ${BGPY_FUZZ_DIR})
bgpy_target_warnings(nlri_fuzzer_replay)
add_executable(fuzz_nlri_seeds ${BGPY_FUZZ_DIR}/nlri_seeds.cc)
target_link_libraries(fuzz_nlri_seeds PRIVATE bgpy)
target_include_directories(fuzz_nlri_seeds PRIVATE ${BGPY_FUZZ_DIR})
bgpy_target_warnings(fuzz_nlri_seeds)
set(BGPY_NLRI_SEEDS ${CMAKE_BINARY_DIR}/fuzz-seeds/nlri)
add_test(NAME fuzz_replay.nlri_seeds
  COMMAND fuzz_nlri_seeds ${BGPY_NLRI_SEEDS} ${BGPY_SHARED_DIR}/corpus/messages)
set_tests_properties(fuzz_replay.nlri_seeds PROPERTIES
  LABELS fuzz-replay FIXTURES_SETUP bgpy_nlri_seeds)
add_test(NAME fuzz_replay.nlri_families_listed
  COMMAND fuzz_nlri_seeds --check-listed ${BGPY_FUZZ_FAMILIES})
set_tests_properties(fuzz_replay.nlri_families_listed PROPERTIES LABELS fuzz-replay)
foreach(f ${BGPY_FUZZ_FAMILIES})
  add_test(NAME fuzz_replay.nlri.${f}
    COMMAND nlri_fuzzer_replay ${BGPY_NLRI_SEEDS}/${f} ${BGPY_FUZZ_DIR}/corpus/nlri_fuzzer)
  set_tests_properties(fuzz_replay.nlri.${f} PROPERTIES
    LABELS fuzz-replay FIXTURES_REQUIRED bgpy_nlri_seeds
    ENVIRONMENT BGPY_FUZZ_FAMILY=${f})
endforeach()
# The whole registry in one binary (family from octet 0), over every seed.
add_test(NAME fuzz_replay.nlri.any
  COMMAND nlri_fuzzer_replay ${BGPY_FUZZ_DIR}/corpus/nlri_fuzzer)
set_tests_properties(fuzz_replay.nlri.any PROPERTIES LABELS fuzz-replay)

# Writes the seed inputs (see tests/fuzz/README.md); not a test.
add_executable(fuzz_make_seeds ${BGPY_FUZZ_DIR}/make_seeds.cc)
target_link_libraries(fuzz_make_seeds PRIVATE bgpy)
bgpy_target_warnings(fuzz_make_seeds)

# MRT records (mrt_fuzzer): seeds are the first records of every shared
# corpus MRT file, extracted into the build tree by fuzz_mrt_seeds (through
# bgpy::mrt) in a ctest fixture, then replayed. Nothing is committed.
add_executable(mrt_fuzzer_replay ${BGPY_FUZZ_DIR}/mrt_fuzzer.cc ${BGPY_FUZZ_DIR}/replay_main.cc)
target_link_libraries(mrt_fuzzer_replay PRIVATE bgpy)
target_include_directories(mrt_fuzzer_replay PRIVATE ${BGPY_FUZZ_DIR})
bgpy_target_warnings(mrt_fuzzer_replay)
if(TARGET bgpy_mrt)
  add_executable(fuzz_mrt_seeds ${BGPY_FUZZ_DIR}/mrt_seeds.cc)
  target_link_libraries(fuzz_mrt_seeds PRIVATE bgpy_mrt)
  bgpy_target_warnings(fuzz_mrt_seeds)
  set(BGPY_MRT_SEEDS ${CMAKE_BINARY_DIR}/fuzz-seeds/mrt)
  add_test(NAME fuzz_replay.mrt_seeds
    COMMAND fuzz_mrt_seeds ${BGPY_MRT_SEEDS} ${BGPY_SHARED_DIR}/corpus/mrt)
  set_tests_properties(fuzz_replay.mrt_seeds PROPERTIES
    LABELS fuzz-replay FIXTURES_SETUP bgpy_mrt_seeds)
  add_test(NAME fuzz_replay.mrt_fuzzer
    COMMAND mrt_fuzzer_replay ${BGPY_MRT_SEEDS})
  set_tests_properties(fuzz_replay.mrt_fuzzer PROPERTIES
    LABELS fuzz-replay FIXTURES_REQUIRED bgpy_mrt_seeds)
endif()
