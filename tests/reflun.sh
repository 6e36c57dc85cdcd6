# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2034 # the suites and bench/boot read what is set here
# The reference LUN and the images that boot it (sourced after tests/lib.sh,
# tests/tgt.sh and tests/rig.sh; tests/rows.sh, sourced after this, defines
# the images): the LUN behind a private tgtd with CHAP, each image built by
# its real generator and cached while its inputs do not change, and one boot
# of an image until the root's marker. The VM suites and the benchmark
# (bench/lib.sh) share it.
#
#   reflun_netns ARGS...  run the calling script ($0 ARGS) again inside a private
#                         network namespace whose lo holds 127.0.0.1 and 10.0.2.2,
#                         and exit with its status; returns at once when already
#                         inside. Call it before anything else. See "Network".
#   reflun_serve          make the reference LUN (scripts/mkreflun.sh, $T_TMP/lun.img)
#                         and serve it as LUN 1 of $REFLUN_IQN on 10.0.2.2:3260, with
#                         CHAP; its root reports whether the CHAP secret is in
#                         /proc/cmdline
#   reflun_stop           stop that tgtd
#   reflun_serve_paths    a 192 MiB reference LUN through two tgtd, one per portal
#                         ($REFLUN_PORTAL and $REFLUN_PORTAL2, port 3260; tgt_use a or b),
#                         one scsi_id and scsi_sn: two paths to one LUN (multipath);
#                         tgt_restart reflun_paths_setup sets a restarted one up again
#   image_row NAME        load an image's definition: the ROW_* variables (tests/rows.sh)
#   image_build NAME      build the image, or reuse $IMAGE_CACHE/NAME.img when its
#                         inputs did not change (IMAGE_REBUILD=1: always build); sets
#                         IMAGE, IMAGE_BYTES, IMAGE_FILES (entries listed by
#                         lsinitramfs), IMAGE_BUILT (seconds, or "cached")
#   image_boot NAME [APPEND [INITRD]]
#                         boot the image once (with ROW_APPEND, or APPEND; INITRD: a
#                         variant of the image, e.g. with one more cpio archive), until the
#                         guest powers off; sets BOOT_OK (1 when the root's marker
#                         appeared), BOOT_UPTIME (guest uptime in the marker),
#                         BOOT_WALL (host seconds from QEMU's start to its exit)
#   root_value KEY        a value from the root's marker line in the last boot's console
#   root_ok NAME          ok/not ok: the last boot reached the root's init, the LV
#                         client/rootfs, over one session
#
# Network: every image boots the same way. tgtd listens on 10.0.2.2 inside a
# private network namespace and QEMU's user-mode subnet moves to 10.0.3.0/24,
# so the guest's connection to 10.0.2.2 is a real connect() to tgtd, and
# tgtd's SendTargets answer (the address the connection arrived on) is
# 10.0.2.2, which the guest can reach. Through QEMU's usual 10.0.2.2 alias for
# the host's 127.0.0.1, tgtd answers "127.0.0.1", and stock dracut, which
# logs in to what discovery returned, fails.

REFLUN_IQN=iqn.2003-01.org.sanroot:reflun
REFLUN_INITIATOR=iqn.2003-01.org.sanroot:client
REFLUN_USER=client
REFLUN_PASS=reflun-chap-secret
REFLUN_IN_USER=reflun-target		# the account the target answers with, for mutual
REFLUN_IN_PASS=reflun-target-secret	# CHAP (tgt_chap_out; matrix-itools' sanroot.conf image)
REFLUN_PORTAL=10.0.2.2
REFLUN_MEM=${REFLUN_MEM:-512}
REFLUN_TIMEOUT=${REFLUN_TIMEOUT:-240}
REFLUN_MARKER=SANROOT-ROOT-OK
IMAGE_CACHE=${IMAGE_CACHE:-$TOP/build/bench}

reflun_netns() {
	if [ -n "${REFLUN_NETNS:-}" ]; then
		# inside: a signal stops tgtd cleanly and ends the run (the exit trap
		# kills the rest of what we started)
		trap 'reflun_stop; exit 143' INT TERM
		return 0
	fi
	t_netns REFLUN_NETNS reflun ||
		{ echo "reflun: unable to create a network namespace" >&2; exit 111; }
	ip -n "$REFLUN_NETNS" addr add "$REFLUN_PORTAL/32" dev lo ||
		{ echo "reflun: unable to add $REFLUN_PORTAL to the namespace" >&2; exit 111; }
	export REFLUN_NETNS
	# In the background, so that a signal here reaches the inside as TERM (a
	# background job of a script starts with SIGINT ignored).
	ip netns exec "$REFLUN_NETNS" sh "$0" "$@" &
	_reflun_inner=$!
	trap 'kill -TERM $_reflun_inner 2>/dev/null; wait $_reflun_inner; exit 143' INT TERM
	wait "$_reflun_inner"
	exit $?
}

reflun_serve() {
	[ -s "$T_TMP/lun.img" ] ||
		"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --secret "$REFLUN_PASS" >/dev/null || return 1
	# the namespace is private: the iSCSI port is free, and a fixed port lets
	# a plan inside an image (/etc/sanroot.conf) name the target
	tgt_start "$REFLUN_PORTAL" 3260 || return 1
	tgt_target 1 "$REFLUN_IQN" && tgt_lun 1 1 "$T_TMP/lun.img" &&
		tgt_chap 1 "$REFLUN_USER" "$REFLUN_PASS"
}

