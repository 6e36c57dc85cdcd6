// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest side of tests/vm/netlink.sh: drives the kernel's iscsi_tcp through
 * lib/iscsi_nl and checks each step in sysfs. Prints the rig's result lines
 * ("SANROOT-RESULT ok NAME") and markers ("SANROOT-TEST KEY=VALUE").
 *
 *   nl_smoke nocrc              CREATE_CONN without crc32c fails with ENOMEM
 *   nl_smoke full ADDR PORT     session, connection, parameters, bind to a TCP
 *                               connection to ADDR:PORT, one PDU each way,
 *                               the connection error when the peer closes,
 *                               teardown
 *   nl_smoke login ADDR PORT TARGET LUN
 *                               a real handoff to a target that wants no
 *                               authentication: a one-PDU login on a plain
 *                               socket (a test's stand-in for the login engine),
 *                               then bind, parameters, start, scan, and the
 *                               LUN's block device; prints sid= and disk=
 *   nl_smoke logout SID DISK    stop and destroy; the block device goes away
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "iscsi/kernel/iscsi_nl.h"
#include "iscsi/kernel/iscsi_sysfs.h"

static int failures;

__attribute__((format(printf, 3, 4)))
static bool result(const char *name, bool good, const char *fmt, ...)
{
	char why[300] = "";
	va_list ap;

	if (!good) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		failures++;
		printf("SANROOT-RESULT not ok %s: %s\n", name, why);
	} else {
		printf("SANROOT-RESULT ok %s\n", name);
	}
	fflush(stdout);
	return good;
}

/* A sysfs attribute's first line, or "" if unreadable. */
static const char *attr(const char *fmt, ...)
{
	static char text[256];
	char path[256];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	text[0] = '\0';
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return text;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	text[strcspn(text, "\n")] = '\0';
	return text;
}

static int nocrc(void)
{
	struct iscsi_nl *nl;
	struct sr_error err;
	uint32_t sid, host;
	int rc;

	if (!result("nocrc: open NETLINK_ISCSI", iscsi_nl_open(&nl, "tcp", &err) == 0, "%s",
		    err.msg))
		return 1;
	if (!result("nocrc: create session", iscsi_nl_create_session(nl, 1, 128, 32, &sid,
								      &host, &err) == 0,
		    "%s", err.msg))
		return 1;
	rc = iscsi_nl_create_conn(nl, sid, 0, NULL, &err);
	result("nocrc: CREATE_CONN fails with ENOMEM", rc == -ENOMEM, "rc %d: %s", rc,
	       rc ? err.msg : "succeeded");
	result("nocrc: the message names crc32c", rc && strstr(err.msg, "crc32c"), "%s", err.msg);
	printf("SANROOT-TEST nocrc-message=%s\n", rc ? "seen" : "none");
	result("nocrc: destroy session", iscsi_nl_destroy_session(nl, sid, &err) == 0, "%s",
	       err.msg);
	result("nocrc: no session left in sysfs", !iscsi_sysfs_session_exists(NULL, sid),
	       "session%u still there", sid);
	iscsi_nl_close(nl);
	return failures != 0;
}

