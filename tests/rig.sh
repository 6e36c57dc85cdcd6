# SPDX-License-Identifier: GPL-2.0-only
# The VM test rig (sourced after tests/lib.sh): a small initramfs with
# busybox, the static sanroot tools and the kernel modules a test names,
# booted by QEMU (TCG) with the serial console in a log file. The guest's
# /init is tests/vm/guest/init.sh, which runs the test's own script and
# powers off; results come back as marker lines on the console.
#
#   rig_kernel                 pick the kernel under build/kernel (scripts/kernel.sh):
#                              sets RIG_KVER, RIG_KERNEL, RIG_MODDIR, RIG_KROOT
#                              ($RIG_KVER in the environment chooses; default: newest)
#   rig_modules NAME...        print module paths (under RIG_MODDIR) in load order,
#                              dependencies first, from modules.dep; built-ins skipped
#   rig_initramfs OUT init=SCRIPT [mods="NAME..."] [defer="NAME..."] [file=SRC:DST]...
#                 [bin=PATH]... [tools=DIR] [comp=zstd|gzip]
#                              build the image. mods: default $RIG_MODULES. defer:
#                              modules in the image that /init does not load (the
#                              script does, with modprobe NAME). file: any extra
#                              file. bin: a dynamic binary with its shared
#                              libraries (e.g. Debian's dmsetup). tools: the static
#                              tools copied to /usr/sbin (default build/static/bin).
#   rig_start initrd=FILE [append=ARGS] [log=FILE] [mem=MB] [timeout=SECS]
#             [net=CIDR] [netdev=OPTS] [disk=FILE]... [qemu="ARGS"] [netns=NS]
#             [tftp=DIR [bootfile=NAME]] [nic2=OPTS]
#                              boot in the background; RIG_PID is QEMU's PID.
#                              net= moves the user-mode subnet (guest .15, host .2);
#                              netdev= replaces "user,id=n0,..." entirely; netns= runs
#                              QEMU inside network namespace NS. (tftp=DIR, used by
#                              rig_ipxe_start, boots through iPXE instead of -kernel:
#                              QEMU's DHCP names bootfile=, default boot.ipxe; e.g.
#                              pxelinux.0, which iPXE runs as a PXE NBP.)
#                              nic2= adds a second virtio NIC on netdev OPTS (id n1;
#                              e.g. hubport,hubid=1, a hub with nothing else on it),
#                              MAC $RIG_NIC2_MAC, no option ROM, placed BEFORE n0 in
#                              PCI order: it is 00:02.0 (ens2), n0 00:03.0 (ens3),
#                              n0 keeps QEMU's first MAC, $RIG_MAC. Without nic2=, n0
#                              is 00:02.0 (ens2), as ever.
#                              console=pipe makes the console typeable with rig_type.
#   rig_type LINE              type LINE and Enter on the guest's console
#   rig_elapsed                wall seconds since rig_start, e.g. when a marker appeared
#   rig_wait                   wait for the guest to power off (0) or the timeout (1);
#                              sets RIG_WALL (seconds, wall clock) and keeps the
#                              console as build/tests/log/vm-TEST[-N].serial
#   rig_boot ARGS...           rig_start then rig_wait
#   rig_wait_marker KEY [SECS] wait until the guest printed a marker with KEY
#   rig_value KEY              the last value the guest gave KEY ("" if none)
#   rig_results NAME           relay the guest's results as "ok NAME: x" lines;
#                              fails if the guest did not reach its end marker
#   rig_tail [N]               the log's last lines, indented, for a failure report
#
#   rig_ipxe_start initrd=FILE [append=ARGS] [sanhook=ROOTPATH] [initiator=IQN]
#                  [username=U password=P [reverse_username=U reverse_password=P]]
#                  [rig_start's options]
#                              boot through firmware, as a SAN boot does: QEMU's
#                              user-mode TFTP serves $T_TMP/tftp (boot.ipxe, vmlinuz,
#                              initrd.img); the virtio NIC's iPXE ROM (QEMU's default
#                              romfile for virtio-net-pci, efi-virtio.rom, found in
#                              /usr/lib/ipxe/qemu from package ipxe-qemu; its BIOS
#                              image runs) gets boot.ipxe by DHCP and runs it: the
#                              settings, `sanhook ROOTPATH` (iPXE logs in and leaves
#                              an iBFT in low memory), then `kernel vmlinuz
#                              console=ttyS0 panic=-1 quiet ARGS`, `initrd`, `boot`.
#                              The credentials exist only in that script (mode 0600)
#                              and in the iBFT. SeaBIOS copies the firmware's screen
#                              to the serial console (fw_cfg etc/sercon-port), so the
#                              log shows iPXE's messages and its markers: ipxe_script=MAC,
#                              ipxe_sanhook=ok|failed, ipxe_boot=1 (just before the
#                              kernel starts), ipxe_failed=ERRNO (then the firmware
#                              has nothing left to boot and QEMU exits at once).
#                              Values: letters, digits and . : _ @ % + , / = - only.
#                              With tgt, name the LUN: this iPXE reads an empty LUN
#                              field as 0, tgt's controller, and sanhook fails.
#   rig_ipxe_boot ARGS...      rig_ipxe_start then rig_wait
#
#   rig_lan [root_path=TEXT] [dhcp=OPTION]... [lease=SECS] [tgt]
#                              a private LAN instead of QEMU's user-mode network:
#                              network namespace $RIG_LAN_NS holding only lo and a
#                              tap, rig0, at $RIG_LAN_SERVER/24 (10.0.2.2), with no
#                              route out; dnsmasq (foreground, its own configuration,
#                              DHCP only, no DNS, nothing read from /etc) leases
#                              $RIG_LAN_GUEST (10.0.2.15) for lease= seconds (default
#                              3600; dnsmasq gives no less than 120) with router 10.0.2.2,
#                              root_path= as option 17 (RFC 4173:
#                              iscsi:ADDR::PORT:LUN:TARGET) and each dhcp= as a
#                              dnsmasq dhcp-option (e.g. dhcp=option:domain-name,x).
#                              tgt: tgtd there on 10.0.2.2:3260 (tests/tgt.sh; sets
#                              TGT_NETNS, so tgt_target and friends follow). Boot with
#                              rig_start ... $RIG_LAN_ARGS (netns= and a tap netdev:
#                              QEMU runs in the namespace). dnsmasq's files are in
#                              $RIG_LAN_DIR (leases, dnsmasq.log). The exit trap kills
#                              dnsmasq and deletes the namespace, and the tap with it.
#                              dnsmasq sends an option only when the client asks for
#                              it (busybox udhcpc: -O rootpath; iPXE asks for 17).
#
# Markers are console lines "SANROOT-TEST KEY=VALUE ..."; results are
# "SANROOT-RESULT ok NAME" or "SANROOT-RESULT not ok NAME: WHY". The guest
# prints "init=UPTIME" when /init starts, "modules=ok loaded=UPTIME" (or
# "modules=failed:a.ko,b.ko"), and "end=RC uptime=UPTIME" before it powers off.
#
# Example:
#   . tests/lib.sh; . tests/rig.sh
#   rig_kernel || { not_ok "vm: no kernel"; exit 0; }
#   cat >"$T_TMP/t.sh" <<'EOF'
#   rig_net_up && rig_mark "md5=$(md5sum /dev/vda | cut -d' ' -f1)"
#   EOF
#   rig_initramfs "$T_TMP/i.img" init="$T_TMP/t.sh"
#   rig_boot initrd="$T_TMP/i.img" disk="$T_TMP/disk.img" timeout=60
#   expect_eq "disk md5" "$(rig_value md5)" "$(md5sum <"$T_TMP/disk.img" | cut -d' ' -f1)"
#
# iPXE sanhook (tgtd on 10.0.2.2 in reflun_netns's namespace; tests/vm/ibft.sh):
#   rig_ipxe_start initrd="$T_TMP/i.img" net=10.0.3.0/24 append=iscsi_auto \
#       sanhook=iscsi:10.0.2.2:::1:$IQN initiator=$INITIATOR username=u password=p
#   rig_wait_marker ipxe_boot 150 && echo "# iPXE part: $(rig_elapsed) s"; rig_wait
#
# DHCP option 17 from dnsmasq (tests/vm/dhcp17.sh):
#   rig_lan root_path="iscsi:10.0.2.2::3260:1:$IQN" tgt && tgt_target 1 "$IQN" &&
#       tgt_lun 1 1 "$T_TMP/lun.img"
#   rig_boot initrd="$T_TMP/i.img" $RIG_LAN_ARGS

