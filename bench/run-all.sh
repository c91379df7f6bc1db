#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every benchmark side by side, in one run on the same files: bytepiece,
# SentencePiece (spm_train / spm_encode, Debian's sentencepiece) and
# HuggingFace tokenizers (npm package, installed under bench/node_modules,
# encoding with the SentencePiece models converted by spm2hf.js).
# Prints a markdown report and writes it to bench/RESULTS.md.
#
# Usage: bench/run-all.sh [-o FILE]
#
# Rows: the models trained here on train-10m with vocabulary 32000
# (bytepiece, when bp-count and bp-prune are built; SentencePiece
# unigram; HF tokenizers on that SentencePiece model), then the
# pretrained bytepiece_80k beside a SentencePiece unigram model of the
# same vocabulary trained on train-10m, and HF tokenizers on that.
# Columns: training wall time and peak RSS, bytes/token on test-same and
# test-other, encoding MB/s on test-same with one thread and with every
# core (see encode.sh for what is timed; "n/a" where a system cannot).
# Then bench/threads.sh: each multi-threaded bytepiece step with -j 1
# and -j N on train-50m; bench/encode-sizes.sh: bp-encode beside
# spm_encode with models of 32k, 80k and 240k pieces; bench/segment.sh:
# the segmenter alone, cycles per byte by phase, by model and script.
# Takes about 10-20 minutes on 2 cores (the first run trains the models
# of encode-sizes.sh on train-50m, which takes half an hour more).

. "$(dirname "$0")/common.sh"

out=$BENCH_SRC/RESULTS.md
case ${1:-} in
  -o) [ $# -eq 2 ] || { echo "usage: $me [-o FILE]" >&2; exit 2; }; out=$2 ;;
  "") ;;
  *) echo "usage: $me [-o FILE]" >&2; exit 2 ;;
esac

find_bp
need_pkgs sentencepiece time
need_hf
"$BENCH_SRC/corpus.sh" > "$BENCH_TMP/composition" || die "corpus.sh failed"

N=$(nproc)
train=$CORPUS_DIR/train-10m.txt
same=$CORPUS_DIR/test-same.txt
other=$CORPUS_DIR/test-other.txt
bytes_same=$(fsize "$same")
bytes_other=$(fsize "$other")
run=$BP_BENCH_DIR/run-all/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$run"
machine > "$BENCH_TMP/machine"
pretrained=$BP_SHARED/models/bytepiece_80k.model
[ -r "$pretrained" ] || die "$pretrained: cannot read"
v80=$(model_vocab "$pretrained")

# ------------------------------------------------------------- training
if have_bp bp-count && have_bp bp-prune; then
  note "training bytepiece ($BP_VOCAB) on train-10m"
  bp_train_into "$train" "$run/bp"
  read -r bp_s bp_mb < <(sum_time "$run/bp/bp.time")
  bp_model=$run/bp/bp.model
else
  note "bp-count / bp-prune not built: no bytepiece training"
  bp_s=n/a bp_mb=n/a bp_model=
fi
note "training SentencePiece unigram $BP_VOCAB and $v80 on train-10m"
spm_train_into "$run/spm32" "$BP_VOCAB" "$train"
read -r spm32_s spm32_mb < <(sum_time "$run/spm32/spm.time")
spm_train_into "$run/spm80" "$v80" "$train"
read -r spm80_s spm80_mb < <(sum_time "$run/spm80/spm.time")
hf32=$(hf_json "$run/spm32/spm.model")
hf80=$(hf_json "$run/spm80/spm.model")

