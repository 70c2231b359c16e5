# cmake -P script behind the consumer.* tests (see consumer_tests.cmake).
# Inputs: MODE (find_package|fetchcontent), BGPY_SOURCE_DIR, BGPY_BINARY_DIR,
# WORK_DIR, CONSUMER_SOURCE_DIR, CONSUMER_GENERATOR, CONSUMER_CXX,
# CONSUMER_CONFIG.
cmake_minimum_required(VERSION 3.25)

function(run what)
  message(STATUS "consumer.${MODE}: ${what}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer.${MODE}: ${what} failed (${rc}):\n  ${ARGN}")
  endif()
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "consumer.${MODE}: missing ${path}")
  endif()
endfunction()

if(NOT CONSUMER_CONFIG)
  set(CONSUMER_CONFIG RelWithDebInfo)
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
set(build "${WORK_DIR}/build")
set(args -G "${CONSUMER_GENERATOR}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}"
    -DCMAKE_CXX_COMPILER=${CONSUMER_CXX} -DCONSUMER_MODE=${MODE})

if(MODE STREQUAL "find_package")
  set(prefix "${WORK_DIR}/prefix")
  run("install this build into ${prefix}"
      ${CMAKE_COMMAND} --install "${BGPY_BINARY_DIR}" --prefix "${prefix}"
      --config ${CONSUMER_CONFIG})
  # The package files and the headers, the generated version.h included.
  foreach(f bgpyConfig.cmake bgpyConfigVersion.cmake bgpyTargets.cmake)
    expect_file("${prefix}/lib/cmake/bgpy/${f}")
  endforeach()
  file(GLOB headers RELATIVE "${BGPY_SOURCE_DIR}/include"
       "${BGPY_SOURCE_DIR}/include/bgpy/*.h")
  foreach(h ${headers} bgpy/version.h)
    expect_file("${prefix}/include/${h}")
  endforeach()
  file(GLOB posix_sources "${BGPY_SOURCE_DIR}/lib/posix/*.cc")
  file(READ "${prefix}/lib/cmake/bgpy/bgpyTargets.cmake" targets_file)
  if(posix_sources AND NOT targets_file MATCHES "bgpy::posix")
    message(FATAL_ERROR "consumer.${MODE}: bgpy::posix was not exported")
  endif()
  if(EXISTS "${prefix}/include/bgpy/internal" OR
     EXISTS "${prefix}/include/internal")
    message(FATAL_ERROR "consumer.${MODE}: internal headers were installed")
  endif()
  list(APPEND args -DCMAKE_PREFIX_PATH=${prefix}
       -DCMAKE_BUILD_TYPE=${CONSUMER_CONFIG})
elseif(MODE STREQUAL "fetchcontent")
  # Debug: the library is compiled again here, fastest unoptimised.
  list(APPEND args -DBGPY_SOURCE_DIR=${BGPY_SOURCE_DIR} -DCMAKE_BUILD_TYPE=Debug)
else()
  message(FATAL_ERROR "consumer: MODE must be find_package or fetchcontent")
endif()

run("configure the consumer" ${CMAKE_COMMAND} ${args})
run("build the consumer" ${CMAKE_COMMAND} --build "${build}" --parallel 2)

if(MODE STREQUAL "fetchcontent")
  # No bgpy test, tool or benchmark was built in the parent's build dir.
  file(GLOB_RECURSE extra LIST_DIRECTORIES false
       "${build}/*_test" "${build}/*_benchmark" "${build}/*_fuzzer"
       "${build}/bgpy-decode" "${build}/bgpy-inject" "${build}/bgpy-listen"
       "${build}/libbgpy_testlib.a" "${build}/libbgpy_tools_common.a")
  foreach(dir tests examples bench)
    if(IS_DIRECTORY "${build}/_deps/bgpy-build/${dir}")
      list(APPEND extra "${build}/_deps/bgpy-build/${dir}/")
    endif()
  endforeach()
  if(extra)
    message(FATAL_ERROR "consumer.${MODE}: bgpy built extras: ${extra}")
  endif()
endif()

run("run the consumer" "${build}/bgpy_consumer")
message(STATUS "consumer.${MODE}: OK")
