#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of a test initramfs built by tests/rig.sh: the part every VM test
# shares. It mounts the kernel filesystems, loads the modules listed in
# /rig/modules (in dependency order, as the rig resolved them), brings up lo,
# runs the test's own part (/rig/test.sh) in a subshell, and powers off.
#
# The test's part may use:
#   rig_mark KEY=VALUE...     a marker line the host reads (values without spaces)
#   rig_ok NAME / rig_not_ok NAME WHY / rig_check NAME COMMAND...
#                             results the host relays as its own ok / not ok lines
#   rig_wait_path PATH [SECS] wait for a file or device node to appear
#   rig_net_up [ADDR/PREFIX [GATEWAY]]
#                             the first NIC up with a static address
#                             (QEMU user-mode defaults: 10.0.2.15/24 via 10.0.2.2)
#   rig_uptime                seconds since the kernel started, e.g. 4.83
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

rig_mark() { echo "SANROOT-TEST $*" >/dev/console; }
rig_ok() { echo "SANROOT-RESULT ok $1" >/dev/console; }
rig_not_ok() { echo "SANROOT-RESULT not ok $1: $2" >/dev/console; }
rig_check() {
	_n=$1; shift
	if "$@"; then rig_ok "$_n"; else rig_not_ok "$_n" "$* failed"; fi
}
rig_uptime() { read -r _up _idle </proc/uptime; echo "$_up"; }

rig_wait_path() {
	_i=0
	while [ ! -e "$1" ]; do
		[ "$_i" -ge $(( ${2:-10} * 50 )) ] && return 1
		usleep 20000
		_i=$((_i + 1))
	done
}

# The first interface that is not lo (never a hard-coded eth0).
rig_nic() {
	for _d in /sys/class/net/*; do
		[ -e "$_d/device" ] && { basename "$_d"; return 0; }
	done
	return 1
}

rig_net_up() {
	_if=$(rig_nic) || return 1
	ip link set "$_if" up &&
	ip addr add "${1:-10.0.2.15/24}" dev "$_if" &&
	ip route add default via "${2:-10.0.2.2}" dev "$_if"
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /run /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
rig_mark "init=$(rig_uptime)"

if [ -s /rig/modules ]; then
	_failed=
	while read -r _m; do
		insmod "$_m" 2>/dev/console || _failed="$_failed ${_m##*/}"
	done </rig/modules
	if [ -n "$_failed" ]; then
		# shellcheck disable=SC2086 # word splitting trims the list
		rig_mark "modules=failed:$(echo $_failed | tr ' ' ,)"
	else
		rig_mark "modules=ok loaded=$(rig_uptime)"
	fi
fi
ip link set lo up

( . /rig/test.sh )
rig_mark "end=$? uptime=$(rig_uptime)"
sync
poweroff -f
echo o >/proc/sysrq-trigger
