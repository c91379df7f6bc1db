#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A model may come from a pipe (bp-encode -m <(...), -m /dev/stdin): the
# programs read it once from start to end and never seek, in either form,
# white space before the JSON included.
. "${srcdir:-.}/init.sh"

model=$srcdir/data/good-tiny.model
json=$srcdir/data/good-tiny.json
test -r "$model" && test -r "$json" || framework_failure "missing fixtures"
model=$(cd "${model%/*}" && pwd)/${model##*/}
json=$(cd "${json%/*}" && pwd)/${json##*/}
cd "$tmp" || framework_failure "cannot enter $tmp"

printf 'the abc 中文\naaaa héllo\n' > text
bp-encode -j1 -m "$model" text > want.ids || framework_failure "bp-encode"
bp-decode -m "$model" want.ids > want.txt || framework_failure "bp-decode"

# /dev/stdin on a pipe cannot seek.
{ printf '\n \n'; cat "$json"; } > blank.json
for m in "$model" "$json" blank.json; do
  cat "$m" | bp-encode -j1 -m /dev/stdin text > got.ids 2> err \
    || { cat err >&2; bad "bp-encode -m /dev/stdin < ${m##*/} failed"; }
  compare want.ids got.ids || bad "${m##*/} from a pipe encodes differently"
  cat "$m" | bp-decode -m /dev/stdin want.ids > got.txt 2> err \
    || { cat err >&2; bad "bp-decode -m /dev/stdin < ${m##*/} failed"; }
  compare want.txt got.txt || bad "${m##*/} from a pipe decodes differently"
  cat "$m" | bp-stats -m /dev/stdin > /dev/null 2> err \
    || { cat err >&2; bad "bp-stats -m /dev/stdin < ${m##*/} failed"; }
done
finish