# --------------------------------------------------------------- encoding
# row TAG NAME VOCAB TRAIN_S PEAK_MB KIND MODEL: one line of the table;
# MBPS[TAG] and MBPC[TAG] keep the one-thread speeds for the ratios.
rows=$BENCH_TMP/rows
: > "$rows"
declare -A MBPS MBPC
row () {
  local tag=$1 name=$2 v=$3 ts=$4 mb=$5 kind=$6 model=$7 t1 c1 load1 tn same_t other_t
  if [ -z "$model" ]; then
    echo "| $name | n/a | $ts | $mb | n/a | n/a | n/a | n/a | n/a | n/a |" >> "$rows"
    return
  fi
  note "encoding: $name"
  "enc_$kind" "$model" "$same" 1
  t1=$TOTAL_S c1=$TOTAL_CPU load1=$LOAD_S same_t=$TOKENS
  "enc_$kind" "$model" "$same" "$N"
  tn=$TOTAL_S
  case $kind in
    bp) other_t=$(tokens_bp "$model" "$other") ;;
    spm) other_t=$(tokens_spm "$model" "$other") ;;
    hf) BENCH_ROUNDS=1 enc_hf "$model" "$other" "$N"; other_t=$TOKENS ;;
  esac
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$v" "$ts" \
    "$mb" "$(bpt "$bytes_same" "$same_t")" "$(bpt "$bytes_other" "$other_t")" \
    "$(mbps "$bytes_same" "$t1")" "$(mbps "$bytes_same" "$c1")" \
    "$(mbps "$bytes_same" "$tn")" "$load1" >> "$rows"
  MBPS[$tag]=$(mbps "$bytes_same" "$t1")
  MBPC[$tag]=$(mbps "$bytes_same" "$c1")
}

bp_v=n/a
[ -n "$bp_model" ] && bp_v=$(model_vocab "$bp_model")
row bp32 "bytepiece (trained here)" "$bp_v" "$bp_s" "$bp_mb" bp "$bp_model"
row spm32 "SentencePiece unigram" "$BP_VOCAB" "$spm32_s" "$spm32_mb" spm "$run/spm32/spm.model"
row hf32 "HF tokenizers Unigram (the SentencePiece model)" "$BP_VOCAB" n/a n/a hf "$hf32"
row bp80 "bytepiece, pretrained bytepiece_80k" "$v80" "-" "-" bp "$pretrained"
row spm80 "SentencePiece unigram" "$v80" "$spm80_s" "$spm80_mb" spm "$run/spm80/spm.model"
row hf80 "HF tokenizers Unigram (the SentencePiece model)" "$v80" n/a n/a hf "$hf80"

# ------------------------------------------------------------- threads
note "timing -j 1 against -j $N (bench/threads.sh)"
"$BENCH_SRC/threads.sh" "$N" > "$BENCH_TMP/threads" || die "threads.sh failed"
note "bp-encode beside spm_encode by vocabulary size (bench/encode-sizes.sh)"
"$BENCH_SRC/encode-sizes.sh" > "$BENCH_TMP/sizes" || die "encode-sizes.sh failed"
note "the segmenter alone, by phase (bench/segment.sh)"
"$BENCH_SRC/segment.sh" > "$BENCH_TMP/segment" || die "segment.sh failed"

