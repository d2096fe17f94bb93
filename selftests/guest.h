/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest code of the VMM selftests, and what host and guest agree on.
 *
 * The guest_*() functions of guest.c run inside nvmx guests: the test
 * program loads its own PT_LOAD segments into guest memory at their link
 * addresses (see vmm.h), so every function and global of the binary is at
 * the same address in the guest, whose page tables map it 1:1. guest.c is
 * compiled freestanding (see the Makefile: no libc, no SSE, no red zone,
 * no stack protector) because nothing that libc set up at run time (TLS,
 * IFUNC-resolved memcpy) exists in the guest.
 *
 * A guest passes values to the host with guest_report(): the low half of
 * the value is a 4-byte OUT to GUEST_PORT_REPORT_LO, the high half one to
 * GUEST_PORT_REPORT_HI. Guest entry points may return: the host pushes the
 * address of guest_exit (HLT forever) as their return address.
 */
#ifndef NVMX_SELFTEST_GUEST_H
#define NVMX_SELFTEST_GUEST_H

#include <linux/types.h>

#define GUEST_PORT_REPORT_LO	0xe0
#define GUEST_PORT_REPORT_HI	0xe4

/* Guest-physical addresses the tests use; the loader maps all of 4 GiB. */
#define GUEST_MMIO_GPA		0xd0000000ULL	/* no memory there: MMIO */
#define GUEST_RO_GPA		0x10000000ULL	/* read-only region */
#define GUEST_HOTPLUG_GPA	0x20000000ULL	/* region added and removed */

/* Distinctive report values, unlikely to be produced by accident. */
#define GUEST_READY		0x52454144590000aaULL
#define GUEST_TIMEOUT		0x54494d454f5554ffULL
#define GUEST_IRQ_MAGIC		0x4952510000000000ULL
#define GUEST_IRQ(vec)		(GUEST_IRQ_MAGIC | (vec))
#define GUEST_GP_MAGIC		0x4750000000000000ULL
#define GUEST_GP(err)		(GUEST_GP_MAGIC | (err))

/* A guest that waits for another vCPU gives up after this many polls. */
#define GUEST_SPIN_LIMIT	0x40000000ULL

#define GUEST_BUF_WORDS		512

/* The migration test's generator; the host runs it too, to check. */
#define GUEST_LCG_MUL		6364136223846793005ULL
#define GUEST_LCG_ADD		1442695040888963407ULL
#define GUEST_PORT_MIGRATE	0x60

static inline void guest_migrate_step(__u64 *a, __u64 *b)
{
	*a = *a * GUEST_LCG_MUL + GUEST_LCG_ADD;
	*b = ((*b << 7) | (*b >> 57)) ^ *a;
}

/*
 * Memory that another CPU (a vCPU, or the host while a vCPU runs) changes
 * behind the compiler's back: relaxed atomics are single plain MOVs that
 * the compiler may neither drop, merge nor tear.
 */
#ifndef READ_ONCE
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#endif

/*
 * Memory shared by host and guest: the guest's copy is in guest memory,
 * where the host reaches it with GUEST() (vmm.h).
 */
extern __u64 guest_buf_in[GUEST_BUF_WORDS];
extern __u64 guest_buf_out[GUEST_BUF_WORDS];
extern __u8 guest_buf8[256];
extern __u64 guest_spin_count;
extern __u64 guest_smp_flag[2];
extern __u64 guest_smp_count[2];
extern __u64 guest_smp_total;
extern const char guest_string[];
#define GUEST_STRING		"nvmx rep outsb"

/* Entry points written in assembly, and labels inside them. */
void guest_exit(void);		/* hlt; jmp guest_exit */
void guest_hlt_twice(void);	/* hlt; mov $0x600d, %eax; hlt; ... */
extern const char guest_hlt_twice_1[], guest_hlt_twice_2[];
void guest_add(void);		/* rax = rdi + rsi; hlt */
extern const char guest_add_done[];
void guest_triple_fault(void);	/* empty IDT, then ud2 */

