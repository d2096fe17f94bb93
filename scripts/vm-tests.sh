#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kselftests in the emulated machines, in two lanes that run in
# parallel (Bochs is single-threaded and slow; the rest is quick):
#
#   bochs-skylake   corei7_skylake_x (VMX, EPT), 6.1: the demo (nvmx info)
#                   and every VMX test
#   bochs-linux     corei7_skylake_x, 6.1: `nvmx run --kernel` boots the
#                   same 6.1 kernel as an SMP guest with APICs and ACPI
#                   (selftests/linux_guest.sh), then as an SMP L1 whose
#                   KVM runs two L2s (linux_kvm.sh); and a Multiboot test
#                   kernel (multiboot_test.sh)
#   bochs-smp2      corei7_skylake_x with two CPUs, 6.1: CPU hotplug
#   bochs-penryn    core2_penryn_t9600 (VMX, no EPT), 6.1: refusal
#   qemu-amd        QEMU's default CPU (AMD), 6.1: refusal
#   qemu-intel      an Intel model under TCG (no VMX), 6.1: refusal
#   qemu-amd-6.12   QEMU's default CPU, 6.12: refusal
#   libvirt         QEMU through a transient libvirt domain, 6.1: refusal
#
# usage: scripts/vm-tests.sh [JOB...]     (default: all of them)
#
# The module is the one DKMS installed (scripts/dkms-test.sh), so that the
# packaged module is the tested one; NVMX_VM_MODULE=build takes
# build/<kernel>/nvmx.ko from scripts/build-kernels.sh instead.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
run=$top/selftests/vm-run
out=$top/build/vm
mapfile -t kvers < <("$top/scripts/kernels.sh")
k61=${kvers[0]:?no 6.1 headers: run make deps}
k612=${kvers[1]:?no 6.12 headers: run make deps}

make -s -C "$top/selftests" all
make -s -C "$top/tools" all
mkdir -p "$out"

module_for() {
	local kver=$1 ko
	if [[ ${NVMX_VM_MODULE:-dkms} == build ]]; then
		ko=$top/build/$kver/nvmx.ko
	else
		ko=$(ls "/lib/modules/$kver/updates/dkms/"nvmx.ko* 2>/dev/null | head -n 1)
	fi
	if [[ ! -f $ko ]]; then
		echo "vm-tests: no nvmx.ko for $kver (run scripts/dkms-test.sh, or NVMX_VM_MODULE=build after make kernels)" >&2
		return 1
	fi
	echo "$ko"
}

# Directory that holds the kvm modules of kernel $1.
kvm_modules_for() {
	"$top/scripts/kvm-modules.sh" "$1"
}

st=$top/selftests
# The nested VMX tests, one program per theme, all in one boot of each job.
nested=("$st/nvmx_nested_exits_test" "$st/nvmx_nested_event_test"
	"$st/nvmx_nested_mem_test" "$st/nvmx_nested_hostile_test"
	"$st/nvmx_nested_state_test")
