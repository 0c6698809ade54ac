# bp_library(<name> SOURCES <file>... [TESTS <file>...] [DEPENDS <target>...] [USES <target>...]
#            [NEVER_USES <name>...])
#
# One static library per folder of src/, named bp_<name>, with an explicit source list (a .cc
# file of the folder that is in neither list stops the configuration):
#   SOURCES  the folder's .cc files (its headers need no listing)
#   TESTS    the folder's *_test.cc files; they join the one bp_tests executable
#   DEPENDS  the lower bp_* layers this one builds on (public: callers see them too)
#   USES     third-party libraries the folder's .cc files need (private)
#   NEVER_USES  functions its sources may not call and headers they may not include (the layering
#            test checks; tests are exempt)
# The layers are linked one way: base <- dependency <- cnb, cf; base <- proxy_config <- launch. The unit test
# `layering` (cmake/check_layers.cmake) fails when a file includes a header from a folder its
# library does not depend on, so the direction holds for headers as well as for symbols.
function(bp_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;TESTS;DEPENDS;USES;NEVER_USES" ${ARGN})
  set(target bp_${name})
  # Every .cc of the folder is listed (a forgotten test would silently never run).
  file(GLOB present RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  foreach(file IN LISTS present)
    if(NOT file IN_LIST arg_SOURCES AND NOT file IN_LIST arg_TESTS)
      file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
      message(FATAL_ERROR "${folder}/${file} is in no list: add it to SOURCES or TESTS in ${folder}/CMakeLists.txt")
    endif()
  endforeach()
  add_library(${target} STATIC ${arg_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${arg_DEPENDS} PRIVATE bp_warnings ${arg_USES})
  list(TRANSFORM arg_TESTS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  set_property(GLOBAL APPEND PROPERTY BP_TEST_SOURCES ${arg_TESTS})
  # For the layering check: which folders this folder may include from.
  set(allowed ${name})
  foreach(dep IN LISTS arg_DEPENDS)
    if(dep MATCHES "^bp_(.+)$")
      list(APPEND allowed ${CMAKE_MATCH_1})
      get_property(inherited GLOBAL PROPERTY BP_LAYER_${CMAKE_MATCH_1})
      list(APPEND allowed ${inherited})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY BP_LAYER_${name} ${allowed})
  list(JOIN allowed "," allowed_text)
  if(arg_NEVER_USES)
    list(JOIN arg_NEVER_USES "," never_text)
    string(APPEND allowed_text "!${never_text}")
  endif()
  set_property(GLOBAL APPEND PROPERTY BP_LAYERS "${name}=${allowed_text}")
endfunction()
