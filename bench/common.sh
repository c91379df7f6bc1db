# SPDX-License-Identifier: Apache-2.0
# Sourced by the bench/*.sh scripts: directories, programs, Debian
# packages, timing and the steps that several scripts run (training,
# encoding, bytes/token).  Not a test: nothing here runs in make check.
#
# Environment:
#   BP_BENCH_DIR   cache of corpora, models and runs (default bench/data)
#   BP_BINDIR      directory of bp-encode etc. (default: ../src beside
#                  bench/, else bp-encode on PATH)
#   BP_SHARED      the shared directory with models/ (default ../../shared)
#   BENCH_ROUNDS   timing rounds, the best is kept (default 3, or the
#                  script's BENCH_DEFAULT_ROUNDS)
#   SPM_THREADS    spm_train --num_threads (default 2)

# shellcheck disable=SC2034  # the enc_* functions return through globals
set -u
export LC_ALL=C

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BP_BENCH_DIR=${BP_BENCH_DIR:-$BENCH_SRC/data}
BP_SHARED=${BP_SHARED:-$(cd "$BENCH_SRC/../.." && pwd)/shared}
CORPUS_DIR=$BP_BENCH_DIR/corpus
# A script may set BENCH_DEFAULT_ROUNDS before sourcing this file.
BENCH_ROUNDS=${BENCH_ROUNDS:-${BENCH_DEFAULT_ROUNDS:-3}}
SPM_THREADS=${SPM_THREADS:-2}
PY=/usr/bin/python3
me=$(basename "$0")

# SentencePiece's options in every run: a unigram model, byte fallback so
# that it is lossless like BytePiece (no <unk>), and no line skipped for
# length (its default skips lines over 4192 bytes, about 2% of train-10m).
SPM_OPTS="--model_type=unigram --byte_fallback=true --max_sentence_length=1048576"

die () { echo "$me: $*" >&2; exit 1; }
note () { echo "$me: $*" >&2; }

mkdir -p "$BP_BENCH_DIR" || die "cannot create $BP_BENCH_DIR"
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$BENCH_TMP"' EXIT

find_bp () {
  if [ -z "${BP_BINDIR:-}" ]; then
    if [ -x "$BENCH_SRC/../src/bp-encode" ]; then
      BP_BINDIR=$(cd "$BENCH_SRC/../src" && pwd)
    elif command -v bp-encode >/dev/null 2>&1; then
      BP_BINDIR=$(dirname "$(command -v bp-encode)")
    else
      die "bp-encode not found: build bytepiece and set BP_BINDIR=BUILDDIR/src"
    fi
  fi
  [ -x "$BP_BINDIR/bp-encode" ] || die "$BP_BINDIR/bp-encode: not found"
}

have_bp () { [ -x "$BP_BINDIR/$1" ]; }

# bp_has PROG OPTION: does PROG's --help mention OPTION (e.g. --threads)?
bp_has () { have_bp "$1" && "$BP_BINDIR/$1" --help 2>/dev/null | grep -q -e "$2"; }

# need_pkgs PKG...: install the Debian packages that are missing.
need_pkgs () {
  local missing=() p
  for p; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]}"
  note "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 \
         && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get install ${missing[*]} failed"
}

need_corpus () {
  [ -s "$CORPUS_DIR/stamp" ] || "$BENCH_SRC/corpus.sh" >&2 || die "corpus.sh failed"
}

machine () {
  local cpu mem os
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: nproc $(nproc), CPU ${cpu:-unknown}, $mem, $os, Linux $(uname -r)"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every system alike only roughly)"
  echo "- bytepiece: programs in ${BP_BINDIR:-?}, source tree $(git -C "$BENCH_SRC/.." describe --always --dirty 2>/dev/null || echo '?'); sentencepiece $(dpkg-query -W -f='${Version}' sentencepiece 2>/dev/null)"
}

# children_cpu: set CPU_NOW to the user + system seconds of this shell's
# finished children ("times", run in this very process: not in $(...)).
children_cpu () {
  local f=$BENCH_TMP/times.$BASHPID
  times > "$f"
  CPU_NOW=$(awk 'NR == 2 { s = 0
         for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
         printf "%.3f\n", s }' "$f")
}

# wall CMD...: run CMD with stdout to /dev/null; print "WALL CPU", its
# wall seconds and the CPU seconds of it and its children (1/100 s).
wall () {
  local t0 t1 c0 c1
  children_cpu
  c0=$CPU_NOW
  t0=$(date +%s%N)
  "$@" >/dev/null 2>"$BENCH_TMP/wall.err" \
    || { cat "$BENCH_TMP/wall.err" >&2; die "failed: $*"; }
  t1=$(date +%s%N)
  children_cpu
  c1=$CPU_NOW
  awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" \
    'BEGIN { printf "%.4f %.2f\n", (b - a) / 1e9, d - c }'
}

