// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the Device Identification VPD page (0x83) parser and the WWIDs made
 * from it (udev's ID_SERIAL, with and without INQUIRY's vendor and product,
 * and the kernel's sysfs wwid), and the input as a page 0x80 for scsi_id's
 * serial number fallback. The strings must end inside their buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi/vpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t vendor[8] = { 'L', 'I', 'O', '-', 'O', 'R', 'G', ' ' };
	static const uint8_t product[16] = { 'b', 'l', 'o', 'c', 'k', ' ', ' ', ' ',
					     ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ' };
	static struct scsi_devid id;
	struct sr_error err;
	char w[SCSI_SYSFS_WWID_MAX];

	if (scsi_parse_devid(data, size, &id, &err) == 0) {
		for (unsigned i = 0; i < id.n; i++) {
			/* every designator lies inside the input */
			if (id.d[i].id < data || (size_t)(id.d[i].id - data) + id.d[i].len > size)
				abort();
			scsi_desig_type_name(id.d[i].type);
			scsi_code_set_name(id.d[i].code_set);
		}
		if (scsi_wwid_udev(&id, vendor, product, w) == 0 && (w[0] == '\0' || strlen(w) >= SCSI_WWID_MAX))
			abort();
		if (scsi_wwid_udev(&id, NULL, NULL, w) == 0 && strlen(w) >= SCSI_WWID_MAX)
			abort();
		if (scsi_wwid_sysfs(&id, w) == 0 && (w[0] == '\0' || strlen(w) >= SCSI_SYSFS_WWID_MAX))
			abort();
	}
	if (scsi_wwid_udev_serial(data, size, vendor, product, w, &err) == 0 && strlen(w) >= SCSI_WWID_MAX)
		abort();
	return 0;
}
