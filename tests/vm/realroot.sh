#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The real root's life after sanroot's initramfs: Debian 12 with systemd,
# udev, open-iscsi, lvm2 and ifupdown (scripts/mkrealroot.sh, cached in
# build/realroot/) on the reference layout, with nothing of sanroot's in the
# root: what the real root needs, the initramfs leaves in /run. Each row is
# one boot, on a private LAN (rig_lan: dnsmasq with a 120 s lease, dnsmasq's
# shortest, and tgtd with CHAP on 10.0.2.2), that plays five scenarios in
# turn (tests/vm/realroot/sanroot-report plays the guest's side):
#   1. multi-user with no failed unit, one session with sanroot's
#      replacement timeout, and one initiator recovering it (iscsid, or the
#      keeper until iscsid starts);
#   2. the lease: renewed all along (by the root's dhclient, networkd or
#      sanroot's lease keeper), the address never deleted but by a
#      deconfiguration asked by hand (ifdown, networkctl reconfigure), and
#      then put back by sanroot's lease keeper;
#   3. reloads of the network configuration, each followed by a write and an
#      fsync that reach the disk;
#   4. tgtd killed for 15 s two seconds after the initramfs logged in (the
#      root is mounted and iscsid starts meanwhile), and for 130 s once
#      iscsid has the session (longer than iscsid's default 120 s) while a
#      writer appends a line and fsyncs every second: no I/O error, the
#      session back, every line on the disk (its checksum read off the image);
#   5. the end the row asks for, within 60 s of asking, with no hung task,
#      and the root filesystem clean afterwards (e2fsck -n on the LV).
# Rows (name, image, the root's network configuration: ifupdown manual or
# dhcp, systemd-networkd, NetworkManager; the end), two boots at a time.
# REALROOT_ROWS replaces them (bench/realroot runs Debian's stock images).
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"

ROWS="itools_manual:itools_sanroot:manual:reboot
itools_dhcp:itools_sanroot:dhcp:poweroff
itools_networkd:itools_sanroot:networkd:reboot
dracut_dhcp:dracut_sanroot:dhcp:poweroff
itools_nm:itools_sanroot:nm:reboot"
[ -z "${REALROOT_ROWS:-}" ] || ROWS=$REALROOT_ROWS
OUTAGE_SHORT=${REALROOT_OUTAGE_SHORT:-15}	# 0: none in the initramfs (bench/realroot's stock-late)
OUTAGE_LONG=130
LEASE=120

rig_kernel || { not_ok "realroot: no kernel to boot"; exit 0; }
command -v debootstrap >/dev/null || { not_ok "realroot: debootstrap is missing"; exit 0; }
FIXTURE=$TOP/build/realroot/bookworm.tar
mkdir -p "$TOP/build/realroot"
if ! "$TOP/scripts/mkrealroot.sh" "$FIXTURE" --kver "$RIG_KVER" 2>"$T_TMP/mkrealroot.err"; then
	not_ok "realroot: the fixture: $(tail -n 1 "$T_TMP/mkrealroot.err")"
	exit 0
fi
# the images, once, before the boots run side by side (the portal is rig_lan's)
TGT_PORT=3260
for r in $ROWS; do
	img=$(echo "$r" | cut -d: -f2)
	image_build "$img" >/dev/null || { not_ok "realroot: the image $img"; exit 0; }
done

# console_has TEXT: the boot's console holds TEXT
console_has() { _rig_log | grep -qF -- "$1"; }

# logged_in SECS: until tgtd has an iSCSI connection (1 if QEMU ended or SECS passed)
logged_in() {
	_li_limit=$(( $(date +%s) + $1 ))
	until ip netns exec "$RIG_LAN_NS" ss -Htn state established '( sport = :3260 )' | grep -q .; do
		kill -0 "$RIG_PID" 2>/dev/null || return 1
		[ "$(date +%s)" -lt "$_li_limit" ] || return 1
		sleep 0.2
	done
}

serve() {
	tgt_target 1 "$REFLUN_IQN" && tgt_lun 1 1 "$T_TMP/lun.img" &&
		tgt_chap 1 "$REFLUN_USER" "$REFLUN_PASS"
}

# outage SECS: tgtd killed (connections reset, no logout), started again
outage() {
	tgt_kill
	sleep "$1" &
	wait $!
	tgt_restart serve
}

# root_lv COMMAND...: COMMAND with, as its last argument, a read-only loop
# device over the root LV's extent of the LUN (after the boot)
root_lv() {
	_od=$(losetup -f --show -r -o "$REFLUN_ROOT_OFFSET" --sizelimit "$REFLUN_ROOT_BYTES" \
		"$T_TMP/lun.img") || return 1
	"$@" "$_od"
	_rc=$?
	losetup -d "$_od"
	return "$_rc"
}