static int tcp_connect(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* RFC 7143 §11.12: a Login Request, CSG operational, NSG full feature, transit. */
static void login_bhs(uint8_t bhs[ISCSI_BHS_LEN], size_t dlen)
{
	static const uint8_t isid[6] = { 0x80, 0x00, 0x5a, 0x4e, 0x00, 0x01 };

	memset(bhs, 0, ISCSI_BHS_LEN);
	bhs[0] = 0x43;			/* immediate, Login Request */
	bhs[1] = 0x87;			/* T, CSG 1, NSG 3 */
	bhs[5] = (uint8_t)(dlen >> 16);
	bhs[6] = (uint8_t)(dlen >> 8);
	bhs[7] = (uint8_t)dlen;
	memcpy(bhs + 8, isid, sizeof(isid));
	bhs[16] = 0x12;			/* ITT 0x12345678: the kernel puts its own */
	bhs[17] = 0x34;
	bhs[18] = 0x56;
	bhs[19] = 0x78;
	bhs[27] = 1;			/* CmdSN 1 */
}

static int full(const char *addr, int port)
{
	static const char iqn[] = "iqn.2024-01.org.sanroot:nl-smoke";
	static const char keys[] = "InitiatorName=iqn.2024-01.org.sanroot:guest";	/* 43 bytes */
	uint8_t bhs[ISCSI_BHS_LEN], pdu[8192];
	struct iscsi_nl_event ev;
	struct iscsi_nl *nl;
	struct sr_error err;
	uint32_t sid, host, sys_host, cid;
	char name[32], want[16];
	int rc, fd;

	if (!result("open NETLINK_ISCSI", iscsi_nl_open(&nl, "tcp", &err) == 0, "%s", err.msg))
		return 1;
	printf("SANROOT-TEST handle=%llu\n", (unsigned long long)iscsi_nl_handle(nl));

	/* Session: the reply's sid and host, and cmds_max and queue_depth as sysfs shows them. */
	/* initial_cmdsn 7 while the login PDU says 1: the host sees which one the kernel sent. */
	if (!result("create session", iscsi_nl_create_session(nl, 7, 128, 32, &sid, &host,
							      &err) == 0, "%s", err.msg))
		return 1;
	printf("SANROOT-TEST sid=%u host=%u can_queue=%s", sid, host,
	       attr("/sys/class/scsi_host/host%u/can_queue", host));
	printf(" cmd_per_lun=%s\n", attr("/sys/class/scsi_host/host%u/cmd_per_lun", host));
	result("session in sysfs", iscsi_sysfs_session_exists(NULL, sid), "no session%u", sid);
	rc = iscsi_sysfs_session_host(NULL, sid, &sys_host, &err);
	result("sysfs host matches the reply", rc == 0 && sys_host == host, "%s (reply: host%u)",
	       rc ? err.msg : "other host", host);
	result("queue_depth reached the host", !strcmp(attr("/sys/class/scsi_host/host%u/"
							     "cmd_per_lun", host), "32"),
	       "cmd_per_lun is '%s'", attr("/sys/class/scsi_host/host%u/cmd_per_lun", host));

	/* Connection */
	rc = iscsi_nl_create_conn(nl, sid, 0, &cid, &err);
	if (!result("create connection", rc == 0 && cid == 0, "%s", rc ? err.msg : "cid not 0"))
		return 1;
	result("connection in sysfs", iscsi_sysfs_conn_exists(NULL, sid, 0), "no connection%u:0",
	       sid);

	/*
	 * Before BIND_CONN the kernel keeps only the session's recovery timeout;
	 * every other parameter waits for a bound connection.
	 */
	rc = iscsi_nl_set_param(nl, sid, 0, ISCSI_PARAM_TARGET_NAME, iqn, &err);
	result("SET_PARAM before BIND_CONN is refused with ENOTCONN", rc == -ENOTCONN, "rc %d: %s",
	       rc, rc ? err.msg : "accepted");
	rc = iscsi_nl_set_param_uint(nl, sid, 0, ISCSI_PARAM_SESS_RECOVERY_TMO, 120, &err);
	result("set SESS_RECOVERY_TMO before BIND_CONN", rc == 0, "%s", err.msg);
	result("recovery_tmo in sysfs", !strcmp(attr("/sys/class/iscsi_session/session%u/"
						     "recovery_tmo", sid), "120"), "'%s'",
	       attr("/sys/class/iscsi_session/session%u/recovery_tmo", sid));
	rc = iscsi_nl_set_param(nl, sid + 100, 0, ISCSI_PARAM_TPGT, "1", &err);
	result("SET_PARAM on no session is refused", rc == -EINVAL, "rc %d: %s", rc, err.msg);

	/* Bind a TCP connection: sysfs shows its peer. */
	fd = tcp_connect(addr, port);
	if (!result("TCP connection to the host", fd >= 0, "%s:%d: %s", addr, port,
		    strerror(errno)))
		return 1;
	rc = iscsi_nl_bind_conn(nl, sid, 0, fd, true, &err);
	result("bind connection", rc == 0, "%s", err.msg);
	close(fd);	/* the kernel holds its own reference */
	result("bound peer address in sysfs",
	       !strcmp(attr("/sys/class/iscsi_connection/connection%u:0/address", sid), addr),
	       "'%s'", attr("/sys/class/iscsi_connection/connection%u:0/address", sid));
	snprintf(want, sizeof(want), "%d", port);
	result("bound peer port in sysfs",
	       !strcmp(attr("/sys/class/iscsi_connection/connection%u:0/port", sid), want),
	       "'%s'", attr("/sys/class/iscsi_connection/connection%u:0/port", sid));

	/* Parameters: strings travel with their NUL; sysfs reads them back. */
	rc = iscsi_nl_set_param(nl, sid, 0, ISCSI_PARAM_TARGET_NAME, iqn, &err);
	result("set TARGET_NAME", rc == 0, "%s", err.msg);
	result("targetname in sysfs", !strcmp(attr("/sys/class/iscsi_session/session%u/targetname",
						    sid), iqn), "'%s'",
	       attr("/sys/class/iscsi_session/session%u/targetname", sid));
	rc = iscsi_nl_set_param_uint(nl, sid, 0, ISCSI_PARAM_MAX_RECV_DLENGTH, 262144, &err);
	result("set MAX_RECV_DLENGTH", rc == 0, "%s", err.msg);
	result("max_recv_dlength in sysfs",
	       !strcmp(attr("/sys/class/iscsi_connection/connection%u:0/max_recv_dlength", sid),
		       "262144"), "'%s'",
	       attr("/sys/class/iscsi_connection/connection%u:0/max_recv_dlength", sid));
	rc = iscsi_nl_set_param(nl, sid, 0, ISCSI_PARAM_IFMARKER_EN, "No", &err);
	result("IFMARKER_EN is refused with ENOSYS", rc == -ENOSYS, "rc %d: %s", rc, err.msg);

	/* One PDU out through the kernel (the host checks its bytes), one back as RECV_PDU. */
	login_bhs(bhs, sizeof(keys));
	rc = iscsi_nl_send_pdu(nl, sid, 0, bhs, keys, sizeof(keys), &err);
	result("send a login PDU", rc == 0, "%s", err.msg);
	rc = iscsi_nl_recv_event(nl, &ev, pdu, sizeof(pdu), 10000, &err);
	if (result("RECV_PDU event", rc == 0 && ev.type == ISCSI_KEVENT_RECV_PDU,
		   "%s", rc ? err.msg : iscsi_nl_type_name(ev.type))) {
		size_t dlen = (size_t)pdu[5] << 16 | (size_t)pdu[6] << 8 | pdu[7];

		result("RECV_PDU is for our connection", ev.sid == sid && ev.cid == 0,
		       "sid %u cid %u", ev.sid, ev.cid);
		result("RECV_PDU carries a login response", ev.pdu_len >= ISCSI_BHS_LEN &&
		       pdu[0] == 0x23, "opcode 0x%02x, %zu bytes", pdu[0], ev.pdu_len);
		result("RECV_PDU length is the BHS and its data segment",
		       ev.pdu_len == ISCSI_BHS_LEN + dlen && dlen == 23,
		       "%zu bytes for a data segment of %zu", ev.pdu_len, dlen);
		printf("SANROOT-TEST reply-data=%.*s\n", (int)strnlen((char *)pdu + ISCSI_BHS_LEN,
								     dlen),
		       (char *)pdu + ISCSI_BHS_LEN);
	}

	/* The host closes the connection after its reply: the kernel reports it. */
	rc = iscsi_nl_recv_event(nl, &ev, pdu, sizeof(pdu), 10000, &err);
	if (rc == 0)
		printf("SANROOT-TEST conn-error=%u\n", ev.code);
	result("CONN_ERROR when the peer closes", rc == 0 && ev.type == ISCSI_KEVENT_CONN_ERROR &&
	       ev.sid == sid && ev.code == ISCSI_ERR_TCP_CONN_CLOSE, "%s",
	       rc ? err.msg : iscsi_nl_err_name(ev.code));

	/* No login happened: a scan finds nothing, and the wait for a LUN says so in time. */
	rc = iscsi_sysfs_scan(NULL, host, &err);
	result("scan the session's host", rc == 0, "%s", err.msg);
	rc = iscsi_sysfs_lun_block(NULL, sid, 1, name, sizeof(name), 300, &err);
	result("no LUN before login", rc == -ETIMEDOUT, "rc %d: %s", rc, rc ? err.msg : name);

	/* Teardown, as open-iscsi does it: stop, destroy the connection, then the session. */
	rc = iscsi_nl_stop_conn(nl, sid, 0, ISCSI_STOP_CONN_TERM, &err);
	result("stop connection", rc == 0, "%s", err.msg);
	rc = iscsi_nl_destroy_conn(nl, sid, 0, &err);
	result("destroy connection", rc == 0, "%s", err.msg);
	result("connection gone from sysfs", !iscsi_sysfs_conn_exists(NULL, sid, 0),
	       "connection%u:0 still there", sid);
	rc = iscsi_nl_destroy_session(nl, sid, &err);
	result("destroy session", rc == 0, "%s", err.msg);
	result("session gone from sysfs", !iscsi_sysfs_session_exists(NULL, sid),
	       "session%u still there", sid);
	snprintf(name, sizeof(name), "/sys/class/scsi_host/host%u", host);
	result("SCSI host gone", access(name, F_OK) != 0, "host%u still there", host);
	rc = iscsi_nl_destroy_session(nl, sid, &err);
	result("destroying it again is refused", rc == -EINVAL, "rc %d: %s", rc, err.msg);
	iscsi_nl_close(nl);
	return failures != 0;
}

/* The value of key in a login response's NUL-separated key=value list, or NULL. */
static const char *login_key(const char *data, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = data, *end = data + len;

	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (n > klen && !memcmp(p, key, klen) && p[klen] == '=' && n < (size_t)(end - p))
			return p + klen + 1;
		p += n + 1;
	}
	return NULL;
}

