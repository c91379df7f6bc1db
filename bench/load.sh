#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What loading a model costs bp-encode: reading the file and building the
# automaton and the scores, with nothing to encode ("bp-encode -m MODEL
# /dev/null").  With BP_BASE_BINDIR, two builds side by side (say, a
# commit before a change and after it), their rounds interleaved so that
# the machine's other work falls on both alike, and the ratio after/before
# (below 1: faster).  Times are the process's CPU time (perf stat -e
# task-clock, the mean of BP_LOAD_RUNS runs, default 10), the best of
# BENCH_ROUNDS (default 5 here) such means; and the peak RSS.
#
# Usage: [BP_BASE_BINDIR=OLD/src] BP_BINDIR=NEW/src bench/load.sh [MODEL...]
#   MODEL  bytepiece models (default: the published 240k model in
#          $BP_SHARED/models and the 80000 and 32000 pieces ones trained on
#          train-50m by bench/encode-sizes.sh, those present)

BENCH_DEFAULT_ROUNDS=5
. "$(dirname "$0")/common.sh"

find_bp
command -v perf >/dev/null 2>&1 || need_pkgs linux-perf
runs=${BP_LOAD_RUNS:-10}
bins=("$BP_BINDIR")
if [ -n "${BP_BASE_BINDIR:-}" ]; then
  [ -x "$BP_BASE_BINDIR/bp-encode" ] || die "$BP_BASE_BINDIR/bp-encode: not found"
  bins=("$BP_BASE_BINDIR" "$BP_BINDIR")
fi

models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  for m in "$BP_SHARED/models/bytepiece.plus.240k.model" \
           "$BP_BENCH_DIR/models/bp-train-50m/bp.model.80000" \
           "$BP_BENCH_DIR/models/bp-train-50m/bp.model.32000"; do
    [ -s "$m" ] && models+=("$m")
  done
  [ ${#models[@]} -gt 0 ] || die "no model found: name some"
fi

# load_ms BINDIR MODEL: the mean CPU milliseconds of RUNS loads.
load_ms () {
  perf stat -x, -e task-clock -r "$runs" -o "$BENCH_TMP/perf" \
    "$1/bp-encode" -m "$2" /dev/null >/dev/null \
    || die "failed: $1/bp-encode -m $2 /dev/null"
  awk -F, '$3 == "task-clock" { printf "%.1f\n", $1 }' "$BENCH_TMP/perf"
}

peak_mib () {
  /usr/bin/time -f %M -o "$BENCH_TMP/time" "$1/bp-encode" -m "$2" /dev/null \
    || die "failed: $1/bp-encode -m $2 /dev/null"
  awk '{ printf "%.1f\n", $1 / 1024 }' "$BENCH_TMP/time"
}

machine
echo "- $runs loads a measure, best of $BENCH_ROUNDS measures; CPU ms (task-clock)"
[ ${#bins[@]} -eq 2 ] && echo "- before: $BP_BASE_BINDIR, after: $BP_BINDIR"
echo
if [ ${#bins[@]} -eq 2 ]; then
  echo "| model | pieces | file MB | before ms | after ms | after/before | before MiB | after MiB |"
  echo "|---|---|---|---|---|---|---|---|"
else
  echo "| model | pieces | file MB | ms | peak MiB |"
  echo "|---|---|---|---|---|"
fi
for m in "${models[@]}"; do
  best_ms=()
  for _ in $(seq "$BENCH_ROUNDS"); do
    for i in "${!bins[@]}"; do
      t=$(load_ms "${bins[$i]}" "$m") || exit 1
      best_ms[i]=$(awk -v a="${best_ms[$i]:-}" -v t="$t" \
                     'BEGIN { print (a == "" || t < a) ? t : a }')
    done
  done
  row="| $(basename "$m") | $(($(model_vocab "$m") - 3)) | $(awk -v s="$(fsize "$m")" 'BEGIN { printf "%.1f", s / 1e6 }')"
  for i in "${!bins[@]}"; do
    row+=" | ${best_ms[$i]}"
  done
  [ ${#bins[@]} -eq 2 ] && row+=" | $(ratio "${best_ms[1]}" "${best_ms[0]}")"
  for i in "${!bins[@]}"; do
    row+=" | $(peak_mib "${bins[$i]}" "$m")"
  done
  echo "$row |"
done
