# Runs one libFuzzer target for ctest (see CMakeLists.txt). Arguments (-D):
#   FUZZER       the executable
#   MODE         "fuzz": fuzz for SECONDS from CORPUS (+ INPUTS) into a fresh WORK/corpus
#                "regressions": run every file in INPUTS once (nothing to do when there are none)
#   SECONDS, CORPUS, INPUTS, DICT (optional), WORK (scratch directory in the build tree)
# Fails when the fuzzer exits non-zero: a crash, a leak, a sanitizer report, a timeout (-timeout),
# running out of memory (-rss_limit_mb) or a violated invariant of the target.
cmake_minimum_required(VERSION 3.20)

set(ENV{ASAN_OPTIONS} "abort_on_error=1:detect_leaks=1:$ENV{ASAN_OPTIONS}")
set(ENV{UBSAN_OPTIONS} "print_stacktrace=1:halt_on_error=1:$ENV{UBSAN_OPTIONS}")
# The targets make their scratch directories under $TMPDIR; a crashing run cannot clean up, so
# keep its leftovers in the build tree rather than in /tmp.
file(REMOVE_RECURSE "${WORK}/tmp")
file(MAKE_DIRECTORY "${WORK}/tmp")
set(ENV{TMPDIR} "${WORK}/tmp")

if(MODE STREQUAL "regressions")
  file(GLOB inputs LIST_DIRECTORIES false "${INPUTS}/*")
  list(FILTER inputs EXCLUDE REGEX "/README[^/]*$")
  if(NOT inputs)
    message(STATUS "no regression inputs in ${INPUTS}")
    return()
  endif()
  list(LENGTH inputs count)
  message(STATUS "running ${count} regression input(s) from ${INPUTS}")
  set(failed "")
  foreach(input IN LISTS inputs)
    execute_process(COMMAND "${FUZZER}" -timeout=10 -rss_limit_mb=2048 "${input}"
                    WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      list(APPEND failed "${input}")
    endif()
  endforeach()
  if(failed)
    list(JOIN failed "\n  " failed_lines)
    message(FATAL_ERROR "${FUZZER} fails on regression input(s):\n  ${failed_lines}")
  endif()
  return()
endif()

set(scratch "${WORK}/corpus")
set(artifacts "${WORK}/artifacts/")
file(REMOVE_RECURSE "${scratch}")
file(MAKE_DIRECTORY "${scratch}" "${artifacts}")
set(dirs "${scratch}" "${CORPUS}")
if(IS_DIRECTORY "${INPUTS}")
  list(APPEND dirs "${INPUTS}")
endif()
set(options -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
            -artifact_prefix=${artifacts})
if(DICT)
  list(APPEND options -dict=${DICT})
endif()
execute_process(COMMAND "${FUZZER}" ${options} ${dirs} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(GLOB found "${artifacts}/*")
  message(FATAL_ERROR "${FUZZER} found a problem (exit ${result}); inputs kept: ${found}\n"
                      "Reproduce with: ${FUZZER} <input>; keep it under fuzz/regressions/ (see fuzz/README.md)")
endif()
