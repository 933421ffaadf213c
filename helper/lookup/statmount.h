/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statmount.h — statmount(2) and listmount(2) for headers that predate them
 * (Debian 12: glibc 2.36, linux-libc-dev 6.1). Layouts match the kernel UAPI
 * (include/uapi/linux/mount.h, Linux 6.8 .. 6.18); only what mounts_statmount.c
 * uses is named, the rest is reserved space. Private to helper/ and tests.
 */
#ifndef USER_UMOUNT_STATMOUNT_H
#define USER_UMOUNT_STATMOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef __NR_statmount
#if defined(__x86_64__) || defined(__aarch64__) || defined(__i386__) || defined(__arm__) ||        \
    defined(__riscv) || defined(__powerpc__) || defined(__s390__)
/* New syscalls share one number on these (alpha, ia64 and mips add an offset). */
#define __NR_statmount 457
#define __NR_listmount 458
#else
#error "statmount/listmount syscall numbers unknown for this architecture"
#endif
#endif

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif

/* struct mnt_id_req as first published (MNT_ID_REQ_SIZE_VER0). */
struct uu_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param; /* statmount: STATMOUNT_* mask; listmount: last ID seen */
};
#define UU_MNT_ID_REQ_SIZE_VER0 24

/* The same with the mount namespace to look in (MNT_ID_REQ_SIZE_VER1,
 * Linux 6.11): 0 is the caller's own. */
struct uu_mnt_id_req_ns {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};
#define UU_MNT_ID_REQ_SIZE_VER1 32

/* struct statmount; string fields are offsets into str[]. */
struct uu_statmount {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major;
	uint32_t sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t mnt_ns_id;
	uint32_t fs_subtype;
	uint32_t sb_source;
	uint32_t opt_num;
	uint32_t opt_array;
	uint32_t opt_sec_num;
	uint32_t opt_sec_array;
	uint64_t supported_mask;
	uint64_t reserved[45]; /* uid/gid maps, __spare2 */
	char str[];
};

_Static_assert(sizeof(struct uu_mnt_id_req) == UU_MNT_ID_REQ_SIZE_VER0, "mnt_id_req layout");
_Static_assert(sizeof(struct uu_mnt_id_req_ns) == UU_MNT_ID_REQ_SIZE_VER1, "mnt_id_req layout");
_Static_assert(offsetof(struct uu_statmount, mnt_id) == 40, "statmount layout");
_Static_assert(offsetof(struct uu_statmount, mnt_propagation) == 72, "statmount layout");
_Static_assert(offsetof(struct uu_statmount, mnt_root) == 104, "statmount layout");
_Static_assert(offsetof(struct uu_statmount, fs_subtype) == 120, "statmount layout");
_Static_assert(offsetof(struct uu_statmount, supported_mask) == 144, "statmount layout");
_Static_assert(sizeof(struct uu_statmount) == 512, "statmount layout");

#define UU_STATMOUNT_SB_BASIC   0x00000001U
#define UU_STATMOUNT_MNT_BASIC  0x00000002U
#define UU_STATMOUNT_MNT_ROOT   0x00000008U
#define UU_STATMOUNT_MNT_POINT  0x00000010U
#define UU_STATMOUNT_FS_TYPE    0x00000020U
#define UU_STATMOUNT_MNT_OPTS   0x00000080U
#define UU_STATMOUNT_FS_SUBTYPE 0x00000100U
#define UU_STATMOUNT_SB_SOURCE  0x00000200U
#define UU_STATMOUNT_SUPPORTED  0x00001000U /* fills supported_mask (6.15+) */

/* sb_flags bits as mountinfo's super options show them. */
#define UU_SB_RDONLY      0x00000001U
#define UU_SB_SYNCHRONOUS 0x00000010U
#define UU_SB_DIRSYNC     0x00000080U
#define UU_SB_LAZYTIME    0x02000000U

/* mnt_propagation bit of a mount in a shared peer group. */
#define UU_MS_SHARED (1U << 20)

/* listmount(2): the root of the caller's namespace. */
#define UU_LSMT_ROOT 0xffffffffffffffffULL

#endif
