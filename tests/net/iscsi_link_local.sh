#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# iSCSI over IPv6 link-local addresses, against tgtd on the other end of a
# veth pair (two network namespaces, no global IPv6 address anywhere):
# a portal with a zone ([fe80::...%c0]) logs in and reads; SendTargets through
# it answers with the address alone (tgt says the connection's own address),
# and the listing carries the zone; a portal without a zone is refused with a
# one-line reason; a login redirection to a link-local address (tgt's
# RedirectAddress, another tgtd on the same link) takes the zone of the
# connection that was redirected.
set -u
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/tgt.sh"
. "$TOP/tests/iscsi.sh"

IQN=iqn.2024-01.org.sanroot.test:ll
IQN_R=iqn.2024-01.org.sanroot.test:ll-redirected
LUN=$(lun_file disk.img 4 random)
head -c 1048576 "$LUN" >"$T_TMP/first.mib"

t_netns S lls && t_netns C llc || { not_ok "link-local: no network namespaces"; exit 0; }
ip link add s0 netns "$S" type veth peer name c0 netns "$C" &&
	ip -n "$S" link set s0 up && ip -n "$C" link set c0 up ||
	{ not_ok "link-local: no veth pair"; exit 0; }

# ll NS DEV: the interface's link-local address once duplicate address detection is done
ll() { ip -n "$1" -6 addr show dev "$2" scope link | awk '/inet6/ && !/tentative/ { sub("/.*", "", $2); print $2 }'; }
both_ready() { [ -n "$(ll "$S" s0)" ] && [ -n "$(ll "$C" c0)" ]; }
if ! wait_for 10 both_ready; then
	not_ok "link-local: no link-local addresses (IPv6 off?)"
	exit 0
fi
LL=$(ll "$S" s0)

# The client runs in its namespace.
printf '#!/bin/sh\nexec ip netns exec %s %s "$@"\n' "$C" "$SI_BIN" >"$T_TMP/si-in-ns"
chmod +x "$T_TMP/si-in-ns"
SI_BIN=$T_TMP/si-in-ns

PORT=$(free_port)
TGT_NETNS=$S
tgt_start '[::]' "$PORT" || { not_ok "link-local: tgtd did not start"; exit 0; }
tgt_target 1 $IQN && tgt_lun 1 1 "$LUN" || { not_ok "link-local: tgtd setup failed"; exit 0; }

# ---- a zone: the portal works, and SendTargets' answer gets it
si discover "[$LL%c0]:$PORT"
expect_out "discover through [link-local%c0]: the answer's portal takes the zone" "[$LL%c0]:$PORT,1 $IQN"
si read "$IQN@[$LL%c0]:$PORT" 1 0 1M
if [ "$SI_RC" = 0 ] && cmp -s "$SI_OUT" "$T_TMP/first.mib"; then
	ok "read through [link-local%c0]: the LUN's first MiB"
else
	not_ok "read through [link-local%c0]: exit $SI_RC: $(tail -n 1 "$SI_ERR")"
fi

# ---- no zone: which link? a one-line reason, no connection tried
si read "$IQN@[$LL]:$PORT" 1 0 1M
expect_rc "a link-local portal without a zone is refused" 111 "is link-local: name the interface too"
[ "$(wc -l <"$SI_ERR")" -le 2 ] && ok "... in a line" || not_ok "... in a line: $(cat "$SI_ERR")"

# ---- a redirection to a link-local address: the zone of the link it came by
PORT_R=$(free_port)
C_R=$((TGT_C + 1))
while [ -e "/var/run/tgtd/socket.$C_R" ]; do C_R=$((C_R + 1)); done
t_spawn ip netns exec "$S" tgtd -f -C "$C_R" --iscsi "portal=[::]:$PORT_R" >>"$T_TMP/tgtd.r.log" 2>&1
TGT_R_PID=$T_LAST_PID
adm_r() { tgtadm -C "$C_R" --lld iscsi "$@"; }
if wait_for 10 adm_r --op show --mode system >/dev/null &&
	adm_r --op new --mode target --tid 1 -T $IQN_R && adm_r --op bind --mode target --tid 1 -I ALL &&
	adm_r --op new --mode logicalunit --tid 1 --lun 1 -b "$LUN" &&
	tgt_target 2 $IQN_R &&
	tgt_adm --op update --mode target --tid 2 --name RedirectAddress --value "[$LL]" &&
	tgt_adm --op update --mode target --tid 2 --name RedirectPort --value "$PORT_R" &&
	tgt_adm --op update --mode target --tid 2 --name RedirectReason --value Temporary; then
	si --verbose read "$IQN_R@[$LL%c0]:$PORT" 1 0 1M
	if [ "$SI_RC" = 0 ] && cmp -s "$SI_OUT" "$T_TMP/first.mib" &&
		grep -qF "logged in to $IQN_R at [$LL%c0]:$PORT_R" "$SI_ERR"; then
		ok "a redirection to [link-local]:port is followed on the same link, and reads"
	else
		not_ok "a redirection to [link-local]:port: exit $SI_RC: $(tail -n 2 "$SI_ERR" | tr '\n' ' ')"
	fi
	# tgt passes RedirectAddress through as given; bare IPv6 is ambiguous
	tgt_adm --op update --mode target --tid 2 --name RedirectAddress --value "$LL"
	si read "$IQN_R@[$LL%c0]:$PORT" 1 0 1M
	expect_rc "a bare IPv6 TargetAddress is refused, and said" 111 "IPv6 address without brackets"
else
	not_ok "link-local: the redirected tgtd did not start"
	sed 's/^/    | /' "$T_TMP/tgtd.r.log"
fi
adm_r --op delete --mode system >/dev/null 2>&1
kill -9 "$TGT_R_PID" 2>/dev/null
rm -f "/var/run/tgtd/socket.$C_R" "/var/run/tgtd/socket.$C_R.lock"
tgt_stop
