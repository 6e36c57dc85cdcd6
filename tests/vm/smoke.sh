# SPDX-License-Identifier: GPL-2.0-only
# The rig itself: one boot of the test initramfs. The guest loads the
# standard modules, hashes its virtio disk, talks to a listener on the
# host's loopback through QEMU's 10.0.2.2, finds virtio-rng, and runs
# Debian's dynamically linked dmsetup, copied in with its libraries.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/rig.sh"

rig_kernel || { not_ok "smoke: no kernel to boot"; exit 0; }

disk=$T_TMP/disk.img
head -c 4M /dev/urandom >"$disk"
want_md5=$(md5sum <"$disk" | cut -d' ' -f1)

port=$(free_port)
token_in=guest-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
token_out=host-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
t_spawn python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
s.settimeout(180)
c, _ = s.accept()
c.settimeout(30)
data = b""
while not data.endswith(b"\n"):
    chunk = c.recv(256)
    if not chunk:
        break
    data += chunk
open(sys.argv[2], "wb").write(data)
c.sendall(sys.argv[3].encode() + b"\n")
c.close()
' "$port" "$T_TMP/received" "$token_out"
wait_for 10 sh -c "ss -ltn | grep -q '127.0.0.1:$port '" ||
	{ not_ok "smoke: host listener did not start"; exit 0; }

cat >"$T_TMP/test.sh" <<EOF
rig_net_up || rig_mark net=failed
rig_wait_path /dev/vda 10 && rig_mark "md5=\$(md5sum /dev/vda | cut -d' ' -f1)"
rig_mark "reply=\$(echo $token_in | nc 10.0.2.2 $port)"
rig_mark "rng=\$(cat /sys/class/misc/hw_random/rng_current)"
[ -x /sbin/dmsetup ] && rig_mark "dm=\$(dmsetup version | sed -n 's/^Driver version: *//p')"
EOF
dmsetup=
[ -x /sbin/dmsetup ] && dmsetup=bin=/sbin/dmsetup
# shellcheck disable=SC2086 # an optional argument
rig_initramfs "$T_TMP/initrd.img" init="$T_TMP/test.sh" $dmsetup ||
	{ not_ok "smoke: building the initramfs failed"; exit 0; }
echo "# initramfs: $(stat -c %s "$T_TMP/initrd.img") bytes"

if rig_boot initrd="$T_TMP/initrd.img" disk="$disk" timeout=90; then
	ok "smoke: guest powered off by itself"
else
	not_ok "smoke: guest did not power off within 90 s"
fi
echo "# boot: /init at $(rig_value init) s guest uptime, modules loaded at" \
	"$(rig_value loaded) s, powered off at $(rig_value uptime) s; wall ${RIG_WALL} s"
expect_eq "smoke: /init started" "$(rig_has init && echo yes)" yes
expect_eq "smoke: modules loaded" "$(rig_value modules)" ok
expect_eq "smoke: virtio disk md5 matches the host file" "$(rig_value md5)" "$want_md5"
expect_eq "smoke: guest reached the host listener" "$(cat "$T_TMP/received" 2>/dev/null)" \
	"$token_in"
expect_eq "smoke: host reply reached the guest" "$(rig_value reply)" "$token_out"
expect_eq "smoke: virtio-rng is the hardware RNG" "$(rig_value rng)" virtio_rng.0
if [ -n "$dmsetup" ]; then
	case $(rig_value dm) in
	4.*) ok "smoke: Debian's dmsetup runs in the guest (dm $(rig_value dm))" ;;
	*) not_ok "smoke: dmsetup gave no driver version: '$(rig_value dm)'" ;;
	esac
fi
expect_eq "smoke: guest script ended cleanly" "$(rig_value end)" 0
rig_has end || rig_tail