# on_disk FILE: a file of the root filesystem, read off the LUN
on_disk() { root_lv debugfs -R "cat $1" 2>/dev/null; }

# fsck_root: e2fsck -n on the root LV
fsck_root() {
	root_lv e2fsck -fn >"$T_TMP/e2fsck.out" 2>&1
	_rc=$?
	[ "$_rc" = 0 ] || sed 's/^/    | /' "$T_TMP/e2fsck.out" | tail -n 5
	return "$_rc"
}

# root_tree NET: what the row's root gets on top of the fixture, in $T_TMP/add
root_tree() {
	add=$T_TMP/add
	mkdir -p "$add/usr/local/sbin" "$add/etc/systemd/system/multi-user.target.wants" \
		"$add/etc/network"
	install -m 0755 "$TOP/tests/vm/realroot/sanroot-report" "$add/usr/local/sbin/"
	install -m 0644 "$TOP/tests/vm/realroot/sanroot-report.service" "$add/etc/systemd/system/"
	ln -sf ../sanroot-report.service "$add/etc/systemd/system/multi-user.target.wants/"
	printf 'auto lo\niface lo inet loopback\n' >"$add/etc/network/interfaces"
	case $1 in
	manual) printf '\niface ens2 inet manual\n' >>"$add/etc/network/interfaces" ;;
	dhcp) printf '\nauto ens2\niface ens2 inet dhcp\n' >>"$add/etc/network/interfaces" ;;
	nm)
		# NetworkManager as Debian enables it; the interface is in no file of
		# its own, so it would manage it but for sanroot's unmanaged-devices
		mkdir -p "$add/etc/systemd/system/network-online.target.wants"
		u=/lib/systemd/system
		ln -sf "$u/NetworkManager.service" "$add/etc/systemd/system/multi-user.target.wants/"
		ln -sf "$u/NetworkManager-wait-online.service" \
			"$add/etc/systemd/system/network-online.target.wants/"
		ln -sf "$u/NetworkManager-dispatcher.service" \
			"$add/etc/systemd/system/dbus-org.freedesktop.nm-dispatcher.service" ;;
	networkd)
		mkdir -p "$add/etc/systemd/network" "$add/etc/systemd/system/sockets.target.wants" \
			"$add/etc/systemd/system/network-online.target.wants"
		printf '[Match]\nName=ens2\n\n[Network]\nDHCP=ipv4\n' \
			>"$add/etc/systemd/network/20-wired.network"
		u=/lib/systemd/system
		ln -sf "$u/systemd-networkd.service" "$add/etc/systemd/system/multi-user.target.wants/"
		ln -sf "$u/systemd-networkd.service" \
			"$add/etc/systemd/system/dbus-org.freedesktop.network1.service"
		ln -sf "$u/systemd-networkd.socket" "$add/etc/systemd/system/sockets.target.wants/"
		ln -sf "$u/systemd-networkd-wait-online.service" \
			"$add/etc/systemd/system/network-online.target.wants/" ;;
	esac
}

