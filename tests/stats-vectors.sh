#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# For every text of ../shared/vectors/encode under the three models of
# encode-vectors.sh, compared in one run of bp-stats: each model's token
# count is the number of ids bp-encode writes (and the reference's), its
# bytes/token is bytes / tokens as printed, and the bytes are those the
# ids decode to.  Whole-file mode for NAME.txt, --lines for lines.txt.
. "${srcdir:-.}/init.sh"
require_shared

json_get=$BP_BINDIR/tests/json-get
test -x "$json_get" || framework_failure "no $json_get"
v=$shared/vectors/encode
m1=$shared/models/bytepiece_80k.model
m2=$shared/models/bytepiece.zh.id.eu.40k.model
m3=$shared/vectors/train/t1/model.8000.json

n=0
for txt in "$v"/*.txt; do
  name=$(basename "$txt" .txt)
  opt=
  test "$name" = lines && opt=-l
  # shellcheck disable=SC2086 # $opt is one option or none
  bp-stats --json -n 1 $opt -m "$m1" -m "$m2" -m "$m3" "$txt" > "$tmp/rep" \
    || { bad "bp-stats $name failed"; continue; }
  "$json_get" text.bytes \
    models.0.tokens models.1.tokens models.2.tokens \
    models.0.bytes_per_token models.1.bytes_per_token \
    models.2.bytes_per_token < "$tmp/rep" > "$tmp/got" \
    || { bad "$name: keys missing"; continue; }
  bytes=$(sed -n 1p "$tmp/got")
  i=0
  for mm in 80k="$m1" zh40k="$m2" t1-8000="$m3"; do
    m=${mm%%=*} path=${mm#*=}
    i=$((i + 1))
    # shellcheck disable=SC2086
    bp-encode $opt -m "$path" "$txt" > "$tmp/ids" || bad "bp-encode $name $m failed"
    want=$(wc -w < "$tmp/ids")
    ref=$(wc -l < "$v/$name.$m.ids")
    test "$name" = lines && ref=$(wc -w < "$v/$name.$m.ids")
    got=$(sed -n "$((i + 1))p" "$tmp/got")
    ratio=$(sed -n "$((i + 4))p" "$tmp/got")
    test "$got" = "$want" && test "$got" = "$ref" \
      || bad "$name $m: $got tokens; bp-encode wrote $want ids, the reference $ref"
    if test "$got" = 0; then
      test "$ratio" = null || bad "$name $m: bytes_per_token $ratio without tokens"
    else
      exp=$(awk -v b="$bytes" -v t="$got" 'BEGIN { printf "%.6f", b / t }')
      test "$ratio" = "$exp" || bad "$name $m: bytes_per_token $ratio, not $exp"
    fi
    if test $i = 1 && test -z "$opt"; then
      dec=$(bp-decode -m "$path" < "$tmp/ids" | wc -c)
      test "$dec" = "$bytes" \
        || bad "$name: $bytes bytes, but the ids decode to $dec"
    fi
    n=$((n + 1))
  done
done
test $n -ge 78 || bad "only $n reports checked"
echo "$n token counts checked"
finish
