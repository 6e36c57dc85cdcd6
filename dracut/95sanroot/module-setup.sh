#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dracut module: root on an iSCSI LUN with sanroot's static tools in place of
# open-iscsi, lvm2 and dhclient. Included on request (dracut --add sanroot),
# or with --hostonly when the root is on an iSCSI disk. See README, "dracut".
# shellcheck disable=SC2154 # dracut's: initdir, moddir, dracutsysrootdir, hostonly

# The multi-call binary (make install puts it in PREFIX/sbin); SANROOT_BIN
# may point elsewhere (a build tree, tests).
sanroot_bin() {
    local _p
    if [[ $SANROOT_BIN ]]; then
        echo "$SANROOT_BIN"
        return
    fi
    for _p in /usr/sbin/sanroot /usr/local/sbin/sanroot; do
        [[ -x $dracutsysrootdir$_p ]] && break
    done
    echo "$dracutsysrootdir$_p"
}

# dracut's network handlers that call a netroot handler (/sbin/iscsiroot) once
# an interface is up. systemd-networkd calls none.
sanroot_netroot_handler() {
    local _m
    for _m in network-legacy network-manager connman; do
        dracut_module_included "$_m" && return 0
    done
    return 1
}

# called by dracut
check() {
    if ! [[ -x $(sanroot_bin) ]]; then
        dinfo "sanroot: $(sanroot_bin) is missing (make install, or SANROOT_BIN=)"
        return 1
    fi
    require_kernel_modules iscsi_tcp || return 1
    # hostonly: only when the root is on an iSCSI disk
    if [[ $hostonly ]] || [[ $mount_needs ]]; then
        pushd . > /dev/null || return 1
        for_each_host_dev_and_slaves block_is_iscsi
        local _rc=$?
        popd > /dev/null || return 1
        [[ $_rc == 0 ]] || return 255
        return 0
    fi
    return 255
}

# called by dracut
depends() {
    # rootfs-block mounts a root= block device; the NIC drivers come with
    # kernel-network-modules. dracut's network modules are optional: without
    # them sanroot-net brings the interface up.
    echo rootfs-block kernel-network-modules
    return 0
}

# called by dracut
installkernel() {
    # iscsi_tcp pulls libiscsi_tcp, libiscsi and scsi_transport_iscsi; it asks
    # the crypto API for crc32c, which fails without the module.
    hostonly='' instmods iscsi_tcp sd_mod dm_mod crc32c_generic crc32c iscsi_ibft 8021q af_packet
}

# called by dracut
install() {
    local _t _conf

    inst_simple "$(sanroot_bin)" /usr/sbin/sanroot || return 1
    chmod 0755 "$initdir/usr/sbin/sanroot"
    for _t in sanroot-config sanroot-net sanroot-iscsi sanroot-lvm sanroot-pivot sanroot-boot; do
        ln -sfn sanroot "$initdir/usr/sbin/$_t"
    done

    inst_simple "$moddir/sanroot-lib.sh" /lib/sanroot-lib.sh
    inst_script "$moddir/sanroot-dracut.sh" /sbin/sanroot-dracut
    inst_hook cmdline 89 "$moddir/parse-sanroot.sh"
    inst_hook emergency 50 "$moddir/sanroot-emergency.sh"

    # sanroot owns the iSCSI root: dracut's iscsi module, when also included,
    # would log in a second time (iscsiadm and iscsid). Its command-line hook
    # stays out, and /sbin/iscsiroot is sanroot's netroot handler or nothing.
    if dracut_module_included iscsi; then
        rm -f "$initdir/lib/dracut/hooks/cmdline/90-parse-iscsiroot.sh"
        dinfo "sanroot: dracut's iscsi module is inert in this image: sanroot logs in"
    fi
    rm -f "$initdir/sbin/iscsiroot"
    if sanroot_netroot_handler; then
        ln -sfn sanroot-dracut "$initdir/sbin/iscsiroot"
    elif dracut_module_included systemd-networkd; then
        dwarn "sanroot: systemd-networkd calls no netroot handler: sanroot-net configures the interface too"
    fi

    # With systemd, a root= LV is a device unit only when udev knows the
    # dm device's name: the device-mapper rules (Debian's and upstream's names).
    if dracut_module_included systemd; then
        inst_rules 10-dm.rules 13-dm-disk.rules 55-dm.rules 60-persistent-storage-dm.rules 95-dm-notify.rules
    fi

    # Credentials belong here, not on the kernel command line: root only.
    for _conf in /etc/sanroot.conf /etc/iscsi/iscsi.initramfs; do
        [[ -f $dracutsysrootdir$_conf ]] || continue
        mkdir -p "$initdir${_conf%/*}"
        cp "$dracutsysrootdir$_conf" "$initdir$_conf"
        chown 0:0 "$initdir$_conf"
        chmod 0600 "$initdir$_conf"
    done
    [[ $hostonly ]] && [[ -f $dracutsysrootdir/etc/iscsi/initiatorname.iscsi ]] &&
        inst_simple /etc/iscsi/initiatorname.iscsi

    dracut_need_initqueue
}
