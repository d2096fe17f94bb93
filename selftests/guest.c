// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest code of the VMM selftests (see guest.h). Everything here runs in
 * an nvmx guest, in 64-bit mode at CPL 0 with the loader's GDT and page
 * tables, and must not call anything outside this file: the Makefile
 * refuses a guest.o with undefined symbols.
 */
#include <stdalign.h>

#include "guest.h"
#include "loader.h"

__u64 guest_buf_in[GUEST_BUF_WORDS];
__u64 guest_buf_out[GUEST_BUF_WORDS];
/* Aligned so that string I/O on them never crosses a page boundary. */
alignas(256) __u8 guest_buf8[256];
__u64 guest_spin_count;
__u64 guest_smp_flag[2];
__u64 guest_smp_count[2];
__u64 guest_smp_total;
alignas(16) const char guest_string[] = GUEST_STRING;

/*
 * Entry points whose exact instructions matter to the host (RIP after a
 * HLT, registers left alone), and the return address of every entry.
 */
asm(".pushsection .text, \"ax\", @progbits\n"
	".globl guest_exit\n"
	"guest_exit:\n"
	"	hlt\n"
	"	jmp guest_exit\n"
	".globl guest_hlt_twice\n"
	".globl guest_hlt_twice_1\n"
	".globl guest_hlt_twice_2\n"
	"guest_hlt_twice:\n"
	"	hlt\n"
	"guest_hlt_twice_1:\n"
	"	movl $0x600d, %eax\n"
	"	hlt\n"
	"guest_hlt_twice_2:\n"
	"	jmp guest_exit\n"
	".globl guest_add\n"
	".globl guest_add_done\n"
	"guest_add:\n"
	"	leaq (%rdi,%rsi), %rax\n"
	"	hlt\n"
	"guest_add_done:\n"
	"	jmp guest_exit\n"
	/* An IDT of limit 0: #UD -> #GP -> #DF -> triple fault. */
	".globl guest_triple_fault\n"
	"guest_triple_fault:\n"
	"	subq $16, %rsp\n"
	"	movw $0, (%rsp)\n"
	"	movq $0, 2(%rsp)\n"
	"	lidt (%rsp)\n"
	"	ud2\n"
	"	jmp guest_exit\n"
	".popsection\n");

void guest_out_sizes(__u64 seed)
{
	guest_outb(0x10, (__u8)seed);
	guest_outw(0x12, (__u16)(seed >> 8));
	guest_outl(0x14, (__u32)(seed >> 24));
}

void guest_in_echo(__u64 port)
{
	guest_report(guest_inb(port));
	guest_report(guest_inw(port + 2));
	guest_report(guest_inl(port + 4));
}

/* Then RCX (0 when done) and how far RSI went. */
void guest_outsb(__u64 port)
{
	const char *p = guest_string;
	__u64 n = sizeof(GUEST_STRING) - 1;

	asm volatile("rep outsb" : "+S"(p), "+c"(n) : "d"((__u16)port)
		     : "memory");
	guest_report(n);
	guest_report(p - guest_string);
}

void guest_insb(__u64 port, __u64 len)
{
	__u8 *p = guest_buf8;
	__u64 n = len <= sizeof(guest_buf8) ? len : sizeof(guest_buf8);

	asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"((__u16)port)
		     : "memory");
	guest_report(n);
	guest_report(p - guest_buf8);
}

void guest_mmio_writes(__u64 gpa, __u64 val)
{
	guest_writeb(gpa, (__u8)val);
	guest_writew(gpa + 0x10, (__u16)(val >> 8));
	guest_writel(gpa + 0x20, (__u32)(val >> 16));
	guest_writeq(gpa + 0x30, ~val);
}

void guest_mmio_reads(__u64 gpa)
{
	guest_report(guest_readb(gpa));
	guest_report(guest_readw(gpa + 0x10));
	guest_report(guest_readl(gpa + 0x20));
	guest_report(guest_readq(gpa + 0x30));
}

/* VMCALL: RAX = nr, arguments in RBX, RCX, RDX, RSI; result in RAX. */
void guest_vmcall(__u64 nr, __u64 arg)
{
	__u64 ret;

	asm volatile("vmcall"
		     : "=a"(ret)
		     : "a"(nr), "b"(arg), "c"(~arg), "d"(arg ^ 0x5a5a5a5a5a5a5a5aULL),
		       "S"(arg + 1)
		     : "memory");
	guest_report(ret);
}

