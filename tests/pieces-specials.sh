#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# In --format=pieces a piece whose bytes spell a special ("<bos>") must
# not be written as the special, or decoding drops it: it is written with
# its '<' escaped ("\x3cbos>"), and the specials themselves stay <bos>.
. "${srcdir:-.}/init.sh"

# good-tiny.model plus the piece "<bos>" (vocab= dropped from the header).
m=$srcdir/data/good-tiny.model
test -f "$m" || framework_failure "no $m"
last=$(tail -n 1 "$m" | cut -f 1)
{ sed '1s/ vocab=[0-9]*//' "$m"; printf '%d\t<bos>\t1000\n' $((last + 1)); } \
  > "$tmp/model"

printf 'x<bos>y<eos>z<pad>' > "$tmp/in"
bp-encode -m "$tmp/model" --bos --eos -f pieces "$tmp/in" > "$tmp/pieces" \
  || framework_failure "bp-encode failed"
grep -q '^<bos> .*\\x3cbos> .*<eos>$' "$tmp/pieces" \
  || bad "unexpected pieces: $(cat "$tmp/pieces")"
bp-decode -f pieces "$tmp/pieces" > "$tmp/out1" || bad "bp-decode failed"
compare "$tmp/in" "$tmp/out1" || bad "round trip without the model"
bp-decode -m "$tmp/model" -f pieces "$tmp/pieces" > "$tmp/out2" \
  || bad "bp-decode -m failed"
compare "$tmp/in" "$tmp/out2" || bad "round trip with the model"
finish