RIG_MODULES=${RIG_MODULES:-"virtio_pci virtio_net virtio_blk virtio_rng crc32c_generic
	iscsi_tcp sd_mod dm_mod ext4 iscsi_ibft"}
RIG_TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
RIG_LOG=
RIG_PID=
# shellcheck disable=SC2034 # the suites read it
RIG_MAC=52:54:00:12:34:56	# n0's: QEMU's first
RIG_NIC2_MAC=52:54:00:12:34:99	# the NIC of rig_start nic2=
RIG_WALL=

_rig_now() { date +%s.%N; }
_rig_since() { awk -v a="$1" -v b="$(_rig_now)" 'BEGIN { printf "%.1f", b - a }'; }

# rig_kernel: the guest kernel, Debian's package unpacked under build/kernel
# (scripts/kernel.sh fetch, run by make deps), never the host's /boot.
rig_kernel() {
	RIG_KROOT=$("$RIG_TOP/scripts/kernel.sh" dir) || return 1
	[ -n "${RIG_KVER:-}" ] || RIG_KVER=$("$RIG_TOP/scripts/kernel.sh" version) || return 1
	RIG_KERNEL=$RIG_KROOT/boot/vmlinuz-$RIG_KVER
	RIG_MODDIR=$RIG_KROOT/lib/modules/$RIG_KVER
	if [ ! -r "$RIG_KERNEL" ] || [ ! -f "$RIG_MODDIR/modules.dep" ]; then
		echo "rig: $RIG_KERNEL or $RIG_MODDIR/modules.dep missing" >&2
		return 1
	fi
}

# modules.dep lists every dependency of a module, each one before the modules it
# needs; loading the list backwards, then the module, satisfies all of them.
rig_modules() {
	awk -v want="$*" -v builtin="$RIG_MODDIR/modules.builtin" '
	function norm(p,   n) {
		n = p; sub(/.*\//, "", n); sub(/\.ko(\.(xz|zst|gz))?$/, "", n)
		gsub(/-/, "_", n); return n
	}
	function emit(p) { if (!(p in done)) { done[p] = 1; print p } }
	BEGIN {
		while ((getline line < builtin) > 0) isbuiltin[norm(line)] = 1
	}
	{
		sub(/:$/, "", $1)
		name = norm($1); path[name] = $1
		ndeps[name] = NF - 1
		for (i = 2; i <= NF; i++) dep[name, i - 1] = $i
	}
	END {
		n = split(want, w, /[ \t\n]+/)
		for (j = 1; j <= n; j++) {
			m = w[j]; gsub(/-/, "_", m)
			if (m == "") continue
			if (!(m in path)) {
				if (m in isbuiltin) continue
				print "rig: no module " m > "/dev/stderr"; bad = 1; continue
			}
			for (i = ndeps[m]; i >= 1; i--) emit(dep[m, i])
			emit(path[m])
		}
		exit bad
	}' "$RIG_MODDIR/modules.dep"
}

# _rig_copy_bin PATH STAGE: a dynamic binary and the libraries ldd names.
_rig_copy_bin() {
	_b=$1 _s=$2
	mkdir -p "$_s$(dirname "$_b")" && cp -L "$_b" "$_s$_b" || return 1
	ldd "$_b" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | while read -r _lib; do
		mkdir -p "$_s$(dirname "$_lib")" && cp -L "$_lib" "$_s$_lib" || exit 1
	done
}

# _rig_copy_mod PATH STAGE: a module (path relative to RIG_MODDIR) into the image,
# uncompressed (busybox insmod reads plain .ko); prints its path in the image.
_rig_copy_mod() {
	_m=$1 _d=$2/lib/modules/$RIG_KVER
	mkdir -p "$_d/$(dirname "$_m")"
	case $_m in
	*.xz) xz -dc "$RIG_MODDIR/$_m" >"$_d/${_m%.xz}"; _m=${_m%.xz} ;;
	*.zst) zstd -qdc "$RIG_MODDIR/$_m" >"$_d/${_m%.zst}"; _m=${_m%.zst} ;;
	*) cp "$RIG_MODDIR/$_m" "$_d/$_m" ;;
	esac || return 1
	echo "/lib/modules/$RIG_KVER/$_m"
}

