#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Encoding speed of bp-encode beside SentencePiece's spm_encode, in the
# same run on the same text, one thread each, and the bytes/token of both.
#
# Usage: bench/encode.sh [MODEL [TEXT]]
#   MODEL  a bytepiece model (default $BP_SHARED/models/bytepiece_80k.model)
#   TEXT   one document per line (default test-same from corpus.sh)
#
# SentencePiece gets a unigram model of the same vocabulary size trained
# on train-10m (cached in $BP_BENCH_DIR/models/).  Speeds are decimal MB
# (10^6 bytes of TEXT) per wall second, best of BENCH_ROUNDS (3) runs,
# everything included (reading, NFC / NFKC, model load, writing the ids
# to /dev/null); the load alone is timed on an empty file and the speed
# without it is shown too, and the CPU time (user + system, best of the
# same runs; steadier than wall time when the machine is busy).  Both
# encode each line as one document
# (bp-encode -l).  The report is also saved in $BP_BENCH_DIR/runs/.

. "$(dirname "$0")/common.sh"

[ $# -le 2 ] || { echo "usage: $me [MODEL [TEXT]]" >&2; exit 2; }
model=${1:-$BP_SHARED/models/bytepiece_80k.model}
text=${2:-}
find_bp
need_pkgs sentencepiece time
need_corpus
text=${text:-$CORPUS_DIR/test-same.txt}
[ -r "$model" ] || die "$model: cannot read"
[ -r "$text" ] || die "$text: cannot read"

vocab=$(model_vocab "$model") || die "$model: cannot read its vocabulary size"
spm=$(spm_model "$vocab" "$CORPUS_DIR/train-10m.txt") || exit 1
bytes=$(fsize "$text")

bp_label="bp-encode -l"
bp_has bp-encode --threads && bp_label="bp-encode -l -j 1"
enc_bp "$model" "$text" 1
bp_load=$LOAD_S bp_total=$TOTAL_S bp_cpu=$TOTAL_CPU bp_tokens=$TOKENS
enc_spm "$spm" "$text" 1
spm_load=$LOAD_S spm_total=$TOTAL_S spm_cpu=$TOTAL_CPU spm_tokens=$TOKENS

bp_mbps=$(mbps "$bytes" "$bp_total")
bp_mbps_x=$(mbps "$bytes" "$bp_total" "$bp_load")
spm_mbps=$(mbps "$bytes" "$spm_total")
spm_mbps_x=$(mbps "$bytes" "$spm_total" "$spm_load")
bp_mbpc=$(mbps "$bytes" "$bp_cpu")
spm_mbpc=$(mbps "$bytes" "$spm_cpu")

mkdir -p "$BP_BENCH_DIR/runs"
report=$BP_BENCH_DIR/runs/encode-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# Encoding, one thread: $(basename "$model") on $(basename "$text")"
  echo
  machine
  echo "- text: $text, $bytes bytes, $(wc -l < "$text") lines; rounds: best of $BENCH_ROUNDS"
  echo "- bytepiece model: $model (vocabulary $vocab)"
  echo "- SentencePiece model: $spm (unigram, vocabulary $vocab, trained on train-10m)"
  echo
  echo "| encoder | load s | total s | MB/s | MB/s without load | CPU s | MB/CPU s | tokens | bytes/token |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$bp_label" "$bp_load" \
    "$bp_total" "$bp_mbps" "$bp_mbps_x" "$bp_cpu" "$bp_mbpc" "$bp_tokens" \
    "$(bpt "$bytes" "$bp_tokens")"
  printf '| spm_encode | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$spm_load" \
    "$spm_total" "$spm_mbps" "$spm_mbps_x" "$spm_cpu" "$spm_mbpc" "$spm_tokens" \
    "$(bpt "$bytes" "$spm_tokens")"
  echo
  echo "bp-encode / spm_encode speed: $(ratio "$bp_mbps" "$spm_mbps") (wall, everything included)," \
       "$(ratio "$bp_mbps_x" "$spm_mbps_x") (wall, without the model load)," \
       "$(ratio "$bp_mbpc" "$spm_mbpc") (CPU time, everything included)"
} | tee "$report"
note "saved in $report"
