/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny, sparse guest-physical memory for the unit tests of page walks
 * (ept_walk_test, gva_test): a few 4 KByte pages, each at some address,
 * and a record of the 8-byte reads made of it.
 */
#ifndef NVMX_UNIT_FAKE_MEM_H
#define NVMX_UNIT_FAKE_MEM_H

#include <stdlib.h>
#include <string.h>

#define FAKE_PAGES	16
#define FAKE_LOG	8

struct fake_mem {
	unsigned int n;
	u64 gpa[FAKE_PAGES];
	u64 page[FAKE_PAGES][512];
	unsigned int reads;
	u64 log[FAKE_LOG];	/* the addresses read, in order */
	bool misaligned;	/* a read was not 8-byte aligned */
	u64 fail_gpa;		/* reading this (if not 0) fails... */
	int fail_err;		/* ...with this (gva_test) */
};

/* Record a read at @gpa. Return: its word, or NULL when no page holds it. */
static inline u64 *fake_word(struct fake_mem *m, u64 gpa)
{
	unsigned int i;

	if (m->reads < FAKE_LOG)
		m->log[m->reads] = gpa;
	m->reads++;
	if (gpa & 7)
		m->misaligned = true;
	for (i = 0; i < m->n; i++)
		if (m->gpa[i] == (gpa & ~0xfffULL))
			return &m->page[i][(gpa & 0xfff) / 8];
	return NULL;
}

/* The page at @gpa, added (zeroed) if it is not there yet. */
static inline u64 *fake_page(struct fake_mem *m, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->gpa[i] == gpa)
			return m->page[i];
	if (m->n == FAKE_PAGES)
		abort();
	m->gpa[m->n] = gpa;
	memset(m->page[m->n], 0, sizeof(m->page[0]));
	return m->page[m->n++];
}

#endif /* NVMX_UNIT_FAKE_MEM_H */
