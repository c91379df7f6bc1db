#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Round trips over the reference texts (DESIGN.md sections 1.6, 1.7):
# bp-decode (bp-encode X) is NFC (X), byte for byte, for every text of
# ../shared/vectors/encode under each of the three models there, in every
# --format, with --bos/--eos, in --lines mode, and is X itself with
# --no-normalize.  NFC (X) is what the reference ids decode to: the vector
# README says their pieces concatenate to the NFC form of the input.
. "${srcdir:-.}/init.sh"
require_shared
shared=$(cd "$shared" && pwd) || framework_failure "cannot enter $shared"

v=$shared/vectors/encode
models="80k=$shared/models/bytepiece_80k.model
zh40k=$shared/models/bytepiece.zh.id.eu.40k.model
t1-8000=$shared/vectors/train/t1/model.8000.json"

# The whole-file texts, in a fixed order, by their names in $v (so that
# word splitting is safe).  Chunks never cross documents, so encoding them
# in one run (each FILE is a document) is the same as encoding each alone,
# and one cmp checks them all.
cd "$v" || framework_failure "cannot enter $v"
texts=
for txt in *.txt; do
  test "$txt" = lines.txt || texts="$texts $txt"
done
test -n "$texts" || framework_failure "no texts in $v"

# NFC of each text once, from the t1 ids (the cheapest model to load);
# expected.lf is the same with a LF added to each text that lacks one,
# which is what --lines mode restores.
: > "$tmp/nfc" && : > "$tmp/nfc.lf" && : > "$tmp/raw" && : > "$tmp/raw.lf" \
  || framework_failure "cannot write in $tmp"
for txt in $texts; do
  name=$(basename "$txt" .txt)
  bp-decode -m "$shared/vectors/train/t1/model.8000.json" \
    "$name.t1-8000.ids" > "$tmp/one" \
    || framework_failure "cannot decode $name.t1-8000.ids"
  cat "$tmp/one" >> "$tmp/nfc"
  cat "$txt" >> "$tmp/raw"
  cat "$tmp/one" >> "$tmp/nfc.lf"
  cat "$txt" >> "$tmp/raw.lf"
  if test -s "$txt" && test "$(tail -c 1 "$txt" | od -An -tx1)" != " 0a"; then
    echo >> "$tmp/nfc.lf"
    echo >> "$tmp/raw.lf"
  fi
done
bp-decode -l -m "$shared/vectors/train/t1/model.8000.json" \
  lines.t1-8000.ids > "$tmp/lines.nfc" \
  || framework_failure "cannot decode lines.t1-8000.ids"

# check WHAT EXPECTED ACTUAL: compare, saying where they differ.
check ()
{
  if cmp -s "$2" "$3"; then
    return 0
  fi
  bad "$1: decoded output differs from the expected text"
  cmp "$2" "$3" >&2
}

for mm in $models; do
  m=${mm%%=*} model=${mm#*=}

  # The reference ids of every model decode to the same NFC text.
  ids=
  for txt in $texts; do
    ids="$ids $(basename "$txt" .txt).$m.ids"
  done
  # shellcheck disable=SC2086
  bp-decode -m "$model" $ids > "$tmp/ref" || bad "$m: bp-decode of the reference failed"
  check "$m: reference ids" "$tmp/nfc" "$tmp/ref"

  # Whole files, every format, with and without <bos>/<eos>.
  formats="ids pieces u32"
  test $m = 80k || formats="$formats u16"
  for f in $formats; do
    for specials in "" "--bos --eos"; do
      what="$m --format=$f $specials"
      # shellcheck disable=SC2086
      bp-encode -m "$model" -f $f $specials $texts > "$tmp/enc" \
        || bad "$what: bp-encode failed"
      bp-decode -m "$model" -f $f "$tmp/enc" > "$tmp/dec" \
        || bad "$what: bp-decode failed"
      check "$what" "$tmp/nfc" "$tmp/dec"
    done
  done

  # bp-decode reads the pieces form without a model too.
  bp-encode -m "$model" -f pieces $texts > "$tmp/enc" || bad "$m: bp-encode -f pieces failed"
  bp-decode -f pieces "$tmp/enc" > "$tmp/dec" || bad "$m: bp-decode -f pieces without -m failed"
  check "$m pieces without a model" "$tmp/nfc" "$tmp/dec"

  # --no-normalize gives the input back exactly.
  bp-encode -m "$model" --no-normalize $texts > "$tmp/enc" \
    || bad "$m --no-normalize: bp-encode failed"
  bp-decode -m "$model" "$tmp/enc" > "$tmp/dec" || bad "$m --no-normalize: bp-decode failed"
  check "$m --no-normalize" "$tmp/raw" "$tmp/dec"

  # --lines: every text, and the one made of documents per line, in every
  # format.  The binary forms have no line ends: <eos> marks them.
  for f in $formats; do
    specials=--eos
    test $f = ids && specials=
    test $f = pieces && specials="--bos --eos"
    what="$m --lines --format=$f $specials"
    # shellcheck disable=SC2086
    bp-encode -l -m "$model" -f $f $specials lines.txt > "$tmp/enc" \
      || bad "$what: bp-encode failed"
    bp-decode -l -m "$model" -f $f "$tmp/enc" > "$tmp/dec" \
      || bad "$what: bp-decode failed"
    check "$what lines.txt" "$tmp/lines.nfc" "$tmp/dec"
  done
  bp-encode -l -m "$model" $texts > "$tmp/enc" || bad "$m --lines: bp-encode failed"
  bp-decode -l -m "$model" "$tmp/enc" > "$tmp/dec" || bad "$m --lines: bp-decode failed"
  check "$m --lines" "$tmp/nfc.lf" "$tmp/dec"
  bp-encode -l --no-normalize -m "$model" -f u32 --eos $texts lines.txt \
    > "$tmp/enc" || bad "$m --lines --no-normalize: bp-encode failed"
  bp-decode -l -m "$model" -f u32 "$tmp/enc" > "$tmp/dec" \
    || bad "$m --lines --no-normalize: bp-decode failed"
  cat "$tmp/raw.lf" lines.txt > "$tmp/exp"
  check "$m --lines --no-normalize" "$tmp/exp" "$tmp/dec"
done

# The vocabulary of the 80k model does not fit in 16 bits: refused.
bp-encode -m "$shared/models/bytepiece_80k.model" -f u16 /dev/null \
  > "$tmp/out" 2> "$tmp/err"
status=$?
test $status = 2 || bad "u16 with the 80k model: status $status, not 2"
cat > "$tmp/exp" <<'EOF'
bp-encode: --format=u16 cannot hold the ids of a vocabulary of 79896
Try 'bp-encode --help' for more information.
EOF
compare "$tmp/exp" "$tmp/err" || bad "u16 with the 80k model: wrong message"
test -s "$tmp/out" && bad "u16 with the 80k model wrote output"

finish
