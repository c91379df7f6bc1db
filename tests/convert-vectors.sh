#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Conversions of the reference models (issue 10): the pretrained BytePiece
# models and the models of the training vectors go from JSON to text and
# back to the same bytes (Trainer.save's JSON), from text to JSON and back
# to the same file; a vector model's pieces as a plain vocabulary give it
# back; re-pruning the reference's 8000-piece model to 2000
# gives the model the reference's training run gave at 2000 (its sizes
# were 8000,2000, the smaller starting from the larger: what
# convert_to_bytepiece semantics give too).
. "${srcdir:-.}/init.sh"
require_shared
cd "$tmp" || framework_failure "cannot enter $tmp"

n=0
set -- "$shared"/models/*.model "$shared"/vectors/train/*/model.*.json
# Under valgrind the 240,000-piece model would take most of an hour.
test -n "${BP_VALGRIND-}" && set -- "$shared"/models/bytepiece_80k.model \
  "$shared"/vectors/train/*/model.*.json
for json in "$@"; do
  test -f "$json" || continue
  n=$((n + 1))
  name=$(echo "$json" | sed 's|.*/\(t[0-9]*/\)\{0,1\}|\1|; s|/|-|')
  bp-prune -o "$name.txt" "$json" 2> err || { cat err >&2; bad "$name: JSON -> text failed"; continue; }
  bp-prune --format=json -o "$name.json" "$name.txt" \
    || { bad "$name: text -> JSON failed"; continue; }
  compare "$json" "$name.json" || bad "$name: JSON -> text -> JSON differs"
  bp-prune -o "$name.back" "$name.json" && compare "$name.txt" "$name.back" \
    || bad "$name: text -> JSON -> text differs"
  # The vectors' text models (records without a header) are the same.
  # Their pieces and counts as a plain vocabulary give the model back:
  # convert_to_bytepiece on a trained model's pieces finds every piece
  # used by its own segmentation (the reference's training stopped
  # there), so nothing is dropped and no count moves.
  txt=${json%.json}.txt
  if test -f "$txt"; then
    tail -n +2 "$name.txt" | compare "$txt" - || bad "$name: not the reference's text"
    cut -f 2,3 "$txt" | bp-prune | tail -n +2 | compare "$txt" - \
      || bad "$name: its pieces as a vocabulary do not give it back"
  fi
done
test $n -ge 6 || framework_failure "only $n reference models in $shared"

t1=$shared/vectors/train/t1
bp-prune -v 2000 "$t1/model.8000.json" > small || bad "-v 2000 failed"
tail -n +2 small | compare "$t1/model.2000.txt" - \
  || bad "re-pruning model.8000 to 2000 is not the reference's model.2000"
# The same model once more: several sizes from one run, one of them
# the model's own size or larger (kept as it is).
bp-prune -v 9000,2000 -o two "$t1/model.8000.json" || bad "-v 9000,2000 failed"
tail -n +2 two.2000 | compare "$t1/model.2000.txt" - || bad "two.2000 differs"
tail -n +2 two.9000 | compare "$t1/model.8000.txt" - || bad "two.9000 differs"
finish