static bool read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* Set the parameters open-iscsi sets after a login; value NULL ends the list. */
struct kparam {
	enum iscsi_param param;
	const char *value;
};

static int login(const char *addr, int port, const char *target, uint64_t lun)
{
	static const char initiator[] = "iqn.2024-01.org.sanroot:guest";
	char keys[512], rsp[8192 + 4], portstr[8], tpgt[12], xmit[12], statsn[12], disk[32];
	uint8_t bhs[ISCSI_BHS_LEN];
	struct timeval tv = { .tv_sec = 10 };
	struct iscsi_nl *nl;
	struct sr_error err;
	uint32_t sid, host;
	size_t klen, dlen;
	const char *v;
	int fd, rc, n;

	/* The login, in userspace, before the kernel sees the socket (CmdSN 1, immediate). */
	n = snprintf(keys, sizeof(keys), "InitiatorName=%s%cTargetName=%s%cSessionType=Normal%c"
		     "HeaderDigest=None%cDataDigest=None%cMaxRecvDataSegmentLength=262144",
		     initiator, 0, target, 0, 0, 0, 0);
	if (n < 0 || (size_t)n >= sizeof(keys))
		return result("login: keys fit", false, "target name too long"), 1;
	klen = (size_t)n + 1;
	fd = tcp_connect(addr, port);
	if (!result("login: TCP connection to the target", fd >= 0, "%s:%d: %s", addr, port,
		    strerror(errno)))
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	login_bhs(bhs, klen);
	bhs[16] = bhs[17] = bhs[18] = 0;
	bhs[19] = 1;
	memset(rsp, 0, 4);
	if (write(fd, bhs, sizeof(bhs)) != (ssize_t)sizeof(bhs) ||
	    write(fd, keys, klen) != (ssize_t)klen ||
	    write(fd, rsp, (4 - klen % 4) % 4) != (ssize_t)((4 - klen % 4) % 4))
		return result("login: request sent", false, "%s", strerror(errno)), 1;
	if (!result("login: response received", read_full(fd, bhs, sizeof(bhs)), "%s",
		    strerror(errno)))
		return 1;
	dlen = (size_t)bhs[5] << 16 | (size_t)bhs[6] << 8 | bhs[7];
	if (!result("login: response fits", dlen <= 8192 && read_full(fd, rsp, (dlen + 3) & ~3u),
		    "data segment of %zu bytes", dlen))
		return 1;
	if (!result("login: target accepted", bhs[0] == 0x23 && bhs[36] == 0 && bhs[1] == 0x87,
		    "opcode 0x%02x flags 0x%02x status %u/%u", bhs[0], bhs[1], bhs[36], bhs[37]))
		return 1;
	v = login_key(rsp, dlen, "TargetPortalGroupTag");
	snprintf(tpgt, sizeof(tpgt), "%s", v ? v : "1");
	v = login_key(rsp, dlen, "MaxRecvDataSegmentLength");
	snprintf(xmit, sizeof(xmit), "%s", v ? v : "8192");	/* RFC 7143 default */
	snprintf(statsn, sizeof(statsn), "%u", ((uint32_t)bhs[24] << 24 | (uint32_t)bhs[25] << 16 |
						(uint32_t)bhs[26] << 8 | bhs[27]) + 1);
	snprintf(portstr, sizeof(portstr), "%d", port);

	/* The handoff. */
	if (!result("login: open NETLINK_ISCSI", iscsi_nl_open(&nl, "tcp", &err) == 0, "%s",
		    err.msg))
		return 1;
	rc = iscsi_nl_create_session(nl, 1, 128, 32, &sid, &host, &err);
	if (!result("login: create session", rc == 0, "%s", err.msg))
		return 1;
	rc = iscsi_nl_create_conn(nl, sid, 0, NULL, &err);
	if (!result("login: create connection", rc == 0, "%s", err.msg))
		return 1;
	rc = iscsi_nl_bind_conn(nl, sid, 0, fd, true, &err);
	if (!result("login: bind the logged-in socket", rc == 0, "%s", err.msg))
		return 1;
	close(fd);
	{
		const struct kparam params[] = {
			{ ISCSI_PARAM_INITIATOR_NAME, initiator },
			{ ISCSI_PARAM_TARGET_NAME, target },
			{ ISCSI_PARAM_TPGT, tpgt },
			{ ISCSI_PARAM_PERSISTENT_ADDRESS, addr },
			{ ISCSI_PARAM_PERSISTENT_PORT, portstr },
			{ ISCSI_PARAM_MAX_RECV_DLENGTH, "262144" },
			{ ISCSI_PARAM_MAX_XMIT_DLENGTH, xmit },
			{ ISCSI_PARAM_HDRDGST_EN, "0" },
			{ ISCSI_PARAM_DATADGST_EN, "0" },
			{ ISCSI_PARAM_INITIAL_R2T_EN, "1" },
			{ ISCSI_PARAM_MAX_R2T, "1" },
			{ ISCSI_PARAM_IMM_DATA_EN, "1" },
			{ ISCSI_PARAM_FIRST_BURST, "65536" },
			{ ISCSI_PARAM_MAX_BURST, "262144" },
			{ ISCSI_PARAM_PDU_INORDER_EN, "1" },
			{ ISCSI_PARAM_DATASEQ_INORDER_EN, "1" },
			{ ISCSI_PARAM_ERL, "0" },
			{ ISCSI_PARAM_SESS_RECOVERY_TMO, "120" },
			{ ISCSI_PARAM_EXP_STATSN, statsn },
			{ 0, NULL },
		};

		for (const struct kparam *p = params; p->value; p++) {
			rc = iscsi_nl_set_param(nl, sid, 0, p->param, p->value, &err);
			if (rc < 0)
				break;
		}
		if (!result("login: set the negotiated parameters", rc == 0, "%s", err.msg))
			return 1;
	}
	rc = iscsi_nl_start_conn(nl, sid, 0, &err);
	if (!result("login: start connection", rc == 0, "%s", err.msg))
		return 1;
	rc = iscsi_sysfs_scan(NULL, host, &err);
	if (!result("login: scan the host", rc == 0, "%s", err.msg))
		return 1;
	rc = iscsi_sysfs_lun_block(NULL, sid, lun, disk, sizeof(disk), 15000, &err);
	if (!result("login: the LUN's block device appears", rc == 0, "%s", err.msg))
		return 1;
	printf("SANROOT-TEST login-sid=%u disk=%s disk-uptime=%s\n", sid, disk,
	       attr("/proc/uptime"));
	result("login: state LOGGED_IN in sysfs",
	       !strcmp(attr("/sys/class/iscsi_session/session%u/state", sid), "LOGGED_IN"),
	       "'%s'", attr("/sys/class/iscsi_session/session%u/state", sid));
	iscsi_nl_close(nl);
	return failures != 0;
}

