#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The KVM-in-L1 test, run by /init in the emulated VMX machine after
# linux_guest.sh (vm-run --file puts vmlinuz, initrd-kvm.cpio, nvmx and
# linux_lib.sh in /tests/): `nvmx run --kernel
# --expose-virtualization-extensions` boots
# the same Debian kernel as L1 with nvmx.kvm=1, so that its /init
# (linux_init.c, linux_kvm.c) loads kvm and kvm_intel and runs an L2
# guest through /dev/kvm, checking the sum L2 computes, then a 64-bit L2
# with KVM's in-kernel irqchip whose APIC timer wakes it from HLT (the
# sum of squares it computes checked too). Then the same
# boot without VMX exposed, where kvm_intel must refuse to load with
# KVM's own message. Prints L1's boot time and nvmx's exit counts. TAP.
# With VMX exposed, L1 runs on the whole platform, as an installed
# hypervisor would: two vCPUs, the local APICs, the I/O APIC and ACPI
# (kvm_intel enters VMX operation on both); its /init powers off. Without,
# on the legacy half: one vCPU, no APIC, no ACPI (noapic nolapic
# acpi=off), interrupts through the 8259A; its /init reboots
# (nvmx.reboot=1), which ends the VM through the i8042.
. "$(dirname "$0")/linux_lib.sh"
tap_plan 17
load_nvmx

smp_cmdline="console=ttyS0 earlyprintk=serial,ttyS0,115200 pci=off reboot=k tsc=reliable io_delay=none nokaslr nvmx.kvm=1"
legacy_cmdline="console=ttyS0 earlyprintk=serial,ttyS0,115200 noapic nolapic acpi=off pci=off reboot=k tsc=reliable io_delay=none nokaslr nvmx.kvm=1 nvmx.reboot=1"
# nvmx's tracepoints in L0 (nested entries and exits, L1's VMX
# instructions, failed checks) record what L1's KVM did; shown on failure.
trace=/sys/kernel/tracing
[ -d $trace/events ] || mount -t tracefs nodev $trace 2>/dev/null
tracing() {
	[ -d $trace/events/nvmx ] || return 0
	echo "$1" >$trace/events/nvmx/enable
	echo "$1" >$trace/tracing_on
}

# boot_l1 NAME [nvmx run options]: boots L1, its output in /tmp/NAME.out.
boot_l1() {
	boot "$@" --memory 256M --kernel /tests/vmlinuz \
		--initrd /tests/initrd-kvm.cpio --append "$cmdline"
}

# Kernel messages that mean trouble, in L1's log.
# (case matters for $guest_bad: "Oops" is not the "loops" of
# loops_per_jiffy; VMX and KVM errors are matched in any case).
vmx_bad='vmx.*(error|fail)|VM-?entry fail|kvm.*(error|fail)'


echo 16384 >$trace/buffer_size_kb 2>/dev/null
tracing 1
cmdline=$smp_cmdline
boot_l1 kvm --expose-virtualization-extensions --cpus 2
tracing 0
if [ -r $trace/trace ]; then
	echo "# L0's nvmx events while L1 ran: $(grep -c 'nvmx_vmx_insn' $trace/trace) VMX instructions, $(grep -c 'nvmx_nested_entry' $trace/trace) entries into L2, $(grep -c 'nvmx_nested_check_failed' $trace/trace) failed checks"
	grep -q '^nvmx-kvm-l2: ok' /tmp/kvm.out ||
		grep nvmx_ $trace/trace | tail -n 300 | sed 's/^/# trace: /'
fi
[ "$rc" = 0 ]
check $? "L1 with VMX exposed ends with status 0 ($rc)"
grep -q '^nvmx-linux-guest: up [0-9]' /tmp/kvm.out
check $? "L1's /init ran"
grep -q 'smp: Brought up 1 node, 2 CPUs' /tmp/kvm.out
check $? "L1 brought up its two vCPUs"
grep -q 'nvmx: the guest powered off' /tmp/kvm.out
check $? "L1 powered off through ACPI after its KVM ran"
grep -q '^nvmx-kvm: load kvm: ok$' /tmp/kvm.out &&
	grep -q '^nvmx-kvm: load kvm-intel: ok$' /tmp/kvm.out
check $? "kvm and kvm_intel load in L1"
grep -q '^nvmx-kvm: kvm_intel parameters: nested=Y ept=Y vpid=Y unrestricted_guest=Y' /tmp/kvm.out
check $? "kvm_intel reports nested, EPT, VPID and unrestricted guest: $(sed -n 's/^nvmx-kvm: kvm_intel parameters: //p' /tmp/kvm.out)"
grep -q "^nvmx-kvm-l2> hello from L2 through L1's KVM$" /tmp/kvm.out
check $? "L2 printed through L1's KVM"
grep -Eq '^nvmx-kvm-l2: ok [0-9]+ \(sum of 1\.\.[0-9]+\)$' /tmp/kvm.out
check $? "L2's result checked by the KVM client: $(sed -n 's/^nvmx-kvm-l2: //p' /tmp/kvm.out | head -n 3 | tr '\n' ' ')"
grep -q "^nvmx-kvm-l2-64> hello from a 64-bit L2, its APIC timer in L1's KVM$" /tmp/kvm.out
check $? "a 64-bit L2 with KVM's in-kernel irqchip printed through L1's KVM"
grep -Eq '^nvmx-kvm-l2-64: ok [0-9]+ \(sum of squares of 1\.\.[0-9]+\), 5 timer ticks in [0-9]+ ms$' /tmp/kvm.out
check $? "it took 5 APIC timer interrupts in HLT and its result was checked: $(sed -n 's/^nvmx-kvm-l2-64: //p' /tmp/kvm.out | head -n 3 | tr '\n' ' ')"
grep -Eq 'nvmx: vCPU [01]: nested: [1-9][0-9]* entries into L2' /tmp/kvm.out
check $? "nvmx counted L1's entries into L2"
! grep -Eq "$guest_bad" /tmp/kvm.out && ! grep -Eiq "$vmx_bad" /tmp/kvm.out
check $? "no panic, oops, WARN or VMX/KVM error in L1's log"

cmdline=$legacy_cmdline
boot_l1 novmx
[ "$rc" = 0 ]
check $? "L1 without VMX exposed ends with status 0 ($rc)"
grep -q 'vCPU 0 reset the machine' /tmp/novmx.out
check $? "L1's reboot reset the machine through the i8042"
grep -q '^nvmx-kvm: load kvm-intel: Operation not supported$' /tmp/novmx.out
check $? "without VMX, kvm_intel refuses to load (EOPNOTSUPP)"
grep -q "kvm: no hardware support for 'kvm_intel'" /tmp/novmx.out
check $? "and L1's KVM says why: no hardware support"

unload_nvmx
exit 0
