#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shell functions of dracut's sanroot module (sourced after dracut-lib.sh):
# what is dracut's own. The claim, the quoting and the handover are
# hooks/sanroot-initrd.sh's, shared with initramfs-tools.

# shellcheck source=hooks/sanroot-initrd.sh
command -v sanroot_claim > /dev/null || . /lib/sanroot/sanroot-initrd.sh

SANROOT_CMDLINE_FILE=/tmp/sanroot.cmdline

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
            echo "DEVICE=$(sanroot_quote "$_sr_if")"
            if [ -n "$new_ip_address" ]; then
                echo "PROTO='dhcp'"
                echo "IPV4ADDR=$(sanroot_quote "$new_ip_address")"
            else
                echo "PROTO='none'"
            fi
            if [ -n "$new_subnet_mask" ]; then
                echo "IPV4NETMASK=$(sanroot_quote "$new_subnet_mask")"
            fi
            if [ -n "$new_routers" ]; then
                echo "IPV4GATEWAY=$(sanroot_quote "${new_routers%% *}")"
            fi
            if [ -n "$_sr_rp" ]; then
                echo "ROOTPATH=$(sanroot_quote "$_sr_rp")"
            fi
        } > "$SANROOT_RUN/net-$_sr_if.conf.tmp" &&
            mv -f "$SANROOT_RUN/net-$_sr_if.conf.tmp" "$SANROOT_RUN/net-$_sr_if.conf"
    )
}