# best CMD...: "WALL CPU", the least of each over BENCH_ROUNDS runs.
best () {
  local _ w="" c="" tw tc
  for _ in $(seq "$BENCH_ROUNDS"); do
    read -r tw tc < <(wall "$@") || exit 1
    w=$(awk -v a="$w" -v t="$tw" 'BEGIN { print (a == "" || t < a) ? t : a }')
    c=$(awk -v a="$c" -v t="$tc" 'BEGIN { print (a == "" || t < a) ? t : a }')
  done
  echo "$w $c"
}

# mbps BYTES SECONDS [MINUS]: decimal MB (10^6 bytes) per second.
mbps () {
  awk -v n="$1" -v s="$2" -v m="${3:-0}" \
    'BEGIN { d = s - m; if (d <= 0) print "n/a"; else printf "%.2f\n", n / d / 1e6 }'
}

ratio () {
  awk -v a="$1" -v b="$2" \
    'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

bpt () { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.3f\n", b / t }'; }

fsize () { stat -c %s "$1"; }

# timed OUT CMD... : run CMD under GNU time (stdout to /dev/null unless CMD
# redirects), appending "wall_s peak_kb" to OUT.
timed () {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$BENCH_TMP/time" "$@" \
    || { cat "$BENCH_TMP/time" >&2; die "failed: $*"; }
  tail -n 1 "$BENCH_TMP/time" >> "$out"
}

# model_vocab MODEL: vocabulary size (with the 3 specials).
model_vocab () {
  if head -c 16 "$1" | grep -q '^#bytepiece-model'; then
    head -n 1 "$1" | tr ' ' '\n' | sed -n 's/^vocab=//p'
  else
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(max(v[0] for v in d.values()) + 1)' "$1"
  fi
}

# ---------------------------------------------------------- SentencePiece

# spm_train_into DIR VOCAB TRAIN: train DIR/spm.model; DIR/spm.time gets
# "wall_s peak_kb".
spm_train_into () {
  local dir=$1 v=$2 train=$3
  mkdir -p "$dir"
  rm -f "$dir/spm.time"
  # shellcheck disable=SC2086
  timed "$dir/spm.time" spm_train --input="$train" --model_prefix="$dir/spm" \
    --vocab_size="$v" --num_threads="$SPM_THREADS" $SPM_OPTS \
    --minloglevel=1 2>"$dir/spm.log" \
    || die "spm_train failed, see $dir/spm.log"
}

# spm_model VOCAB TRAIN: path of a cached unigram model (trained if absent).
spm_model () {
  local dir
  dir=$BP_BENCH_DIR/models/spm-unigram-$1-$(basename "$2" .txt)
  if [ ! -s "$dir/spm.model" ]; then
    note "training SentencePiece unigram $1 on $(basename "$2") (cached in $dir)"
    spm_train_into "$dir" "$1" "$2"
  fi
  echo "$dir/spm.model"
}

# hf_json SPM_MODEL: the same model in HuggingFace tokenizers' JSON form.
hf_json () {
  local out=${1%.model}.hf.json
  [ -s "$out" ] && [ "$out" -nt "$1" ] || node "$BENCH_SRC/spm2hf.js" "$1" "$out" \
    || die "spm2hf.js failed on $1"
  echo "$out"
}

need_hf () {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    need_pkgs nodejs npm
  fi
  [ -d "$BENCH_SRC/node_modules/tokenizers" ] && return 0
  note "installing the npm package tokenizers under $BENCH_SRC/node_modules"
  (cd "$BENCH_SRC" && npm install --no-audit --no-fund >&2) \
    || die "npm install failed"
}

# -------------------------------------------------------------- encoders
# Each enc_* sets LOAD_S (load only: an empty input), TOTAL_S (best wall
# seconds of BENCH_ROUNDS runs on TEXT, everything included), TOTAL_CPU
# (best CPU seconds, user + system, of the same runs: less sensitive than
# wall time to other work on the machine) and TOKENS.  THREADS 1 is one
# thread; N > 1 is N threads (bytepiece -j, HF's thread pool) or N
# spm_encode processes on N slices of the text (spm_encode has no threads).

enc_bp () {   # MODEL TEXT THREADS
  local j=() c
  # -j 1 too: bp-encode's default is a thread per processor
  if bp_has bp-encode --threads; then
    j=(-j "$3")
  elif [ "$3" -gt 1 ]; then
    LOAD_S=n/a TOTAL_S=n/a TOTAL_CPU=n/a TOKENS=n/a
    return
  fi
  : > "$BENCH_TMP/empty"
  read -r LOAD_S c < <(best "$BP_BINDIR/bp-encode" "${j[@]}" -l -m "$1" "$BENCH_TMP/empty")
  read -r TOTAL_S TOTAL_CPU < <(best "$BP_BINDIR/bp-encode" "${j[@]}" -l -m "$1" "$2")
  [ -n "$TOTAL_CPU" ] || die "timing bp-encode failed"
  TOKENS=$("$BP_BINDIR/bp-encode" "${j[@]}" -l -m "$1" "$2" | wc -w)
}

spm_par () {   # MODEL N PREFIX: N spm_encode processes on PREFIX.00..
  local i pids=()
  for i in $(seq 0 $(($2 - 1))); do
    spm_encode --model="$1" --output_format=id \
      "$3$(printf %02d "$i")" >/dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
}

enc_spm () {   # MODEL TEXT PROCS
  local c
  : > "$BENCH_TMP/empty"
  if [ "$3" -gt 1 ]; then
    split -d -n "l/$3" "$2" "$BENCH_TMP/slice."
    LOAD_S=n/a
    read -r TOTAL_S TOTAL_CPU < <(best spm_par "$1" "$3" "$BENCH_TMP/slice.")
    rm -f "$BENCH_TMP"/slice.*
  else
    read -r LOAD_S c < <(best spm_encode --model="$1" --output_format=id "$BENCH_TMP/empty")
    read -r TOTAL_S TOTAL_CPU < <(best spm_encode --model="$1" --output_format=id "$2")
  fi
  [ -n "$TOTAL_CPU" ] || die "timing spm_encode failed"
  TOKENS=$(spm_encode --model="$1" --output_format=id "$2" | wc -w)
}

field () { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

enc_hf () {   # JSON TEXT THREADS
  local out
  if [ "$3" -gt 1 ]; then
    out=$(RAYON_NUM_THREADS=$3 node "$BENCH_SRC/hf-encode.js" "$1" "$2" "$BENCH_ROUNDS")
  else
    out=$(TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 \
          node "$BENCH_SRC/hf-encode.js" "$1" "$2" "$BENCH_ROUNDS")
  fi || die "hf-encode.js failed"
  LOAD_S=$(field "$out" load_s)
  TOTAL_S=$(awk -v l="$LOAD_S" -v e="$(field "$out" encode_s)" \
            'BEGIN { printf "%.4f\n", l + e }')
  TOTAL_CPU=$(awk -v l="$(field "$out" load_cpu_s)" -v e="$(field "$out" encode_cpu_s)" \
            'BEGIN { printf "%.2f\n", l + e }')
  TOKENS=$(field "$out" tokens)
}

# tokens_bp MODEL TEXT / tokens_spm MODEL TEXT: token counts, one
# document per line.
tokens_bp () { "$BP_BINDIR/bp-encode" -l -m "$1" "$2" | wc -w; }
tokens_spm () { spm_encode --model="$1" --output_format=id "$2" | wc -w; }

# ------------------------------------------------------------- training

BP_ORDER=${BP_ORDER:-6}
BP_MIN_COUNT=${BP_MIN_COUNT:-8}
BP_VOCAB=${BP_VOCAB:-32000}

# bp_train_steps TRAIN DIR: the training pipeline (DESIGN 1.2-1.5), one
# command a line, for --dry-run and for bp_train_into.
bp_train_steps () {
  local train=$1 dir=$2 jc="" jp=""
  if bp_has bp-count --threads; then jc="-j $SPM_THREADS "; fi
  if bp_has bp-prune --threads; then jp="-j $SPM_THREADS "; fi
  cat <<EOF
bp-count -l ${jc}-n $BP_ORDER $train > $dir/ngrams.counts
bp-prune ${jp}-k $BP_MIN_COUNT $dir/ngrams.counts > $dir/ngrams.model
bp-count -l ${jc}-m $dir/ngrams.model $train > $dir/pieces.counts
bp-prune ${jp}-k $BP_MIN_COUNT -v $BP_VOCAB $dir/pieces.counts > $dir/bp.model
EOF
}

# bp_train_into TRAIN DIR: run the steps under GNU time; DIR/bp.time gets
# one "wall_s peak_kb" line per step.
bp_train_into () {
  local dir=$2 cmd prog rest out
  mkdir -p "$dir"
  rm -f "$dir/bp.time"
  while IFS= read -r cmd; do
    prog=${cmd%% *}
    rest=${cmd#* }
    out=${rest##*> }
    rest=${rest% > *}
    # shellcheck disable=SC2086,SC2016
    timed "$dir/bp.time" sh -c 'out=$1; shift; exec "$@" > "$out"' sh "$out" \
      "$BP_BINDIR/$prog" $rest || die "failed: $cmd"
  done < <(bp_train_steps "$1" "$dir")
}

# sum_time FILE: "total_wall_s max_peak_mb" over the lines of FILE.
sum_time () {
  awk '{ w += $1; if ($2 > m) m = $2 } END { printf "%.2f %.0f\n", w, m / 1024 }' "$1"
}
