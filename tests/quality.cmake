# SPDX-License-Identifier: GPL-2.0-or-later
# Quality gates beyond the unit and integration suites (included at the end
# of tests/CMakeLists.txt). Each is its own ctest:
#   hardening   the built binary really is PIE, full RELRO, stack-protected,
#               fortified, no executable stack, no RPATH (tests/hardening.sh)
#   cppcheck, clang-tidy, scan-build
#               static analysis of helper/ and policy/ (tools/quality/*.sh;
#               false positives, each with its reason: tools/quality/suppressions.txt)
#   valgrind    memcheck over the helper on a sample of scenarios
#   fuzz        every libFuzzer harness in fuzz/ for UU_FUZZ_SECONDS (20) each
#   sanitize    a second build with ASan + UBSan running the unit and
#               integration suites (the slowest: about 4 minutes)
# A missing tool skips (77) on a developer's machine and fails under CI=true;
# tools/deps.sh installs them.

set(UU_QUALITY ${PROJECT_SOURCE_DIR}/tools/quality)

# The analyzers read the compiler flags of the real build.
set_target_properties(uu_policy uu_helper user-umount PROPERTIES EXPORT_COMPILE_COMMANDS ON)

# A sanitizer build has no FORTIFY_SOURCE (it hides overflows from ASan) and
# a Debug build does not optimize (FORTIFY needs it): nothing to prove there.
if(UU_SANITIZE OR CMAKE_BUILD_TYPE STREQUAL "Debug")
  message(STATUS "hardening test not added: UU_SANITIZE or Debug build")
else()
  add_test(NAME hardening
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/hardening.sh $<TARGET_FILE:user-umount>)
endif()

foreach(tool cppcheck clang-tidy scan-build)
  add_test(NAME ${tool} COMMAND bash ${UU_QUALITY}/${tool}.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(${tool} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()

add_test(NAME valgrind COMMAND bash ${UU_QUALITY}/valgrind.sh $<TARGET_FILE:user-umount>)
set_tests_properties(valgrind PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)

# UU_FUZZ_SECONDS is read when the test runs, not when cmake does.
add_test(NAME fuzz
  COMMAND sh -c "exec bash \"$1\" \"\${UU_FUZZ_SECONDS:-20}\"" fuzz
          ${PROJECT_SOURCE_DIR}/fuzz/run.sh)
set_tests_properties(fuzz PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)

if(NOT UU_SANITIZE)
  add_test(NAME sanitize
    COMMAND bash ${UU_QUALITY}/sanitize.sh ${CMAKE_BINARY_DIR}/quality-sanitize)
  set_tests_properties(sanitize PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)
  # Both create the test users and run the race programs: never at once.
  set_tests_properties(sanitize PROPERTIES RESOURCE_LOCK uu-integration)
endif()