/*
 * SSE state across exits: XMM0 and MXCSR get the guest's values, the
 * guest exits (the host runs and uses its own), then reports what it
 * finds in them. The loader's guest has CR4.OSFXSR set.
 */
void guest_fpu(__u64 pattern, __u64 mxcsr)
{
	__u32 csr = mxcsr, seen_csr;
	__u64 seen;

	asm volatile("movq %0, %%xmm0\n\tldmxcsr %1" : : "r"(pattern), "m"(csr));
	guest_report(1);
	asm volatile("movq %%xmm0, %0\n\tstmxcsr %1"
		     : "=r"(seen), "=m"(seen_csr));
	guest_report(seen);
	guest_report(seen_csr);
}

/* CPUID of each (leaf, subleaf) pair in guest_buf_in. */
void guest_cpuid_list(__u64 n)
{
	__u32 a, b, c, d;
	__u64 i;

	for (i = 0; i < n && 2 * i + 1 < GUEST_BUF_WORDS; i++) {
		asm volatile("cpuid"
			     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			     : "a"((__u32)guest_buf_in[2 * i]),
			       "c"((__u32)guest_buf_in[2 * i + 1]));
		guest_report(a);
		guest_report(b);
		guest_report(c);
		guest_report(d);
	}
}

void guest_mem_transform(__u64 n, __u64 mul)
{
	__u64 i, v, sum = 0;

	for (i = 0; i < n && i < GUEST_BUF_WORDS; i++) {
		v = guest_buf_in[i];
		sum += v;
		guest_buf_out[i] = v * mul + i;
	}
	guest_report(sum);
}

void guest_out_n(__u64 port, __u64 n)
{
	__u64 i;

	for (i = 0; i < n; i++)
		guest_outb(port, (__u8)i);
}

/* What the guest sees of its control registers, then new CR8 and CR2. */
void guest_cr_regs(__u64 cr8, __u64 cr2)
{
	__u64 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	guest_report(v);
	asm volatile("mov %%cr3, %0" : "=r"(v));
	guest_report(v);
	asm volatile("mov %%cr4, %0" : "=r"(v));
	guest_report(v);
	asm volatile("mov %%cr8, %0" : "=r"(v));
	guest_report(v);
	asm volatile("mov %%cr2, %0" : "=r"(v));
	guest_report(v);
	asm volatile("mov %0, %%cr8" : : "r"(cr8));
	asm volatile("mov %0, %%cr2" : : "r"(cr2));
}

void guest_spin(void)
{
	for (;;)
		WRITE_ONCE(guest_spin_count, guest_spin_count + 1);
}

/* Interrupts and exceptions. */
struct guest_iframe {
	__u64 rip, cs, rflags, rsp, ss;
};

/* An IDT entry: two words, so that the table is 8-byte aligned. */
struct guest_gate {
	__u64 lo, hi;
};

static struct guest_gate guest_idt[256];

static void __attribute__((interrupt)) guest_irq40(struct guest_iframe *f)
{
	guest_report(GUEST_IRQ(0x40));
}

static void __attribute__((interrupt)) guest_irq41(struct guest_iframe *f)
{
	guest_report(GUEST_IRQ(0x41));
}

static void __attribute__((interrupt)) guest_nmi(struct guest_iframe *f)
{
	guest_report(GUEST_IRQ(2));
}

/*
 * #GP: report it; step over RDMSR/WRMSR (0f 32, 0f 30) so that the guest
 * can go on, stop anywhere else.
 */
static void __attribute__((interrupt))
guest_gp(struct guest_iframe *f, unsigned long err)
{
	const __u8 *insn = (const __u8 *)f->rip;

	guest_report(GUEST_GP(err));
	if (insn[0] == 0x0f && (insn[1] == 0x32 || insn[1] == 0x30)) {
		f->rip += 2;
		return;
	}
	for (;;)
		asm volatile("cli; hlt");
}

/* A present 64-bit interrupt gate, DPL 0, to @handler. */
static void guest_set_gate(unsigned int vec, void *handler)
{
	__u64 a = (__u64)handler;

	guest_idt[vec].lo = (a & 0xffff) | (__u64)NVMX_LOADER_CS << 16 |
			    0x8eULL << 40 | ((a >> 16) & 0xffff) << 48;
	guest_idt[vec].hi = a >> 32;
}

