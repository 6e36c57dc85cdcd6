#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# dracut cmdline hook (sourced): sanroot claims the boot when its plan names an
# iSCSI target (netroot=iscsi:, root=iscsi:, rd.iscsi.*, the iscsi_*
# parameters, /etc/sanroot.conf, iscsi.initramfs, the iBFT), takes it from
# DHCP (root=dhcp) or asks for the firmware's (rd.iscsi.firmware,
# iscsi_firmware): sanroot_claim, as initramfs-tools' script does.
# The login then runs once the network is up: as the netroot handler
# (/sbin/iscsiroot) when dracut's network modules bring it up, otherwise as an
# initqueue job in which sanroot-net does.
# shellcheck disable=SC2034,SC2154 # dracut's: rootok, root, netroot, hookdir

command -v sanroot_cmdline_args > /dev/null || . /lib/sanroot-lib.sh

# sanroot-config's message, when the plan cannot be read, is on stderr (the
# console and the journal).
# shellcheck disable=SC2046 # one option and a path, no blanks
if ! _sr_claim=$(sanroot_claim $(sanroot_cmdline_args)); then
    sanroot_cmdline_done
    die "sanroot: the boot plan cannot be read (see the line above; sanroot-config --explain)"
fi
sanroot_cmdline_done

if [ -n "$_sr_claim" ]; then
    info "sanroot: the root is on iSCSI; sanroot logs in"
    rootok=1
    [ -z "$root" ] && root=iscsi

    if command -v iscsiroot > /dev/null; then
        # dracut's network modules run "iscsiroot NETIF NETROOT NEWROOT" for a
        # netroot of type iscsi once NETIF is up; with root=dhcp, 40network
        # sets netroot=dhcp itself and passes on the DHCP root path.
        if [ "$_sr_claim" != dhcp ]; then
            case $root in
                iscsi:*) netroot=$root ;;
                *)
                    netroot=iscsi:
                    for _sr_n in $(getargs netroot=); do
                        case $_sr_n in iscsi:*)
                            netroot=$_sr_n
                            break
                            ;;
                        esac
                    done
                    ;;
            esac
        fi
    else
        initqueue --settled --onetime --unique --name sanroot sanroot-dracut
    fi

    # The initqueue waits until sanroot is done (with root=dhcp and dracut's
    # network, 40network's own check waits for the mounted root).
    if ! command -v iscsiroot > /dev/null || [ "$_sr_claim" != dhcp ]; then
        echo "[ -e $SANROOT_RUN/sanroot/boot.env ]" > "$hookdir/initqueue/finished/sanroot.sh"
    fi
fi
unset _sr_claim _sr_n