# row NAME IMAGE NET END: one boot and its assertions
row() {
	n=$1 rimg=$2 rnet=$3 rend=$4
	root_tree "$rnet"
	"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --tree "$FIXTURE" --add "$T_TMP/add" \
		--size 1536 --swap 0 >"$T_TMP/lun.env" 2>"$T_TMP/mkreflun.err" ||
		{ not_ok "$n: the LUN: $(tail -n 1 "$T_TMP/mkreflun.err")"; return; }
	. "$T_TMP/lun.env"
	if ! rig_lan lease=$LEASE tgt || ! serve; then
		not_ok "$n: the private LAN (dnsmasq, tgtd)"
		return
	fi
	image_row "$rimg"
	# shellcheck disable=SC2086,SC2116 # RIG_LAN_ARGS and ROW_APPEND's lines: one word each
	rig_start initrd="$IMAGE_CACHE/$rimg.img" mem=768 timeout=1500 $RIG_LAN_ARGS \
		append="$(echo $ROW_APPEND) sanroot_test.net=$rnet sanroot_test.end=$rend" ||
		{ not_ok "$n: QEMU"; tgt_stop; return; }

	# 4, first half: 15 s without the target, 2 s after the initramfs logged in
	if logged_in 600; then
		t_lease=$(date +%s)	# the lease came before: the span below is a floor
		if [ "$OUTAGE_SHORT" -gt 0 ]; then
			sleep 2
			outage "$OUTAGE_SHORT" || not_ok "$n: tgtd did not start again"
		fi
	else
		not_ok "$n: the initramfs did not log in"
	fi
	# a root that never comes (stock images: bench/realroot) ends the boot
	_limit=$(( $(date +%s) + 600 ))
	until console_has "$REFLUN_MARKER "; do
		if ! kill -0 "$RIG_PID" 2>/dev/null || [ "$(date +%s)" -ge "$_limit" ]; then
			kill -9 "$RIG_PID" 2>/dev/null
			break
		fi
		sleep 1
	done
	# and 130 s once iscsid has the session, with the writer at work
	if rig_wait_marker outage 300; then
		outage "$OUTAGE_LONG" || not_ok "$n: tgtd did not start again"
	else
		not_ok "$n: the root did not reach the outage"
	fi
	# 5. the end, within 60 s of asking (a boot that never asked did not end well)
	ended=0
	if rig_wait_marker end 400; then
		t_end=$(date +%s)
		wait_for 60 sh -c "! kill -0 $RIG_PID" || { ended=1; kill -9 "$RIG_PID" 2>/dev/null; }
	else
		t_end=$(date +%s) ended=1
		kill -9 "$RIG_PID" 2>/dev/null
	fi
	rig_wait
	expiry=$(awk '{ print $1; exit }' "$RIG_LAN_DIR/leases" 2>/dev/null)
	acks=$(grep -c 'DHCPACK' "$RIG_LAN_DIR/dnsmasq.log")
	tgt_stop

	echo "# $n: uptime at multi-user $(root_value uptime) s, owner=$(root_value owner)" \
		"iscsid.service=$(root_value iscsid_unit) dhclient=$(root_value dhclient) networkd=$(root_value networkd)" \
		"lease keeper=$(rig_value lease_keeper) DHCPACKs=$acks over $((t_end - ${t_lease:-$t_end})) s;" \
		"the long outage seen after $(rig_value outage_seen_after) s, the session down" \
		"$(rig_value outage_down) s, $(rig_value conn_errors) connection errors," \
		"$(rig_value hung_tasks) hung-task reports;" \
		"$(rig_value writer_lines) lines written; wall ${RIG_WALL} s"

	# 1. the state at multi-user
	expect_eq "$n 1: multi-user reached" "$(root_value state)" active
	expect_eq "$n 1: no failed unit" "$(root_value failed)" none
	expect_eq "$n 1: one iSCSI session" "$(root_value sessions)" 1
	expect_eq "$n 1: the root is the LV" "$(root_value root)" /dev/mapper/client-rootfs
	case $(root_value owner) in
	iscsid|keeper) ok "$n 1: one initiator recovers the session: $(root_value owner)" ;;
	*) not_ok "$n 1: the session's recovery: got '$(root_value owner)', want iscsid or keeper" ;;
	esac
	expect_eq "$n 1: sanroot's replacement timeout" "$(root_value recovery_tmo)" 86400
	case $rnet in
	dhcp) expect_eq "$n 1: the root's dhclient runs" "$(root_value dhclient)" yes ;;
	networkd) expect_eq "$n 1: systemd-networkd runs" "$(root_value networkd)" yes ;;
	nm) expect_eq "$n 1: NetworkManager runs, the boot interface unmanaged" \
		"$(root_value nm)/$(root_value nm_state)" yes/unmanaged ;;
	manual) expect_eq "$n 1: no DHCP client of the root's" \
		"$(root_value dhclient)/$(root_value networkd)" no/no ;;
	esac

	# 2. the lease
	span=$((t_end - ${t_lease:-$t_end}))
	if [ "$span" -ge 150 ]; then ok "$n 2: the boot lasted 150 s past the lease ($span s)"
	else not_ok "$n 2: only $span s past the lease"; fi
	expect_eq "$n 2: the address at the end" "$(rig_value addr_end)" "$RIG_LAN_GUEST/24"
	case $(rig_value lease_keeper) in
	''|none|stopped*) not_ok "$n 2: sanroot's lease keeper is gone: '$(rig_value lease_keeper)'" ;;
	*) ok "$n 2: sanroot's lease keeper runs ($(rig_value lease_keeper))" ;;
	esac
	# ifdown by hand (dhclient releases the lease) and networkctl reconfigure
	# delete it, and the keeper puts it back; nothing else may
	del=$(rig_value addr_deleted)
	for r in ifdown_ifup networkctl_reconfigure; do
		d=$(rig_value "reload_${r}_deleted")
		[ -z "$del" ] || del=$((del - ${d:-0}))
	done
	expect_eq "$n 2: the address was never deleted (but by ifdown or a reconfigure asked by hand)" \
		"${del:-unknown}" 0
	if [ -n "$expiry" ] && [ "$expiry" -gt "$t_end" ]; then
		ok "$n 2: dnsmasq's lease runs past the end (renewed in the last $LEASE s)"
	else
		not_ok "$n 2: dnsmasq's lease expired at ${expiry:-?}, the boot ended at $t_end"
	fi
	if [ "$acks" -ge 3 ]; then ok "$n 2: the lease was renewed ($acks DHCPACKs)"
	else not_ok "$n 2: $acks DHCPACKs: no renewal"; fi

	# 3. reloads
	case $rnet in
	networkd) reloads="networkd_restart networkctl_reconfigure" ;;
	nm) reloads="nm_restart nm_networking_off_on" ;;
	*) reloads="networking_restart ifdown_ifup" ;;
	esac
	for r in $reloads; do
		expect_eq "$n 3: $r: a write reaches the disk after" "$(rig_value "reload_$r")" ok
		expect_eq "$n 3: $r: the address stays" "$(rig_value "reload_${r}_addr")" "$RIG_LAN_GUEST/24"
	done

	# 4. the outages
	case $(rig_value outage_seen) in
	*LOGGED_IN*|'') not_ok "$n 4: the session never saw the long outage ($(rig_value outage_seen))" ;;
	*) ok "$n 4: the session failed in the long outage" ;;
	esac
	expect_eq "$n 4: iscsid had the session when the long outage began" \
		"$(rig_value outage_owner)" iscsid
	expect_eq "$n 4: the session came back" "$(rig_value outage_back)" LOGGED_IN
	expect_eq "$n 4: a write reaches the disk after the outage" "$(rig_value after_outage)" ok
	expect_eq "$n 4: no write or fsync failed" "$(rig_value writer_errors)" 0
	expect_eq "$n 4: the kernel logged no I/O error, recovery timeout or remount" \
		"$(rig_value kernel_errors)" 0
	expect_eq "$n 4: still one session, its timeout unchanged" \
		"$(rig_value sessions_end)/$(rig_value recovery_tmo_end)" 1/86400
	lines=$(rig_value writer_lines) before=$(rig_value outage_lines)
	if [ "${lines:-0}" -gt "${before:-0}" ]; then
		ok "$n 4: the writer went on after the outage ($before lines, then $lines)"
	else
		not_ok "$n 4: the writer wrote ${before:-no} lines before the outage, ${lines:-no} in all"
	fi

	expect_eq "$n 4: the writer's log on the disk is what the guest wrote" \
		"$(on_disk /var/lib/sanroot-test/log | md5sum | cut -d' ' -f1)" "$(rig_value writer_md5)"

	# 5. the end
	expect_eq "$n 5: the $rend, asked for, ended the boot within 60 s" "$ended" 0
	case $rend in
	poweroff) check "$n 5: powered off" console_has "reboot: Power down" ;;
	reboot) check "$n 5: restarted" console_has "reboot: Restarting system" ;;
	esac
	for bad in "I/O error" "recovery timed out" "Failed to execute shutdown binary" \
		"remounting filesystem read-only"; do
		if console_has "$bad"; then
			not_ok "$n 5: the console says '$bad'"
			_rig_log | grep -m 3 -F "$bad" | sed 's/^/    | /'
		else
			ok "$n 5: no '$bad'"
		fi
	done
	# A task waiting over the long outage may be reported (the outage is
	# longer than the kernel's 120 s); after the end marker, none.
	if _rig_log | sed -n '/SANROOT-TEST end=/,$p' | grep -qF "blocked for more than"; then
		not_ok "$n 5: a hung task at the $rend"
	else
		ok "$n 5: no hung task at the $rend"
	fi
	check "$n 5: the root filesystem is clean" fsck_root
}

