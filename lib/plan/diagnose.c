// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a failed step and the failing tool's one-line message to what an
 * operator should look at. The patterns are the tools' own words (tests pin
 * them); the first rules that match win, then the step's generic advice.
 */
#include <string.h>
#include <stdbool.h>
#include <strings.h>

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

struct rule {
	enum boot_step step;
	const char *pattern;	/* a case-insensitive substring of the message */
	const char *cause;
};

static const struct rule rules[] = {
	{ STEP_CONFIG, "unknown parameter 'sanroot.",
	  "a sanroot.* parameter is misspelled; see sanroot-config(8) for the known ones" },
	{ STEP_CONFIG, "sanroot.conf",
	  "/etc/sanroot.conf must be a regular file owned by root with mode 0600 (it holds secrets)" },
	{ STEP_CONFIG, "no iscsi target",
	  "nothing names an iSCSI target: give netroot=iscsi:..., iscsi_target_name= and iscsi_target_ip=, root=dhcp with a DHCP root path, or the firmware's iBFT (rd.iscsi.firmware)" },

	{ STEP_NET, "no dhcp server answered",
	  "no DHCP offer: is the cable in and the VLAN right? is a DHCP server (or relay) on that segment?" },
	{ STEP_NET, "did not acknowledge",
	  "a DHCP server offered an address but never confirmed it: look at the server's log (a second server, or an exhausted pool?)" },
	{ STEP_NET, "no answer to a request",
	  "the DHCP server stopped answering during the exchange: look at the server's log" },
	{ STEP_NET, "no carrier",
	  "no link: is the cable in and the switch port up? is the right NIC chosen (BOOTIF=, ip=...:<dev>:...)?" },
	{ STEP_NET, "with carrier within",
	  "no interface got a link: is the cable in? is the NIC's driver in the image?" },
	{ STEP_NET, "unable to find interface",
	  "the interface the plan names is not there: is its driver in the image? check ip=, ifname= and vlan=" },
	{ STEP_NET, "unable to find the interface with mac",
	  "no interface has the MAC the plan names (BOOTIF= or the iBFT): is its driver in the image?" },
	{ STEP_NET, "dhcpv6",
	  "sanroot configures IPv4 only (DHCPv4 or static): use ip=dhcp or a static ip=" },
	{ STEP_NET, "vlan",
	  "the VLAN interface could not be set up: is the 8021q module in the image? is the VLAN id right?" },

	{ STEP_ISCSI, "rejected our chap response",
	  "CHAP rejected: check iscsi_username/iscsi_password (or /etc/sanroot.conf, or the iBFT) against the target's account" },
	{ STEP_ISCSI, "no chap credentials are set",
	  "the target wants CHAP and no credentials are set: put iscsi_username/iscsi_password in /etc/sanroot.conf" },
	{ STEP_ISCSI, "mutual chap",
	  "the target failed mutual CHAP: check iscsi_in_username/iscsi_in_password against the target's outgoing account" },
	{ STEP_ISCSI, "answer our challenge",
	  "the target did not answer our challenge: does it have an outgoing (mutual CHAP) account? check iscsi_in_username" },
	{ STEP_ISCSI, "answered our challenge",
	  "the target answered our challenge with the wrong name: check iscsi_in_username" },
	{ STEP_ISCSI, "not found on this portal",
	  "the target does not know that name: check iscsi_target_name or the root path (sanroot-iscsi discover PORTAL lists the names)" },
	{ STEP_ISCSI, "has been removed",
	  "the target was removed from this portal: check the storage side" },
	{ STEP_ISCSI, "does not allow initiator",
	  "the target's ACL refuses this initiator: check iscsi_initiator against the initiators the target allows" },
	{ STEP_ISCSI, "refused",
	  "TCP to the portal was refused: is the target running and listening on that address and port?" },
	{ STEP_ISCSI, "timed out",
	  "no answer from the portal: routing, firewall or VLAN between here and the target? is the address right?" },
	{ STEP_ISCSI, "did not answer in time",
	  "the target stopped answering during the login: is it overloaded or restarting?" },
	{ STEP_ISCSI, "unreachable",
	  "no route to the portal: is the network up with the right address, gateway and VLAN?" },
	{ STEP_ISCSI, "cannot resolve",
	  "a portal name could not be resolved: is a DNS server set (DHCP or ip=)? an IP address avoids DNS" },
	{ STEP_ISCSI, "cannot allocate memory",
	  "the kernel could not create the connection: is crc32c (crc32c_generic) in the image and loaded?" },
	{ STEP_ISCSI, "iscsi_transport",
	  "the kernel's iSCSI initiator is missing: is iscsi_tcp (with libiscsi, scsi_transport_iscsi) in the image?" },
	{ STEP_ISCSI, "no disk",
	  "logged in but no disk appeared: is sd_mod in the image? does the target export a disk LUN (tgt's is LUN 1)?" },
	{ STEP_ISCSI, "out of resources",
	  "the target is out of resources: look at the storage side" },
	{ STEP_ISCSI, "md5",
	  "the target insists on CHAP with MD5 and sanroot.md5=0 refuses it: allow MD5 or give the target a stronger algorithm" },

	{ STEP_LVM, "no pv",
	  "the LUN has no LVM PV: root= names an LV that does not exist (sanroot-lvm scan /dev/sdX shows what is there)" },
	{ STEP_LVM, "no vg",
	  "no VG of that name on the iSCSI disks: check root=/dev/mapper/VG-LV, rd.lvm.vg= and rd.lvm.lv= (sanroot-lvm scan)" },
	{ STEP_LVM, "not found",
	  "the VG or LV named is not there: check root=/dev/mapper/VG-LV, rd.lvm.vg= and rd.lvm.lv= (sanroot-lvm scan)" },
	{ STEP_LVM, "missing",
	  "a PV of the VG is missing: is another LUN needed (one netroot= for each)? sanroot-lvm --partial activates read-only" },
	{ STEP_LVM, "lvm2",
	  "the LV uses a layout sanroot does not handle (thin, raid, cache, ...): boot it with lvm2 in the image" },
	{ STEP_LVM, "twice",
	  "a cloned LUN: a PV or VG is seen twice; detach the clone or rename it (vgimportclone)" },
	{ STEP_LVM, "two vgs",
	  "two VGs share a name: rename one (vgrename by UUID) or detach the other LUN" },

	{ STEP_ROOT, "unable to find the root device",
	  "root= never appeared: for an LV check the VG and LV names (rd.lvm.*); for UUID= or LABEL= compare with blkid on the LUN" },
	{ STEP_ROOT, "no filesystem recognised",
	  "the root device holds no filesystem libblkid knows: wrong LV, or a partition table (give the partition)?" },
	{ STEP_ROOT, "no such device",
	  "the kernel does not know the root filesystem's type: is its module (ext4, xfs, ...) in the image?" },
	{ STEP_ROOT, "names no device",
	  "root= names no device: give root=/dev/mapper/VG-LV, root=UUID=... or root=LABEL=..." },
	{ STEP_ROOT, "more than one filesystem signature",
	  "the root device carries two signatures: give rootfstype=" },

	{ STEP_SWITCH, "no init",
	  "the root has no init: check init= and that root= names the right filesystem" },
	{ STEP_SWITCH, "not an executable file",
	  "init= does not name an executable in the root: check the path, and that the root is the right filesystem" },
};

static const char *const generic[STEP_MAX] = {
	"fix the parameter named above; sanroot-config --explain shows the whole plan",
	"check the network: sanroot-net -v shows every DHCP packet; sanroot-boot --status the links",
	"check the target: sanroot-iscsi probe TARGET@PORTAL logs in from the rescue shell and says more",
	"check the LUN's contents: sanroot-lvm scan shows the VGs and LVs on the iSCSI disks",
	"check root=: sanroot-pivot -n checks it without changing anything",
	"the switch to the root failed: the initramfs may be half gone; reboot",
};

unsigned diagnose(enum boot_step step, const char *message, const char *causes[DIAG_CAUSE_MAX])
{
	unsigned n = 0;

	if ((unsigned)step >= STEP_MAX)
		step = STEP_CONFIG;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]) && n < DIAG_CAUSE_MAX - 1; i++) {
		const char *m = message;
		size_t pl = strlen(rules[i].pattern);
		bool hit = false;

		if (rules[i].step != step || !m)
			continue;
		for (; *m && !hit; m++)
			hit = strncasecmp(m, rules[i].pattern, pl) == 0;
		if (hit)
			causes[n++] = rules[i].cause;
	}
	causes[n++] = generic[step];
	return n;
}
