#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot a VM from an iSCSI root. Not yet: the boot lands with the
# initramfs-tools hook (see README, "Status").
echo "make demo: not yet. The network boot is not assembled yet; see README.md, Status."
echo "What works today: make deps && make static && make check, and"
echo "  build/static/bin/sanroot-config --explain --cmdline '...'"
exit 0