# Two rows at a time, each in a subshell with its own directory, namespaces,
# processes and exit trap; the output in order. A signal reaches the rows as
# TERM, so that their traps stop what they started.
i=0 pids='' outs=''
trap 'for p in $pids; do kill -TERM "$p" 2>/dev/null; wait "$p"; done; t_cleanup' EXIT
trap 'exit 143' INT TERM
for r in $ROWS; do
	i=$((i + 1))
	out=$T_TMP/row$i.out
	(
		# shellcheck disable=SC2034 # the row's own copies, for t_cleanup
		T_TMP=$T_TMP/row$i T_PIDS='' T_NETNS='' T_NS_PREFIX=${T_NS_PREFIX:-sr}r$i
		RIG_BOOTS=$((i - 1))	# the console kept as vm-realroot[-i].serial
		mkdir -p "$T_TMP"
		trap t_cleanup EXIT
		trap 't_cleanup; exit 143' INT TERM
		IFS=: read -r name img net end <<EOF
$r
EOF
		row "$name" "$img" "$net" "$end"
	) >"$out" 2>&1 &
	pids="$pids $!" outs="$outs $out"
	if [ $((i % 2)) = 0 ]; then
		for p in $pids; do wait "$p"; done
		# shellcheck disable=SC2086 # a list of files
		cat $outs
		pids='' outs=''
	fi
done
for p in $pids; do wait "$p"; done
# shellcheck disable=SC2086 # a list of files
[ -z "$outs" ] || cat $outs
