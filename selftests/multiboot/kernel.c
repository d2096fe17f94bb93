// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Multiboot test kernel of selftests/multiboot_test.sh, booted by
 * `nvmx run --kernel`. It checks what a Multiboot v1 boot loader must give
 * it (entry magic, info flags, mem_lower/mem_upper against the memory
 * map, protected mode without paging, IF clear, A20 on, page-aligned
 * modules after the kernel, each module's CRC-32 against the crc= of its
 * string when there is one, the boot loader's name) and prints what it
 * found on COM1, polling the 16550's LSR; the test script checks the
 * printed command line, module strings, lengths and CRCs against what it
 * passed. It ends through the debug-exit port with status 100 if every
 * check passed, 101 + the number of failed checks otherwise.
 */
#include <stdint.h>

#define COM1		0x3f8
#define LSR		5
#define LSR_THRE	0x20

#define BOOT_MAGIC	0x2badb002U
#define INFO_MEM	(1U << 0)
#define INFO_CMDLINE	(1U << 2)
#define INFO_MODS	(1U << 3)
#define INFO_MMAP	(1U << 6)
#define INFO_LOADER	(1U << 9)
#define EFLAGS_IF	(1U << 9)
#define EFLAGS_VM	(1U << 17)
#define CR0_PE		(1U << 0)
#define CR0_PG		(1U << 31)
#define MMAP_RAM	1
#define ONE_MIB		0x100000U
#define PAGE		0x1000U

/* Saved by entry.S. */
uint32_t entry_eax, entry_ebx, entry_eflags, entry_cr0;
extern char kernel_start[], _end[];

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

/* A memory map entry; @size excludes itself. Packed: the u64s are at 4. */
struct mb_mmap {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

static unsigned int failures;
static volatile uint32_t a20_probe;

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void put_char(char c)
{
	while (!(inb(COM1 + LSR) & LSR_THRE))
		;
	outb(COM1, c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_hex(uint32_t v, int digits)
{
	while (digits--)
		put_char("0123456789abcdef"[(v >> (4 * digits)) & 15]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int i = 0;

	do {
		buf[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		put_char(buf[--i]);
}

static void check(int ok, const char *what)
{
	put_str(ok ? "mbtest: ok: " : "mbtest: FAIL: ");
	put_str(what);
	put_char('\n');
	if (!ok)
		failures++;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The CRC-32 of zlib and busybox's crc32 (reflected 0x04c11db7). */
static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffU;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320U & -(c & 1));
	}
	return ~c;
}

/* The 8 hex digits after "crc=" in @s; 0 with *@found = 0 if none. */
static uint32_t find_crc(const char *s, int *found)
{
	uint32_t v = 0;
	int i;

	*found = 0;
	for (; *s; s++) {
		if (s[0] != 'c' || s[1] != 'r' || s[2] != 'c' || s[3] != '=')
			continue;
		for (i = 4; i < 12; i++) {
			char c = s[i];

			if (c >= '0' && c <= '9')
				v = v << 4 | (c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v << 4 | (c - 'a' + 10);
			else
				return 0;
		}
		*found = 1;
		return v;
	}
	return 0;
}

/* The memory map; *@low_end and *@high_end: ends of RAM at 0 and 1 MiB. */
static void walk_mmap(const struct mb_info *mbi, uint64_t *low_end,
		      uint64_t *high_end)
{
	uint32_t at = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
	int entries_ok = 1;

	*low_end = 0;
	*high_end = 0;
	while (at < end) {
		const struct mb_mmap *e = (const struct mb_mmap *)at;

		put_str("mbtest: mmap ");
		put_hex(e->base >> 32, 8);
		put_hex(e->base, 8);
		put_str(" +");
		put_hex(e->len >> 32, 8);
		put_hex(e->len, 8);
		put_str(" type ");
		put_dec(e->type);
		put_char('\n');
		entries_ok &= e->size >= 20;
		if (e->type == MMAP_RAM && e->base == 0)
			*low_end = e->len;
		if (e->type == MMAP_RAM && e->base == ONE_MIB)
			*high_end = e->base + e->len;
		if (e->size < 20)
			break;
		at += e->size + 4;
	}
	check(entries_ok && at == end, "the memory map's entries fill mmap_length");
}

static void check_memory(const struct mb_info *mbi)
{
	uint64_t low_end, high_end;

	put_str("mbtest: mem_lower ");
	put_dec(mbi->mem_lower);
	put_str(" mem_upper ");
	put_dec(mbi->mem_upper);
	put_char('\n');
	walk_mmap(mbi, &low_end, &high_end);
	check(low_end && mbi->mem_lower * 1024ULL == low_end,
	      "mem_lower is the RAM at 0 in the memory map");
	check(high_end && ONE_MIB + mbi->mem_upper * 1024ULL == high_end,
	      "mem_upper is the RAM from 1 MiB in the memory map");
	check((uint32_t)_end <= high_end, "the kernel is in RAM");
}

/* Print and check module @i; *@prev_end: the end of the one before. */
static void check_module(const struct mb_info *mbi, uint32_t i,
			 uint32_t *prev_end)
{
	const struct mb_module *m = (const struct mb_module *)mbi->mods_addr + i;
	const char *s = (const char *)m->string;
	uint32_t crc = m->end >= m->start ?
		       crc32((const uint8_t *)m->start, m->end - m->start) : 0;
	uint32_t want;
	int has_crc;

	put_str("mbtest: mod ");
	put_dec(i);
	put_str(" start ");
	put_hex(m->start, 8);
	put_str(" len ");
	put_dec(m->end - m->start);
	put_str(" crc ");
	put_hex(crc, 8);
	put_str(" string \"");
	put_str(s ? s : "");
	put_str("\"\n");
	check(m->start % PAGE == 0, "the module is page aligned");
	check(m->end >= m->start && m->start >= *prev_end &&
	      m->end <= ONE_MIB + mbi->mem_upper * 1024ULL,
	      "the module is in RAM, after the kernel and the module before");
	*prev_end = m->end;
	want = s ? find_crc(s, &has_crc) : 0;
	if (s && has_crc)
		check(crc == want, "the module's CRC-32 is its string's crc=");
}

static void check_strings_and_modules(const struct mb_info *mbi)
{
	uint32_t i, prev_end = (uint32_t)_end;

	put_str("mbtest: cmdline \"");
	put_str(mbi->cmdline ? (const char *)mbi->cmdline : "");
	put_str("\"\nmbtest: loader \"");
	put_str(mbi->boot_loader_name ?
		(const char *)mbi->boot_loader_name : "");
	put_str("\"\nmbtest: mods ");
	put_dec(mbi->mods_count);
	put_char('\n');
	check(mbi->boot_loader_name &&
	      str_eq((const char *)mbi->boot_loader_name, "nvmx"),
	      "the boot loader is nvmx");
	for (i = 0; i < mbi->mods_count; i++)
		check_module(mbi, i, &prev_end);
}

uint32_t kernel_main(void)
{
	const struct mb_info *mbi = (const struct mb_info *)entry_ebx;
	const uint32_t want = INFO_MEM | INFO_CMDLINE | INFO_MODS | INFO_MMAP |
			      INFO_LOADER;
	volatile uint32_t *alias;

	put_str("mbtest: magic ");
	put_hex(entry_eax, 8);
	put_str(" info ");
	put_hex(entry_ebx, 8);
	put_str(" flags ");
	put_hex(mbi->flags, 8);
	put_str(" eflags ");
	put_hex(entry_eflags, 8);
	put_str(" cr0 ");
	put_hex(entry_cr0, 8);
	put_char('\n');
	check(entry_eax == BOOT_MAGIC, "EAX is the Multiboot boot magic");
	check((mbi->flags & want) == want,
	      "the info has memory, cmdline, mods, mmap and loader name");
	check(!(entry_eflags & (EFLAGS_IF | EFLAGS_VM)), "EFLAGS.IF and VM clear");
	check((entry_cr0 & (CR0_PE | CR0_PG)) == CR0_PE,
	      "protected mode, paging off");
	check(entry_ebx + sizeof(*mbi) <= (uint32_t)kernel_start ||
	      entry_ebx >= (uint32_t)_end, "the info is outside the kernel");
	/* A20 on: the address 1 MiB below is another word. */
	alias = (volatile uint32_t *)((uint32_t)&a20_probe - ONE_MIB);
	a20_probe = 0x12345678;
	*alias = 0x9abcdef0;
	check(a20_probe == 0x12345678, "A20 is on");
	if ((mbi->flags & want) == want) {
		check_memory(mbi);
		check_strings_and_modules(mbi);
	}
	put_str("mbtest: done, ");
	put_dec(failures);
	put_str(" failed\n");
	return failures ? 101 + (failures > 100 ? 100 : failures) : 100;
}
