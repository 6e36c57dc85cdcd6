# SPDX-License-Identifier: GPL-2.0-only
# The boot benchmark's machinery (sourced after tests/lib.sh, tests/tgt.sh and
# tests/rig.sh, and before bench/rows.sh): the reference LUN behind a private
# tgtd with CHAP, the rows' images (cached while their inputs do not change),
# and one boot of a row until the root's marker. bench/boot and
# tests/vm/stock.sh use it.
#
#   bench_netns ARGS...   run the calling script ($0 ARGS) again inside a private
#                         network namespace whose lo holds 127.0.0.1 and 10.0.2.2,
#                         and exit with its status; returns at once when already
#                         inside. Call it before anything else. See "Network".
#   bench_target          make the reference LUN (scripts/mkreflun.sh) and serve it
#                         as LUN 1 of $BENCH_IQN on 10.0.2.2:3260, with CHAP; its
#                         root reports whether the CHAP secret is in /proc/cmdline
#   bench_stop            stop that tgtd
#   bench_row NAME        load a row's definition: the ROW_* variables (bench/rows.sh)
#   bench_image NAME      build the row's image, or reuse build/bench/NAME.img when its
#                         inputs did not change (BENCH_REBUILD=1: always build); sets
#                         BENCH_IMG, BENCH_BYTES, BENCH_FILES (entries listed by
#                         lsinitramfs), BENCH_BUILT (seconds, or "cached")
#   bench_boot NAME       boot the row's image once, until the guest powers off; sets
#                         BENCH_OK (1 when the root's marker appeared), BENCH_UPTIME
#                         (guest uptime in the marker), BENCH_WALL (host seconds from
#                         QEMU's start to its exit)
#   root_value KEY        a value from the root's marker line in the last boot's console
#
# Network: every row boots the same way. tgtd listens on 10.0.2.2 inside a
# private network namespace and QEMU's user-mode subnet moves to 10.0.3.0/24,
# so the guest's connection to 10.0.2.2 is a real connect() to tgtd, and
# tgtd's SendTargets answer (the address the connection arrived on) is
# 10.0.2.2, which the guest can reach. Through QEMU's usual 10.0.2.2 alias for
# the host's 127.0.0.1, tgtd answers "127.0.0.1", and stock dracut, which
# logs in to what discovery returned, fails.

BENCH_IQN=iqn.2003-01.org.sanroot:reflun
BENCH_INITIATOR=iqn.2003-01.org.sanroot:client
BENCH_USER=client
BENCH_PASS=reflun-chap-secret
BENCH_IN_USER=reflun-target		# the account the target answers with, for mutual
BENCH_IN_PASS=reflun-target-secret	# CHAP (tgt_chap_out; the matrix's sanroot.conf row)
BENCH_PORTAL=10.0.2.2
BENCH_MEM=${BENCH_MEM:-512}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-240}
BENCH_MARKER=SANROOT-ROOT-OK
BENCH_CACHE=$TOP/build/bench

bench_netns() {
	if [ -n "${BENCH_NETNS:-}" ]; then
		# inside: a signal stops tgtd cleanly and ends the run (the exit trap
		# kills the rest of what we started)
		trap 'bench_stop; exit 143' INT TERM
		return 0
	fi
	# t_netns in a subshell would lose its record: call it here, name it here.
	t_netns bench >/dev/null || { echo "bench: unable to create a network namespace" >&2; exit 111; }
	BENCH_NETNS=sr$$-bench
	ip -n "$BENCH_NETNS" addr add "$BENCH_PORTAL/32" dev lo ||
		{ echo "bench: unable to add $BENCH_PORTAL to the namespace" >&2; exit 111; }
	export BENCH_NETNS
	# In the background, so that a signal here reaches the inside as TERM (a
	# background job of a script starts with SIGINT ignored).
	ip netns exec "$BENCH_NETNS" sh "$0" "$@" &
	_bench_inner=$!
	trap 'kill -TERM $_bench_inner 2>/dev/null; wait $_bench_inner; exit 143' INT TERM
	wait "$_bench_inner"
	exit $?
}

bench_target() {
	[ -s "$T_TMP/lun.img" ] ||
		"$TOP/scripts/mkreflun.sh" "$T_TMP/lun.img" --secret "$BENCH_PASS" >/dev/null || return 1
	# the namespace is private: the iSCSI port is free, and a fixed port lets
	# a plan inside an image (/etc/sanroot.conf) name the target
	tgt_start "$BENCH_PORTAL" 3260 || return 1
	tgt_target 1 "$BENCH_IQN" && tgt_lun 1 1 "$T_TMP/lun.img" &&
		tgt_chap 1 "$BENCH_USER" "$BENCH_PASS"
}

