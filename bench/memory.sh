#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Peak memory on input that made the programs grow without bound (issue
# 12), at the sizes of the issue: each case's peak resident set (GNU
# time's %M) and wall time, one line each.  tests/memory-bounds.sh holds
# the same cases, smaller, to a bound in make check; this prints the
# figures.  Each should stay under 100 MB.
#
# Usage: bench/memory.sh
#   30 MB of empty lines: bp-count -n 2 -l -S 16M, bp-encode -l
#   30 MB of {"text": ""} lines: bp-encode --jsonl
#   "a" and 32 MB of U+0301: bp-encode
#   32 MB of 'a' without a chunk end: bp-encode
#   the published 240k model (BP_SHARED) on 5 MB of text: bp-encode -l,
#   beside twice the size of the model file, its bound (issue 13)
#   a 300 MB token: bp-decode (ids), bp-decode -f pieces (with -m and
#   without)
#   a 40 MB --jsonl line whose other member is a 20-million-element
#   array: bp-encode --jsonl, bp-count -n 2 --jsonl
#   a 1 GB --jsonl member: bp-count -n 1 --jsonl (with --skip-invalid,
#   which holds the member until the end of its line, for comparison)
# The model is tests/data/good-tiny.model.

. "$(dirname "$0")/common.sh"

[ $# -eq 0 ] || { echo "usage: $me" >&2; exit 2; }
find_bp
need_pkgs time
model=$BENCH_SRC/../tests/data/good-tiny.model
[ -r "$model" ] || die "$model: cannot read"
cd "$BENCH_TMP" || die "cannot enter $BENCH_TMP"

# gen SIZE CHAR: SIZE bytes of CHAR.
gen () { head -c "$1" /dev/zero | tr '\0' "$2"; }

# peak WHAT INPUT PROG ARG...: run PROG < INPUT (output discarded) and
# print its peak resident set and wall time.
peak () {
  local what=$1 input=$2 prog=$3
  shift 3
  /usr/bin/time -f '%M %e' -o rss "$BP_BINDIR/$prog" "$@" < "$input" \
    > /dev/null 2> err
  local status=$?
  read -r kib secs < <(tail -n 1 rss)
  printf '%-46s %8.1f MB %6s s  (exit %d)\n' "$what" "$((kib))e-3" "$secs" \
    "$status"
}

gen 30000000 '\n' > empty
yes '{"text": ""}' | head -n 2307692 > emptyj
printf a > marks
printf '\314\201' > m
for i in $(seq 24); do cat m m > m2 && mv m2 m; done
cat m >> marks && rm m
gen 33554432 a > run
gen 300000000 1 > ids
gen 300000000 a > pieces
{ printf '{"id": 123456789012345678901234567890, "a": ['
  yes 0, | head -n 20000000 | tr -d '\n'
  printf '1e400], "text": "Hello, world!"}\n'; } > array
{ printf '{"text": "'; yes 'The quick brown fox jumps over the lazy dog.\n' \
    | head -n 22000000 | tr -d '\n'; printf '"}\n'; } > member

machine
echo
peak "bp-count -n 2 -l -S 16M, 30 MB of empty lines" empty \
  bp-count -n 2 -l -S 16M
peak "bp-encode -l, 30 MB of empty lines" empty bp-encode -m "$model" -l
peak "bp-encode --jsonl, 30 MB of empty documents" emptyj \
  bp-encode -m "$model" --jsonl
peak "bp-encode, a and 32 MB of U+0301" marks bp-encode -m "$model"
peak "bp-encode, 32 MB of 'a' without a chunk end" run bp-encode -m "$model"
big=${BP_SHARED:-}/models/bytepiece.plus.240k.model
if [ -r "$big" ]; then
  need_corpus
  peak "bp-encode -l, the 240k model, test-same" "$CORPUS_DIR/test-same.txt" \
    bp-encode -l -j 1 -m "$big"
  # In the unit of the peaks above: KiB / 1000.
  printf '%-46s %8.1f MB\n' "  twice its model file (the bound)" \
    "$(($(fsize "$big") * 2 / 1024))e-3"
fi
peak "bp-decode, a 300 MB id" ids bp-decode -m "$model"
peak "bp-decode -f pieces -m, a 300 MB piece" pieces \
  bp-decode -f pieces -m "$model"
peak "bp-decode -f pieces, a 300 MB piece" pieces bp-decode -f pieces
peak "bp-encode --jsonl, a 20-million-element array" array \
  bp-encode -m "$model" --jsonl
peak "bp-count -n 2 --jsonl, the same" array bp-count -n 2 --jsonl
peak "bp-count -n 1 --jsonl, a 1 GB member" member bp-count -n 1 --jsonl
peak "bp-count -n 1 --jsonl --skip-invalid, the same" member \
  bp-count -n 1 --jsonl --skip-invalid
