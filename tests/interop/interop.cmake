# Interop tests against real BGP daemons (BIRD 2, GoBGP, FRR, ExaBGP).
# Included from tests/extra.cmake. tests/interop/*.cc other than *_test.cc
# form the daemon helper library bgpy_interop; each
# tests/interop/<x>_test.cc becomes the binary interop_<x>, labelled
# `interop` (select with `ctest -L interop`, exclude with `ctest -LE
# interop`); bgpy_cc_test also labels them `unit` (ctest appends labels,
# it cannot take one away). They skip when a daemon is missing, unless
# CI=true (then they fail).
if(TARGET bgpy_posix)
  file(GLOB BGPY_INTEROP_SOURCES CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_LIST_DIR}/*.cc)
  set(BGPY_INTEROP_TESTS ${BGPY_INTEROP_SOURCES})
  list(FILTER BGPY_INTEROP_SOURCES EXCLUDE REGEX "_test\\.cc$")
  list(FILTER BGPY_INTEROP_TESTS INCLUDE REGEX "_test\\.cc$")
  add_library(bgpy_interop STATIC ${BGPY_INTEROP_SOURCES})
  target_link_libraries(bgpy_interop PUBLIC bgpy_testlib absl::status absl::statusor
                        absl::strings)
  target_include_directories(bgpy_interop PUBLIC
                             ${CMAKE_CURRENT_LIST_DIR}/..)
  bgpy_target_warnings(bgpy_interop)
  foreach(src ${BGPY_INTEROP_TESTS})
    get_filename_component(name ${src} NAME_WE)
    bgpy_cc_test(NAME interop_${name} SRCS ${src}
                 DEPS bgpy_testlib bgpy_interop bgpy_posix LABELS interop)
  endforeach()
endif()