# -------------------------------------------------------------- report
bp_threads="n/a: bp-encode has no --threads yet"
bp_has bp-encode --threads && bp_threads="bp-encode -j $N"
hfver=$(node -p "require('$BENCH_SRC/node_modules/tokenizers/package.json').version" 2>/dev/null)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run-all.sh\`; every figure below comes from one run"
  echo "on one machine, so ratios between rows are meaningful; absolute"
  echo "figures depend on the machine and on what else it was doing."
  echo
  cat "$BENCH_TMP/machine"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- HuggingFace tokenizers $hfver (npm), node $(node --version)"
  echo
  echo "| system | vocab | train wall s | train peak MB | bytes/token test-same | bytes/token test-other | encode MB/s, 1 thread | encode MB per CPU s, 1 thread | encode MB/s, $N threads | model load s |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  cat "$rows"
  echo
  echo "Encoding speed ratios, one thread, wall (CPU time in brackets):"
  echo "bytepiece / SentencePiece $(ratio "${MBPS[bp80]:-n/a}" "${MBPS[spm80]:-n/a}")" \
       "($(ratio "${MBPC[bp80]:-n/a}" "${MBPC[spm80]:-n/a}")) with the 80k models," \
       "$(ratio "${MBPS[bp32]:-n/a}" "${MBPS[spm32]:-n/a}")" \
       "($(ratio "${MBPC[bp32]:-n/a}" "${MBPC[spm32]:-n/a}")) with the models trained here;" \
       "bytepiece / HF tokenizers $(ratio "${MBPS[bp80]:-n/a}" "${MBPS[hf80]:-n/a}")" \
       "($(ratio "${MBPC[bp80]:-n/a}" "${MBPC[hf80]:-n/a}")) and" \
       "$(ratio "${MBPS[bp32]:-n/a}" "${MBPS[hf32]:-n/a}")" \
       "($(ratio "${MBPC[bp32]:-n/a}" "${MBPC[hf32]:-n/a}"))."
  echo
  echo "## Threads"
  echo
  cat "$BENCH_TMP/threads"
  echo
  echo "## Encoding by vocabulary size"
  echo
  sed '1s/^# //' "$BENCH_TMP/sizes"
  echo
  echo "## The segmenter alone, by phase"
  echo
  sed '1s/^# //' "$BENCH_TMP/segment"
  echo
  echo "## How it was measured"
  echo
  echo "- Corpora (\`bench/corpus.sh\`, from Debian packages, one document per"
  echo "  line): train-10m to train, test-same (held out from the same sources)"
  echo "  and test-other (other sources) for bytes/token; encoding speed on"
  echo "  test-same.  Composition:"
  echo
  sed 's/^/    /' "$BENCH_TMP/composition"
  echo
  echo "- Training on train-10m.  bytepiece: \`bp-count -n $BP_ORDER\`, \`bp-prune -k $BP_MIN_COUNT\`,"
  echo "  \`bp-count -m\`, \`bp-prune -k $BP_MIN_COUNT -v $BP_VOCAB\` (\`bench/train.sh\`), wall time"
  echo "  summed over the steps, peak = the largest maximum RSS of a step (GNU"
  echo "  time).  Its vocabulary can end below $BP_VOCAB: pruning keeps only pieces"
  echo "  seen $BP_MIN_COUNT times (DESIGN 1.5), as the reference does.  SentencePiece:"
  echo "  \`spm_train $SPM_OPTS --num_threads=$SPM_THREADS\`."
  echo "- Encoding: decimal MB of input per wall second, best of $BENCH_ROUNDS, model"
  echo "  load, normalisation and writing ids to /dev/null included, each line"
  echo "  one document (\`bp-encode -l\`; spm_encode and HF encode lines)."
  echo "  MB per CPU s: the same runs' user + system time, steadier than wall"
  echo "  time when other work shares the machine."
  echo "  $N threads: $bp_threads; SentencePiece: $N spm_encode"
  echo "  processes on $N slices of the text (spm_encode has no threads);"
  echo "  HF: its Rayon pool (RAYON_NUM_THREADS=$N; 1 thread:"
  echo "  TOKENIZERS_PARALLELISM=false).  HF times are taken inside node"
  echo "  (\`bench/hf-encode.js\`: tokenizer load + reading and encoding the file,"
  echo "  \`encodeBatch\` of 1024 lines), without node's own start-up."
  echo "- HF tokenizers cannot train here (its npm \`train()\` takes no options;"
  echo "  see ANCHORS.md), so it encodes with the SentencePiece model converted by"
  echo "  \`bench/spm2hf.js\` (pieces, scores, byte fallback, the normaliser's"
  echo "  character map, whitespace handling): its token counts match"
  echo "  spm_encode's to within a few tokens per million."
  echo "- bytes/token = bytes of the file (LFs included) / tokens."
  echo "- The reference BytePiece 0.6.3 cannot run here (no numpy).  Its figures"
  echo "  on the same kind of machine and a similar corpus (ANCHORS.md): 10 MB,"
  echo "  order 6, min_count 8, 2 workers: 47 s, 1,092 MB, 25,866 pieces, 3.798 /"
  echo "  3.314 bytes/token; pretrained bytepiece_80k encoding at 3.69 MB/s."
} > "$out.tmp" || die "cannot write $out.tmp"
mv "$out.tmp" "$out" || die "cannot write $out"
cp "$out" "$run/RESULTS.md"
cat "$out"
note "written to $out (and $run/)"