/*
 * LIDT takes a 2-byte limit followed by an 8-byte base: with the limit in
 * the last two bytes of an aligned word, the two are contiguous without a
 * packed structure.
 */
struct guest_dtr {
	__u16 pad[3];
	__u16 limit;
	__u64 base;
};

static void guest_setup_idt(void)
{
	struct guest_dtr dtr = {
		.limit = sizeof(guest_idt) - 1,
		.base = (__u64)guest_idt,
	};

	guest_set_gate(2, guest_nmi);
	guest_set_gate(13, guest_gp);
	guest_set_gate(0x40, guest_irq40);
	guest_set_gate(0x41, guest_irq41);
	asm volatile("lidt %0" : : "m"(dtr.limit), "m"(dtr) : "memory");
}

/*
 * Two reports with interrupts disabled, then STI and HLT forever: the host
 * checks that nothing is delivered before the STI.
 */
void guest_irq_cli_then_sti(void)
{
	asm volatile("cli");
	guest_setup_idt();
	guest_report(GUEST_READY);
	guest_report(1);
	guest_report(2);
	asm volatile("sti; nop" : : : "memory");
	for (;;)
		guest_hlt();
}

void guest_rdmsr(__u64 index)
{
	__u32 lo, hi;

	guest_setup_idt();
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((__u32)index));
	guest_report((__u64)hi << 32 | lo);
}

void guest_wrmsr(__u64 index, __u64 val)
{
	guest_setup_idt();
	asm volatile("wrmsr"
		     : : "c"((__u32)index), "a"((__u32)val),
		       "d"((__u32)(val >> 32))
		     : "memory");
}

void guest_read_write(__u64 gpa, __u64 val)
{
	guest_report(guest_readq(gpa));
	guest_writeq(gpa, val);
	guest_report(guest_readq(gpa));
}

void guest_poll(__u64 gpa)
{
	for (;;)
		guest_report(guest_readq(gpa));
}

/* Read @gpa in a loop without exits of its own while it is memory. */
void guest_spin_read(__u64 gpa)
{
	for (;;) {
		WRITE_ONCE(guest_buf_out[0], guest_readq(gpa));
		WRITE_ONCE(guest_spin_count, guest_spin_count + 1);
	}
}

/*
 * vCPU @id of two: meet the other vCPU (each waits for the other's flag),
 * then count @n times in its own counter and in the shared one.
 */
void guest_smp_count_up(__u64 id, __u64 n)
{
	__u64 i, spins;

	id &= 1;
	WRITE_ONCE(guest_smp_flag[id], 1);
	for (spins = 0; !READ_ONCE(guest_smp_flag[!id]); spins++) {
		if (spins == GUEST_SPIN_LIMIT) {
			guest_report(GUEST_TIMEOUT);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		WRITE_ONCE(guest_smp_count[id], guest_smp_count[id] + 1);
		__atomic_fetch_add(&guest_smp_total, 1, __ATOMIC_SEQ_CST);
	}
	guest_report(guest_smp_count[id]);
}

/*
 * State kept in registers across exits: at each OUT, RBX and RSI hold the
 * generator's state (the host checks them) and guest_buf_out holds a mix.
 */
void guest_migrate(__u64 n, __u64 seed)
{
	__u64 a = seed, b = ~seed, i;

	for (i = 0; i < n; i++) {
		guest_migrate_step(&a, &b);
		guest_buf_out[i % GUEST_BUF_WORDS] = a ^ b;
		asm volatile("outl %%eax, %%dx"
			     : : "a"((__u32)i), "d"((__u16)GUEST_PORT_MIGRATE),
			       "b"(a), "S"(b)
			     : "memory");
	}
}

/* CPUID.1:ECX, where the VMX bit is. */
void guest_cpuid1_ecx(void)
{
	__u32 a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	guest_report(c);
}

/* Set @bits in CR4 and report CR4 as read back (a #GP is reported). */
void guest_set_cr4(__u64 bits)
{
	__u64 cr4;

	guest_setup_idt();
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | bits) : "memory");
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	guest_report(cr4);
}

/* Two pages for L1's VMX regions: a VMXON region and a VMCS. */
__u8 guest_vmx_pages[2][4096] __attribute__((aligned(4096)));

static __u64 guest_flags(void)
{
	__u64 f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f & (GUEST_RFLAGS_CF | GUEST_RFLAGS_ZF);
}

#define GUEST_VMX_PTR_INSN(insn, ptr) ({				\
	__u64 p_ = (ptr);						\
	asm volatile(insn " %0" : : "m"(p_) : "cc", "memory");		\
	guest_flags(); })