/* Entry points in C. Arguments arrive in RDI and RSI. */
void guest_out_sizes(__u64 seed);
void guest_in_echo(__u64 port);
void guest_outsb(__u64 port);
void guest_insb(__u64 port, __u64 len);
void guest_mmio_writes(__u64 gpa, __u64 val);
void guest_mmio_reads(__u64 gpa);
void guest_vmcall(__u64 nr, __u64 arg);
void guest_fpu(__u64 pattern, __u64 mxcsr);
void guest_cpuid1_ecx(void);
void guest_set_cr4(__u64 bits);
void guest_vmx_basics(void);
void guest_vmx_inv(void);
void guest_xcr0(__u64 xcr0, __u64 n);
extern __u8 guest_vmx_pages[2][4096];

#define GUEST_RFLAGS_CF		1ULL
#define GUEST_RFLAGS_ZF		0x40ULL
void guest_cpuid_list(__u64 n);
void guest_mem_transform(__u64 n, __u64 mul);
void guest_out_n(__u64 port, __u64 n);
void guest_cr_regs(__u64 cr8, __u64 cr2);
void guest_spin(void);
void guest_irq_cli_then_sti(void);
void guest_rdmsr(__u64 index);
void guest_wrmsr(__u64 index, __u64 val);
void guest_read_write(__u64 gpa, __u64 val);
void guest_poll(__u64 gpa);
void guest_spin_read(__u64 gpa);
void guest_smp_count_up(__u64 id, __u64 n);
void guest_migrate(__u64 n, __u64 seed);

/*
 * Instructions for guest code. They exist only to be inlined into guest.c;
 * on the host they would fault. Port I/O is where the host looks at guest
 * memory, hence the memory clobbers.
 */
static inline void guest_outb(__u16 port, __u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void guest_outw(__u16 port, __u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void guest_outl(__u16 port, __u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline __u8 guest_inb(__u16 port)
{
	__u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline __u16 guest_inw(__u16 port)
{
	__u16 v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline __u32 guest_inl(__u16 port)
{
	__u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline void guest_report(__u64 v)
{
	guest_outl(GUEST_PORT_REPORT_LO, (__u32)v);
	guest_outl(GUEST_PORT_REPORT_HI, (__u32)(v >> 32));
}

static inline void guest_hlt(void)
{
	asm volatile("hlt" : : : "memory");
}

/*
 * MMIO accesses as plain MOVs between a register and memory, so that the
 * instructions nvmx must emulate are the simplest ones (no MOVZX, no
 * immediate stores), whatever the compiler would have chosen.
 */
static inline void guest_writeb(__u64 gpa, __u8 v)
{
	asm volatile("movb %1, (%0)" : : "r"(gpa), "q"(v) : "memory");
}

static inline void guest_writew(__u64 gpa, __u16 v)
{
	asm volatile("movw %1, (%0)" : : "r"(gpa), "r"(v) : "memory");
}

static inline void guest_writel(__u64 gpa, __u32 v)
{
	asm volatile("movl %1, (%0)" : : "r"(gpa), "r"(v) : "memory");
}

static inline void guest_writeq(__u64 gpa, __u64 v)
{
	asm volatile("movq %1, (%0)" : : "r"(gpa), "r"(v) : "memory");
}

static inline __u8 guest_readb(__u64 gpa)
{
	__u8 v;

	asm volatile("movb (%1), %0" : "=q"(v) : "r"(gpa) : "memory");
	return v;
}

static inline __u16 guest_readw(__u64 gpa)
{
	__u16 v;

	asm volatile("movw (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static inline __u32 guest_readl(__u64 gpa)
{
	__u32 v;

	asm volatile("movl (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static inline __u64 guest_readq(__u64 gpa)
{
	__u64 v;

	asm volatile("movq (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

#endif /* NVMX_SELFTEST_GUEST_H */
