# SPDX-License-Identifier: GPL-2.0-or-later
# The race suite's driver (integration/racer.c, run by cases-race.sh): it
# runs the installed helper thousands of times against a racing attacker.
find_package(Threads REQUIRED)
add_executable(racer integration/racer.c integration/race_world.c integration/race_proc.c
  integration/race_userns.c)
# statmount.h: the statmount/listmount layouts Debian 12's headers lack.
target_include_directories(racer PRIVATE ${PROJECT_SOURCE_DIR}/helper/lookup)
target_link_libraries(racer PRIVATE Threads::Threads uu_flags)
list(APPEND UU_IT_EXTRA_PROGRAMS $<TARGET_FILE:racer>)
