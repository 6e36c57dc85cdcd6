// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target for iscsi_nl_parse(): what the kernel sends on NETLINK_ISCSI.
 * Input: the netlink type (2 bytes, big-endian), then the netlink payload.
 * The corpus holds messages captured from the Debian 6.1 kernel by
 * tests/vm/netlink.sh (RECV_PDU with its padding byte, CONN_ERROR) and two
 * replies laid out like them (a CREATE_SESSION reply, an IF_ERROR refusal).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iscsi/kernel/iscsi_nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iscsi_nl_event ev;
	struct sr_error err;
	uint8_t *copy;
	uint16_t type;

	if (size < 2)
		return 0;
	type = (uint16_t)(data[0] << 8 | data[1]);
	/* An exact-size copy, so that ASan sees any read past the payload. */
	copy = malloc(size - 2 ? size - 2 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 2, size - 2);
	if (iscsi_nl_parse(copy, size - 2, type, &ev, &err) == 0) {
		if (ev.pdu) {
			/* The PDU lies inside the payload and covers its BHS. */
			if (ev.pdu < copy || ev.pdu_len < ISCSI_BHS_LEN ||
			    ev.pdu_len > size - 2 - (size_t)(ev.pdu - copy))
				abort();
			volatile uint8_t last = ev.pdu[ev.pdu_len - 1];
			(void)last;
		}
		(void)iscsi_nl_is_reply(&ev, type);
		(void)iscsi_nl_type_name(ev.type);
		(void)iscsi_nl_err_name(ev.code);
	} else if (!err.msg[0]) {
		abort();	/* every refusal says why */
	}
	free(copy);
	return 0;
}
