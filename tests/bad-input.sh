#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bad input (DESIGN.md section 5): each case gets its exact one-line
# message naming the file (and line), the documented status (1 for bad
# data, 2 for a usage error), and leaves the file of -o as it was, with no
# temporary file beside it.  The fixtures are described in data/README.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
cp "$data"/good-* "$data"/bad-* . || framework_failure "cannot copy the fixtures"
model=good-tiny.model
printf 'the abc\n' > text

# expect STATUS MESSAGE PROG ARGS...: PROG ARGS -o kept must fail with
# STATUS and exactly MESSAGE (one or more lines) on stderr, write nothing
# on stdout, and leave "kept" and the directory as they were.
expect ()
{
  want=$1 msg=$2 prog=$3
  shift 3
  echo precious > kept
  $prog "$@" -o kept > out 2> err < /dev/null
  status=$?
  test $status = "$want" || bad "$prog $*: status $status, not $want"
  printf '%s\n' "$msg" > exp
  compare exp err || bad "$prog $*: wrong message"
  test -s out && bad "$prog $*: wrote to stdout"
  echo precious > exp
  compare exp kept || bad "$prog $*: -o kept was changed"
  leftover=$(ls -A | grep '^\.') && bad "$prog $*: left $leftover"
}

# Models.  The loader is shared, so bp-decode says the same.
expect 1 "bp-encode: nosuch.model: No such file or directory" \
  bp-encode -m nosuch.model text
expect 1 "bp-decode: nosuch.model: No such file or directory" \
  bp-decode -m nosuch.model text
: > empty.model
expect 1 "bp-encode: empty.model:1: empty model" bp-encode -m empty.model text
mkdir dir.model
expect 1 "bp-encode: dir.model: Is a directory" bp-encode -m dir.model text
expect 1 "bp-encode: bad-truncated.model:42: unexpected end of model: the header says vocab=271, the file has 43 ids" \
  bp-encode -m bad-truncated.model text
expect 1 "bp-encode: bad-nolf.model:269: truncated line (no newline at the end)" \
  bp-encode -m bad-nolf.model text
expect 1 "bp-encode: bad-escape.model:3: bad escape in piece at column 4" \
  bp-encode -m bad-escape.model text
expect 1 "bp-encode: bad-count.model:4: bad count (a positive decimal integer is expected)" \
  bp-encode -m bad-count.model text
expect 1 "bp-encode: bad-id-order.model:3: id 5 where 4 was expected" \
  bp-encode -m bad-id-order.model text
expect 1 "bp-encode: bad-duplicate.model:4: piece of id 5 repeats id 3" \
  bp-encode -m bad-duplicate.model text
expect 1 "bp-decode: bad-duplicate.model:4: piece of id 5 repeats id 3" \
  bp-decode -m bad-duplicate.model text
expect 1 "bp-encode: bad-magic.model:1: not a bytepiece model" \
  bp-encode -m bad-magic.model text
printf '#bytepiece-model 2 vocab=3\n' > v2.model
expect 1 "bp-encode: v2.model:1: unsupported model format version '2'" \
  bp-encode -m v2.model text
printf '#bytepiece-model 1 vocab=many\n' > vocab.model
expect 1 "bp-encode: vocab.model:1: bad header value vocab=many" \
  bp-encode -m vocab.model text
expect 1 "bp-encode: bad-base64.json:7: piece \"Y!==\": key is not a base64 piece" \
  bp-encode -m bad-base64.json text
expect 1 "bp-encode: bad-shape.json:7: piece \"Yg==\": value is not [id, text, count]" \
  bp-encode -m bad-shape.json text
expect 1 "bp-encode: bad-duplicate-id.json: id 3 is used twice" \
  bp-encode -m bad-duplicate-id.json text
expect 1 "bp-encode: bad-missing-byte.model: the model lacks the single byte \\xff (every byte must be a piece)" \
  bp-encode -m bad-missing-byte.model text
# A model that lacks a byte still decodes: only encoding needs them all.
echo "259 260" > ids
bp-decode -m bad-missing-byte.model ids > out || bad "bp-decode refused a model without \\xff"
printf 'aaab' > exp
compare exp out || bad "bp-decode with a model without \\xff: wrong text"
# The truncated JSON is reported by jansson, whose wording is its own:
# check our part of the line.
echo precious > kept
bp-encode -m bad-truncated.json -o kept text > out 2> err
status=$?
test $status = 1 || bad "truncated JSON: status $status, not 1"
test "$(wc -l < err)" = 1 || bad "truncated JSON: not one line of diagnostics"
grep '^bp-encode: bad-truncated\.json:167: invalid JSON model: .' err > /dev/null \
  || { bad "truncated JSON: wrong message"; cat err >&2; }
echo precious > exp
compare exp kept || bad "truncated JSON: -o kept was changed"

# Token streams: the error comes after some output was written, which
# -o must throw away.  A vocabulary of 32000 ids: the tiny model and
# 31729 pieces "p00271".. "p31999".
awk 'NR == 1 { sub(/vocab=271/, "vocab=32000") } { print }
  END { for (id = 271; id < 32000; id++) printf "%d\tp%05d\t1\n", id, id }' \
  "$model" > v32000.model
