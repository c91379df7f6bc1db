#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The whole training pipeline reproduces the reference's every stage, byte
# for byte, for the five cases of ../shared/vectors/train (DESIGN.md
# section 6): bp-count -n (n-gram counts), bp-prune -k (the n-gram model),
# bp-count -m (piece counts), bp-prune -k -v (the models, text and JSON).
# The vectors hold records only, so each header line is checked apart.
. "${srcdir:-.}/init.sh"
require_shared

# param FILE KEY: the value of KEY in a params.txt.
param () { sed -n "s/^$2=//p" "$1"; }

n=0
for dir in "$shared"/vectors/train/t*; do
  t=${dir##*/}
  p=$dir/params.txt
  test -f "$p" || framework_failure "missing $p"
  corpus=$dir/$(param "$p" corpus)
  order=$(param "$p" order)
  k=$(param "$p" min_count)
  maxlen=$(param "$p" max_piece_length)
  sizes=$(param "$p" vocab_sizes)
  opts=
  test "$(param "$p" mode)" = lines && opts="$opts --lines"
  test "$(param "$p" isolate_digits)" = 1 && opts="$opts --isolate-digits"
  eu=
  test "$(param "$p" ensure_unicode)" = 0 && eu=--no-ensure-unicode

  # records WANT.gz FILE: the records of FILE equal the vector's.
  records ()
  {
    tail -n +2 "$2" > "$tmp/records" || return 1
    gzip -dc "$1" | cmp - "$tmp/records"
  }

  # 1. n-gram counts.
  # One thread here, three in step 3: the counts do not depend on it.
  bp-count -j 1 -n "$order" $opts "$corpus" > "$tmp/$t.ngrams" \
    || bad "$t: bp-count -n failed"
  records "$dir/ngrams.counts.gz" "$tmp/$t.ngrams" \
    || bad "$t: n-gram counts differ"
  total=$(param "$p" total)
  digits=$(param "$p" isolate_digits)
  echo "#bytepiece-counts 1 kind=ngrams order=$order total=$total normalize=nfc isolate_digits=$digits" > "$tmp/want"
  head -n 1 "$tmp/$t.ngrams" | compare "$tmp/want" - \
    || bad "$t: n-gram counts header"

  # 2. The n-gram model.
  bp-prune -k "$k" "$tmp/$t.ngrams" > "$tmp/$t.model" \
    || bad "$t: bp-prune (n-grams) failed"
  records "$dir/ngram-model.counts.gz" "$tmp/$t.model" \
    || bad "$t: n-gram model differs"
  echo "#bytepiece-counts 1 kind=ngram-model order=$order min_count=$k total=$(param "$p" total_model) normalize=nfc isolate_digits=$digits" > "$tmp/want"
  head -n 1 "$tmp/$t.model" | compare "$tmp/want" - \
    || bad "$t: n-gram model header"

  # 3. Piece counts; the model's header gives normalization and digits.
  mopts=
  test "$(param "$p" mode)" = lines && mopts=--lines
  bp-count -j 3 -m "$tmp/$t.model" $mopts $eu "$corpus" > "$tmp/$t.pieces" \
    || bad "$t: bp-count -m failed"
  records "$dir/pieces.counts.gz" "$tmp/$t.pieces" \
    || bad "$t: piece counts differ"

  # 4. The models, every size from one run, in both forms.
  bp-prune -k "$k" --max-piece-length "$maxlen" -v "$sizes" \
    -o "$tmp/$t.txt" "$tmp/$t.pieces" || bad "$t: bp-prune (text) failed"
  bp-prune -k "$k" --max-piece-length "$maxlen" -v "$sizes" --json \
    -o "$tmp/$t.json" "$tmp/$t.pieces" || bad "$t: bp-prune --json failed"
  for v in $(echo "$sizes" | tr ',' ' '); do
    if test "$v" = "$sizes"; then
      txt=$tmp/$t.txt json=$tmp/$t.json  # one size: the file itself
    else
      txt=$tmp/$t.txt.$v json=$tmp/$t.json.$v
    fi
    tail -n +2 "$txt" | compare "$dir/model.$v.txt" - \
      || bad "$t: model $v (text) differs"
    compare "$dir/model.$v.json" "$json" || bad "$t: model $v (JSON) differs"
    n=$((n + 1))
  done
done
test $n -ge 6 || bad "only $n models checked"
echo "$n models checked through the whole pipeline"
finish
