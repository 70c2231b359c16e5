# Consumer tests (label "consumer"): bgpy used from another CMake project.
# Included from tests/CMakeLists.txt. Each test runs run_consumer.cmake:
#   consumer.find_package  `cmake --install` of this build into a temporary
#                          prefix, then find_package(bgpy CONFIG) from there
#   consumer.fetchcontent  FetchContent_MakeAvailable of this source tree
# Both build tests/consumer/ and run it; see CMakeLists.txt there for the
# checks made while configuring. Not for sanitizer builds (scripts/test
# excludes the label there): the consumer is a plain project.
set(bgpy_consumer_modes fetchcontent)
if(BGPY_INSTALL)  # find_package needs the install rules
  list(PREPEND bgpy_consumer_modes find_package)
endif()
foreach(bgpy_consumer_mode IN LISTS bgpy_consumer_modes)
  add_test(NAME consumer.${bgpy_consumer_mode}
    COMMAND ${CMAKE_COMMAND}
      -DMODE=${bgpy_consumer_mode}
      -DBGPY_SOURCE_DIR=${PROJECT_SOURCE_DIR}
      -DBGPY_BINARY_DIR=${PROJECT_BINARY_DIR}
      -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/consumer/${bgpy_consumer_mode}
      -DCONSUMER_SOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}
      -DCONSUMER_GENERATOR=${CMAKE_GENERATOR}
      -DCONSUMER_CXX=${CMAKE_CXX_COMPILER}
      -DCONSUMER_CONFIG=$<CONFIG>
      -P ${CMAKE_CURRENT_LIST_DIR}/run_consumer.cmake)
  # Each builds with 2 jobs: let ctest -j2 run it alone.
  set_tests_properties(consumer.${bgpy_consumer_mode} PROPERTIES
    LABELS consumer PROCESSORS 2 TIMEOUT 900)
endforeach()
