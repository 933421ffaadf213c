/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cbpf.h — a small classic-BPF interpreter for seccomp programs, for tests.
 *
 * It runs an exported filter on a crafted struct seccomp_data, so a test
 * can prove what the filter answers for an architecture or ABI the running
 * kernel does not offer (no ia32 entry, no x32). It is strict where the
 * kernel's checker is strict: an unknown opcode, a load outside
 * seccomp_data, a jump out of the program, a division by zero or falling
 * off the end make the run invalid (-1), never a silent answer.
 */
#ifndef USER_UMOUNT_TEST_CBPF_H
#define USER_UMOUNT_TEST_CBPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>

struct cbpf_state {
	uint32_t a, x, mem[BPF_MEMWORDS];
};

static inline int cbpf_load(const struct sock_filter *in, const struct seccomp_data *d,
			    const struct cbpf_state *s, uint32_t *out)
{
	uint32_t k = in->k;

	switch (BPF_MODE(in->code)) {
	case BPF_ABS:
		if (BPF_SIZE(in->code) != BPF_W || k % 4 || k > sizeof(*d) - 4)
			return -1;
		memcpy(out, (const char *)d + k, 4);
		return 0;
	case BPF_IMM:
		*out = k;
		return 0;
	case BPF_MEM:
		if (k >= BPF_MEMWORDS)
			return -1;
		*out = s->mem[k];
		return 0;
	case BPF_LEN:
		*out = sizeof(*d);
		return 0;
	default:
		return -1;
	}
}

static inline int cbpf_alu(uint16_t code, uint32_t *a, uint32_t v)
{
	switch (BPF_OP(code)) {
	case BPF_ADD:
		*a += v;
		return 0;
	case BPF_SUB:
		*a -= v;
		return 0;
	case BPF_MUL:
		*a *= v;
		return 0;
	case BPF_DIV:
		if (v == 0)
			return -1;
		*a /= v;
		return 0;
	case BPF_MOD:
		if (v == 0)
			return -1;
		*a %= v;
		return 0;
	case BPF_OR:
		*a |= v;
		return 0;
	case BPF_AND:
		*a &= v;
		return 0;
	case BPF_XOR:
		*a ^= v;
		return 0;
	case BPF_LSH:
		if (v >= 32)
			return -1;
		*a <<= v;
		return 0;
	case BPF_RSH:
		if (v >= 32)
			return -1;
		*a >>= v;
		return 0;
	case BPF_NEG:
		*a = (uint32_t) - *a;
		return 0;
	default:
		return -1;
	}
}

/* The next pc after a jump at PC, or -1 for an unknown jump. */
static inline long cbpf_jump(const struct sock_filter *in, unsigned pc, const struct cbpf_state *s)
{
	uint32_t v = BPF_SRC(in->code) == BPF_X ? s->x : in->k;
	int taken;

	switch (BPF_OP(in->code)) {
	case BPF_JA:
		return (long)pc + 1 + in->k;
	case BPF_JEQ:
		taken = s->a == v;
		break;
	case BPF_JGT:
		taken = s->a > v;
		break;
	case BPF_JGE:
		taken = s->a >= v;
		break;
	case BPF_JSET:
		taken = (s->a & v) != 0;
		break;
	default:
		return -1;
	}
	return (long)pc + 1 + (taken ? in->jt : in->jf);
}

/* Run PROG on D: 0 and *ret = the filter's return value, or -1 (invalid). */
static inline int cbpf_run(const struct sock_fprog *prog, const struct seccomp_data *d,
			   uint32_t *ret)
{
	struct cbpf_state s = {0};
	unsigned pc = 0;
	long next;

	while (pc < prog->len) {
		const struct sock_filter *in = &prog->filter[pc];
		uint32_t v;

		next = (long)pc + 1;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX:
			if (cbpf_load(in, d, &s, &v) < 0)
				return -1;
			*(BPF_CLASS(in->code) == BPF_LD ? &s.a : &s.x) = v;
			break;
		case BPF_ST:
		case BPF_STX:
			if (in->k >= BPF_MEMWORDS)
				return -1;
			s.mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? s.a : s.x;
			break;
		case BPF_ALU:
			if (cbpf_alu(in->code, &s.a, BPF_SRC(in->code) == BPF_X ? s.x : in->k) < 0)
				return -1;
			break;
		case BPF_JMP:
			next = cbpf_jump(in, pc, &s);
			break;
		case BPF_RET:
			*ret = BPF_RVAL(in->code) == BPF_A ? s.a : in->k;
			return BPF_RVAL(in->code) == BPF_X ? -1 : 0;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				s.x = s.a;
			else
				s.a = s.x;
			break;
		default:
			return -1;
		}
		if (next < 0 || next >= prog->len)
			return -1; /* out of the program, or fell off its end */
		pc = (unsigned)next;
	}
	return -1;
}

#endif
