#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shell functions of dracut's sanroot module (sourced after dracut-lib.sh).

SANROOT_CMDLINE_FILE=/tmp/sanroot.cmdline
# where sanroot-boot leaves boot.env and the lease files are (tests move it)
SANROOT_RUN=${SANROOT_RUN:-/run}

# sanroot_cmdline_args: the plan's source for sanroot's tools. They read
# /proc/cmdline; dracut reads /etc/cmdline.d/*.conf and /etc/cmdline too
# (--hostonly-cmdline, --kernel-cmdline). When the image has those, the whole
# command line as dracut sees it goes into a root-only file in the
# initramfs (never /run), which the tools read instead; sanroot_cmdline_done
# removes it.
sanroot_cmdline_args() {
    for _sr_f in /etc/cmdline /etc/cmdline.d/*.conf; do
        [ -s "$_sr_f" ] || continue
        (
            umask 077
            getcmdline > "$SANROOT_CMDLINE_FILE"
        ) || return 1
        echo "--cmdline-file $SANROOT_CMDLINE_FILE"
        return 0
    done
}

sanroot_cmdline_done() {
    rm -f "$SANROOT_CMDLINE_FILE"
}

# sanroot_root_is_ours: root= names no block device (root=iscsi:..., root=dhcp,
# or no root= with netroot=), so sanroot mounts the first iSCSI disk itself.
sanroot_root_is_ours() {
    case "$(getarg root=)" in
        "" | iscsi | iscsi:* | dhcp | dhcp6) return 0 ;;
    esac
    return 1
}

# _sanroot_quote VALUE: VALUE single-quoted for a shell-sourced file.
_sanroot_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# sanroot_lease NETIF [ROOTPATH]: the address dracut's network modules gave
# NETIF, as klibc's /run/net-NETIF.conf, which sanroot-boot reads for the
# interface it reports and, with root=dhcp, for the root path. A root path
# carrying CHAP credentials is refused: secrets never go into /run.
sanroot_lease() {
    _sr_if=$1 _sr_rp=${2:-}
    case $_sr_if in
        "" | */* | .*) return 1 ;;
    esac
    case $_sr_rp in
        *@*)
            warn "sanroot: the DHCP root path carries credentials; put them in /etc/sanroot.conf"
            return 1
            ;;
    esac
    (
        new_ip_address='' new_subnet_mask='' new_routers=''
        # shellcheck disable=SC1090 # dhclient-script's own record, as dracut sources it
        [ -e "/tmp/dhclient.$_sr_if.dhcpopts" ] && . "/tmp/dhclient.$_sr_if.dhcpopts"
        {
            echo "DEVICE=$(_sanroot_quote "$_sr_if")"
            if [ -n "$new_ip_address" ]; then
                echo "PROTO='dhcp'"
                echo "IPV4ADDR=$(_sanroot_quote "$new_ip_address")"
            else
                echo "PROTO='none'"
            fi
            if [ -n "$new_subnet_mask" ]; then
                echo "IPV4NETMASK=$(_sanroot_quote "$new_subnet_mask")"
            fi
            if [ -n "$new_routers" ]; then
                echo "IPV4GATEWAY=$(_sanroot_quote "${new_routers%% *}")"
            fi
            if [ -n "$_sr_rp" ]; then
                echo "ROOTPATH=$(_sanroot_quote "$_sr_rp")"
            fi
        } > "$SANROOT_RUN/net-$_sr_if.conf.tmp" &&
            mv -f "$SANROOT_RUN/net-$_sr_if.conf.tmp" "$SANROOT_RUN/net-$_sr_if.conf"
    )
}