static __u64 guest_vmread(__u64 field, __u64 *val)
{
	asm volatile("vmread %1, %0" : "=r"(*val) : "r"(field) : "cc");
	return guest_flags();
}

static __u64 guest_vmwrite(__u64 field, __u64 val)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "r"(val) : "cc");
	return guest_flags();
}

/*
 * L1 in VMX operation: VMXON, VMPTRLD, VMWRITE/VMREAD, VMCLEAR, VMXOFF,
 * with the outcome of each (CF, ZF) and what it read reported.
 */
void guest_vmx_basics(void)
{
	__u64 vmxon = (__u64)guest_vmx_pages[0];
	__u64 vmcs = (__u64)guest_vmx_pages[1];
	__u64 cr4, val = 0, ptr;
	__u32 lo, hi;

	guest_setup_idt();
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x480));
	*(__u32 *)vmxon = lo & 0x7fffffff;
	*(__u32 *)vmcs = lo & 0x7fffffff;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | (1ULL << 13)) : "memory");
	guest_report(GUEST_VMX_PTR_INSN("vmxon", vmxon));
	guest_report(GUEST_VMX_PTR_INSN("vmxon", vmxon));
	guest_report(GUEST_VMX_PTR_INSN("vmptrld", vmxon));
	guest_report(GUEST_VMX_PTR_INSN("vmptrld", vmcs));
	asm volatile("vmptrst %0" : "=m"(ptr) : : "cc");
	guest_report(ptr);
	guest_report(guest_vmwrite(0x681e, 0x1234));
	guest_report(guest_vmread(0x681e, &val));
	guest_report(val);
	guest_report(guest_vmread(0x7ffe, &val));
	guest_report(guest_vmread(0x4400, &val));
	guest_report(val);
	guest_report(GUEST_VMX_PTR_INSN("vmclear", vmcs));
	asm volatile("vmptrst %0" : "=m"(ptr) : : "cc");
	guest_report(ptr);
	guest_report(guest_vmread(0x681e, &val));
	guest_report(GUEST_VMX_PTR_INSN("vmptrld", vmcs));
	guest_vmread(0x681e, &val);
	guest_report(val);
	asm volatile("vmxoff" : : : "cc");
	guest_report(guest_flags());
}

/*
 * XCR0 of the guest's own: CR4.OSXSAVE, XSETBV to @xcr0, @n exits to the
 * host, then report what XGETBV reads.
 */
void guest_xcr0(__u64 xcr0, __u64 n)
{
	__u64 cr4, i;
	__u32 lo, hi;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | (1ULL << 18)) : "memory");
	asm volatile("xsetbv" : : "a"((__u32)xcr0), "d"((__u32)(xcr0 >> 32)),
		     "c"(0));
	for (i = 0; i < n; i++)
		guest_outb(GUEST_PORT_REPORT_LO, i);
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	guest_report((__u64)hi << 32 | lo);
}

static __u64 guest_inv(int ept, __u64 type, const __u64 *desc)
{
	if (ept)
		asm volatile("invept %0, %1" : : "m"(*(const __u64 (*)[2])desc),
			     "r"(type) : "cc", "memory");
	else
		asm volatile("invvpid %0, %1" : : "m"(*(const __u64 (*)[2])desc),
			     "r"(type) : "cc", "memory");
	return guest_flags();
}

/*
 * In VMX operation: INVEPT all-context, INVEPT of a type that does not
 * exist, INVVPID all-context; the outcome of each; then VMXOFF.
 */
void guest_vmx_inv(void)
{
	__u64 vmxon = (__u64)guest_vmx_pages[0];
	__u64 vmcs = (__u64)guest_vmx_pages[1];
	__u64 desc[2] = { 0, 0 }, cr4;
	__u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x480));
	*(__u32 *)vmxon = lo & 0x7fffffff;
	*(__u32 *)vmcs = lo & 0x7fffffff;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | (1ULL << 13)) : "memory");
	guest_report(GUEST_VMX_PTR_INSN("vmxon", vmxon));
	guest_report(GUEST_VMX_PTR_INSN("vmptrld", vmcs));
	guest_report(guest_inv(1, 2, desc));
	guest_report(guest_inv(1, 7, desc));
	guest_report(guest_inv(0, 2, desc));
	asm volatile("vmxoff" : : : "cc");
}