cp bad-range.ids ids.txt
expect 1 "bp-decode: ids.txt:17: id 99999 out of range (vocabulary 32000)" \
  bp-decode -m v32000.model ids.txt
expect 1 "bp-decode: bad-range.ids:17: id 99999 out of range (vocabulary 271)" \
  bp-decode -m "$model" bad-range.ids
expect 1 "bp-decode: bad-nonnumeric.ids:3: invalid id 'x12'" \
  bp-decode -m "$model" bad-nonnumeric.ids
printf '261 -3\n' > neg.ids
expect 1 "bp-decode: neg.ids:1: invalid id '-3'" bp-decode -m "$model" neg.ids
printf '261 18446744073709551616\n' > huge.ids
expect 1 "bp-decode: huge.ids:1: id 18446744073709551616 out of range (vocabulary 271)" \
  bp-decode -m "$model" huge.ids
expect 1 "bp-decode: bad-truncated.u16: truncated id at byte 4 (the length is not a multiple of 2)" \
  bp-decode -m "$model" -f u16 bad-truncated.u16
printf '\001\000\000\000\017\001\000\000' > range.u32
expect 1 "bp-decode: range.u32: id 271 at byte 4 out of range (vocabulary 271)" \
  bp-decode -m "$model" -f u32 range.u32
expect 1 "bp-decode: bad-escape.pieces:2: bad escape in piece 'a\\\\y'" \
  bp-decode -m "$model" -f pieces bad-escape.pieces
expect 1 "bp-decode: bad-escape.pieces:2: bad escape in piece 'a\\\\y'" \
  bp-decode -f pieces bad-escape.pieces
expect 1 "bp-decode: bad-unknown.pieces:1: piece 'zzz' is not in the model" \
  bp-decode -m "$model" -f pieces bad-unknown.pieces
expect 1 "bp-decode: nosuch.ids: No such file or directory" \
  bp-decode -m "$model" nosuch.ids

# Bad documents for bp-encode: --jsonl lines that are not what they
# should be, named by their line.
printf '{"text": "a"}\n{"text": "b"}\n["text"]\n' > a.jsonl
expect 1 "bp-encode: a.jsonl:3: the line is an array, not a JSON object" bp-encode -m "$model" --jsonl a.jsonl
printf '{"text": "a"}\n\n{"txt": "b"}\n' > b.jsonl
expect 1 "bp-encode: b.jsonl:3: no member \"text\"" bp-encode -m "$model" --jsonl b.jsonl
printf '{"text": null}\n' > c.jsonl
expect 1 "bp-encode: c.jsonl:1: member \"text\" is null, not a string" \
  bp-encode -m "$model" --jsonl c.jsonl

# Messages quote input escaped, as the text formats write it (issue 12):
# a LF in a JSON key does not break the line, an ESC from a model header,
# a count, an id or a JSON line does not reach the terminal, a NUL in an
# id does not cut the message.
printf '{"a\\nb": [3, "", 1]}' > key-lf.json
expect 1 'bp-encode: key-lf.json: piece "a\nb": key is not a base64 piece' \
  bp-encode -m key-lf.json text
printf '#bytepiece-model 1 order=\033[31m\n' > esc.model
expect 1 'bp-encode: esc.model:1: bad header value order=\x1b[31m' \
  bp-encode -m esc.model text
printf '#bytepiece-model \033]0;x\0071\n' > esc2.model
expect 1 "bp-decode: esc2.model:1: unsupported model format version '\\x1b]0;x\\x071'" \
  bp-decode -m esc2.model text
printf '#bytepiece-counts 1 kind=ngrams order=2 total=9 normalize=nfc isolate_digits=0\na\t\033[2J\n' \
  > esc.counts
expect 1 "bp-prune: esc.counts:2: bad count '\\x1b[2J' (not a positive 64-bit decimal number)" \
  bp-prune esc.counts
printf '#bytepiece-counts 1 kind=ngrams order=\033[2J\n' > esc2.counts
expect 1 "bp-count: esc2.counts:1: bad value '\\x1b[2J' for header field 'order'" \
  bp-count --merge esc2.counts
printf '3 \033[31m\000x\n' > esc.ids
expect 1 "bp-decode: esc.ids:1: invalid id '\\x1b[31m\\x00x': binary data, not ids as text (a token file of -f u16 or u32? use the same -f)" \
  bp-decode -m "$model" esc.ids
printf '{"text": "a", \033[2J 1}\n' > esc.jsonl
expect 1 "bp-encode: esc.jsonl:1: invalid JSON at byte 15: a member name was expected" \
  bp-encode -m "$model" --jsonl esc.jsonl

# Usage errors: status 2, the hint, for both programs.
for prog in bp-encode bp-decode; do
  expect 2 "$prog: unrecognized option '--frob'
Try '$prog --help' for more information." $prog --frob -m "$model" text
  expect 2 "$prog: no model given (use -m MODEL)
Try '$prog --help' for more information." $prog text
  expect 2 "$prog: invalid format 'txt' (ids, pieces, u16, u32 or megatron)
Try '$prog --help' for more information." $prog -m "$model" -f txt text
done

finish