job_bochs-skylake() {
	local ko kmods files=()
	ko=$(module_for "$k61")
	# vm-run fetches the kernel package into the cache on first use.
	"$run" --kver "$k61" --fetch-only >/dev/null
	kmods=$(kvm_modules_for "$k61") ||
		{ echo "vm-tests: no kvm modules for $k61" >&2; return 1; }
	files=(--file "$kmods/kernel/virt/lib/irqbypass.ko"
	       --file "$kmods/kernel/arch/x86/kvm/kvm.ko"
	       --file "$kmods/kernel/arch/x86/kvm/kvm-intel.ko")
	for g in hello exitcode crash spin nested; do
		files+=(--file "$top/tools/guests/$g")
	done
	"$run" --emulator bochs --cpu corei7_skylake_x --kver "$k61" \
		--module "$ko" --timeout 3600 --workdir "$out" \
		--name bochs-skylake "${files[@]}" --env NVMX_KVM_MODULES=/tests \
		--file "$top/tools/nvmx" \
		"$st/demo.sh" "$st/nvmx_module_test" "$st/nvmx_vcpu_test" \
		"$st/nvmx_run_test" "$st/nvmx_event_test" "$st/nvmx_mem_test" \
		"$st/nvmx_errno_test" "$st/nvmx_expose_test" \
		"${nested[@]}" "$st/nvmx_coexist_test" \
		"$st/nvmx_lapic_test"
}
job_bochs-linux() {
	local vmlinuz kmods
	vmlinuz=$("$run" --kver "$k61" --fetch-only)
	kmods=$(kvm_modules_for "$k61") ||
		{ echo "vm-tests: no kvm modules for $k61" >&2; return 1; }
	make -s -C "$st" linux_init
	"$st/linux-initrd.sh" "$st/linux_init" "$out/initrd.cpio"
	# The KVM-in-L1 test's initramfs also holds the kvm modules.
	"$st/linux-initrd.sh" "$st/linux_init" "$out/initrd-kvm.cpio" \
		"$kmods/kernel/virt/lib/irqbypass.ko" \
		"$kmods/kernel/arch/x86/kvm/kvm.ko" \
		"$kmods/kernel/arch/x86/kvm/kvm-intel.ko"
	cp "$vmlinuz" "$out/vmlinuz"
	# The tests quote the guest's kernel log and judge it themselves.
	NVMX_VM_IGNORE='^# guest> ' "$run" --emulator bochs --cpu corei7_skylake_x --kver "$k61" \
		--module "$(module_for "$k61")" --mem 512 --timeout 3600 \
		--workdir "$out" --name bochs-linux --file "$top/tools/nvmx" \
		--file "$st/linux_lib.sh" \
		--file "$out/vmlinuz" --file "$out/initrd.cpio" \
		--file "$out/initrd-kvm.cpio" \
		--file "$st/multiboot/multiboot_kernel" \
		--file "$st/multiboot/multiboot_badsum" \
		--file "$st/multiboot/multiboot_aout" \
		"$st/linux_guest.sh" "$st/linux_kvm.sh" "$st/multiboot_test.sh"
}
job_bochs-smp2() {
	"$run" --emulator bochs --cpu corei7_skylake_x --smp 2 --kver "$k61" \
		--module "$(module_for "$k61")" --timeout 2400 --workdir "$out" \
		--name bochs-smp2 "$st/nvmx_hotplug_test" "$st/nvmx_smp_test" \
		"$st/nvmx_mem_test" "${nested[@]}" "$st/nvmx_lapic_test"
}
job_bochs-penryn() {
	"$run" --emulator bochs --cpu core2_penryn_t9600 --kver "$k61" \
		--module "$(module_for "$k61")" --workdir "$out" \
		--name bochs-penryn --env NVMX_EXPECT=noept \
		"$st/nvmx_refusal_test"
}
job_qemu-amd() {
	"$run" --emulator qemu --kver "$k61" --module "$(module_for "$k61")" \
		--workdir "$out" --name qemu-amd --env NVMX_EXPECT=vendor \
		"$st/nvmx_refusal_test"
}
job_qemu-intel() {
	"$run" --emulator qemu --cpu Nehalem --kver "$k61" \
		--module "$(module_for "$k61")" --workdir "$out" \
		--name qemu-intel --env NVMX_EXPECT=novmx "$st/nvmx_refusal_test"
}
job_qemu-amd-6.12() {
	"$run" --emulator qemu --kver "$k612" --module "$(module_for "$k612")" \
		--workdir "$out" --name qemu-amd-6.12 --env NVMX_EXPECT=vendor \
		"$st/nvmx_refusal_test"
}
job_libvirt() {
	"$run" --emulator libvirt --kver "$k61" --module "$(module_for "$k61")" \
		--workdir "$out" --name libvirt --env NVMX_EXPECT=vendor \
		"$st/nvmx_refusal_test"
}

# The two long Bochs jobs of the skylake model share a lane, so that
# both lanes take about as long (each around 15 minutes on two cores).
lane1=(bochs-skylake bochs-linux)
lane2=(bochs-smp2 bochs-penryn qemu-amd qemu-intel qemu-amd-6.12 libvirt)
if (($#)); then
	lane1=()
	lane2=("$@")
fi
for j in "${lane1[@]}" "${lane2[@]}"; do
	declare -F "job_$j" >/dev/null || { echo "vm-tests: no job $j" >&2; exit 2; }
done

# Run the jobs of a lane one after the other; record "job status seconds".
run_lane() {
	local j t0 rc
	for j in "$@"; do
		t0=$SECONDS
		echo "vm-tests: $j: started"
		if "job_$j" >"$out/$j.out" 2>&1; then rc=0; else rc=$?; fi
		echo "$j $rc $((SECONDS - t0))" >>"$out/results"
		echo "vm-tests: $j: $( ((rc)) && echo FAILED || echo passed) in $((SECONDS - t0)) s (output: $out/$j.out)"
		((rc == 0)) || tail -n 40 "$out/$j.out"
	done
}

rm -f "$out/results"
pids=()
run_lane "${lane1[@]}" &
pids+=($!)
run_lane "${lane2[@]}" &
pids+=($!)
wait "${pids[@]}"

fail=0
echo "vm-tests: summary"
while read -r j rc secs; do
	printf '  %-16s %-7s %5s s   %s\n' "$j" "$( ((rc)) && echo FAILED || echo passed)" \
		"$secs" "$(grep -m1 '^vm-run:.*programs' "$out/$j.out" || true)"
	((rc == 0)) || fail=1
done <"$out/results"
exit $fail
