/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a step failed, as a stable code: lib/ sets it next to the message, a
 * tool passes it to sanroot-boot (tool_fail, SANROOT_REASON_FD), and
 * sanroot-boot's diagnosis looks the code up. Messages may be reworded
 * freely; the codes and their names are an interface.
 */
#ifndef SANROOT_REASON_H
#define SANROOT_REASON_H

#define SR_REASONS(X) \
	X(NONE, "none") \
	/* the plan */ \
	X(PLAN_UNKNOWN_PARAM, "plan-unknown-param") \
	X(CONF_INSECURE, "conf-insecure") \
	X(NO_TARGET, "no-target") \
	X(DHCP_NO_ROOT_PATH, "dhcp-no-root-path") \
	/* the network */ \
	X(DHCP_NO_OFFER, "dhcp-no-offer") \
	X(DHCP_NO_ACK, "dhcp-no-ack") \
	X(DHCP_SILENT, "dhcp-silent") \
	X(NO_CARRIER, "no-carrier") \
	X(NO_LINK, "no-link") \
	X(NO_IFACE, "no-iface") \
	X(NO_IFACE_MAC, "no-iface-mac") \
	X(IPV6, "ipv6") \
	X(NO_RA, "no-ra") \
	X(DAD_FAILED, "dad-failed") \
	X(DHCP6_NO_REPLY, "dhcp6-no-reply") \
	X(NO_VLAN, "no-vlan") \
	/* the login and the kernel's initiator */ \
	X(CHAP_REJECTED, "chap-rejected") \
	X(CHAP_REQUIRED, "chap-required") \
	X(MUTUAL_FAILED, "mutual-chap-failed") \
	X(MUTUAL_NO_ANSWER, "mutual-chap-no-answer") \
	X(MUTUAL_WRONG_NAME, "mutual-chap-wrong-name") \
	X(MD5_REFUSED, "md5-refused") \
	X(TARGET_UNKNOWN, "target-unknown") \
	X(TARGET_REMOVED, "target-removed") \
	X(TARGET_ACL, "target-acl") \
	X(TARGET_BUSY, "target-busy") \
	X(TARGET_SILENT, "target-silent") \
	X(PORTAL_REFUSED, "portal-refused") \
	X(PORTAL_TIMEOUT, "portal-timeout") \
	X(PORTAL_UNREACHABLE, "portal-unreachable") \
	X(PORTAL_UNRESOLVED, "portal-unresolved") \
	X(KERNEL_CONN_NOMEM, "kernel-conn-nomem") \
	X(KERNEL_NO_INITIATOR, "kernel-no-initiator") \
	X(NO_DISK, "no-disk") \
	/* LVM */ \
	X(VG_NOT_FOUND, "vg-not-found") \
	X(LV_NOT_FOUND, "lv-not-found") \
	X(PV_MISSING, "pv-missing") \
	X(LV_UNSUPPORTED, "lv-unsupported") \
	X(PV_DUPLICATE, "pv-duplicate") \
	X(VG_NAME_CLASH, "vg-name-clash") \
	/* the root and the switch to it */ \
	X(ROOT_NOT_FOUND, "root-not-found") \
	X(ROOT_UNNAMED, "root-unnamed") \
	X(NO_FILESYSTEM, "no-filesystem") \
	X(FS_AMBIGUOUS, "fs-ambiguous") \
	X(FS_UNKNOWN, "fs-unknown") \
	X(NO_INIT, "no-init") \
	X(INIT_NOT_EXEC, "init-not-exec")

#define SR_REASON_ENUM(id, name) SR_R_##id,
enum sr_reason { SR_REASONS(SR_REASON_ENUM) SR_R_MAX };
#undef SR_REASON_ENUM

/* "chap-rejected" for SR_R_CHAP_REJECTED; "none" for anything out of range. */
const char *sr_reason_name(enum sr_reason r);
/* The reason named s, or SR_R_NONE when s names none. */
enum sr_reason sr_reason_parse(const char *s);

#endif
