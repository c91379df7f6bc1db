#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The two readers of BytePiece's JSON models give the same model: the fast
# one (Trainer.save's layout, or the same JSON without its white space)
# and jansson's, which takes over for anything else (here a key written
# with a \u escape, which is valid JSON).
. "${srcdir:-.}/init.sh"

json=$srcdir/data/good-tiny.json
test -r "$json" || framework_failure "missing $json"

# The same JSON with the indentation and line breaks taken out (no string
# of this model spans a line or starts a line).
sed 's/^ *//' "$json" | tr -d '\n' > "$tmp/compact.json"
# The first key spelt with an escape: "\u0041A==" is "AA==".
sed '2s/"AA==":/"\\u0041A==":/' "$json" > "$tmp/escaped.json"
grep -q 'u0041A==' "$tmp/escaped.json" || framework_failure "sed did not escape"

# Every id of the vocabulary, decoded, and a text encoded.
n=$(grep -c '^    "' "$json")
awk -v n="$n" 'BEGIN { for (i = 3; i < n + 3; i++) print i }' > "$tmp/ids"
printf 'the abc 中文\naaaa héllo\n' > "$tmp/text"
for m in "$json" "$tmp/compact.json" "$tmp/escaped.json"; do
  bp-decode -m "$m" "$tmp/ids" > "$tmp/dec.$$" || bad "bp-decode -m $m failed"
  bp-encode -j1 -m "$m" "$tmp/text" > "$tmp/enc.$$" || bad "bp-encode -m $m failed"
  if test -f "$tmp/dec.first"; then
    compare "$tmp/dec.first" "$tmp/dec.$$" || bad "$m decodes differently"
    compare "$tmp/enc.first" "$tmp/enc.$$" || bad "$m encodes differently"
  else
    mv "$tmp/dec.$$" "$tmp/dec.first"
    mv "$tmp/enc.$$" "$tmp/enc.first"
  fi
done
test -s "$tmp/dec.first" || bad "nothing decoded"

# A lone surrogate in a text field is refused (by jansson, with the line).
sed '4s/"\\u0000"/"\\ud800"/' "$json" > "$tmp/surrogate.json"
if bp-decode -m "$tmp/surrogate.json" "$tmp/ids" > /dev/null 2> "$tmp/err"; then
  bad "a lone surrogate was accepted"
fi
grep -q 'surrogate.json:4: invalid JSON model' "$tmp/err" || {
  cat "$tmp/err" >&2; bad "no line-numbered message for the lone surrogate"; }
finish