reflun_stop() { tgt_stop; }

REFLUN_PORTAL2=10.0.2.3

reflun_paths_setup() {
	tgt_target 1 "$REFLUN_IQN" && tgt_lun 1 1 "$T_TMP/lun.img" &&
		tgt_chap 1 "$REFLUN_USER" "$REFLUN_PASS" &&
		tgt_adm --op update --mode logicalunit --tid 1 --lun 1 \
			--params scsi_id=sanroot-mpath-1,scsi_sn=SRMP0001
}

reflun_serve_paths() {
	"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --size 192 --secret "$REFLUN_PASS" >/dev/null &&
	ip addr add "$REFLUN_PORTAL2/32" dev lo &&
	tgt_start "$REFLUN_PORTAL" 3260 && reflun_paths_setup && tgt_save a &&
	tgt_start "$REFLUN_PORTAL2" 3260 && reflun_paths_setup && tgt_save b
}

image_row() {
	ROW_TITLE='' ROW_BUILD='' ROW_KEY='' ROW_APPEND=''
	command -v "row_$1" >/dev/null || { echo "reflun: no image $1 (tests/rows.sh)" >&2; return 100; }
	"row_$1"
}

# Images ---------------------------------------------------------------------------

# _image_key: what the current row's image depends on, one line each.
_image_key() {
	echo "kernel $RIG_KVER $(md5sum <"$RIG_KERNEL" | cut -d' ' -f1)"
	# the generator's own text (tests/rows.sh), so that other rows' edits do not count
	echo "generator $ROW_BUILD $(sed -n "/^$ROW_BUILD() {/,/^}/p" "$TOP/tests/rows.sh" |
		md5sum | cut -d' ' -f1)"
	for _k in $ROW_KEY; do
		case $_k in
		pkg:*) dpkg-query -W -f '${Package} ${Version}\n' "${_k#pkg:}" 2>/dev/null ||
			echo "${_k#pkg:} none" ;;
		path:*) echo "${_k#path:} $(find "${_k#path:}" -type f 2>/dev/null | LC_ALL=C sort |
			xargs -r md5sum | md5sum | cut -d' ' -f1)" ;;
		fn:*) echo "${_k#fn:} $(sed -n "/^${_k#fn:}() {/,/^}/p" "$TOP/tests/rows.sh" |
			md5sum | cut -d' ' -f1)" ;;
		esac
	done
}

image_build() {
	image_row "$1" || return
	[ -n "${RIG_KVER:-}" ] || rig_kernel || return 1
	mkdir -p "$IMAGE_CACHE"
	IMAGE=$IMAGE_CACHE/$1.img
	_image_key >"$T_TMP/$1.key"
	if [ "${IMAGE_REBUILD:-0}" = 1 ] || ! [ -s "$IMAGE" ] ||
		! cmp -s "$T_TMP/$1.key" "$IMAGE_CACHE/$1.key"; then
		rm -f "$IMAGE" "$IMAGE_CACHE/$1.key"
		_t0=$(_rig_now)
		if ! "$ROW_BUILD" "$IMAGE.$$.tmp" >"$IMAGE_CACHE/$1.build.log" 2>&1; then
			echo "reflun: $ROW_BUILD failed; its output:" >&2
			tail -n 20 "$IMAGE_CACHE/$1.build.log" | sed 's/^/    | /' >&2
			rm -f "$IMAGE.$$.tmp"
			return 1
		fi
		IMAGE_BUILT="$(_rig_since "$_t0") s"
		mv "$IMAGE.$$.tmp" "$IMAGE" && cp "$T_TMP/$1.key" "$IMAGE_CACHE/$1.key"
	else
		IMAGE_BUILT=cached
	fi
	IMAGE_BYTES=$(stat -c %s "$IMAGE")
	IMAGE_FILES=$(lsinitramfs "$IMAGE" | wc -l)
}

# Boots --------------------------------------------------------------------------

root_ok() {
	if [ -n "$(root_value uptime)" ]; then
		ok "$1: reaches the root's init"
	else
		not_ok "$1: did not reach the root's init"
		rig_tail 30
	fi
	expect_eq "$1: root is the LV client/rootfs" "$(root_value root)" /dev/mapper/client-rootfs
	expect_eq "$1: one iSCSI session" "$(root_value sessions)" 1
}

root_value() {
	_rig_log | awk -v m="$REFLUN_MARKER" -v k="$1" '
		{ i = index($0, m " ") } i {
			n = split(substr($0, i), f, " ")
			for (j = 2; j <= n; j++)
				if (index(f[j], k "=") == 1) v = substr(f[j], length(k) + 2)
		}
		END { print v }'
}

image_boot() {
	image_row "$1" || return
	BOOT_OK=0 BOOT_UPTIME='' BOOT_WALL=''
	# ROW_APPEND spans lines for reading; the kernel gets one line.
	# shellcheck disable=SC2086,SC2116 # splitting joins the lines
	_append=$(echo ${2-$ROW_APPEND})
	rig_start initrd="${3:-$IMAGE_CACHE/$1.img}" append="$_append" mem="$REFLUN_MEM" \
		timeout="$REFLUN_TIMEOUT" net=10.0.3.0/24 || return 1
	rig_wait
	BOOT_WALL=$RIG_WALL
	BOOT_UPTIME=$(root_value uptime)
	[ -n "$BOOT_UPTIME" ] && BOOT_OK=1
	[ "$BOOT_OK" = 1 ]
}
