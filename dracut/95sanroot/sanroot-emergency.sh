#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# dracut emergency hook (sourced): what sanroot brought up, for the console
# and rdsosreport, when the boot stops.
if [ -d /run/sanroot ] && command -v sanroot-boot > /dev/null; then
    echo "sanroot: the state of the iSCSI root (sanroot-boot --status):"
    sanroot-boot --status 2>&1
fi
