# SPDX-License-Identifier: GPL-2.0-only
#
# nvmx: `make` builds nvmx.ko against KDIR (default: the running kernel).
# `make help` lists the other targets.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# The two Debian LTS kernels nvmx supports; `make check` builds for both.
KVERS ?= $(shell scripts/kernels.sh)

PWD := $(CURDIR)

.PHONY: all modules clean help check unit fuzz checkpatch sparse kernels \
	demo deps dkms-test vm-test

all: modules

modules:
	@test -d "$(KDIR)" || { \
	  echo "nvmx: no kernel build directory at $(KDIR)." >&2; \
	  echo "nvmx: install the headers of kernel $(KVER):" \
	       "apt install linux-headers-$(KVER)" >&2; \
	  echo "nvmx: or build for another kernel: make KDIR=/lib/modules/<release>/build" >&2; \
	  exit 1; }
	$(MAKE) -C $(KDIR) M=$(PWD) modules

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	$(MAKE) -C selftests clean
	rm -rf build

help:
	@echo "make [KDIR=...]   build nvmx.ko (default KDIR: $(KDIR))"
	@echo "make check        every test: builds, checkpatch, sparse, unit, DKMS, VM runs"
	@echo "make demo         boot the emulated VMX machine (Bochs) and load nvmx.ko in it"
	@echo "make unit         userspace unit tests of the pure code (ASan, UBSan)"
	@echo "make fuzz         libFuzzer targets of the pure nested code, 15 s each"
	@echo "make deps         install the Debian packages the tests need"
	@echo "make kernels      build nvmx.ko for each supported kernel (W=1, -Werror)"
	@echo "make checkpatch   checkpatch.pl --strict on src/ and include/"
	@echo "make sparse       build with sparse (C=1)"
	@echo "make vm-test      the kselftests in QEMU, libvirt and Bochs"

deps:
	scripts/deps.sh

kernels:
	scripts/build-kernels.sh $(KVERS)

unit:
	$(MAKE) -C selftests/unit run

fuzz:
	$(MAKE) -C selftests/fuzz run

checkpatch:
	scripts/checkpatch.sh

sparse:
	scripts/build-kernels.sh --sparse $(KVERS)

dkms-test:
	scripts/dkms-test.sh

vm-test:
	scripts/vm-tests.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh
