#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dracut module: root on an iSCSI LUN with sanroot's static tools in place of
# open-iscsi, lvm2 and dhclient. Included on request (dracut --add sanroot),
# or with --hostonly when the root is on an iSCSI disk. See README, "dracut".
# shellcheck disable=SC2154 # dracut's: initdir, moddir, dracutsysrootdir, hostonly

# sanroot's shared hooks (make install: PREFIX/share/sanroot/hooks): the
# policy initramfs-tools' hook follows too. SANROOT_HOOKS may point
# elsewhere; from the source tree (this directory linked into dracut's
# modules.d), the tree's hooks/.
sanroot_hooks() {
    local _d
    for _d in "${SANROOT_HOOKS:-}" "$(readlink -f "$moddir")/../../hooks" \
        /usr/share/sanroot/hooks /usr/local/share/sanroot/hooks; do
        if [[ $_d ]] && [[ -r $_d/sanroot-image.sh ]]; then
            echo "$_d"
            return 0
        fi
    done
    derror "sanroot: unable to find sanroot's hooks (sanroot-image.sh; make install, or SANROOT_HOOKS=)"
    return 1
}

# hooks/sanroot-image.sh's functions, once
sanroot_image() {
    local _d
    command -v sanroot_image_bin > /dev/null && return 0
    _d=$(sanroot_hooks) || return 1
    # shellcheck source=hooks/sanroot-image.sh
    . "$_d/sanroot-image.sh"
}

# The multi-call binary (make install puts it in PREFIX/sbin); SANROOT_BIN
# may point elsewhere (a build tree, tests).
sanroot_bin() {
    sanroot_image || return 1
    sanroot_image_bin "$dracutsysrootdir"
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
    # rootfs-block mounts a root= block device. dracut's network modules are
    # optional: without them sanroot-net brings the interface up, and the
    # NIC drivers are this module's (installkernel).
    echo rootfs-block
    return 0
}

# called by dracut
installkernel() {
    # The modules sanroot-boot names (--print-modules, as for initramfs-tools);
    # instmods brings their dependencies and skips built-ins.
    local _mods
    sanroot_image || return 1
    if ! _mods=$(sanroot_image_modules "$(sanroot_bin)"); then
        derror "sanroot: $(sanroot_bin) does not run here: unable to read its module list"
        return 1
    fi
    # shellcheck disable=SC2086 # one name a word
    hostonly='' instmods $_mods
    # The NICs an iSCSI root is reached by: the wired ones with the PHY and
    # MDIO drivers they use, and the virtual machines'. Not every driver
    # that makes a net device, as kernel-network-modules adds them (USB
    # and WWAN modems, tunnels, Thunderbolt, Xen's backend; it still comes
    # with dracut's network modules). In a host-only image, instmods keeps
    # those the host has loaded.
    instmods '=drivers/net/ethernet' '=drivers/net/phy' '=drivers/net/mdio' \
        virtio_net vmxnet3 hv_netvsc xen-netfront
}

# called by dracut
install() {
    local _t _tools _warning

    sanroot_image || return 1
    if ! _tools=$(sanroot_image_tools "$(sanroot_bin)"); then
        derror "sanroot: $(sanroot_bin) does not run here: unable to read its tool names"
        return 1
    fi
    inst_simple "$(sanroot_bin)" /usr/sbin/sanroot || return 1
    chmod 0755 "$initdir/usr/sbin/sanroot"
    for _t in $_tools; do
        ln -sfn sanroot "$initdir/usr/sbin/$_t"
    done

    inst_simple "$(sanroot_hooks)/sanroot-initrd.sh" /lib/sanroot/sanroot-initrd.sh || return 1
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

    # The NIC has the real root's name in the initramfs too (ens2, not the
    # kernel's eth0, as in initramfs-tools' image): udev's net_setup_link
    # names it by the root's .link files. dracut's network modules bring them;
    # an image without them would have none.
    inst_multiple -o "${systemdnetwork}/99-default.link"
    [[ $hostonly ]] && inst_multiple -H -o "${systemdnetworkconfdir}/*.link"

    # With systemd, a root= LV is a device unit only when udev knows the
    # dm device's name: the device-mapper rules (Debian's and upstream's names).
    if dracut_module_included systemd; then
        inst_rules 10-dm.rules 13-dm-disk.rules 55-dm.rules 60-persistent-storage-dm.rules 95-dm-notify.rules
    fi

    # The credentials files, root's, 0600 (SANROOT_CONF and
    # SANROOT_ISCSI_INITRAMFS name others). dracut writes a new image 0600
    # (its umask 077) and keeps an existing one's mode with --force.
    sanroot_image_secrets inst_simple "$initdir" "$dracutsysrootdir" || return 1
    _warning=$(sanroot_image_warning "$(sanroot_image_mode "${outfile:-}" 077)" \
        "dracut keeps an existing image's mode: chmod 0600 it, or remove it first")
    [[ $_warning ]] && dwarn "$_warning"
    [[ $hostonly ]] && [[ -f $dracutsysrootdir/etc/iscsi/initiatorname.iscsi ]] &&
        inst_simple /etc/iscsi/initiatorname.iscsi

    dracut_need_initqueue
}
