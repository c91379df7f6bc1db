#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The unigram segmenter alone, by phase, for several model sizes and the
# script of the text: cycles per byte of the automaton's transitions
# (one chunk after the other, and several in lockstep as bp-encode walks
# them), of reading the candidates of each byte, and of the score
# updates and the path (also timed alone: the segmenter after the walk);
# and the segmenter's MB/s per core.  See
# bench/segbench.c; built here with "make bench/segbench".
#
# Usage: bench/segment.sh [MODEL...]
#   MODEL  bytepiece models (default: the ones trained on train-50m by
#          bench/encode-sizes.sh, 8000 / 32000 / 80000 / 160000 pieces
#          asked, those present, and the published models in
#          $BP_SHARED/models)
#
# Texts, from test-same (corpus.sh), one line a document, cut as
# bp-encode -l cuts them, at most 1 MB each: ascii (lines of ASCII prose),
# cjk (lines at least half CJK characters), code (ASCII lines dense in
# the punctuation of code), mixed (test-same itself).  Times are the
# thread's CPU time, best of BENCH_ROUNDS (default 5 here).

BENCH_DEFAULT_ROUNDS=5
. "$(dirname "$0")/common.sh"

find_bp
need_corpus
top=$(cd "$BP_BINDIR/.." && pwd)
make -s -C "$top" bench/segbench >&2 || die "cannot build bench/segbench in $top"
seg=$top/bench/segbench

tdir=$BP_BENCH_DIR/scripts
if [ ! -s "$tdir/stamp" ] || [ "$tdir/stamp" -ot "$CORPUS_DIR/test-same.txt" ]; then
  mkdir -p "$tdir"
  "$PY" - "$CORPUS_DIR/test-same.txt" "$tdir" <<'EOF' || die "cannot split test-same"
import sys
src, out = sys.argv[1], sys.argv[2]
limit = 1_000_000
files = {k: open(f"{out}/{k}.txt", "wb") for k in ("ascii", "cjk", "code")}
size = dict.fromkeys(files, 0)
def cjk(c):
    o = ord(c)
    return 0x3000 <= o <= 0x9fff or 0xf900 <= o <= 0xfaff or 0xff00 <= o <= 0xffef
for raw in open(src, "rb"):
    line = raw.decode("utf-8", "replace")
    n = len(line) or 1
    if raw.isascii():
        sym = sum(line.count(c) for c in "{}();=<>[]$#")
        kind = "code" if sym >= 0.04 * n else "ascii"
    elif sum(map(cjk, line)) >= 0.5 * n:
        kind = "cjk"
    else:
        continue
    if size[kind] + len(raw) <= limit:
        files[kind].write(raw)
        size[kind] += len(raw)
EOF
  head -c 1000000 "$CORPUS_DIR/test-same.txt" | sed '$d' > "$tdir/mixed.txt"
  date > "$tdir/stamp"
fi

if [ $# -gt 0 ]; then
  models=("$@")
else
  models=()
  for v in 8000 32000 80000 160000; do
    m=$BP_BENCH_DIR/models/bp-train-50m/bp.model.$v
    [ -s "$m" ] && models+=("$m")
  done
  for m in bytepiece.zh.id.eu.40k bytepiece_80k bytepiece.plus.240k; do
    [ -s "$BP_SHARED/models/$m.model" ] && models+=("$BP_SHARED/models/$m.model")
  done
fi

mkdir -p "$BP_BENCH_DIR/runs"
report=$BP_BENCH_DIR/runs/segment-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# The segmenter alone, cycles per byte by phase"
  echo
  machine
  echo "- segbench: $seg, best of $BENCH_ROUNDS rounds (thread CPU time)"
  echo
  echo "| model | pieces | automaton MB | text | bytes/chunk | candidates/byte | failure links/byte | transitions | transitions, lockstep | candidates | scores and path | Viterbi and path alone | segmenter | MB/s |"
  echo "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  for m in "${models[@]}"; do
    for t in ascii cjk code mixed; do
      out=$("$seg" "$m" "$tdir/$t.txt" "$BENCH_ROUNDS") || die "segbench failed on $m"
      echo "$out" | awk -v model="$(basename "$m")" -v text="$t" '
        /^model/ { pieces = $3; mb = $10; gsub(/[(]/, "", mb) }
        /^text/ { bpc = $8; gsub(/[(]/, "", bpc); cand = $10; fail = $13 }
        /^cycles/ { gsub(/[(),;]/, " "); split($0, f, " +")
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
            model, pieces, mb, text, bpc, cand, fail, $6, $7, $11, $15, $24, $17, $18 }'
    done
  done
} | tee "$report"
note "saved in $report"
