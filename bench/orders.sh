#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What a high n-gram order costs (issue 14): bp-count -n N for orders 6
# (the default; the 64-bit fast path), 8 and 12 (the general path of
# wider keys) on the same text in one run, one thread, all in memory:
# wall and CPU seconds (best of BENCH_ROUNDS), peak resident set (GNU
# time's %M), the records and size of the count file, and each order's
# CPU time and memory as a ratio to the first order's (CPU time, as the
# wall time of a shared machine moves with its load).  Then the same for the other
# step that reads the corpus, bp-count -m, with each order's model
# (bp-prune -k 8).
#
# Usage: bench/orders.sh [TEXT]
#   TEXT  a few MB of text, one document (default: the 2 MB corpus of
#         ../shared/vectors/train/t1, twice, 4.1 MB)
#   BP_ORDERS  the orders (default "6 8 12")

. "$(dirname "$0")/common.sh"

[ $# -le 1 ] || { echo "usage: $me [TEXT]" >&2; exit 2; }
find_bp
need_pkgs time
orders=${BP_ORDERS:-6 8 12}
if [ $# -eq 1 ]; then
  text=$1
else
  t1=$BP_SHARED/vectors/train/t1/corpus.txt
  [ -r "$t1" ] || die "$t1: cannot read (give a TEXT)"
  text=$BENCH_TMP/text.txt
  cat "$t1" "$t1" > "$text"
fi
[ -r "$text" ] || die "$text: cannot read"

machine
echo "- text: $text, $(fsize "$text") bytes"
echo "- commands: bp-count -j 1 -n N TEXT; bp-prune -k 8; bp-count -j 1 -m MODEL TEXT"
echo
printf '%-22s %8s %8s %9s %11s %9s %7s %7s\n' step wall_s cpu_s peak_MB \
  records out_MB cpu_x mem_x

# peak OUT CMD...: the peak resident set of CMD in KiB, its output in OUT.
peak () {
  local out=$1
  shift
  /usr/bin/time -f '%M' -o "$BENCH_TMP/rss" "$@" > "$out" \
    2> "$BENCH_TMP/err" || { cat "$BENCH_TMP/err" >&2; die "failed: $*"; }
  tail -n 1 "$BENCH_TMP/rss"
}

# row STEP OUT BASE_CPU BASE_KIB CMD...: one line of the table; sets
# ROW_CPU and ROW_KIB.
row () {
  local step=$1 out=$2 bc=$3 bk=$4 w c kib
  shift 4
  read -r w c < <(best "$@") || exit 1
  kib=$(peak "$out" "$@")
  ROW_CPU=$c ROW_KIB=$kib
  printf '%-22s %8.2f %8.2f %9.1f %11d %9.1f %7s %7s\n' "$step" "$w" "$c" \
    "$((kib))e-3" "$(($(wc -l < "$out") - 1))" "$(fsize "$out")e-6" \
    "$(ratio "$c" "${bc:-$c}")" "$(ratio "$kib" "${bk:-$kib}")"
}

bc="" bk=""
for n in $orders; do
  row "bp-count -n $n" "$BENCH_TMP/ngrams.$n" "$bc" "$bk" \
    "$BP_BINDIR/bp-count" -q -j 1 -n "$n" "$text"
  [ -n "$bc" ] || { bc=$ROW_CPU bk=$ROW_KIB; }
  "$BP_BINDIR/bp-prune" -q -k 8 -o "$BENCH_TMP/model.$n" \
    "$BENCH_TMP/ngrams.$n" || die "bp-prune -k 8 failed"
done
bc="" bk=""
for n in $orders; do
  row "bp-count -m (order $n)" "$BENCH_TMP/pieces.$n" "$bc" "$bk" \
    "$BP_BINDIR/bp-count" -q -j 1 -m "$BENCH_TMP/model.$n" "$text"
  [ -n "$bc" ] || { bc=$ROW_CPU bk=$ROW_KIB; }
done
