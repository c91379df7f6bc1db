#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# For every text of ../shared/vectors/encode and every model there, the ids
# bp-encode writes equal the reference's, byte for byte: whole-file mode for
# NAME.txt, --lines mode for lines.txt (DESIGN.md section 1.6, 1.7).
. "${srcdir:-.}/init.sh"
require_shared

v=$shared/vectors/encode
models="80k=$shared/models/bytepiece_80k.model
zh40k=$shared/models/bytepiece.zh.id.eu.40k.model
t1-8000=$shared/vectors/train/t1/model.8000.json"

n=0
for txt in "$v"/*.txt; do
  name=$(basename "$txt" .txt)
  for mm in $models; do
    m=${mm%%=*} path=${mm#*=}
    expected=$v/$name.$m.ids
    test -f "$expected" || framework_failure "missing $expected"
    if test "$name" = lines; then
      bp-encode -l -m "$path" "$txt" > "$tmp/out" || bad "bp-encode -l $name $m failed"
    else
      # Whole-file mode writes a line per chunk; the vectors have one id
      # per line.
      bp-encode -m "$path" "$txt" > "$tmp/line" || bad "bp-encode $name $m failed"
      tr ' ' '\n' < "$tmp/line" > "$tmp/out"
    fi
    compare "$expected" "$tmp/out" || bad "$name under $m differs"
    n=$((n + 1))
  done
done
test $n -ge 78 || bad "only $n encodings checked"
echo "$n encodings checked"
finish
