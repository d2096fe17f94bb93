/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An MC146818 CMOS RTC at ports 0x70 (index; bit 7 is the NMI mask) and
 * 0x71 (data), for `nvmx run --kernel`. Pure: the caller passes the time
 * (seconds since the epoch, UTC). The clock registers always show that
 * time, in BCD or binary and 12- or 24-hour format as register B says;
 * writes to them are ignored (the guest cannot set the host's clock).
 * Update-in-progress (register A bit 7) always reads 0, register D says
 * the time is valid. There are no RTC interrupts; the other 114 bytes are
 * CMOS RAM.
 */
#ifndef NVMX_TOOLS_RTC_H
#define NVMX_TOOLS_RTC_H

#include <stdint.h>
#include <time.h>

#define RTC_PORT	0x70

struct cmos_rtc {
	uint8_t index;
	uint8_t ram[128];
};

void rtc_init(struct cmos_rtc *r);
uint8_t rtc_read(struct cmos_rtc *r, uint16_t port, time_t now);
void rtc_write(struct cmos_rtc *r, uint16_t port, uint8_t val);

#endif /* NVMX_TOOLS_RTC_H */