static int logout(uint32_t sid, const char *disk)
{
	struct iscsi_nl *nl;
	struct sr_error err;
	char path[64];
	int rc;

	if (!result("logout: open NETLINK_ISCSI", iscsi_nl_open(&nl, "tcp", &err) == 0, "%s",
		    err.msg))
		return 1;
	rc = iscsi_nl_stop_conn(nl, sid, 0, ISCSI_STOP_CONN_TERM, &err);
	result("logout: stop connection", rc == 0, "%s", err.msg);
	rc = iscsi_nl_destroy_conn(nl, sid, 0, &err);
	result("logout: destroy connection", rc == 0, "%s", err.msg);
	rc = iscsi_nl_destroy_session(nl, sid, &err);
	result("logout: destroy session", rc == 0, "%s", err.msg);
	snprintf(path, sizeof(path), "/sys/block/%s", disk);
	result("logout: the block device is gone", access(path, F_OK) != 0, "%s still there",
	       path);
	result("logout: no session left", !iscsi_sysfs_session_exists(NULL, sid),
	       "session%u still there", sid);
	iscsi_nl_close(nl);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "nocrc"))
		return nocrc();
	if (argc == 4 && !strcmp(argv[1], "full"))
		return full(argv[2], atoi(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "login"))
		return login(argv[2], atoi(argv[3]), argv[4], strtoull(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "logout"))
		return logout((uint32_t)strtoul(argv[2], NULL, 10), argv[3]);
	fprintf(stderr, "usage: nl_smoke nocrc | full ADDR PORT | login ADDR PORT TARGET LUN |"
		" logout SID DISK\n");
	return 100;
}
