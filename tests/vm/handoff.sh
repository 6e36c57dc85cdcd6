# SPDX-License-Identifier: GPL-2.0-only
# The kernel handoff in one boot, against a private tgtd on the host:
#   - CHAP: `sanroot-iscsi login` from the plan; /dev/sdX appears and its first
#     32 MiB hash like the backing file's; the kernel holds the values that must
#     be right (MaxRecvDataSegmentLength declared, the target's, replacement
#     timeout, names); logout leaves nothing.
#   - mutual CHAP, the same;
#   - a wrong password: exit 111, the message names CHAP, no session left;
#   - two portals, the first unreachable: the login goes through the second;
#   - two targets, one that does not exist: the other still comes up;
#   - iscsistart's options, the tool run as `iscsistart` (with its keeper,
#     whose /proc/PID/cmdline starts with '@'), and `iscsistart -f` without
#     an iBFT failing as iscsistart does.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "handoff: no kernel to boot"; exit 0; }

iqn1=iqn.2024-01.org.sanroot:handoff.chap
iqn2=iqn.2024-01.org.sanroot:handoff.mutual
init=iqn.2024-01.org.sanroot:guest
user=guest-user pass=guest-secret-12 tuser=target-user tpass=target-secret-34
head -c 40M /dev/urandom >"$T_TMP/lun1.img"
head -c 40M /dev/urandom >"$T_TMP/lun2.img"
md5_1=$(head -c 32M "$T_TMP/lun1.img" | md5sum | cut -d' ' -f1)
md5_2=$(head -c 32M "$T_TMP/lun2.img" | md5sum | cut -d' ' -f1)

{ tgt_start 127.0.0.1 &&
  tgt_target 1 "$iqn1" && tgt_lun 1 1 "$T_TMP/lun1.img" && tgt_chap 1 "$user" "$pass" &&
  tgt_target 2 "$iqn2" && tgt_lun 2 1 "$T_TMP/lun2.img" && tgt_chap 2 "$user" "$pass" &&
  tgt_chap_out 2 "$tuser" "$tpass"; } || { not_ok "handoff: tgtd did not start"; exit 0; }
port=$TGT_PORT

cat >"$T_TMP/test.sh" <<EOF
rig_net_up || rig_mark net=failed
conf() { umask 077; cat >/etc/\$1.conf; }
sessions() { ls /sys/class/iscsi_session 2>/dev/null | wc -l; }
dev_of() { sed -n 's/.* dev=\(\/dev\/[a-z]*\).*/\1/p' | head -n 1; }
md5_32m() { dd if=\$1 bs=1M count=32 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1; }
attr() { cat "\$1" 2>/dev/null; }

conf chap <<C
netroot=iscsi:10.0.2.2::$port:1:$iqn1 rd.iscsi.initiator=$init
rd.iscsi.username=$user rd.iscsi.password=$pass
C
conf mutual <<C
netroot=iscsi:10.0.2.2::$port:1:$iqn2 rd.iscsi.initiator=$init
rd.iscsi.username=$user rd.iscsi.password=$pass
rd.iscsi.in.username=$tuser rd.iscsi.in.password=$tpass
C
conf wrong <<C
netroot=iscsi:10.0.2.2::$port:1:$iqn1 rd.iscsi.initiator=$init
rd.iscsi.username=$user rd.iscsi.password=not-the-secret
C
conf portals <<C
iscsi_target_name=$iqn1 iscsi_target_ip="192.0.2.1 10.0.2.2" iscsi_target_port=$port
iscsi_initiator=$init iscsi_username=$user iscsi_password=$pass
C
conf twotargets <<C
netroot=iscsi:10.0.2.2::$port:1:$iqn1.missing netroot=iscsi:10.0.2.2::$port:1:$iqn1
rd.iscsi.initiator=$init rd.iscsi.username=$user rd.iscsi.password=$pass
C

# CHAP
out=\$(sanroot-iscsi --cmdline "" --conf /etc/chap.conf --no-keep login 2>/tmp/err)
rc=\$?
rig_mark "sda-uptime=\$(rig_uptime)"
cat /tmp/err
echo "\$out"
rig_check "chap: login exits 0" [ \$rc = 0 ]
dev=\$(echo "\$out" | dev_of)
sid=\$(echo "\$out" | sed -n 's/^sid=\([0-9]*\) .*/\1/p' | head -n 1)
rig_check "chap: one line names the target, portal and LUN 1" \
	grep -q "^sid=\$sid target=$iqn1 portal=10.0.2.2:$port lun=1 dev=/dev/sd" <<O
