#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages sanroot builds and tests with, then build static
# musl archives of its libraries from their Debian source packages, once.
#
#   scripts/deps.sh [--packages-only | --libs-only] [DEPS_DIR]
#
# --libs-only skips the packages (the Debian package's build: its
# Build-Depends are the build's share of them, debian/control).
set -eu

packages_only=0 libs_only=0
case ${1:-} in
--packages-only) packages_only=1; shift ;;
--libs-only) libs_only=1; shift ;;
esac
DEPS=${1:-build/deps}
mkdir -p "$DEPS"
DEPS=$(cd "$DEPS" && pwd)

# Build: gcc, musl, clang for fuzzing, bison/flex for libnl, dev headers for
# the host build. Tests: the real peers (tgtd, dnsmasq, isc-dhcp-server,
# libiscsi, klibc, lvm2), QEMU with Debian's kernel, the image generators, and
# debootstrap for the real root fixture; debhelper, fakeroot and lintian for
# the Debian package (make deb, tests/cmd/deb.sh); pxelinux and syslinux-common
# (pxelinux.0, ldlinux.c32) for the pxelinux boot of tests/vm/deb.sh.
PKGS="build-essential musl-tools clang llvm libclang-rt-14-dev valgrind
 bison flex pkg-config dpkg-dev
 libnl-3-dev libnl-route-3-dev nettle-dev libblkid-dev libdevmapper-dev
 tgt libiscsi-bin dnsmasq-base isc-dhcp-server isc-dhcp-client klibc-utils nftables
 busybox-static lvm2 e2fsprogs iproute2 kmod cpio zstd
 qemu-system-x86 qemu-utils ipxe-qemu linux-image-amd64
 initramfs-tools dracut-core dracut-network open-iscsi hyperfine debootstrap
 debhelper fakeroot lintian pxelinux syslinux-common"

missing=
[ $libs_only = 1 ] && PKGS=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	# Packages such as tgt and isc-dhcp-server start services on install;
	# tests start their own, so keep the package scripts from doing it.
	policy=/usr/sbin/policy-rc.d
	own_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
		own_policy=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
	[ $own_policy = 1 ] && rm -f "$policy"
fi
[ $packages_only = 1 ] && exit 0

# Static archives --------------------------------------------------------
PREFIX=$DEPS/prefix
SRC=$DEPS/src
mkdir -p "$PREFIX/include" "$PREFIX/lib" "$SRC" "$DEPS/kinc"

# musl-gcc has no kernel headers; lend it the system's, after its own.
ln -sfn /usr/include/linux "$DEPS/kinc/linux"
ln -sfn /usr/include/asm-generic "$DEPS/kinc/asm-generic"
ln -sfn /usr/include/x86_64-linux-gnu/asm "$DEPS/kinc/asm"
MUSLCC="musl-gcc -idirafter $DEPS/kinc"
CFLAGS_DEP="-Os -ffunction-sections -fdata-sections -fPIC"
AUTO="ACLOCAL=true AUTOMAKE=true AUTOCONF=true AUTOHEADER=true"

ensure_deb_src() {
	if ! apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -q '^Sources$'; then
		echo "deps: adding deb-src lines" >&2
		cat >/etc/apt/sources.list.d/sanroot-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	fi
}

# fetch PKG: unpack the Debian source package PKG under $SRC, print its dir.
fetch() {
	d=$(find "$SRC" -maxdepth 1 -type d -name "$1-[0-9]*" | head -n 1)
	if [ -z "$d" ]; then
		ensure_deb_src
		(cd "$SRC" && apt-get source -q "$1" >"$SRC/$1.log" 2>&1) ||
			{ echo "deps: apt-get source $1 failed, see $SRC/$1.log" >&2; exit 1; }
		d=$(find "$SRC" -maxdepth 1 -type d -name "$1-[0-9]*" | head -n 1)
	fi
	echo "$d"
}

built() { [ -f "$DEPS/.built-$1" ]; }
mark() { echo "$2" >"$DEPS/.built-$1"; echo "deps: $1 done ($2)"; }

if ! built nettle; then
	d=$(fetch nettle)
	(cd "$d" && CC="$MUSLCC" CFLAGS="$CFLAGS_DEP" ./configure -q --disable-shared \
		--disable-openssl --disable-documentation --disable-public-key \
		--disable-assembler && make -s libnettle.a) >"$DEPS/nettle.log" 2>&1 ||
		{ echo "deps: nettle build failed, see $DEPS/nettle.log" >&2; exit 1; }
	mkdir -p "$PREFIX/include/nettle"
	cp "$d"/*.h "$PREFIX/include/nettle/"
	cp "$d/libnettle.a" "$PREFIX/lib/"
	mark nettle "$(basename "$d")"
fi

if ! built libblkid; then
	d=$(fetch util-linux)
	(cd "$d" && CC="$MUSLCC" CFLAGS="$CFLAGS_DEP" ./configure -q --disable-all-programs \
		--enable-libblkid --disable-shared --enable-static --without-systemd \
		--without-udev --disable-nls && make -s libblkid.la $AUTO) >"$DEPS/libblkid.log" 2>&1 ||
		{ echo "deps: libblkid build failed, see $DEPS/libblkid.log" >&2; exit 1; }
	mkdir -p "$PREFIX/include/blkid"
	cp "$d/libblkid/src/blkid.h" "$PREFIX/include/blkid/"
	cp "$d/.libs/libblkid.a" "$PREFIX/lib/"
	mark libblkid "$(basename "$d")"
fi

if ! built libnl; then
	d=$(fetch libnl3)
	(cd "$d" && CC="$MUSLCC" CFLAGS="$CFLAGS_DEP" ./configure -q --disable-shared \
		--enable-static --disable-cli --disable-debug && \
		make -s lib/libnl-3.la lib/libnl-route-3.la $AUTO) >"$DEPS/libnl.log" 2>&1 ||
		{ echo "deps: libnl build failed, see $DEPS/libnl.log" >&2; exit 1; }
	mkdir -p "$PREFIX/include/libnl3"
	cp -r "$d/include/netlink" "$PREFIX/include/libnl3/"
	cp "$d/lib/.libs/libnl-3.a" "$d/lib/.libs/libnl-route-3.a" "$PREFIX/lib/"
	mark libnl "$(basename "$d")"
fi

if ! built libdevmapper; then
	d=$(fetch lvm2)
	(cd "$d" && CC="$MUSLCC" CFLAGS="$CFLAGS_DEP" ./configure -q --disable-selinux \
		--disable-udev_sync --enable-static_link --disable-readline \
		--disable-dmeventd && make -s -C libdm) >"$DEPS/libdevmapper.log" 2>&1 ||
		{ echo "deps: libdevmapper build failed, see $DEPS/libdevmapper.log" >&2; exit 1; }
	cp "$d/libdm/libdevmapper.h" "$PREFIX/include/"
	cp "$d/libdm/ioctl/libdevmapper.a" "$PREFIX/lib/"
	mark libdevmapper "$(basename "$d")"
fi
