# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the sanroot-iscsi suites (sourced after tests/lib.sh and tests/tgt.sh).
#
#   si ARGS...                 run sanroot-iscsi without the host's boot plan; output in
#                              $SI_OUT and $SI_ERR, exit status in $SI_RC
#   expect_rc NAME RC WORDS    ok if the last si exited RC and WORDS is in its stderr
#   secret_file NAME VALUE     a mode 0600 file holding VALUE; prints its path
#   lun_file NAME MIB [random] a backing file for a LUN; prints its path

SI_BIN=$SANROOT_BIN/sanroot-iscsi
SI_OUT=$T_TMP/si.out
SI_ERR=$T_TMP/si.err

si() {
	"$SI_BIN" --no-plan "$@" >"$SI_OUT" 2>"$SI_ERR"
	SI_RC=$?
	return $SI_RC
}

expect_rc() {
	if [ "$SI_RC" != "$2" ]; then
		not_ok "$1: exit $SI_RC, want $2: $(tail -n 2 "$SI_ERR" | tr '\n' ' ')"
	elif [ -n "${3:-}" ] && ! grep -qF -- "$3" "$SI_ERR"; then
		not_ok "$1: stderr lacks '$3': $(tail -n 2 "$SI_ERR" | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

# expect_out NAME WORDS: ok if the last si succeeded and WORDS is in its stdout
expect_out() {
	if [ "$SI_RC" != 0 ]; then
		not_ok "$1: exit $SI_RC: $(tail -n 2 "$SI_ERR" | tr '\n' ' ')"
	elif ! grep -qF -- "$2" "$SI_OUT"; then
		not_ok "$1: stdout lacks '$2': $(head -c 300 "$SI_OUT" | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

secret_file() {
	(umask 077 && printf '%s\n' "$2" >"$T_TMP/$1")
	echo "$T_TMP/$1"
}

lun_file() {
	if [ "${3:-}" = random ]; then
		head -c $(($2 * 1048576)) /dev/urandom >"$T_TMP/$1"
	else
		truncate -s "${2}M" "$T_TMP/$1"
	fi
	echo "$T_TMP/$1"
}
