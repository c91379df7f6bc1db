#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A text model that holds a piece twice is refused with both ids named
# (bp_model_check_unique).  Run under valgrind or ASan, this also catches
# the read of the freed hash table that 7453dcf made in that message.
. "${srcdir:-.}/init.sh"

{
  printf '#bytepiece-model 1 vocab=261\n'
  i=3
  for c in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
    for d in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
      printf '%d\t\\x%s%s\t1\n' $i $c $d
      i=$((i + 1))
    done
  done
  printf '259\tab\t5\n260\tab\t6\n'
} > "$tmp/dup.model" || framework_failure "cannot write the model"

echo "bp-encode: $tmp/dup.model:259: piece of id 260 repeats id 259" \
  > "$tmp/exp"
printf 'ab' | bp-encode -m "$tmp/dup.model" > "$tmp/out" 2> "$tmp/err"
test $? -eq 1 || bad "bp-encode accepted a model with a piece twice"
compare "$tmp/exp" "$tmp/err" || bad "wrong message for a duplicate piece"
test -s "$tmp/out" && bad "bp-encode wrote output for a bad model"
finish
