#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The iSCSI root with sanroot, for dracut: sanroot-boot up to LVM (or up to
# the mounted root when root= names no block device), then dracut goes on.
#
#   sanroot-dracut                    the initqueue job: sanroot-net brings the
#                                     network up
#   iscsiroot NETIF NETROOT NEWROOT   the netroot handler: dracut's network
#                                     modules brought NETIF up
#
# A failure goes to dracut's die, and so to its emergency policy (rd.shell,
# rd.emergency).
PATH=${PATH:+$PATH:}/usr/sbin:/usr/bin:/sbin:/bin
command -v getarg > /dev/null || . /lib/dracut-lib.sh
command -v sanroot_cmdline_args > /dev/null || . /lib/sanroot-lib.sh

NEWROOT=${NEWROOT:-/sysroot}
netif=${1:-}
netroot_arg=${2:-}
[ -n "${3:-}" ] && NEWROOT=$3

# Once: a second interface coming up, or a second call, finds the work done.
[ -e "$SANROOT_RUN/sanroot/boot.env" ] && exit 0

set -- --no-reboot
if [ -n "$netif" ]; then
    # dracut's network is up: sanroot-boot leaves it alone. With root=dhcp,
    # NETROOT is the DHCP root path, which sanroot-boot reads from the lease.
    _rp=
    if getarg root=dhcp > /dev/null || getarg root=dhcp6 > /dev/null ||
        getarg netroot=dhcp > /dev/null || getarg netroot=dhcp6 > /dev/null; then
        _rp=$netroot_arg
    fi
    sanroot_lease "$netif" "$_rp" || [ -z "$_rp" ] ||
        die "sanroot: unable to hand the DHCP root path of $netif to sanroot"
    set -- "$@" --skip net
fi
if sanroot_root_is_ours "$(getarg root=)"; then
    set -- "$@" --until root --newroot "$NEWROOT"
else
    set -- "$@" --until lvm
fi

# shellcheck disable=SC2046 # one option and a path, no blanks
if ! sanroot-boot "$@" $(sanroot_cmdline_args); then
    sanroot_cmdline_done
    die "sanroot: the iSCSI root could not be set up (see the lines above; sanroot-boot --status)"
fi
sanroot_cmdline_done

# The real root's open-iscsi (Debian) adopts the session on this interface,
# and its network configuration leaves the interface up.
sanroot_handover "$netif"
# dracut's shutdown hooks take the root down cleanly
need_shutdown
exit 0