bench_stop() { tgt_stop; }

bench_row() {
	ROW_TITLE='' ROW_BUILD='' ROW_KEY='' ROW_APPEND=''
	command -v "row_$1" >/dev/null || { echo "bench: no row $1 (bench/rows.sh)" >&2; return 100; }
	"row_$1"
}


# Images ---------------------------------------------------------------------------

# _bench_key: what the current row's image depends on, one line each.
_bench_key() {
	echo "kernel $RIG_KVER $(md5sum <"$RIG_KERNEL" | cut -d' ' -f1)"
	# the generator's own text (bench/rows.sh), so that other rows' edits do not count
	echo "generator $ROW_BUILD $(sed -n "/^$ROW_BUILD() {/,/^}/p" "$TOP/bench/rows.sh" |
		md5sum | cut -d' ' -f1)"
	for _k in $ROW_KEY; do
		case $_k in
		pkg:*) dpkg-query -W -f '${Package} ${Version}\n' "${_k#pkg:}" 2>/dev/null ||
			echo "${_k#pkg:} none" ;;
		path:*) echo "${_k#path:} $(find "${_k#path:}" -type f 2>/dev/null | LC_ALL=C sort |
			xargs -r md5sum | md5sum | cut -d' ' -f1)" ;;
		fn:*) echo "${_k#fn:} $(sed -n "/^${_k#fn:}() {/,/^}/p" "$TOP/bench/rows.sh" |
			md5sum | cut -d' ' -f1)" ;;
		esac
	done
}

bench_image() {
	bench_row "$1" || return
	[ -n "${RIG_KVER:-}" ] || rig_kernel || return 1
	mkdir -p "$BENCH_CACHE"
	BENCH_IMG=$BENCH_CACHE/$1.img
	_bench_key >"$T_TMP/$1.key"
	if [ "${BENCH_REBUILD:-0}" = 1 ] || ! [ -s "$BENCH_IMG" ] ||
		! cmp -s "$T_TMP/$1.key" "$BENCH_CACHE/$1.key"; then
		rm -f "$BENCH_IMG" "$BENCH_CACHE/$1.key"
		_t0=$(_rig_now)
		if ! "$ROW_BUILD" "$BENCH_IMG.$$.tmp" >"$BENCH_CACHE/$1.build.log" 2>&1; then
			echo "bench: $ROW_BUILD failed; its output:" >&2
			tail -n 20 "$BENCH_CACHE/$1.build.log" | sed 's/^/    | /' >&2
			rm -f "$BENCH_IMG.$$.tmp"
			return 1
		fi
		BENCH_BUILT="$(_rig_since "$_t0") s"
		mv "$BENCH_IMG.$$.tmp" "$BENCH_IMG" && cp "$T_TMP/$1.key" "$BENCH_CACHE/$1.key"
	else
		BENCH_BUILT=cached
	fi
	BENCH_BYTES=$(stat -c %s "$BENCH_IMG")
	BENCH_FILES=$(lsinitramfs "$BENCH_IMG" | wc -l)
}

# Boots --------------------------------------------------------------------------

root_value() {
	_rig_log | awk -v m="$BENCH_MARKER" -v k="$1" '
		{ i = index($0, m " ") } i {
			n = split(substr($0, i), f, " ")
			for (j = 2; j <= n; j++)
				if (index(f[j], k "=") == 1) v = substr(f[j], length(k) + 2)
		}
		END { print v }'
}

bench_boot() {
	bench_row "$1" || return
	BENCH_OK=0 BENCH_UPTIME='' BENCH_WALL=''
	# ROW_APPEND spans lines for reading; the kernel gets one line.
	# shellcheck disable=SC2086,SC2116 # splitting joins the lines
	_append=$(echo $ROW_APPEND)
	rig_start initrd="$BENCH_CACHE/$1.img" append="$_append" mem="$BENCH_MEM" \
		timeout="$BENCH_TIMEOUT" net=10.0.3.0/24 || return 1
	rig_wait
	BENCH_WALL=$RIG_WALL
	BENCH_UPTIME=$(root_value uptime)
	[ -n "$BENCH_UPTIME" ] && BENCH_OK=1
	[ "$BENCH_OK" = 1 ]
}