\$out
O
rig_check "chap: the progress line names the target, portal, disk and session" \
	grep -q "logged in to $iqn1 at 10.0.2.2:$port as \$dev, session \$sid (" /tmp/err
[ -b "\$dev" ] && rig_mark "chap-md5=\$(md5_32m \$dev)"
c=/sys/class/iscsi_connection/connection\$sid:0
s=/sys/class/iscsi_session/session\$sid
rig_mark "max-recv=\$(attr \$c/max_recv_dlength) max-xmit=\$(attr \$c/max_xmit_dlength)" \
	"recovery-tmo=\$(attr \$s/recovery_tmo) state=\$(attr \$s/state)" \
	"targetname=\$(attr \$s/targetname) initiator=\$(attr \$s/initiatorname)" \
	"tpgt=\$(attr \$s/tpgt) address=\$(attr \$c/persistent_address)" \
	"ping-tmo=\$(attr \$c/ping_tmo) recv-tmo=\$(attr \$c/recv_tmo)"
rig_check "chap: the kernel keeps the CHAP secret for iscsid" [ "\$(attr \$s/password)" = "$pass" ]
rig_check "chap: the state file holds no secret" sh -c "! grep -rq -e '$pass' /run/sanroot"
[ -f /run/sanroot/iscsi/session\$sid ] && . /run/sanroot/iscsi/session\$sid && rig_mark "state-target=\$TARGET state-devices=\$DEVICES"
sanroot-iscsi sessions >/tmp/sessions
cat /tmp/sessions
rig_check "chap: sessions lists it" grep -q "^sid=\$sid target=$iqn1 .*state=LOGGED_IN .*dev=\$dev" /tmp/sessions
sanroot-iscsi logout all
rig_check "chap: logout leaves no session" [ "\$(sessions)" = 0 ]
rig_check "chap: logout removes the disk" [ ! -e "\$dev" ]
rig_check "chap: logout removes the state" [ ! -e /run/sanroot/iscsi/session\$sid ]

# Mutual CHAP
out=\$(sanroot-iscsi --cmdline "" --conf /etc/mutual.conf --no-keep login 2>/tmp/err)
rc=\$?
cat /tmp/err
rig_check "mutual: login exits 0" [ \$rc = 0 ]
dev=\$(echo "\$out" | dev_of)
[ -b "\$dev" ] && rig_mark "mutual-md5=\$(md5_32m \$dev)"
sanroot-iscsi logout all

# A wrong password
sanroot-iscsi --cmdline "" --conf /etc/wrong.conf --no-keep login >/tmp/out 2>/tmp/err
rc=\$?
cat /tmp/err
rig_check "wrong password: exit 111" [ \$rc = 111 ]
rig_check "wrong password: nothing on stdout" [ ! -s /tmp/out ]
rig_check "wrong password: the reason names CHAP" grep -q "unable to log in to $iqn1 at 10.0.2.2:$port: target rejected our CHAP response" /tmp/err
rig_check "wrong password: no session left" [ "\$(sessions)" = 0 ]

# Two portals, the first unreachable
out=\$(sanroot-iscsi --cmdline "" --conf /etc/portals.conf --no-keep -d 1 \
	-P 'node.conn[0].timeo.login_timeout=3' login 2>/tmp/err)
rc=\$?
cat /tmp/err
rig_check "portals: login exits 0" [ \$rc = 0 ]
rig_check "portals: through the second portal" grep -q "portal=10.0.2.2:$port lun=1 dev=" <<O
\$out
O
rig_check "portals: the first was tried" grep -q "192.0.2.1:$port" /tmp/err
rig_check "portals: one session" [ "\$(sessions)" = 1 ]
sanroot-iscsi logout all

# Two targets, one missing
out=\$(sanroot-iscsi --cmdline "" --conf /etc/twotargets.conf --no-keep login 2>/tmp/err)
rc=\$?
cat /tmp/err
rig_check "two targets: exit 0 with one up" [ \$rc = 0 ]
rig_check "two targets: the good one is up" grep -q "target=$iqn1 portal" <<O
\$out
O
rig_check "two targets: the missing one is named" grep -q "$iqn1.missing.*not found" /tmp/err
rig_check "two targets: one session" [ "\$(sessions)" = 1 ]
sanroot-iscsi logout all

