# SPDX-License-Identifier: GPL-2.0-only
# The benchmarks' setup (sourced first by bench/boot): the test library and
# the shared rig (tests/lib.sh, tests/tgt.sh, tests/rig.sh, and tests/reflun.sh
# with the images of tests/rows.sh), with TOP set from the script's own place
# (tests/lib.sh guesses it from $0, two levels up). What stays here is the
# benchmark's own: its environment knobs.
#
#   BENCH_N        boots per row (bench/boot -n)
#   IMAGE_REBUILD=1, REFLUN_MEM, REFLUN_TIMEOUT: see tests/reflun.sh
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
. "$BENCH_DIR/../tests/lib.sh"
TOP=$(cd "$BENCH_DIR/.." && pwd)
. "$TOP/tests/tgt.sh"
. "$TOP/tests/rig.sh"
. "$TOP/tests/reflun.sh"
. "$TOP/tests/rows.sh"
BENCH_N=${BENCH_N:-3}
