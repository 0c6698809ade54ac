# Registers every integration test case (integration/test_*.py, Python unittest) as its own
# ctest test, so ctest reports real counts. Test cases are listed at configure time; editing
# a test file re-runs the listing. Classes with `ctest_run_serial = True` run alone (timing);
# `ctest_labels` adds labels, which ctest's label summary counts; `ctest_cost` orders the slowest
# first (integration/list_tests.py).
find_program(BP_PYTHON /usr/bin/python3 REQUIRED)
# The shared base classes in harness/fixtures/ carry ctest attributes too (ctest_timeout, …).
file(GLOB BP_INTEGRATION_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/integration/test_*.py
     ${CMAKE_SOURCE_DIR}/integration/harness/fixtures/*.py)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BP_INTEGRATION_FILES}
             ${CMAKE_SOURCE_DIR}/integration/list_tests.py)
execute_process(
  COMMAND ${BP_PYTHON} ${CMAKE_SOURCE_DIR}/integration/list_tests.py
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/integration
  OUTPUT_VARIABLE BP_INTEGRATION_LIST
  RESULT_VARIABLE BP_LIST_RESULT)
if(NOT BP_LIST_RESULT EQUAL 0)
  message(FATAL_ERROR "listing the integration tests failed")
endif()
string(REPLACE "\n" ";" BP_INTEGRATION_LIST "${BP_INTEGRATION_LIST}")
set(BP_TEST_CACHE ${CMAKE_BINARY_DIR}/test-cache CACHE PATH "Cache for integration test artefacts")
# Each test is its own Python process: compiled modules are kept in the build tree (not beside the
# sources) so each process does not compile the harness again. An empty PYTHONDONTWRITEBYTECODE
# overrides one set in the caller's environment.
set(BP_PYTHON_ENV "PYTHONDONTWRITEBYTECODE=;PYTHONPYCACHEPREFIX=${CMAKE_BINARY_DIR}/pycache")
foreach(line ${BP_INTEGRATION_LIST})
  if(line STREQUAL "")
    continue()
  endif()
  separate_arguments(fields UNIX_COMMAND "${line}")
  list(GET fields 0 test_id)
  list(GET fields 1 run_serial)
  list(GET fields 2 timeout)
  list(GET fields 3 labels)
  list(GET fields 4 cost)
  list(GET fields 5 resource_lock)
  string(REPLACE "," ";" labels "${labels}")
  add_test(NAME integration.${test_id}
           COMMAND ${BP_PYTHON} -m unittest ${test_id}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/integration)
  set_tests_properties(integration.${test_id} PROPERTIES
    LABELS "${labels}"
    TIMEOUT ${timeout}
    RUN_SERIAL ${run_serial}
    COST ${cost}
    ENVIRONMENT "ETCDPROXY_BUILDPACK_DIR=${CMAKE_SOURCE_DIR};ETCDPROXY_TEST_CACHE=${BP_TEST_CACHE};${BP_PYTHON_ENV};ETCDPROXY_TEST_ID=${test_id};ETCDPROXY_LAUNCH_RECORD=${CMAKE_BINARY_DIR}/launch-record.txt")
  if(NOT resource_lock STREQUAL "-")
    set_tests_properties(integration.${test_id} PROPERTIES RESOURCE_LOCK ${resource_lock})
  endif()
endforeach()
