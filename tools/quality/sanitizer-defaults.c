/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sanitizer-defaults.c — linked into every program of the sanitizer build
 * by tools/quality/sanitize.sh (never into a normal build).
 *
 * The integration suite runs the helper setuid with a cleared environment
 * (env -i), so ASAN_OPTIONS cannot reach it; these are the options instead.
 * Every report goes to a file under UU_SANITIZER_LOG_DIR (a sticky, world-
 * writable directory: the unmount and resolver children run with the
 * caller's uids) as report.PID and ends the process with exit code 86. A report
 * then fails the run even where a test's own expectations still hold.
 */
#ifndef UU_SANITIZER_LOG_DIR
#error "define UU_SANITIZER_LOG_DIR"
#endif

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	/* detect_leaks=0: LeakSanitizer stops the process by ptrace at exit,
	 * which the kernel refuses once the helper has dropped to the caller
	 * (non-dumpable, no CAP_SYS_PTRACE): a fatal LSan error in every run.
	 * Leaks are checked by the valgrind run (tools/quality/valgrind.sh). */
	return "log_path=" UU_SANITIZER_LOG_DIR "/report:exitcode=86:detect_leaks=0:"
	       "detect_stack_use_after_return=1:check_initialization_order=1:"
	       "strict_string_checks=1";
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "log_path=" UU_SANITIZER_LOG_DIR "/report:exitcode=86:print_stacktrace=1:"
	       "halt_on_error=1";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "log_path=" UU_SANITIZER_LOG_DIR "/report:exitcode=86";
}
