#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make deb: the Debian package, by dpkg-buildpackage -us -uc -b (debian/).
# dpkg-buildpackage writes the .deb, .buildinfo and .changes next to the
# source tree, in its parent directory: they are moved to build/deb/, with
# the build's log (build/deb/build.log). debian/rules clean runs after the
# build (-tc), so the tree is as it was; build/ is kept (build/deps: the
# static libraries, ~3 min to build once).
set -eu
cd "$(dirname "$0")/.."
if ! command -v dpkg-buildpackage >/dev/null || [ ! -e /usr/share/perl5/Debian/Debhelper/Dh_Lib.pm ]; then
	echo "make deb: dpkg-buildpackage or debhelper is missing (make deps installs dpkg-dev, debhelper, fakeroot, lintian)" >&2
	exit 1
fi
src=$(dpkg-parsechangelog -S Source)
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
parent=$(cd .. && pwd)
out=build/deb
log=$out/build.log

# Whatever dpkg-buildpackage left in the parent directory goes to build/deb,
# also after a failure: our names only.
collect() {
	for f in "$parent/${src}_${version}_"* "$parent/${src}-dbgsym_${version}_"*; do
		[ -e "$f" ] && mv -f "$f" "$out/"
	done
	return 0
}
mkdir -p "$out"
rm -f "$out/${src}_"* "$out/${src}-dbgsym_"* "$log"
collect
rm -f "$out/${src}_"* "$out/${src}-dbgsym_"*
trap collect EXIT

start=$(date +%s)
# A clean environment for debian/rules' make: not this make's flags and jobs.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b -tc >"$log" 2>&1; then
	tail -n 25 "$log" >&2
	echo "make deb: dpkg-buildpackage failed, see $log" >&2
	exit 1
fi
collect
deb=$out/${src}_${version}_$arch.deb
[ -f "$deb" ] || { echo "make deb: no $deb (see $log)" >&2; exit 1; }
echo "make deb: $deb, $(stat -c %s "$deb") bytes, in $(( $(date +%s) - start )) s"
