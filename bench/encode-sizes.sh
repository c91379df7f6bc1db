#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bp-encode beside spm_encode, one thread each, in one run, for
# vocabularies of about 32k, 80k and 240k pieces: MB/s per core
# everything included (model load, NFC / NFKC, writing the ids), the
# ratio, and bp-encode's peak RSS beside the size of its model file.
#
# Usage: bench/encode-sizes.sh [TEXT]
#   TEXT  one document per line (default test-same from corpus.sh)
#
# Models, each system trained on the same text, train-50m (cached in
# $BP_BENCH_DIR/models/; the first run trains them, which is long):
#   32k, 80k   bytepiece: the pipeline of train.sh with min_count 2
#              (bp-prune -k 2 -v 32000 -v 80000; train-50m gives at
#              most about 132k pieces so); SentencePiece: unigram
#   240k       bytepiece: the published bytepiece.plus.240k (BP_SHARED);
#              SentencePiece: unigram, --vocab_size=240000
# Speeds are decimal MB of TEXT per second, best of BENCH_ROUNDS: wall
# time and, less sensitive to the machine's other work, CPU time (user +
# system).  Both encode each line as one document (bp-encode -l -j 1).

. "$(dirname "$0")/common.sh"

[ $# -le 1 ] || { echo "usage: $me [TEXT]" >&2; exit 2; }
find_bp
need_pkgs sentencepiece time
need_corpus
text=${1:-$CORPUS_DIR/test-same.txt}
[ -r "$text" ] || die "$text: cannot read"
bytes=$(fsize "$text")

train=$CORPUS_DIR/train-50m.txt

# The bytepiece models.
bpdir=$BP_BENCH_DIR/models/bp-train-50m
if [ ! -s "$bpdir/bp.model.80000" ]; then
  note "training bytepiece on train-50m (cached in $bpdir)"
  mkdir -p "$bpdir"
  "$BP_BINDIR/bp-count" -q -l -n 6 "$train" > "$bpdir/ngrams.counts" \
    && "$BP_BINDIR/bp-prune" -q -k 2 "$bpdir/ngrams.counts" > "$bpdir/ngrams.model" \
    && "$BP_BINDIR/bp-count" -q -l -m "$bpdir/ngrams.model" "$train" \
         > "$bpdir/pieces.counts" \
    && "$BP_BINDIR/bp-prune" -q -k 2 -v 32000 -v 80000 -o "$bpdir/bp.model" \
         "$bpdir/pieces.counts" \
    || die "training bytepiece failed"
fi

bp_models=("$bpdir/bp.model.32000" "$bpdir/bp.model.80000"
           "$BP_SHARED/models/bytepiece.plus.240k.model")
spm_models=()
for v in 32000 80000 240000; do
  spm_models+=("$(spm_model "$v" "$train")") || exit 1
done

mkdir -p "$BP_BENCH_DIR/runs"
report=$BP_BENCH_DIR/runs/encode-sizes-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# Encoding, one thread, by vocabulary size: $(basename "$text")"
  echo
  machine
  echo "- text: $text, $bytes bytes, $(wc -l < "$text") lines; rounds: best of $BENCH_ROUNDS"
  echo
  echo "| size | bytepiece model (pieces) | SentencePiece model (pieces) | bp-encode MB/s | spm_encode MB/s | ratio | bp-encode MB/CPU s | spm_encode MB/CPU s | ratio, CPU | bp-encode load s | bp-encode peak RSS MB | model file MB |"
  echo "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  for i in 0 1 2; do
    bm=${bp_models[$i]} sm=${spm_models[$i]}
    [ -s "$bm" ] || die "$bm: missing"
    enc_bp "$bm" "$text" 1
    bp_total=$TOTAL_S bp_cpu=$TOTAL_CPU bp_load=$LOAD_S
    enc_spm "$sm" "$text" 1
    spm_total=$TOTAL_S spm_cpu=$TOTAL_CPU
    : > "$BENCH_TMP/rss"
    timed "$BENCH_TMP/rss" "$BP_BINDIR/bp-encode" -j 1 -l -m "$bm" "$text" > /dev/null
    rss=$(awk '{ printf "%.1f", $2 / 1024 }' "$BENCH_TMP/rss")
    bp_mbps=$(mbps "$bytes" "$bp_total") spm_mbps=$(mbps "$bytes" "$spm_total")
    bp_mbpc=$(mbps "$bytes" "$bp_cpu") spm_mbpc=$(mbps "$bytes" "$spm_cpu")
    printf '| %s | %s (%s) | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
      "$(echo "32k 80k 240k" | cut -d' ' -f$((i + 1)))" \
      "$(basename "$(dirname "$bm")")/$(basename "$bm")" "$(model_vocab "$bm")" \
      "$(basename "$(dirname "$sm")")" "$(wc -l < "${sm%.model}.vocab")" \
      "$bp_mbps" "$spm_mbps" "$(ratio "$bp_mbps" "$spm_mbps")" \
      "$bp_mbpc" "$spm_mbpc" "$(ratio "$bp_mbpc" "$spm_mbpc")" "$bp_load" \
      "$rss" "$(awk -v b="$(fsize "$bm")" 'BEGIN { printf "%.1f", b / 1048576 }')"
  done
} | tee "$report"
note "saved in $report"