rig_initramfs() {
	_out=$1; shift
	_init='' _mods=$RIG_MODULES _defer='' _comp=zstd _tools=$RIG_TOP/build/static/bin
	_files='' _bins=''
	for _a; do
		case $_a in
		init=*) _init=${_a#init=} ;;
		mods=*) _mods=${_a#mods=} ;;
		defer=*) _defer=${_a#defer=} ;;
		comp=*) _comp=${_a#comp=} ;;
		tools=*) _tools=${_a#tools=} ;;
		file=*) _files="$_files ${_a#file=}" ;;
		bin=*) _bins="$_bins ${_a#bin=}" ;;
		*) echo "rig_initramfs: unknown option $_a" >&2; return 100 ;;
		esac
	done
	[ -r "$_init" ] || { echo "rig_initramfs: no test script (init=)" >&2; return 100; }
	[ -n "${RIG_KVER:-}" ] || rig_kernel || return 1
	_st=$(mktemp -d "$T_TMP/initramfs.XXXXXX")
	mkdir -p "$_st/bin" "$_st/sbin" "$_st/usr/bin" "$_st/usr/sbin" "$_st/dev" "$_st/proc" \
		"$_st/sys" "$_st/run" "$_st/tmp" "$_st/etc" "$_st/rig" "$_st/lib/modules/$RIG_KVER"
	mknod -m 600 "$_st/dev/console" c 5 1 2>/dev/null

	cp /bin/busybox "$_st/bin/busybox" || return 1
	/bin/busybox --list-full | while read -r _app; do
		[ -e "$_st/$_app" ] || ln -s /bin/busybox "$_st/$_app"
	done

	cp "$RIG_TOP/tests/vm/guest/init.sh" "$_st/init" && chmod 755 "$_st/init" &&
	cp "$_init" "$_st/rig/test.sh" || return 1

	# shellcheck disable=SC2086 # a list of names
	_list=$(rig_modules $_mods) || return 1
	for _m in $_list; do
		_rig_copy_mod "$_m" "$_st" || return 1
	done >"$_st/rig/modules"
	if [ -n "$_defer" ]; then
		# shellcheck disable=SC2086 # a list of names
		_list=$(rig_modules $_defer) || return 1
		for _m in $_list; do
			_rig_copy_mod "$_m" "$_st" >/dev/null || return 1
		done
	fi
	cp "$RIG_MODDIR/modules.builtin" "$RIG_MODDIR/modules.order" "$_st/lib/modules/$RIG_KVER/" &&
	depmod -b "$_st" "$RIG_KVER" 2>/dev/null	# for busybox modprobe, if a test wants it

	if [ -n "$_tools" ] && [ -d "$_tools" ]; then
		for _t in "$_tools"/*; do
			[ -f "$_t" ] && [ -x "$_t" ] && cp "$_t" "$_st/usr/sbin/"
		done
	fi
	for _f in $_files; do
		if ! mkdir -p "$_st$(dirname "${_f#*:}")" || ! cp -L "${_f%%:*}" "$_st${_f#*:}"; then
			echo "rig_initramfs: cannot add ${_f%%:*}" >&2
			return 1
		fi
	done
	for _b in $_bins; do
		_rig_copy_bin "$_b" "$_st" || { echo "rig_initramfs: cannot add $_b" >&2; return 1; }
	done

	case $_comp in
	zstd) _z="zstd -q -T0 -10" ;;
	gzip) _z="gzip -6" ;;
	*) echo "rig_initramfs: comp=zstd or gzip" >&2; return 100 ;;
	esac
	(cd "$_st" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		$_z >"$_out" || return 1
	rm -rf "$_st"
}

rig_start() {
	_initrd='' _append='' _mem=384 _timeout=120 _net='' _netdev='' _disks='' _qemu=''
	_tftp='' _netns='' _console='' _bootfile=boot.ipxe _nic2=''
	RIG_LOG=$T_TMP/serial.log
	for _a; do
		case $_a in
		initrd=*) _initrd=${_a#initrd=} ;;
		append=*) _append=${_a#append=} ;;
		log=*) RIG_LOG=${_a#log=} ;;
		mem=*) _mem=${_a#mem=} ;;
		timeout=*) _timeout=${_a#timeout=} ;;
		net=*) _net=${_a#net=} ;;
		netdev=*) _netdev=${_a#netdev=} ;;
		disk=*) _disks="$_disks ${_a#disk=}" ;;
		qemu=*) _qemu=${_a#qemu=} ;;
		tftp=*) _tftp=${_a#tftp=} ;;
		bootfile=*) _bootfile=${_a#bootfile=} ;;
		nic2=*) _nic2=${_a#nic2=} ;;
		netns=*) _netns=${_a#netns=} ;;
		console=*) _console=${_a#console=} ;;
		*) echo "rig_start: unknown option $_a" >&2; return 100 ;;
		esac
	done
	[ -n "${RIG_KVER:-}" ] || rig_kernel || return 1
	if [ -n "$_tftp" ]; then
		[ -r "$_tftp/$_bootfile" ] || { echo "rig_start: no $_tftp/$_bootfile" >&2; return 100; }
		[ -n "$_netdev" ] ||
			_netdev="user,id=n0${_net:+,net=$_net},tftp=$_tftp,bootfile=$_bootfile"
		# SeaBIOS mirrors the firmware's screen (iPXE's messages) on the serial
		# port named by fw_cfg etc/sercon-port, a little-endian integer: 0x3f8.
		printf '\370\003' >"$T_TMP/sercon-port"
		set -- -boot order=n,reboot-timeout=0 \
			-fw_cfg "name=etc/sercon-port,file=$T_TMP/sercon-port"
	else
		[ -r "$_initrd" ] || { echo "rig_start: no initrd" >&2; return 100; }
		set -- -kernel "$RIG_KERNEL" -initrd "$_initrd" \
			-append "console=ttyS0 panic=-1 quiet $_append"
	fi
	[ -n "$_netdev" ] || _netdev="user,id=n0${_net:+,net=$_net}"
	if [ "$_console" = pipe ]; then
		# The console through FIFOs (QEMU opens both read-write), still logged
		# to RIG_LOG; rig_type writes to it, and a reader drains its output.
		rm -f "$T_TMP/console.in" "$T_TMP/console.out"
		mkfifo "$T_TMP/console.in" "$T_TMP/console.out" || return 1
		set -- -chardev "pipe,id=con,path=$T_TMP/console,logfile=$RIG_LOG" -serial chardev:con "$@"
	else
		set -- -serial "file:$RIG_LOG" "$@"
	fi
	set -- -accel tcg -m "$_mem" -smp 1 -nodefaults -no-reboot -display none -monitor none \
		"$@"
	# before n0: QEMU gives each device the next free PCI slot, in order
	[ -z "$_nic2" ] || set -- "$@" -netdev "$_nic2,id=n1" \
		-device "virtio-net-pci,netdev=n1,mac=$RIG_NIC2_MAC,romfile="
	set -- "$@" -netdev "$_netdev" -device virtio-net-pci,netdev=n0 \
		-device virtio-rng-pci
	_i=0
	for _d in $_disks; do
		set -- "$@" -drive "file=$_d,if=none,id=d$_i,format=raw,cache=unsafe" \
			-device "virtio-blk-pci,drive=d$_i"
		_i=$((_i + 1))
	done
	: >"$RIG_LOG"
	# $_qemu is split on purpose: it holds extra arguments.
	# shellcheck disable=SC2086
	${_netns:+ip netns exec "$_netns"} qemu-system-x86_64 "$@" $_qemu </dev/null >"$RIG_LOG.qemu" 2>&1 &
	RIG_PID=$!
	T_PIDS="$T_PIDS $RIG_PID"
	if [ "$_console" = pipe ]; then
		cat "$T_TMP/console.out" >/dev/null &
		T_PIDS="$T_PIDS $!"
	fi
	RIG_START=$(_rig_now)
	RIG_DEADLINE=$(( $(date +%s) + _timeout ))
}

# rig_type LINE: type LINE and Enter on the guest's console (rig_start console=pipe).
rig_type() {
	printf '%s\r' "$1" >"$T_TMP/console.in"
}

rig_wait() {
	_rc=0
	while kill -0 "$RIG_PID" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$RIG_DEADLINE" ]; then
			kill -9 "$RIG_PID" 2>/dev/null
			_rc=1
			break
		fi
		sleep 0.1
	done
	wait "$RIG_PID" 2>/dev/null
	RIG_WALL=$(_rig_since "$RIG_START")
	# Reaped: drop it, so that the exit trap never signals a reused PID.
	T_PIDS=$(echo "$T_PIDS" | tr ' ' '\n' | grep -vx "$RIG_PID" | tr '\n' ' ')
	# (QEMU warns that etc/sercon-port lacks the "opt/" prefix: SeaBIOS wants it so;
	# and that a nic2= hub has no host network: it is meant to go nowhere.)
	grep -v -e 'fw_cfg item names should be prefixed' -e 'is not connected to host network' \
		"$RIG_LOG.qemu" 2>/dev/null |
		sed 's/^/qemu: /' >&2
	# Keep the console for a post-mortem: build/tests/log/vm-TEST[-N].serial
	_keep=$RIG_TOP/${B:-build}/tests/log
	RIG_BOOTS=$(( ${RIG_BOOTS:-0} + 1 ))
	_name=vm-$(basename "$0" .sh)
	[ "$RIG_BOOTS" -gt 1 ] && _name=$_name-$RIG_BOOTS
	mkdir -p "$_keep" && tr -d '\r' <"$RIG_LOG" >"$_keep/$_name.serial"
	return $_rc
}

rig_boot() {
	rig_start "$@" && rig_wait
}

rig_elapsed() { _rig_since "$RIG_START"; }

# iPXE ------------------------------------------------------------------------

# _rig_ipxe_word NAME VALUE: VALUE is one word iPXE takes literally (it expands
# ${...} and splits on blanks everywhere in a script line).
_rig_ipxe_word() {
	case $2 in
	''|*[!A-Za-z0-9.:_@%+,/=-]*)
		echo "rig_ipxe_start: $1: letters, digits and . : _ @ % + , / = - only" >&2
		return 100 ;;
	esac
}

rig_ipxe_start() {
	_ip_initrd='' _ip_append='' _ip_san='' _ip_dir=$T_TMP/tftp
	_ip_set=''	# "setting value" lines for the script
	_n=$#
	while [ "$_n" -gt 0 ]; do
		_a=$1; shift; _n=$((_n - 1))
		case $_a in
		initrd=*) _ip_initrd=${_a#initrd=} ;;
		append=*) _ip_append=${_a#append=} ;;
		sanhook=*) _ip_san=${_a#sanhook=}
			_rig_ipxe_word sanhook "$_ip_san" || return ;;
		initiator=*|username=*|password=*|reverse_username=*|reverse_password=*)
			_k=${_a%%=*}
			_rig_ipxe_word "$_k" "${_a#*=}" || return
			[ "$_k" = initiator ] && _k=initiator-iqn
			_ip_set="$_ip_set
set $(echo "$_k" | tr _ -) ${_a#*=}" ;;
		tftp=*) echo "rig_ipxe_start: the rig makes the TFTP folder" >&2; return 100 ;;
		*) set -- "$@" "$_a" ;;	# rig_start's
		esac
	done
	[ -r "$_ip_initrd" ] || { echo "rig_ipxe_start: no initrd" >&2; return 100; }
	for _w in $_ip_append; do
		case $_w in
		*[\$\'\"\\]*) echo "rig_ipxe_start: append: no \$, quotes or backslashes" >&2
			return 100 ;;
		esac
	done
	[ -n "${RIG_KVER:-}" ] || rig_kernel || return 1
	rm -rf "$_ip_dir" && mkdir -m 700 "$_ip_dir" &&
	cp "$RIG_KERNEL" "$_ip_dir/vmlinuz" && cp "$_ip_initrd" "$_ip_dir/initrd.img" || return 1
	# shellcheck disable=SC2086,SC2116 # one line for the kernel
	_ip_append=$(echo console=ttyS0 panic=-1 quiet $_ip_append)
	(
		umask 077
		echo '#!ipxe'
		echo "echo SANROOT-TEST ipxe_script=\${net0/mac}"
		[ -n "$_ip_set" ] && echo "${_ip_set#?}"
		[ -n "$_ip_san" ] && echo "sanhook $_ip_san &&" \
			"echo SANROOT-TEST ipxe_sanhook=ok || echo SANROOT-TEST ipxe_sanhook=failed"
		echo "kernel vmlinuz $_ip_append || goto failed"
		echo "initrd initrd.img || goto failed"
		echo "echo SANROOT-TEST ipxe_boot=1"
		# SeaBIOS's serial mirror (sercon) copies the cursor's line only when
		# the cursor leaves it: the marker's tail can be lost when the kernel
		# takes over at once. Two empty lines push it out whole.
		echo "echo"
		echo "echo"
		echo "boot ||"
		echo ":failed"
		echo "echo SANROOT-TEST ipxe_failed=\${errno}"
		echo "exit 1"	# to SeaBIOS, which finds nothing else and reboots: QEMU exits
	) >"$_ip_dir/boot.ipxe" || return 1
	rig_start tftp="$_ip_dir" "$@"
}

rig_ipxe_boot() {
	rig_ipxe_start "$@" && rig_wait
}

# The console log without carriage returns.
_rig_log() { tr -d '\r' <"$RIG_LOG"; }

rig_value() {
	# A console reset (ESC c, clear screen) can land inside a marker, and
	# two markers can share a line: escapes go, every marker on a line counts.
	_rig_log | awk -v k="$1" '
		{
			gsub(/\033\[[0-9;?]*[A-Za-z]/, ""); gsub(/\033./, "")
			n = split($0, part, "SANROOT-TEST ")
			for (j = 2; j <= n; j++) {
				m = split(part[j], f, " ")
				for (i = 1; i <= m; i++)
					if (index(f[i], k "=") == 1) v = substr(f[i], length(k) + 2)
			}
		}
		END { print v }'
}

rig_has() {
	_rig_log | grep -q "SANROOT-TEST.* $1="
}

rig_wait_marker() {
	_limit=$(( $(date +%s) + ${2:-60} ))
	while ! rig_has "$1"; do
		kill -0 "$RIG_PID" 2>/dev/null || { rig_has "$1"; return; }
		[ "$(date +%s)" -ge "$_limit" ] && return 1
		sleep 0.1
	done
}

rig_results() {
	_rig_log | sed -n 's/^.*SANROOT-RESULT \(not ok\|ok\) /\1 /p' | while read -r _line; do
		case $_line in
		"not ok "*) echo "not ok $1: ${_line#not ok }" ;;
		*) echo "ok $1: ${_line#ok }" ;;
		esac
	done
	if ! rig_has end; then
		not_ok "$1: the guest did not finish (no end marker)"
		return 1
	fi
}

rig_tail() {
	_rig_log | tail -n "${1:-25}" | sed 's/^/    | /'
}

# A private LAN -------------------------------------------------------------------

RIG_LAN_SERVER=10.0.2.2
RIG_LAN_GUEST=10.0.2.15

rig_lan() {
	_ln_root='' _ln_opts='' _ln_tgt=0 _ln_lease=3600
	for _a; do
		case $_a in
		root_path=*) _ln_root=${_a#root_path=} ;;
		lease=*[!0-9]*|lease=) echo "rig_lan: lease= takes seconds" >&2; return 100 ;;
		lease=*) _ln_lease=${_a#lease=} ;;
		dhcp=*) _ln_opts="$_ln_opts ${_a#dhcp=}" ;;
		tgt) _ln_tgt=1 ;;
		*) echo "rig_lan: unknown option $_a" >&2; return 100 ;;
		esac
	done
	case $_ln_root$_ln_opts in
	*[\"\\]*|*'
'*) echo "rig_lan: no quotes, backslashes or newlines in DHCP options" >&2; return 100 ;;
	esac
	t_netns RIG_LAN_NS lan || { echo "rig_lan: unable to create a namespace" >&2; return 1; }
	RIG_LAN_DIR=$T_TMP/lan
	mkdir -p "$RIG_LAN_DIR" || return 1
	# The guest's side: a persistent tap that QEMU, run inside the namespace,
	# attaches to by name. The namespace takes it along when it goes.
	if ! ip -n "$RIG_LAN_NS" tuntap add dev rig0 mode tap ||
		! ip -n "$RIG_LAN_NS" addr add "$RIG_LAN_SERVER/24" dev rig0 ||
		! ip -n "$RIG_LAN_NS" link set rig0 up; then
		echo "rig_lan: unable to set up the tap rig0 in $RIG_LAN_NS" >&2
		return 1
	fi
	{
		echo "# rig_lan (tests/rig.sh): DHCP only, on rig0 only, nothing of the host's"
		echo "port=0"
		echo "interface=rig0"
		echo "bind-interfaces"
		echo "no-resolv"
		echo "no-hosts"
		echo "no-ping"
		echo "dhcp-authoritative"
		echo "dhcp-range=$RIG_LAN_GUEST,$RIG_LAN_GUEST,255.255.255.0,$_ln_lease"
		echo "dhcp-option=option:router,$RIG_LAN_SERVER"
		[ -n "$_ln_root" ] && echo "dhcp-option=option:root-path,\"$_ln_root\""
		for _o in $_ln_opts; do echo "dhcp-option=$_o"; done
		echo "dhcp-leasefile=$RIG_LAN_DIR/leases"
		echo "pid-file=$RIG_LAN_DIR/dnsmasq.pid"
		echo "log-facility=-"
		echo "log-dhcp"
	} >"$RIG_LAN_DIR/dnsmasq.conf"
	# --conf-file: this file instead of /etc/dnsmasq.conf (and no /etc/dnsmasq.d)
	t_spawn ip netns exec "$RIG_LAN_NS" dnsmasq --keep-in-foreground \
		--conf-file="$RIG_LAN_DIR/dnsmasq.conf" >>"$RIG_LAN_DIR/dnsmasq.log" 2>&1
	RIG_LAN_DNSMASQ=$T_LAST_PID
	if ! wait_for 10 sh -c "ip netns exec '$RIG_LAN_NS' ss -lun | grep -q ':67 '" ||
		! kill -0 "$RIG_LAN_DNSMASQ" 2>/dev/null; then
		echo "rig_lan: dnsmasq did not start:" >&2
		sed 's/^/    | /' "$RIG_LAN_DIR/dnsmasq.log" >&2
		return 1
	fi
	RIG_LAN_ARGS="netns=$RIG_LAN_NS netdev=tap,id=n0,ifname=rig0,script=no,downscript=no"
	if [ "$_ln_tgt" = 1 ]; then
		command -v tgt_start >/dev/null || { echo "rig_lan: tgt needs tests/tgt.sh" >&2; return 100; }
		TGT_NETNS=$RIG_LAN_NS
		tgt_start "$RIG_LAN_SERVER" 3260 || return 1
	fi
}
