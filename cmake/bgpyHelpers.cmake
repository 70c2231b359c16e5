# Warnings for bgpy's own targets only (never added globally).
function(bgpy_target_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(BGPY_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# bgpy_cc_test(NAME name SRCS a.cc ... [DEPS lib ...] [LABELS l ...])
# One GoogleTest binary; each test case becomes a ctest test labelled "unit"
# (plus LABELS), with BGPY_SHARED_DIR, BGPY_BINARY_DIR and BGPY_SOURCE_DIR in
# its environment.
function(bgpy_cc_test)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE bgpy ${T_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/lib ${PROJECT_SOURCE_DIR}/tests)
  bgpy_target_warnings(${T_NAME})
  gtest_discover_tests(${T_NAME}
    TEST_LIST ${T_NAME}_TESTS
    DISCOVERY_TIMEOUT 60)
  # gtest_discover_tests(PROPERTIES) flattens list values (CMake 3.25), so
  # several labels or environment variables would turn into bogus property
  # names. Set them from a ctest include file read after the discovered list.
  set(labels unit ${T_LABELS})
  set(env
    "BGPY_SHARED_DIR=${BGPY_SHARED_DIR}"
    "BGPY_BINARY_DIR=${PROJECT_BINARY_DIR}"
    "BGPY_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  set(props_file "${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_properties.cmake")
  file(WRITE "${props_file}"
    "if(${T_NAME}_TESTS)\n"
    "  set_tests_properties(\${${T_NAME}_TESTS} PROPERTIES\n"
    "    LABELS [==[${labels}]==]\n"
    "    ENVIRONMENT [==[${env}]==])\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${props_file}")
endfunction()
