#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Two builds of bytepiece side by side, in the same run: each training
# step and bp-encode timed with the programs of BP_BASE_BINDIR (say, a
# commit before a change) and of BP_BINDIR (after it), the rounds of the
# two interleaved so that the machine's other work falls on both alike,
# the best of BENCH_ROUNDS kept (wall and CPU seconds: on a loaded
# machine CPU time moves less), and the ratios after/before printed
# (below 1: faster).  The outputs of the two builds must be identical.
#
# Usage: BP_BASE_BINDIR=OLD/src BP_BINDIR=NEW/src bench/builds.sh [TRAIN [TEXT]]
#   TRAIN  the corpus to train on (default train-10m from corpus.sh)
#   TEXT   the text to encode (default train-50m, so that encoding takes
#          seconds, not a fraction of one)
#
# Steps, one thread each (-j 1, so that the load of the machine moves the
# figures less): bp-count -n BP_ORDER (6), bp-prune -k BP_MIN_COUNT (8),
# bp-count -m, bp-prune -v BP_VOCAB (32000), bp-encode of TEXT with that
# model.

. "$(dirname "$0")/common.sh"

[ $# -le 2 ] || { echo "usage: $me [TRAIN [TEXT]]" >&2; exit 2; }
[ -n "${BP_BASE_BINDIR:-}" ] || die "set BP_BASE_BINDIR to the programs to compare with"
find_bp
for d in "$BP_BASE_BINDIR" "$BP_BINDIR"; do
  for p in bp-count bp-prune bp-encode; do
    [ -x "$d/$p" ] || die "$d/$p: not found"
  done
done
if [ $# -eq 0 ]; then
  need_corpus
fi
train=${1:-$CORPUS_DIR/train-10m.txt}
text=${2:-$CORPUS_DIR/train-50m.txt}
order=${BP_ORDER:-6} k=${BP_MIN_COUNT:-8} vocab=${BP_VOCAB:-32000}

# step NAME CMD...: CMD with "@B" standing for a build's directory and
# "@O" for its output directory; both builds, interleaved, best of
# BENCH_ROUNDS; prints a row of the table.
step () {
  local name=$1; shift
  local b d w c bw="" aw="" bc="" ac="" args a
  for _ in $(seq "$BENCH_ROUNDS"); do
    for b in base new; do
      if [ $b = base ]; then d=$BP_BASE_BINDIR; else d=$BP_BINDIR; fi
      args=()
      for a in "$@"; do
        a=${a//@B/$d}
        args+=("${a//@O/$BENCH_TMP/$b}")
      done
      read -r w c < <(wall "${args[@]}") || exit 1
      if [ $b = base ]; then
        bw=$(least "$bw" "$w") bc=$(least "$bc" "$c")
      else
        aw=$(least "$aw" "$w") ac=$(least "$ac" "$c")
      fi
    done
  done
  printf '| %s | %.2f | %.2f | %s | %.2f | %.2f | %s |\n' "$name" "$bw" "$aw" \
    "$(ratio "$aw" "$bw")" "$bc" "$ac" "$(ratio "$ac" "$bc")"
}

least () { awk -v a="$1" -v t="$2" 'BEGIN { print (a == "" || t < a) ? t : a }'; }

mkdir -p "$BENCH_TMP/base" "$BENCH_TMP/new"
echo "# bytepiece: two builds, same run"
echo
machine
echo "- before: $BP_BASE_BINDIR; after: $BP_BINDIR"
echo "- train: $train ($(fsize "$train") bytes), order $order, -k $k, -v $vocab; encode: $text ($(fsize "$text") bytes); best of $BENCH_ROUNDS rounds, interleaved"
echo
echo "| step (-j 1) | wall before s | wall after s | after/before | CPU before s | CPU after s | after/before |"
echo "|---|---|---|---|---|---|---|"
step "bp-count -n $order" '@B/bp-count' -j 1 -n "$order" -o @O/ngrams "$train"
step "bp-prune -k $k" '@B/bp-prune' -j 1 -k "$k" -o @O/ngram.model @O/ngrams
step "bp-count -m" '@B/bp-count' -j 1 -m @O/ngram.model -o @O/pieces "$train"
step "bp-prune -v $vocab" '@B/bp-prune' -j 1 -v "$vocab" -o @O/bp.model @O/pieces
step "bp-encode" '@B/bp-encode' -j 1 -m @O/bp.model -o @O/ids "$text"
echo
for f in ngrams ngram.model pieces bp.model ids; do
  cmp -s "$BENCH_TMP/base/$f" "$BENCH_TMP/new/$f" \
    || die "the two builds wrote different $f"
done
echo "The two builds wrote identical counts, models and ids."
