#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bp-encode against spm_encode the way issue 13 states its target: one
# thread, everything included (model load, normalisation, writing ids),
# the CPU time of each process (perf stat -e task-clock), the programs
# run in turn within each round so that the machine's other work falls
# on all alike, the least of BENCH_ROUNDS (default 7 here) kept.  Also
# each program on an empty file (the model's load alone), and the ratio
# of what is left (the encoding of the text itself).  With BP_BASE_BINDIR, a
# second bp-encode (say, main before a change) in the same rounds, and
# its output checked to be the same.  bench/encode-sizes.sh gives MB/s
# and memory; this gives the ratio with less noise on a shared machine.
#
# Usage: [BP_BASE_BINDIR=OLD/src] bench/encode-turns.sh [TEXT]
#   TEXT  one document per line (default test-same from corpus.sh)
# The models are those of bench/encode-sizes.sh (run it first: it trains
# and caches them): bytepiece 32000 and 80000 on train-50m and the
# published 240k model, SentencePiece unigram of the same sizes.

BENCH_DEFAULT_ROUNDS=7
. "$(dirname "$0")/common.sh"

find_bp
need_corpus
command -v perf >/dev/null 2>&1 || need_pkgs linux-perf
command -v spm_encode >/dev/null 2>&1 || need_pkgs sentencepiece
text=${1:-$CORPUS_DIR/test-same.txt}
base=${BP_BASE_BINDIR:-}
[ -z "$base" ] || [ -x "$base/bp-encode" ] || die "$base/bp-encode: not found"

# cpu_ms COMMAND...: the CPU milliseconds of COMMAND, its output dropped.
cpu_ms () {
  perf stat -x, -e task-clock -o "$BENCH_TMP/perf" "$@" > /dev/null \
    || die "failed: $*"
  awk -F, '$3 == "task-clock" { printf "%d\n", $1 + 0.5 }' "$BENCH_TMP/perf"
}
least () { echo $(( ${1:-$2} < $2 ? ${1:-$2} : $2 )); }

machine
echo "- text: $text, $(fsize "$text") bytes; the least of $BENCH_ROUNDS rounds, CPU ms (task-clock)"
[ -n "$base" ] && echo "- before: $base/bp-encode, now: $BP_BINDIR/bp-encode"
echo
if [ -n "$base" ]; then
  echo "| size | spm_encode ms | bp-encode before ms | bp-encode now ms | ratio before | ratio now | load before ms | load now ms |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
else
  echo "| size | spm_encode ms | bp-encode ms | ratio | spm_encode load ms | bp-encode load ms | ratio, loads excluded |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
fi
for size in 32000 80000 240000; do
  bpm=$BP_BENCH_DIR/models/bp-train-50m/bp.model.$size
  [ $size = 240000 ] && bpm=$BP_SHARED/models/bytepiece.plus.240k.model
  spm=$BP_BENCH_DIR/models/spm-unigram-$size-train-50m/spm.model
  if [ ! -s "$bpm" ] || [ ! -s "$spm" ]; then
    note "no models of size $size (run bench/encode-sizes.sh first): skipped"
    continue
  fi
  if [ -n "$base" ] \
     && ! cmp -s <("$base/bp-encode" -j 1 -l -m "$bpm" "$text") \
                 <("$BP_BINDIR/bp-encode" -j 1 -l -m "$bpm" "$text"); then
    die "size $size: the two bp-encode write different ids"
  fi
  s='' b='' n='' lb='' ln='' ls=''
  for _ in $(seq "$BENCH_ROUNDS"); do
    s=$(least "$s" "$(cpu_ms spm_encode --model="$spm" --output_format=id "$text")")
    [ -n "$base" ] \
      || ls=$(least "$ls" "$(cpu_ms spm_encode --model="$spm" --output_format=id /dev/null)")
    n=$(least "$n" "$(cpu_ms "$BP_BINDIR/bp-encode" -j 1 -l -m "$bpm" "$text")")
    ln=$(least "$ln" "$(cpu_ms "$BP_BINDIR/bp-encode" -j 1 -l -m "$bpm" /dev/null)")
    if [ -n "$base" ]; then
      b=$(least "$b" "$(cpu_ms "$base/bp-encode" -j 1 -l -m "$bpm" "$text")")
      lb=$(least "$lb" "$(cpu_ms "$base/bp-encode" -j 1 -l -m "$bpm" /dev/null)")
    fi
  done
  label=$((size / 1000))k
  if [ -n "$base" ]; then
    echo "| $label | $s | $b | $n | $(ratio "$s" "$b") | $(ratio "$s" "$n") | $lb | $ln |"
  else
    echo "| $label | $s | $n | $(ratio "$s" "$n") | $ls | $ln | $(ratio $((s - ls)) $((n - ln))) |"
  fi
done
