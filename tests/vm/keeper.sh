# SPDX-License-Identifier: GPL-2.0-only
# The keeper, in one boot with two targets of one tgtd: the guest logs in to
# one with --keep and to the other with --no-keep (and a 10 s replacement
# timeout), then writes the same 64 MiB of random data to both disks with
# O_DIRECT. While it writes, the host kills tgtd, waits 5 s and starts it
# again. The kept disk's write completes with no I/O error and its backing
# file holds the data; the unkept one's fails, which shows that the test can
# fail. Then, as after the switch to the real root (/run and /sys moved, the
# initramfs' files deleted), a second outage during a second write; last, a
# process named iscsid appears and the keeper steps aside.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "keeper: no kernel to boot"; exit 0; }

iqnk=iqn.2024-01.org.sanroot:keeper.kept
iqnu=iqn.2024-01.org.sanroot:keeper.unkept
init=iqn.2024-01.org.sanroot:guest
user=guest-user pass=guest-secret-12
head -c 72M /dev/zero >"$T_TMP/kept.img"
head -c 72M /dev/zero >"$T_TMP/unkept.img"

setup() {
	tgt_target 1 "$iqnk" && tgt_lun 1 1 "$T_TMP/kept.img" && tgt_chap 1 "$user" "$pass" &&
	tgt_target 2 "$iqnu" && tgt_lun 2 1 "$T_TMP/unkept.img" && tgt_chap 2 "$user" "$pass"
}
{ tgt_start 127.0.0.1 && setup; } || { not_ok "keeper: tgtd did not start"; exit 0; }
port=$TGT_PORT

cat >"$T_TMP/test.sh" <<EOF
rig_net_up || rig_mark net=failed
umask 077
for t in kept unkept; do
	echo "netroot=iscsi:10.0.2.2::$port:1:iqn.2024-01.org.sanroot:keeper.\$t" \
		"rd.iscsi.initiator=$init rd.iscsi.username=$user rd.iscsi.password=$pass" \
		>/etc/\$t.conf
done
dev_of() { sed -n 's/.* dev=\(\/dev\/[a-z]*\).*/\1/p' | head -n 1; }
sid_of() { sed -n 's/^sid=\([0-9]*\) .*/\1/p' | head -n 1; }
outk=\$(sanroot-iscsi --cmdline "" --conf /etc/kept.conf --keep login)
rig_check "kept: login --keep exits 0" [ \$? = 0 ]
outu=\$(sanroot-iscsi --cmdline "" --conf /etc/unkept.conf --no-keep \
	-P node.session.timeo.replacement_timeout=10 login)
rig_check "unkept: login --no-keep exits 0" [ \$? = 0 ]
devk=\$(echo "\$outk" | dev_of) devu=\$(echo "\$outu" | dev_of) sidk=\$(echo "\$outk" | sid_of)
KEEPER=0
[ -f /run/sanroot/iscsi/session\$sidk ] && . /run/sanroot/iscsi/session\$sidk
keeper=\$KEEPER
rig_check "kept: a keeper runs" sh -c "[ \$keeper -gt 1 ] && kill -0 \$keeper"
rig_mark "keeper-comm=\$(cat /proc/\$keeper/comm) keeper-arg0=\$(head -c 1 /proc/\$keeper/cmdline)"

dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null
rig_mark "data-md5=\$(md5sum </tmp/data | cut -d' ' -f1)"
(dd if=/tmp/data of=\$devk bs=64k oflag=direct conv=fsync 2>/tmp/ddk; echo \$? >/tmp/rck) &
(dd if=/tmp/data of=\$devu bs=64k oflag=direct conv=fsync 2>/tmp/ddu; echo \$? >/tmp/rcu) &
rig_mark "writing=1 writing-uptime=\$(rig_uptime)"
wait
rig_mark "written-uptime=\$(rig_uptime)"
cat /tmp/ddk /tmp/ddu
rig_mark "kept-rc=\$(cat /tmp/rck) unkept-rc=\$(cat /tmp/rcu)"
rig_mark "kept-md5=\$(dd if=\$devk bs=1M count=64 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
rig_mark "tail-md5=\$(dd if=/tmp/data bs=1M skip=32 2>/dev/null | md5sum | cut -d' ' -f1)"
rig_mark "kept-io-errors=\$(dmesg | grep -c "I/O error, dev \${devk#/dev/},")"
rig_mark "unkept-io-errors=\$(dmesg | grep -c "I/O error, dev \${devu#/dev/},")"
. /run/sanroot/iscsi/session\$sidk
rig_mark "recoveries=\$RECOVERIES outage-ms=\$LAST_OUTAGE_MS relogin-ms=\$LAST_RELOGIN_MS"
rig_mark "last-error=\$(echo "\$LAST_ERROR" | tr ' ' _)"
dmesg | grep "sanroot-iscsi: keeper"
rig_check "kept: state file holds no secret" sh -c "! grep -rq -e '$pass' /run/sanroot"

# As after the switch to the real root: /run and /sys live elsewhere, and the
# initramfs' files the keeper came from are gone. A second outage.
mkdir -p /newroot && mount -t tmpfs tmpfs /newroot && mkdir -p /newroot/run /newroot/sys
mount --move /run /newroot/run && mount --move /sys /newroot/sys
cp /usr/sbin/sanroot /newroot/sanroot
rm -rf /etc /usr/sbin/sanroot* /lib/modules
rig_check "pivot: the keeper's files are gone" [ ! -e /usr/sbin/sanroot-iscsi -a ! -e /run/sanroot ]
dd if=/dev/urandom of=/tmp/data bs=1M count=32 2>/dev/null
rig_mark "data2-md5=\$(md5sum </tmp/data | cut -d' ' -f1)"
(dd if=/tmp/data of=\$devk bs=64k oflag=direct conv=fsync 2>/tmp/ddk; echo \$? >/tmp/rck) &
rig_mark "writing2=1"
wait
rig_mark "kept2-rc=\$(cat /tmp/rck)"
rig_mark "kept2-md5=\$(dd if=\$devk bs=1M count=32 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1)"
st=/newroot/run/sanroot/iscsi/session\$sidk
[ -f \$st ] && . \$st
rig_mark "recoveries2=\$RECOVERIES outage2-ms=\$LAST_OUTAGE_MS relogin2-ms=\$LAST_RELOGIN_MS"
rig_mark "kept2-io-errors=\$(dmesg | grep -c "I/O error, dev \${devk#/dev/},")"

# iscsid appears: the keeper steps aside.
printf '#!/bin/sh\nsleep 60\n' >/tmp/iscsid
chmod 755 /tmp/iscsid
/tmp/iscsid &
fake=\$!
i=0
while kill -0 \$keeper 2>/dev/null && [ \$i -lt 100 ]; do usleep 100000; i=\$((i + 1)); done
rig_check "handover: the keeper exits when iscsid runs" sh -c "! kill -0 \$keeper 2>/dev/null"
[ -f \$st ] && . \$st
rig_check "handover: the state says so" [ "\$STATE" = handed-over ]
kill \$fake
EOF

rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" ||
	{ not_ok "keeper: building the initramfs failed"; exit 0; }
rig_start initrd="$T_TMP/initrd.img" timeout=300
if rig_wait_marker writing 200; then
	tgt_kill
	sleep 5
	tgt_restart setup || not_ok "keeper: tgtd did not come back"
else
	not_ok "keeper: the guest never started writing"
fi
if rig_wait_marker writing2 200; then
	tgt_kill
	sleep 2
	tgt_restart setup || not_ok "keeper: tgtd did not come back the second time"
else
	not_ok "keeper: the guest never wrote after the pivot"
fi
rig_wait || not_ok "keeper: the guest did not power off within 300 s"
echo "# boot: wall ${RIG_WALL} s; writes from $(rig_value writing-uptime) s to" \
	"$(rig_value written-uptime) s guest uptime"
echo "# keeper: $(rig_value recoveries) recovery, $(rig_value outage-ms) ms from the" \
	"connection error to I/O flowing (5 s of it the target was down), the last attempt" \
	"$(rig_value relogin-ms) ms; error: $(rig_value last-error)"
rig_results keeper
want=$(rig_value data-md5)
expect_eq "keeper: the keeper's comm" "$(rig_value keeper-comm)" "@sanroot-keep"
expect_eq "keeper: its argv[0] starts with @" "$(rig_value keeper-arg0)" "@"
expect_eq "keeper: kept: the write completed" "$(rig_value kept-rc)" 0
expect_eq "keeper: kept: no I/O error reached the disk" "$(rig_value kept-io-errors)" 0
expect_eq "keeper: kept: one recovery" "$(rig_value recoveries)" 1
expect_eq "keeper: kept: the disk reads back the data" "$(rig_value kept-md5)" "$want"
expect_eq "keeper: kept: the backing file holds the data beyond the second write" \
	"$(tail -c +33554433 "$T_TMP/kept.img" | head -c 32M | md5sum | cut -d' ' -f1)" \
	"$(rig_value tail-md5)"
echo "# after the pivot: $(rig_value outage2-ms) ms from the connection error to I/O" \
	"flowing (2 s of it the target was down), the last attempt $(rig_value relogin2-ms) ms"
expect_eq "keeper: pivot: the write completed" "$(rig_value kept2-rc)" 0
expect_eq "keeper: pivot: no I/O error reached the disk" "$(rig_value kept2-io-errors)" 0
expect_eq "keeper: pivot: a second recovery, state written through the moved /run" \
	"$(rig_value recoveries2)" 2
expect_eq "keeper: pivot: the disk reads back the data" "$(rig_value kept2-md5)" \
	"$(rig_value data2-md5)"
expect_eq "keeper: pivot: the backing file holds the data" \
	"$(head -c 32M "$T_TMP/kept.img" | md5sum | cut -d' ' -f1)" "$(rig_value data2-md5)"
if [ "$(rig_value unkept-rc)" != 0 ] && [ "$(rig_value unkept-io-errors)" -gt 0 ]; then
	ok "keeper: unkept: the write failed with I/O errors (the test can fail)"
else
	not_ok "keeper: unkept: the write did not fail (rc $(rig_value unkept-rc), $(rig_value unkept-io-errors) I/O errors)"
fi
if [ "$(head -c 64M "$T_TMP/unkept.img" | md5sum | cut -d' ' -f1)" != "$want" ]; then
	ok "keeper: unkept: the backing file lacks the data"
else
	not_ok "keeper: unkept: the backing file holds all the data"
fi
tgt_stop
[ "$(rig_value end)" = 0 ] || rig_tail 40
