#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# How each multi-threaded step scales from 1 thread to N: bp-encode,
# bp-count -n, bp-count -m and bp-prune -v (re-segmentation), each timed
# with -j 1 and -j N on the same text in the same run, best of
# BENCH_ROUNDS, everything included (model load, normalisation, output).
# It also checks that the outputs of -j 1 and -j N are byte-identical.
#
# Usage: bench/threads.sh [N [TEXT]]
#   N      threads to compare with one (default: nproc)
#   TEXT   one document per line (default train-50m from corpus.sh: a
#          larger text than the encode table's, so that what does not
#          divide, such as loading a model, weighs less)
#
# The models: bytepiece_80k from BP_SHARED/models for bp-encode; the
# n-gram model and piece counts that bp-count and bp-prune need are
# made here from TEXT with the settings of train.sh.

. "$(dirname "$0")/common.sh"

[ $# -le 2 ] || { echo "usage: $me [N [TEXT]]" >&2; exit 2; }
n=${1:-$(nproc)}
case $n in ''|*[!0-9]*|0|1) die "N must be a number of threads above 1" ;; esac
find_bp
for p in bp-encode bp-count bp-prune; do
  bp_has $p --threads || die "$BP_BINDIR/$p: no --threads"
done
need_pkgs time
[ $# -eq 2 ] || need_corpus
text=${2:-$CORPUS_DIR/train-50m.txt}
[ -r "$text" ] || die "$text: cannot read"
model80k=$BP_SHARED/models/bytepiece_80k.model
[ -r "$model80k" ] || die "$model80k: cannot read (set BP_SHARED)"

w=$BENCH_TMP/threads
mkdir -p "$w"
note "preparing the n-gram model and piece counts from $(basename "$text")"
"$BP_BINDIR/bp-count" -l -n "$BP_ORDER" "$text" -o "$w/ngrams.counts" \
  && "$BP_BINDIR/bp-prune" -k "$BP_MIN_COUNT" "$w/ngrams.counts" -o "$w/ngrams.model" \
  && "$BP_BINDIR/bp-count" -l -m "$w/ngrams.model" "$text" -o "$w/pieces.counts" \
  || die "preparing the models failed"

# step NAME PROG ARGS...: time PROG -j 1 and -j N, compare their outputs,
# and print a table row.
step () {
  local name=$1 prog=$2 s1 c1 sn cn
  shift 2
  note "timing $name"
  read -r s1 c1 < <(best "$BP_BINDIR/$prog" -j 1 "$@")
  read -r sn cn < <(best "$BP_BINDIR/$prog" -j "$n" "$@")
  "$BP_BINDIR/$prog" -j 1 "$@" > "$w/out.1" || die "$prog failed"
  "$BP_BINDIR/$prog" -j "$n" "$@" > "$w/out.n" || die "$prog failed"
  local same=yes
  cmp -s "$w/out.1" "$w/out.n" || same=NO
  echo "| $name | $s1 | $sn | $(ratio "$s1" "$sn") | $c1 | $cn | $same |"
}

bytes=$(fsize "$text")
echo "Threads: 1 against $n on $(basename "$text") ($bytes bytes), best of $BENCH_ROUNDS."
echo "Wall seconds, everything included; CPU seconds are user + system."
echo
echo "| step | wall s, 1 thread | wall s, $n threads | speed-up | CPU s, 1 | CPU s, $n | same output |"
echo "|---|--:|--:|--:|--:|--:|:-:|"
step "bp-encode -l, bytepiece_80k" bp-encode -l -m "$model80k" "$text"
step "bp-count -l -n $BP_ORDER" bp-count -l -n "$BP_ORDER" "$text"
step "bp-count -l -m (n-gram model)" bp-count -l -m "$w/ngrams.model" "$text"
step "bp-prune -k $BP_MIN_COUNT -v $BP_VOCAB" bp-prune -k "$BP_MIN_COUNT" -v "$BP_VOCAB" "$w/pieces.counts"
