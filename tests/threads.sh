#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -j N gives byte-identical output for every N (DESIGN.md section 4):
# bp-encode in every document mode and format, with sampling, and on a
# line too long to be one span (encoded inline as a stream); and the
# training pipeline, bp-count of both kinds and bp-prune.
. "${srcdir:-.}/init.sh"

model=$srcdir/data/good-tiny.model
if test -d "${BP_SHARED:-$srcdir/../../shared}/vectors"; then
  require_shared
  model=$shared/models/bytepiece.zh.id.eu.40k.model
  cat "$shared"/vectors/encode/*.txt > "$tmp/in.txt"
else
  # No vectors: generate mixed text with many lines and LF runs.
  awk 'BEGIN { for (i = 0; i < 20000; i++) {
      printf "line %d: the abc 中文 aaaa héllo", i
      for (j = 0; j < i % 4; j++) printf "\n"
      printf "\n" } }' > "$tmp/in.txt"
fi
# Make it big enough for several batches of about a megabyte.
for i in 1 2 3; do cat "$tmp/in.txt"; done > "$tmp/big.txt"
printf '{"text": "%s"}\n' "one" "two\\nthree" "" > "$tmp/in.jsonl"

check ()
{
  name=$1; shift
  bp-encode -j1 "$@" > "$tmp/j1" || { bad "$name: -j1 failed"; return; }
  for j in 2 3 7; do
    bp-encode -j$j "$@" > "$tmp/j$j" || { bad "$name: -j$j failed"; continue; }
    cmp -s "$tmp/j1" "$tmp/j$j" || bad "$name: -j$j differs from -j1"
  done
}

check file -m "$model" "$tmp/big.txt"
check lines -m "$model" -l "$tmp/big.txt"
check pieces -m "$model" -f pieces --bos --eos "$tmp/big.txt"
check u32 -m "$model" -f u32 -l --eos "$tmp/big.txt"
check jsonl -m "$model" --jsonl "$tmp/in.jsonl" "$tmp/in.jsonl"
check sample -m "$model" --alpha 0.3 --seed 42 "$tmp/big.txt"
check sample-lines -m "$model" -l --alpha 0 --seed 7 "$tmp/big.txt"

# A 6 MB line without LF goes through in pieces; mixed with short lines.
awk 'BEGIN { printf "short\n"; for (i = 0; i < 600000; i++) printf "abcé中文 xy"; printf "\nend\n" }' \
  > "$tmp/long.txt"
check long -m "$model" "$tmp/long.txt" "$tmp/in.txt"
check long-sample -m "$model" --alpha 1 --seed 3 "$tmp/long.txt"

# And it still decodes to the input.
bp-encode -j3 -m "$model" "$tmp/long.txt" | bp-decode -m "$model" > "$tmp/back" \
  || bad "decode failed"
cmp -s "$tmp/long.txt" "$tmp/back" || bad "-j3 round trip of the long line differs"

# Training: bp-count (both kinds) and bp-prune give the same bytes for
# every N, on the t1 corpus when the vectors are there.
corpus=$tmp/big.txt
test -n "${shared:-}" && corpus=$shared/vectors/train/t1/corpus.txt
train ()
{
  j=$1
  bp-count -j$j -n 6 "$corpus" > "$tmp/ng.$j" \
    && bp-prune -j$j -k 8 "$tmp/ng.$j" > "$tmp/nm.$j" \
    && bp-count -j$j -m "$tmp/nm.$j" "$corpus" > "$tmp/pc.$j" \
    && bp-prune -j$j -k 8 -v 8000,2000 -o "$tmp/model.$j" "$tmp/pc.$j" \
    || bad "training with -j$j failed"
}
train 1
for j in 2 3 7; do
  train $j
  for f in ng nm pc; do
    cmp -s "$tmp/$f.1" "$tmp/$f.$j" || bad "training: $f differs with -j$j"
  done
  for v in 8000 2000; do
    test -s "$tmp/model.1.$v" || bad "training: no model.1.$v"
    cmp -s "$tmp/model.1.$v" "$tmp/model.$j.$v" \
      || bad "training: the $v model differs with -j$j"
  done
done

# -j must be a count.
bp-encode -j x -m "$model" < /dev/null 2> "$tmp/err"; test $? = 2 || bad "-j x: status"
finish
