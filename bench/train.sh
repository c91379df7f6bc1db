#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Training time and peak memory of the bytepiece pipeline beside
# SentencePiece's spm_train, in the same run on the same corpus, and the
# bytes/token of both models on test-same and test-other.
#
# Usage: bench/train.sh [--dry-run] [TRAIN]
#   TRAIN      one document per line (default train-10m from corpus.sh)
#   --dry-run  print the commands and exit (no corpus, no programs needed)
#
# bytepiece: bp-count -n, bp-prune, bp-count -m, bp-prune -v (DESIGN
# 1.2-1.5) with order BP_ORDER (6), min_count BP_MIN_COUNT (8), vocabulary
# BP_VOCAB (32000), -j SPM_THREADS for each program that has --threads
# (as many threads as SentencePiece and the reference's 2 workers); its time
# is the sum of the steps' wall times, its peak memory the largest
# maximum RSS of a step (GNU time).  SentencePiece: spm_train unigram of
# the same vocabulary, SPM_THREADS (2) threads.  The reference BytePiece
# cannot run here (no numpy); its figures from ANCHORS.md are quoted.

. "$(dirname "$0")/common.sh"

dry=0
case ${1:-} in
  --dry-run) dry=1; shift ;;
  -*) echo "usage: $me [--dry-run] [TRAIN]" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "usage: $me [--dry-run] [TRAIN]" >&2; exit 2; }
train=${1:-$CORPUS_DIR/train-10m.txt}
name=$(basename "$train" .txt)
dir=$BP_BENCH_DIR/train/$name-$(date -u +%Y%m%dT%H%M%SZ)

if [ $dry = 1 ]; then
  BP_BINDIR=${BP_BINDIR:-$BENCH_SRC/../src}
  echo "# in $dir, with BP_BINDIR=$BP_BINDIR:"
  bp_train_steps "$train" "$dir"
  echo "spm_train --input=$train --model_prefix=$dir/spm --vocab_size=$BP_VOCAB" \
       "--num_threads=$SPM_THREADS $SPM_OPTS"
  echo "bp-encode -l -m $dir/bp.model {test-same,test-other}.txt | wc -w"
  echo "spm_encode --model=$dir/spm.model --output_format=id {test-same,test-other}.txt | wc -w"
  exit 0
fi

find_bp
for p in bp-count bp-prune; do
  have_bp $p || die "$BP_BINDIR/$p: not built yet (try --dry-run)"
done
need_pkgs sentencepiece time
[ $# -eq 1 ] || need_corpus
[ -r "$train" ] || die "$train: cannot read"
mkdir -p "$dir"

note "training bytepiece in $dir"
bp_train_into "$train" "$dir"
read -r bp_s bp_mb < <(sum_time "$dir/bp.time")
note "training SentencePiece in $dir"
spm_train_into "$dir" "$BP_VOCAB" "$train"
read -r spm_s spm_mb < <(sum_time "$dir/spm.time")

declare -A bt
for t in test-same test-other; do
  f=$CORPUS_DIR/$t.txt
  [ -r "$f" ] || { bt[bp,$t]=n/a bt[spm,$t]=n/a; continue; }
  bt[bp,$t]=$(bpt "$(fsize "$f")" "$(tokens_bp "$dir/bp.model" "$f")")
  bt[spm,$t]=$(bpt "$(fsize "$f")" "$(tokens_spm "$dir/spm.model" "$f")")
done
bp_v=$(model_vocab "$dir/bp.model")

report=$dir/report.md
{
  echo "# Training on $name ($(fsize "$train") bytes)"
  echo
  machine
  echo "- bytepiece: order $BP_ORDER, min_count $BP_MIN_COUNT, vocabulary $BP_VOCAB; steps:"
  bp_train_steps "$train" "$dir" | paste - "$dir/bp.time" \
    | awk -F '\t' '{ split($2, t, " "); printf "    %s   # %.2f s, %.0f MB\n", $1, t[1], t[2] / 1024 }'
  echo "- SentencePiece: spm_train unigram, vocabulary $BP_VOCAB, $SPM_THREADS threads, $SPM_OPTS"
  echo
  echo "| system | vocab | train wall s | peak MB | bytes/token test-same | bytes/token test-other |"
  echo "|---|--:|--:|--:|--:|--:|"
  echo "| bytepiece | $bp_v | $bp_s | $bp_mb | ${bt[bp,test-same]} | ${bt[bp,test-other]} |"
  echo "| SentencePiece unigram | $BP_VOCAB | $spm_s | $spm_mb | ${bt[spm,test-same]} | ${bt[spm,test-other]} |"
  echo
  echo "bytepiece / SentencePiece: time $(ratio "$bp_s" "$spm_s"), peak memory $(ratio "$bp_mb" "$spm_mb")"
  echo
  echo "The reference BytePiece 0.6.3 and SentencePiece on the same kind of"
  echo "machine, on the anchors' own corpora (ANCHORS.md; the reference cannot"
  echo "run here: no numpy):"
  echo
  echo "| system | corpus | vocab | train wall s | peak MB | bytes/token same | other |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  echo "| BytePiece ref, order 6, min_count 8, 2 workers | 10 MB | 25,866 | 47 | 1,092 | 3.798 | 3.314 |"
  echo "| BytePiece ref, order 6, min_count 32, 2 workers | 50 MB | 30,486 | 237 | 2,733 | 4.020 | 3.495 |"
  echo "| SentencePiece unigram, 2 threads | 10 MB | 32,000 | 9 | 176 | 3.745 | 3.418 |"
  echo "| SentencePiece unigram, 2 threads | 50 MB | 32,000 | 67 | 907 | 3.813 | 3.509 |"
  echo
  echo "Target on 10 MB with min_count 8: the reference's model in <= 4.7 s and <= 270 MB."
  if [ "$name" = train-10m ] && [ "$BP_MIN_COUNT" = 8 ]; then
    echo "bytepiece / reference (10 MB, min_count 8): time $(ratio "$bp_s" 47)," \
         "peak memory $(ratio "$bp_mb" 1092)"
  fi
} | tee "$report"
note "saved in $report"
