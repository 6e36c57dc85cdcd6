// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a failed step and the reason the failing tool gave (core/reason.h)
 * to what an operator should look at: the reason's own advice, then the
 * step's generic advice. Messages are for people; only the codes are matched.
 */
#include <string.h>

#include "plan/diagnose.h"

static const char *const names[STEP_MAX] = { "config", "net", "iscsi", "lvm", "root", "switch" };

const char *boot_step_name(enum boot_step s)
{
	return (unsigned)s < STEP_MAX ? names[s] : "?";
}

int boot_step_parse(const char *s)
{
	for (int i = 0; i < STEP_MAX; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* What an operator should look at, by the reason the failing tool gave (core/reason.h). */
static const char *const causes_by_reason[SR_R_MAX] = {
	[SR_R_PLAN_UNKNOWN_PARAM] =
	"a sanroot.* parameter is misspelled; see sanroot-config(8) for the known ones",
	[SR_R_CONF_INSECURE] =
	"/etc/sanroot.conf must be a regular file owned by root with mode 0600 (it holds secrets)",
	[SR_R_NO_TARGET] =
	"nothing names an iSCSI target: give netroot=iscsi:..., iscsi_target_name= and iscsi_target_ip=, root=dhcp with a DHCP root path, or the firmware's iBFT (rd.iscsi.firmware)",
	[SR_R_DHCP_NO_ROOT_PATH] =
	"the DHCP server sent no root path (option 17): set one there (iscsi:SERVER::::TARGET), or name the target with netroot= or iscsi_target_*",

	[SR_R_DHCP_NO_OFFER] =
	"no DHCP offer: is the cable in and the VLAN right? is a DHCP server (or relay) on that segment?",
	[SR_R_DHCP_NO_ACK] =
	"a DHCP server offered an address but never confirmed it: look at the server's log (a second server, or an exhausted pool?)",
	[SR_R_DHCP_SILENT] =
	"the DHCP server stopped answering during the exchange: look at the server's log",
	[SR_R_NO_CARRIER] =
	"no link: is the cable in and the switch port up? is the right NIC chosen (BOOTIF=, ip=...:<dev>:...)?",
	[SR_R_NO_LINK] =
	"no interface got a link: is the cable in? is the NIC's driver in the image?",
	[SR_R_NO_IFACE] =
	"the interface the plan names is not there: is its driver in the image? check ip=, ifname= and vlan=",
	[SR_R_NO_IFACE_MAC] =
	"no interface has the MAC the plan names (BOOTIF= or the iBFT): is its driver in the image?",
	[SR_R_IPV6] =
	"IPv6 could not be used on the interface: is IPv6 on in the kernel (CONFIG_IPV6, no ipv6.disable=1 on the command line)?",
	[SR_R_NO_RA] =
	"no router advertisement (ip=auto6, or stateless DHCPv6): is a router (radvd, dnsmasq enable-ra) on that segment, advertising a prefix with the A flag?",
	[SR_R_DAD_FAILED] =
	"IPv6 duplicate address detection failed: another host on the link uses that address (a clone? a static address in the DHCPv6 pool?)",
	[SR_R_DHCP6_NO_REPLY] =
	"no DHCPv6 reply: is a DHCPv6 server (or relay) on that segment, listening on port 547? does the RA's M flag match the server?",
	[SR_R_NO_VLAN] =
	"the VLAN interface could not be set up: is the 8021q module in the image? is the VLAN id right?",

	[SR_R_CHAP_REJECTED] =
	"CHAP rejected: check iscsi_username/iscsi_password (or /etc/sanroot.conf, or the iBFT) against the target's account",
	[SR_R_CHAP_REQUIRED] =
	"the target wants CHAP and no credentials are set: put iscsi_username/iscsi_password in /etc/sanroot.conf",
	[SR_R_MUTUAL_FAILED] =
	"the target failed mutual CHAP: check iscsi_in_username/iscsi_in_password against the target's outgoing account",
	[SR_R_MUTUAL_NO_ANSWER] =
	"the target did not answer our challenge: does it have an outgoing (mutual CHAP) account? check iscsi_in_username",
	[SR_R_MUTUAL_WRONG_NAME] =
	"the target answered our challenge with the wrong name: check iscsi_in_username",
	[SR_R_MD5_REFUSED] =
	"the target insists on CHAP with MD5 and sanroot.md5=0 refuses it: allow MD5 or give the target a stronger algorithm",
	[SR_R_TARGET_UNKNOWN] =
	"the target does not know that name: check iscsi_target_name or the root path (sanroot-iscsi discover PORTAL lists the names)",
	[SR_R_TARGET_REMOVED] =
	"the target was removed from this portal: check the storage side",
	[SR_R_TARGET_ACL] =
	"the target's ACL refuses this initiator: check iscsi_initiator against the initiators the target allows",
	[SR_R_TARGET_BUSY] =
	"the target is out of resources: look at the storage side",
	[SR_R_TARGET_SILENT] =
	"the target stopped answering during the login: is it overloaded or restarting?",
	[SR_R_PORTAL_REFUSED] =
	"TCP to the portal was refused: is the target running and listening on that address and port?",
	[SR_R_PORTAL_TIMEOUT] =
	"no answer from the portal: routing, firewall or VLAN between here and the target? is the address right?",
	[SR_R_PORTAL_UNREACHABLE] =
	"no route to the portal: is the network up with the right address, gateway and VLAN?",
	[SR_R_PORTAL_UNRESOLVED] =
	"a portal name could not be resolved: is a DNS server set (DHCP or ip=)? an IP address avoids DNS",
	[SR_R_KERNEL_CONN_NOMEM] =
	"the kernel could not create the connection: is crc32c (crc32c_generic) in the image and loaded?",
	[SR_R_KERNEL_NO_INITIATOR] =
	"the kernel's iSCSI initiator is missing: is iscsi_tcp (with libiscsi, scsi_transport_iscsi) in the image?",
	[SR_R_NO_DISK] =
	"logged in but no disk appeared: is sd_mod in the image? does the target export a disk LUN (tgt's is LUN 1)?",

	[SR_R_VG_NOT_FOUND] =
	"no VG of that name on the iSCSI disks: check root=/dev/mapper/VG-LV, rd.lvm.vg= and rd.lvm.lv= (sanroot-lvm scan)",
	[SR_R_LV_NOT_FOUND] =
	"the VG has no LV of that name: check root=/dev/mapper/VG-LV and rd.lvm.lv= (sanroot-lvm scan)",
	[SR_R_PV_MISSING] =
	"a PV of the VG is missing: is another LUN needed (one netroot= for each)? sanroot-lvm --partial activates read-only",
	[SR_R_LV_UNSUPPORTED] =
	"the LV uses a layout sanroot does not handle (thin, raid, cache, shared VG, ...): boot it with lvm2 in the image",
	[SR_R_PV_DUPLICATE] =
	"a cloned LUN: a PV or VG is seen twice; detach the clone or rename it (vgimportclone)",
	[SR_R_VG_NAME_CLASH] =
	"two VGs share a name: rename one (vgrename by UUID) or detach the other LUN",

	[SR_R_ROOT_NOT_FOUND] =
	"root= never appeared: for an LV check the VG and LV names (rd.lvm.*); for UUID= or LABEL= compare with blkid on the LUN",
	[SR_R_ROOT_UNNAMED] =
	"root= names no device: give root=/dev/mapper/VG-LV, root=UUID=... or root=LABEL=...",
	[SR_R_NO_FILESYSTEM] =
	"the root device holds no filesystem libblkid knows: wrong LV, or a partition table (give the partition)?",
	[SR_R_FS_AMBIGUOUS] =
	"the root device carries two signatures: give rootfstype=",
	[SR_R_FS_UNKNOWN] =
	"the kernel does not know the root filesystem's type: is its module (ext4, xfs, ...) in the image?",
	[SR_R_NO_INIT] =
	"the root has no init: check init= and that root= names the right filesystem",
	[SR_R_INIT_NOT_EXEC] =
	"init= does not name an executable in the root: check the path, and that the root is the right filesystem",
};

static const char *const generic[STEP_MAX] = {
	"fix the parameter named above; sanroot-config --explain shows the whole plan",
	"check the network: sanroot-net -v shows every DHCP packet; sanroot-boot --status the links",
	"check the target: sanroot-iscsi probe TARGET@PORTAL logs in from the rescue shell and says more",
	"check the LUN's contents: sanroot-lvm scan shows the VGs and LVs on the iSCSI disks",
	"check root=: sanroot-pivot -n checks it without changing anything",
	"the switch to the root failed: the initramfs may be half gone; reboot",
};

unsigned diagnose(enum boot_step step, enum sr_reason why, const char *causes[DIAG_CAUSE_MAX])
{
	unsigned n = 0;

	if ((unsigned)step >= STEP_MAX)
		step = STEP_CONFIG;
	if ((unsigned)why < SR_R_MAX && causes_by_reason[why])
		causes[n++] = causes_by_reason[why];
	causes[n++] = generic[step];
	return n;
}
