#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A private lvm.conf for lvm2 run by a test or a script: it sees only the
# devices named, reads nothing of the host's (no udev, no devices file, no
# hints, no lvmpolld, no dbus) and writes nothing back (no metadata backups
# or archives, locks in a folder of the caller's). POSIX sh: the VM tests run
# it in the guest's busybox too.
#
#   scripts/lvmconf.sh DIR REGEX...
#     DIR     the caller's private folder: locks in DIR/lock (the caller
#             creates it), DIR/backup and DIR/archive named though unused
#     REGEX   a device path lvm2 may use, as lvm's filter takes it (the
#             caller anchors it: "^/dev/loop3$", "^/dev/vdb[0-9]*$", "^/dev/loop")
#
# Prints the configuration: write it to $LVM_SYSTEM_DIR/lvm.conf, or pass
# it with lvm --config "$(scripts/lvmconf.sh ...)".
set -u
[ $# -ge 2 ] || { echo "usage: lvmconf.sh DIR REGEX..." >&2; exit 100; }
dir=$1; shift
accept=""
for re; do
	case $re in
	*'"'*|*'|'*) echo "lvmconf.sh: no \" or | in a device pattern" >&2; exit 100 ;;
	esac
	accept="$accept\"a|$re|\", "
done
cat <<CONF
devices {
	filter = [ $accept"r|.*|" ]
	global_filter = [ $accept"r|.*|" ]
	use_devicesfile = 0
	obtain_device_list_from_udev = 0
	external_device_info_source = "none"
	hints = "none"
	md_component_detection = 0
	multipath_component_detection = 0
	fw_raid_component_detection = 0
}
activation {
	udev_sync = 0
	udev_rules = 0
	verify_udev_operations = 0
	monitoring = 0
}
global {
	use_lvmpolld = 0
	locking_dir = "$dir/lock"
	event_activation = 0
	notify_dbus = 0
}
backup {
	backup = 0
	archive = 0
	backup_dir = "$dir/backup"
	archive_dir = "$dir/archive"
}
CONF
