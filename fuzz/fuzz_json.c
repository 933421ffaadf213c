/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_json.c — libFuzzer harness for json_quote() and json_write_string().
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -I helper \
 *       fuzz/fuzz_json.c helper/json.c -o fuzz_json
 *   ./fuzz_json -max_total_time=60 fuzz/corpus/json     (or: bash fuzz/run.sh)
 *
 * Input: byte 0 picks a buffer size, the rest (up to the first NUL) is the
 * string. Checked, besides the sanitizers:
 *   - the output is one valid JSON string (RFC 8259 grammar, valid UTF-8,
 *     no raw control characters), checked by the small decoder below;
 *   - decoding it and mapping U+DC80..U+DCFF back to bytes 0x80..0xFF
 *     (Python's surrogateescape, as json.h promises) gives the input bytes;
 *   - the length returned is the length written, whatever the buffer; a
 *     short buffer gets a NUL-terminated prefix that ends on a character
 *     boundary (so it never holds half an escape or half a UTF-8 sequence);
 *   - json_write_string() writes exactly what json_quote() gives;
 *   - NULL is "null".
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_json: check failed: %s (line %d)\n", #cond,          \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* One code point of valid UTF-8 at p (n bytes left): its length, or 0. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, min = 0x80, *cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, min = 0x800, *cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, min = 0x10000, *cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

static size_t utf8_encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static int hex4(const unsigned char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int d = p[i] >= '0' && p[i] <= '9'   ? p[i] - '0'
			: p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10
			: p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10
						     : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

/* A "\uXXXX" escape (and the low half after a high surrogate) at p. */
static size_t decode_u(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t lo;

	if (n < 6 || hex4(p + 2, cp) < 0)
		return 0;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 6;
	if (n < 12 || p[6] != '\\' || p[7] != 'u' || hex4(p + 8, &lo) < 0 || lo < 0xdc00 ||
	    lo > 0xdfff)
		return 0; /* a lone high surrogate has no byte to stand for */
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 12;
}

/*
 * Check that j (len bytes) is exactly one JSON string and decode it into
 * out, undoing surrogateescape. Returns the decoded length, or -1.
 */
static long json_decode(const unsigned char *j, size_t len, unsigned char *out)
{
	size_t i = 1, o = 0, n;
	uint32_t cp;

	if (len < 2 || j[0] != '"' || j[len - 1] != '"')
		return -1;
	while (i < len - 1) {
		if (j[i] < 0x20 || j[i] == '"')
			return -1;
		if (j[i] != '\\') {
			n = utf8_decode(j + i, len - 1 - i, &cp);
			if (n == 0)
				return -1;
			memcpy(out + o, j + i, n);
			o += n, i += n;
			continue;
		}
		if (i + 1 >= len - 1)
			return -1;
		switch (j[i + 1]) {
		case '"':
			out[o++] = '"';
			i += 2;
			continue;
		case '\\':
			out[o++] = '\\';
			i += 2;
			continue;
		case '/':
			out[o++] = '/';
			i += 2;
			continue;
		case 'b':
			out[o++] = '\b';
			i += 2;
			continue;
		case 'f':
			out[o++] = '\f';
			i += 2;
			continue;
		case 'n':
			out[o++] = '\n';
			i += 2;
			continue;
		case 'r':
			out[o++] = '\r';
			i += 2;
			continue;
		case 't':
			out[o++] = '\t';
			i += 2;
			continue;
		case 'u':
			break;
		default:
			return -1;
		}
		n = decode_u(j + i, len - 1 - i, &cp);
		if (n == 0)
			return -1;
		i += n;
		if (cp >= 0xdc80 && cp <= 0xdcff) /* surrogateescape */
			out[o++] = (unsigned char)(cp - 0xdc00);
		else if (cp >= 0xd800 && cp <= 0xdfff)
			return -1; /* a surrogate that stands for no byte */
		else
			o += utf8_encode(cp, out + o);
	}
	return (long)o;
}

/*
 * Does the output stop at a character boundary? Inside the string every
 * escape is complete and every UTF-8 sequence whole (the closing quote may
 * be what is missing).
 */
static bool boundary_prefix(const char *full, size_t cut)
{
	const unsigned char *j = (const unsigned char *)full;
	size_t i = 1;
	uint32_t cp;

	if (cut == 0)
		return true;
	while (i < cut) {
		size_t n;

		if (j[i] == '"' && i + 1 == strlen(full))
			n = 1;
		else if (j[i] == '\\')
			n = j[i + 1] == 'u' ? 6 : 2;
		else
			n = utf8_decode(j + i, strlen(full) - i, &cp);
		if (n == 0 || i + n > cut)
			return i == cut;
		i += n;
	}
	return i == cut;
}

static void check_stream(const char *s, const char *want, size_t need)
{
	char *got = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);

	CHECK(f != NULL);
	json_write_string(f, s);
	CHECK(fclose(f) == 0);
	CHECK(len == need && memcmp(got, want, need) == 0);
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t small[] = {1, 2, 3, 7, 8, 16};
	char *s, *full, *part;
	unsigned char *back;
	size_t need, slen, cut;
	long blen;

	if (size == 0) {
		char b[8];

		CHECK(json_quote(NULL, b, sizeof(b)) == 4 && strcmp(b, "null") == 0);
		return 0;
	}
	/* The string: exactly sized, so ASan sees a read past its NUL. */
	slen = strnlen((const char *)data + 1, size - 1);
	s = malloc(slen + 1);
	CHECK(s != NULL);
	memcpy(s, data + 1, slen);
	s[slen] = '\0';

	need = json_quote(s, NULL, 0);
	CHECK(need >= 2 && need <= 2 + 6 * slen);
	full = malloc(need + 1);
	CHECK(full != NULL);
	CHECK(json_quote(s, full, need + 1) == need && strlen(full) == need);

	back = malloc(slen + 1);
	CHECK(back != NULL);
	blen = json_decode((const unsigned char *)full, need, back);
	CHECK(blen >= 0);
	CHECK((size_t)blen == slen && memcmp(back, s, slen) == 0);

	/* A buffer too small by a size chosen from byte 0. */
	cut = data[0] < 0x80 ? small[data[0] % 6] : 1 + data[0] % (need + 1);
	if (cut <= need) {
		part = malloc(cut);
		CHECK(part != NULL);
		CHECK(json_quote(s, part, cut) == need);
		CHECK(strnlen(part, cut) < cut);
		CHECK(strncmp(part, full, strlen(part)) == 0);
		CHECK(boundary_prefix(full, strlen(part)));
		free(part);
	}
	check_stream(s, full, need);
	free(back);
	free(full);
	free(s);
	return 0;
}
