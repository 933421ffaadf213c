/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lazylib — libmount and libblkid, loaded the first time one of their
 * functions is called rather than by the program loader at every exec.
 *
 * A plain unmount on a kernel with statmount(2) reads fstab with
 * fstabparse.c and the mount table by ID, and needs neither library: with
 * them linked, the loader mapped and relocated libmount, libblkid,
 * libselinux and libpcre2 on every run (a tenth of an unmount's time; see
 * bench/README.md). The mountinfo fallback, --list, the holders report,
 * tags and the probe still use them, through this header.
 *
 * Include it instead of <libmount/libmount.h> and <blkid/blkid.h>: each
 * function name used in the project becomes a call through a table that
 * dlopen(3) filled from the library's soname (with a setuid program the
 * loader ignores LD_LIBRARY_PATH and friends: the search is the system's
 * own ld.so.cache and directories). A library that cannot be loaded, or
 * lacks a function, ends the program with exit status 4 and one line on
 * standard error before the call is made: never a call through NULL.
 * A child that must not open files (the probe) has the library loaded by
 * its parent first: lazylib_blkid().
 */
#ifndef USER_UMOUNT_LAZYLIB_H
#define USER_UMOUNT_LAZYLIB_H

#include <blkid/blkid.h>
#include <libmount/libmount.h>

#define UU_LIBMOUNT_FUNCS(X)                                                                       \
	X(mnt_free_iter)                                                                           \
	X(mnt_fs_get_devno)                                                                        \
	X(mnt_fs_get_fs_options)                                                                   \
	X(mnt_fs_get_fstype)                                                                       \
	X(mnt_fs_get_id)                                                                           \
	X(mnt_fs_get_optional_fields)                                                              \
	X(mnt_fs_get_parent_id)                                                                    \
	X(mnt_fs_get_root)                                                                         \
	X(mnt_fs_get_source)                                                                       \
	X(mnt_fs_get_target)                                                                       \
	X(mnt_new_iter)                                                                            \
	X(mnt_new_table)                                                                           \
	X(mnt_table_get_nents)                                                                     \
	X(mnt_table_next_fs)                                                                       \
	X(mnt_table_parse_file)                                                                    \
	X(mnt_table_parse_mtab)                                                                    \
	X(mnt_table_parse_stream)                                                                  \
	X(mnt_table_set_parser_errcb)                                                              \
	X(mnt_unref_table)

#define UU_LIBBLKID_FUNCS(X)                                                                       \
	X(blkid_do_safeprobe)                                                                      \
	X(blkid_encode_string)                                                                     \
	X(blkid_new_probe)                                                                         \
	X(blkid_probe_enable_partitions)                                                           \
	X(blkid_probe_enable_superblocks)                                                          \
	X(blkid_probe_lookup_value)                                                                \
	X(blkid_probe_set_device)                                                                  \
	X(blkid_probe_set_sectorsize)                                                              \
	X(blkid_probe_set_superblocks_flags)

#define UU_LAZYLIB_MEMBER(f) __typeof__(f) *(f);
struct uu_libmount {
	UU_LIBMOUNT_FUNCS(UU_LAZYLIB_MEMBER)
};
struct uu_libblkid {
	UU_LIBBLKID_FUNCS(UU_LAZYLIB_MEMBER)
};
#undef UU_LAZYLIB_MEMBER

/* The tables, loaded on the first call (or the program ends, see above). */
const struct uu_libmount *lazylib_mount(void);
const struct uu_libblkid *lazylib_blkid(void);
/* Test hooks: was the library loaded by this process? */
int lazylib_mount_loaded(void);
int lazylib_blkid_loaded(void);

#ifndef UU_LAZYLIB_IMPL
#define mnt_free_iter              (lazylib_mount()->mnt_free_iter)
#define mnt_fs_get_devno           (lazylib_mount()->mnt_fs_get_devno)
#define mnt_fs_get_fs_options      (lazylib_mount()->mnt_fs_get_fs_options)
#define mnt_fs_get_fstype          (lazylib_mount()->mnt_fs_get_fstype)
#define mnt_fs_get_id              (lazylib_mount()->mnt_fs_get_id)
#define mnt_fs_get_optional_fields (lazylib_mount()->mnt_fs_get_optional_fields)
#define mnt_fs_get_parent_id       (lazylib_mount()->mnt_fs_get_parent_id)
#define mnt_fs_get_root            (lazylib_mount()->mnt_fs_get_root)
#define mnt_fs_get_source          (lazylib_mount()->mnt_fs_get_source)
#define mnt_fs_get_target          (lazylib_mount()->mnt_fs_get_target)
#define mnt_new_iter               (lazylib_mount()->mnt_new_iter)
#define mnt_new_table              (lazylib_mount()->mnt_new_table)
#define mnt_table_get_nents        (lazylib_mount()->mnt_table_get_nents)
#define mnt_table_next_fs          (lazylib_mount()->mnt_table_next_fs)
#define mnt_table_parse_file       (lazylib_mount()->mnt_table_parse_file)
#define mnt_table_parse_mtab       (lazylib_mount()->mnt_table_parse_mtab)
#define mnt_table_parse_stream     (lazylib_mount()->mnt_table_parse_stream)
#define mnt_table_set_parser_errcb (lazylib_mount()->mnt_table_set_parser_errcb)
#define mnt_unref_table            (lazylib_mount()->mnt_unref_table)

#define blkid_do_safeprobe                (lazylib_blkid()->blkid_do_safeprobe)
#define blkid_encode_string               (lazylib_blkid()->blkid_encode_string)
#define blkid_new_probe                   (lazylib_blkid()->blkid_new_probe)
#define blkid_probe_enable_partitions     (lazylib_blkid()->blkid_probe_enable_partitions)
#define blkid_probe_enable_superblocks    (lazylib_blkid()->blkid_probe_enable_superblocks)
#define blkid_probe_lookup_value          (lazylib_blkid()->blkid_probe_lookup_value)
#define blkid_probe_set_device            (lazylib_blkid()->blkid_probe_set_device)
#define blkid_probe_set_sectorsize        (lazylib_blkid()->blkid_probe_set_sectorsize)
#define blkid_probe_set_superblocks_flags (lazylib_blkid()->blkid_probe_set_superblocks_flags)
#endif

#endif
