/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the libFuzzer targets of selftests/fuzz/: reading values from
 * the fuzzer's input, and stopping on a broken invariant.
 */
#ifndef NVMX_FUZZ_H
#define NVMX_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/pure.h"

/*
 * A broken invariant: say which, then abort() so that libFuzzer saves the
 * input as a crash artifact and the run fails.
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* The rest of the input; reads past its end give zeroes. */
struct fuzz_in {
	const u8 *p;
	size_t left;
};

static inline void fuzz_in_init(struct fuzz_in *in, const u8 *data,
				size_t size)
{
	in->p = data;
	in->left = size;
}

/* The next @n (at most 8) bytes, little-endian. */
static inline u64 fuzz_bytes(struct fuzz_in *in, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!in->left)
			break;
		v |= (u64)*in->p << (8 * i);
		in->p++;
		in->left--;
	}
	return v;
}

static inline u8 fuzz_u8(struct fuzz_in *in)
{
	return fuzz_bytes(in, 1);
}

static inline u16 fuzz_u16(struct fuzz_in *in)
{
	return fuzz_bytes(in, 2);
}

static inline u32 fuzz_u32(struct fuzz_in *in)
{
	return fuzz_bytes(in, 4);
}

static inline u64 fuzz_u64(struct fuzz_in *in)
{
	return fuzz_bytes(in, 8);
}

static inline bool fuzz_more(const struct fuzz_in *in)
{
	return in->left != 0;
}

#endif /* NVMX_FUZZ_H */