# iscsistart
ln -s sanroot /usr/sbin/iscsistart
iscsistart -f >/tmp/out 2>/tmp/err
rc=\$?
cat /tmp/err
rig_check "iscsistart -f without an iBFT fails" [ \$rc = 111 ]
out=\$(iscsistart -i $init -t $iqn1 -g 1 -a 10.0.2.2 -p $port -u $user -w $pass 2>/tmp/err)
rc=\$?
cat /tmp/err
rig_check "iscsistart: exits 0" [ \$rc = 0 ]
rig_check "iscsistart: no warning about the password" sh -c "! grep -q -i secret /tmp/err"
dev=\$(echo "\$out" | dev_of)
[ -b "\$dev" ] && rig_mark "iscsistart-md5=\$(md5_32m \$dev)"
sid=\$(echo "\$out" | sed -n 's/^sid=\([0-9]*\) .*/\1/p' | head -n 1)
KEEPER=0
[ -f /run/sanroot/iscsi/session\$sid ] && . /run/sanroot/iscsi/session\$sid
rig_check "iscsistart: a keeper runs" sh -c "[ \$KEEPER -gt 1 ] && kill -0 \$KEEPER"
rig_check "keeper: /proc/PID/cmdline starts with @" [ "\$(head -c 1 /proc/\$KEEPER/cmdline)" = @ ]
rig_mark "keeper-cmdline=\$(tr '\0' ' ' </proc/\$KEEPER/cmdline | tr ' ' _)"
rig_check "keeper: no secret in its cmdline or environment" \
	sh -c "! cat /proc/\$KEEPER/cmdline /proc/\$KEEPER/environ | grep -q -e '$pass'"
iscsistart -i $init -t $iqn1 -g 1 -a 10.0.2.2 -p $port -u $user -w $pass >/tmp/out 2>/tmp/err
rc=\$?
cat /tmp/err
rig_check "iscsistart again: the session exists, exit 0, no second session" \
	[ \$rc = 0 -a "\$(sessions)" = 1 ]
rig_check "iscsistart again: still one keeper" \
	[ "\$(grep -l '^@sanroot-keep\$' /proc/[0-9]*/comm 2>/dev/null | wc -l)" = 1 ]
sanroot-iscsi logout all
i=0
while kill -0 "\$KEEPER" 2>/dev/null && [ \$i -lt 50 ]; do usleep 100000; i=\$((i + 1)); done
rig_check "keeper: exits once its session is logged out" sh -c "! kill -0 \$KEEPER 2>/dev/null"
rig_check "iscsistart: nothing left" [ "\$(sessions)" = 0 ]
EOF

rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" ||
	{ not_ok "handoff: building the initramfs failed"; exit 0; }
rig_boot initrd="$T_TMP/initrd.img" timeout=240 ||
	not_ok "handoff: the guest did not power off within 240 s"
echo "# boot: /init at $(rig_value init) s, first /dev/sdX at $(rig_value sda-uptime) s" \
	"guest uptime; wall ${RIG_WALL} s"
expect_eq "handoff: modules loaded" "$(rig_value modules)" ok
rig_results handoff
expect_eq "handoff: chap: the LUN reads like its backing file" "$(rig_value chap-md5)" "$md5_1"
expect_eq "handoff: chap: MAX_RECV_DLENGTH is what we declared" "$(rig_value max-recv)" 262144
expect_eq "handoff: chap: MAX_XMIT_DLENGTH is tgt's" "$(rig_value max-xmit)" 8192
expect_eq "handoff: chap: long replacement timeout" "$(rig_value recovery-tmo)" 86400
expect_eq "handoff: chap: NOP-Out every 10 s, 15 s to answer" \
	"$(rig_value recv-tmo)/$(rig_value ping-tmo)" 10/15
expect_eq "handoff: chap: state LOGGED_IN" "$(rig_value state)" LOGGED_IN
expect_eq "handoff: chap: target name in sysfs" "$(rig_value targetname)" "$iqn1"
expect_eq "handoff: chap: initiator name in sysfs" "$(rig_value initiator)" "$init"
expect_eq "handoff: chap: TPGT in sysfs" "$(rig_value tpgt)" 1
expect_eq "handoff: chap: portal in sysfs" "$(rig_value address)" 10.0.2.2
expect_eq "handoff: chap: state file names the target" "$(rig_value state-target)" "$iqn1"
expect_eq "handoff: mutual: the LUN reads like its backing file" "$(rig_value mutual-md5)" "$md5_2"
expect_eq "handoff: iscsistart: the LUN reads like its backing file" \
	"$(rig_value iscsistart-md5)" "$md5_1"
echo "# keeper cmdline: $(rig_value keeper-cmdline)"
tgt_stop
[ "$(rig_value end)" = 0 ] || rig_tail 40
