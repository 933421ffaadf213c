# SPDX-License-Identifier: GPL-2.0-or-later
# Run by `cmake --install` (install(SCRIPT)), after the binary is in place:
# make it root:root 4755. chown first, then chmod: chown clears the setuid
# bit, so the other order leaves a 0755 binary that refuses to run.
# Needs root (or fakeroot, as in a package build); as anyone else it stops
# with a message and removes the binary instead of leaving one that
# silently cannot work.
set(uu_bin "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${UU_INSTALL_BINDIR}/user-umount")
execute_process(COMMAND id -u OUTPUT_VARIABLE uu_uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT uu_uid STREQUAL "0")
  file(REMOVE "${uu_bin}")
  message(FATAL_ERROR "user-umount: ${uu_bin} must be setuid root (root:root 4755), "
    "which only root can set: run `cmake --install` as root, install the package, "
    "or configure with -DUU_INSTALL_SETUID=OFF and set the mode yourself")
endif()
execute_process(COMMAND chown 0:0 "${uu_bin}" RESULT_VARIABLE uu_rc)
if(uu_rc EQUAL 0)
  execute_process(COMMAND chmod 4755 "${uu_bin}" RESULT_VARIABLE uu_rc)
endif()
execute_process(COMMAND stat -c %u:%g:%a "${uu_bin}" OUTPUT_VARIABLE uu_mode
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT uu_rc EQUAL 0 OR NOT uu_mode STREQUAL "0:0:4755")
  message(FATAL_ERROR "user-umount: could not make ${uu_bin} root:root 4755 (it is ${uu_mode})")
endif()
message(STATUS "Setuid root: ${uu_bin} (root:root 4755)")
