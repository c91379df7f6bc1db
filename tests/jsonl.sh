#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# --jsonl through the programs: every kind of line that is JSON is read
# (integers above 2^63, 1e400, NUL in a name, lone surrogates, deep
# nesting), nested members by path, duplicate names (the first is the
# member), a bad path as a usage error; every line of input a line of
# bp-encode's output (blank lines, and lines --skip-invalid passes over,
# empty), the report of --skip-invalid, and the same lines skipped by
# bp-count and bp-stats.  The extractor itself is tested in
# check_jsonl, its agreement with Python's json module in
# jsonl-oracle.sh, the memory it takes in memory-bounds.sh.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

# doc KEY EXPECTED: the document bp-encode --jsonl=KEY finds in the line
# on standard input (through --format=pieces and bp-decode, bytes
# exactly, as printf writes EXPECTED).
doc ()
{
  key=$1 want=$2
  cat > doc.in
  bp-encode -m "$model" --no-normalize --jsonl="$key" -f pieces doc.in \
    > doc.pieces 2> doc.err || bad "bp-encode --jsonl=$key failed: $(cat doc.err)"
  bp-decode -f pieces doc.pieces > doc.out || bad "bp-decode failed"
  printf "$want" > doc.exp
  compare doc.exp doc.out || bad "--jsonl=$key: wrong document in $(cat doc.in)"
}

echo '{"id": 123456789012345678901234567890, "text": "big"}' | doc text 'big'
echo '{"id": -18446744073709551617, "text": "neg"}' | doc text 'neg'
echo '{"x": 1e400, "y": -1E-400, "z": 0.5e+99999, "text": "huge"}' \
  | doc text 'huge'
echo '{"a\u0000b": 1, "text\u0000": 2, "text": "nul name"}' | doc text 'nul name'
echo '{"text": "a\u0000b"}' | doc text 'a\000b'
echo '{"meta": {"content": "nested", "x": [1]}, "content": "top"}' \
  | doc meta.content 'nested'
echo '{"a.b": "dot", "a": {"b": "path"}}' | doc 'a\.b' 'dot'
echo '{"a.b": "dot", "a": {"b": "path"}}' | doc 'a.b' 'path'
echo '{"text": "first", "text": "second"}' | doc text 'first'
# Lone surrogates: \udc80..\udcff the byte, others their generalised
# UTF-8; a pair its character.
echo '{"text": "\udcff\udc80 \ud800 \ud83d\ude00"}' \
  | doc text '\377\200 \355\240\200 \360\237\230\200'
# Raw bytes that are not UTF-8 pass through.
printf '{"text": "\377\300"}\n' | doc text '\377\300'
# Deep nesting beside the text.
awk 'BEGIN { printf "{\"x\": "; for (i = 0; i < 50000; i++) printf "[";
             for (i = 0; i < 50000; i++) printf "]"; print ", \"text\": \"deep\"}" }' \
  | doc text 'deep'

# bp-count and bp-stats read the same documents.
printf '{"id": 99999999999999999999, "meta": {"content": "ab"}}\n' > c.jsonl
bp-count -n 1 --jsonl=meta.content c.jsonl > c.counts 2> err \
  || bad "bp-count --jsonl=meta.content failed: $(cat err)"
printf 'a\t1\nb\t1\n' > exp
tail -n +2 c.counts > out
compare exp out || bad "bp-count --jsonl=meta.content: wrong counts"
bp-stats -m "$model" --json --jsonl=meta.content c.jsonl > s.json 2> err \
  || bad "bp-stats --jsonl=meta.content failed: $(cat err)"
grep '"bytes": 2,' s.json > /dev/null || bad "bp-stats --jsonl=meta.content: not 2 bytes"

# A bad path is a usage error, before anything is read.
for prog in bp-encode bp-count bp-stats; do
  case $prog in bp-count) opts="-n 1" ;; *) opts="-m $model" ;; esac
  $prog $opts --jsonl='a\b' /dev/null > out 2> err
  test $? = 2 || bad "$prog --jsonl='a\\b': not status 2"
  printf '%s\n' "$prog: invalid member path 'a\\b' for '--jsonl': a backslash must be followed by '.' or '\\' in a member path" \
    "Try '$prog --help' for more information." > exp
  compare exp err || bad "$prog --jsonl='a\\b': wrong message"
done

# Every line of input a line of output, in --lines mode (already so)
# and in --jsonl mode: blank lines and, with --skip-invalid, lines that
# hold no document give empty lines, without <bos> or <eos>.
printf 'ab\n\n\nx\n' > l.txt
bp-encode -m "$model" -l l.txt > out || bad "bp-encode -l failed"
test "$(wc -l < out)" = 4 || bad "bp-encode -l: not a line per line"
printf '%s\n' '{"text": "ab"}' '' '  ' 'not json' '{"txt": "x"}' \
  '{"text": ""}' '[1]' '{"text": "x", "text": 3}' '{"text": 5, "text": "y"}' \
  '{"text": "xyz"' '{"text": "x"}' > a.jsonl
bp-encode -m "$model" --jsonl --skip-invalid --bos --eos a.jsonl > out 2> err
test $? = 0 || bad "bp-encode --skip-invalid: not status 0"
printf '1 261 2\n\n\n\n\n1 2\n\n1 123 2\n\n\n1 123 2\n' > exp
compare exp out || bad "bp-encode --skip-invalid: wrong lines"
printf '%s\n' "bp-encode: --skip-invalid skipped 5 lines; the first, a.jsonl:4: invalid JSON at byte 2: an invalid literal" > exp
compare exp err || bad "bp-encode --skip-invalid: wrong report"
# Binary output: nothing at all for a line without a document.
bp-encode -m "$model" --jsonl --skip-invalid --eos -f u32 a.jsonl > out 2> /dev/null
printf '%s\n' '{"text": "ab"}' '{"text": ""}' '{"text": "x"}' '{"text": "x"}' \
  | bp-encode -m "$model" --jsonl --eos -f u32 > exp
compare exp out || bad "bp-encode --skip-invalid -f u32: wrong ids"
# Without --skip-invalid the first bad line is an error.
bp-encode -m "$model" --jsonl a.jsonl > out 2> err
test $? = 1 || bad "bp-encode --jsonl, bad line: not status 1"
printf '%s\n' "bp-encode: a.jsonl:4: invalid JSON at byte 2: an invalid literal" > exp
compare exp err || bad "bp-encode --jsonl, bad line: wrong message"
# One skipped line; the first in a second input, named; standard input.
printf '{"text": "a"}\n' > b.jsonl
printf '{"text": "a"}\n{"text": null}\n' > c.jsonl
bp-encode -m "$model" --jsonl --skip-invalid b.jsonl c.jsonl > out 2> err \
  || bad "bp-encode --skip-invalid b c failed"
printf '%s\n' "bp-encode: --skip-invalid skipped 1 line: c.jsonl:2: member \"text\" is null, not a string" > exp
compare exp err || bad "bp-encode --skip-invalid b c: wrong report"
bp-encode -m "$model" --jsonl --skip-invalid < c.jsonl > out 2> err \
  || bad "bp-encode --skip-invalid < c failed"
printf '%s\n' "bp-encode: --skip-invalid skipped 1 line: (standard input):2: member \"text\" is null, not a string" > exp
compare exp err || bad "bp-encode --skip-invalid < c: wrong report"
# The same lines for every number of threads.
awk 'BEGIN { for (i = 0; i < 30000; i++)
               if (i % 7 == 0) print ""; else if (i % 11 == 0) print "{}";
               else printf "{\"text\": \"ab %d\\nx\"}\n", i }' > many.jsonl
bp-encode -m "$model" --jsonl --skip-invalid -j 1 many.jsonl > out1 2> /dev/null
bp-encode -m "$model" --jsonl --skip-invalid -j 3 many.jsonl > out3 2> /dev/null
compare out1 out3 || bad "bp-encode --skip-invalid: -j 3 differs from -j 1"
test "$(wc -l < out1)" = 30000 || bad "bp-encode --skip-invalid: not 30000 lines"

# bp-count passes over the same lines, and counts what the others hold.
bp-count -n 2 --jsonl --skip-invalid a.jsonl > skip.counts 2> err \
  || bad "bp-count --skip-invalid failed"
printf '%s\n' "bp-count: --skip-invalid skipped 5 lines; the first, a.jsonl:4: invalid JSON at byte 2: an invalid literal" > exp
compare exp err || bad "bp-count --skip-invalid: wrong report"
printf '{"text": "ab"}\n{"text": ""}\n{"text": "x"}\n{"text": "x"}\n' \
  | bp-count -n 2 --jsonl > good.counts || bad "bp-count --jsonl failed"
compare good.counts skip.counts || bad "bp-count --skip-invalid: wrong counts"
bp-count -n 2 --jsonl a.jsonl > out 2> err
test $? = 1 || bad "bp-count --jsonl, bad line: not status 1"
# bp-stats: a line without a document is no document; an empty one is.
bp-stats -m "$model" --json --jsonl --skip-invalid a.jsonl > s.json 2> err \
  || bad "bp-stats --skip-invalid failed"
grep '"documents": 4,' s.json > /dev/null || bad "bp-stats --skip-invalid: not 4 documents"
printf '%s\n' "bp-stats: --skip-invalid skipped 5 lines; the first, a.jsonl:4: invalid JSON at byte 2: an invalid literal" > exp
compare exp err || bad "bp-stats --skip-invalid: wrong report"

# --skip-invalid needs --jsonl.
for prog in bp-encode bp-count bp-stats; do
  case $prog in bp-count) opts="-n 1" ;; *) opts="-m $model" ;; esac
  $prog $opts -l --skip-invalid /dev/null > out 2> err
  test $? = 2 || bad "$prog -l --skip-invalid: not status 2"
  printf '%s\n' "$prog: --skip-invalid needs --jsonl" \
    "Try '$prog --help' for more information." > exp
  compare exp err || bad "$prog -l --skip-invalid: wrong message"
done

# bp-decode --jsonl writes what bp-encode --jsonl reads: a text with
# every byte value (raw, as escapes, as \udcXX) comes back the same.
all_bytes_jsonl > all.jsonl || framework_failure "cannot write all.jsonl"
bp-encode -m "$model" --jsonl all.jsonl > all.ids || bad "bp-encode all.jsonl failed"
bp-decode -m "$model" --jsonl all.ids > back.jsonl || bad "bp-decode --jsonl failed"
bp-encode -m "$model" --jsonl back.jsonl > back.ids || bad "bp-encode back.jsonl failed"
compare all.ids back.ids || bad "bp-decode --jsonl: the 256 bytes did not come back"
bp-decode -m "$model" -l all.ids > bytes || bad "bp-decode -l failed"
awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i; print "" }' > exp
LC_ALL=C compare exp bytes || bad "bp-encode --jsonl: not the 256 bytes"
# What Python's json module writes and reads of it: jsonl-oracle.sh.
# Nested paths, empty lines, u16 lines ended by <eos>, a long document
# written as it comes.
printf '{"m": {"c": "a\\nb"}}\n\n{"m": {"c": ""}}\n' > n.jsonl
bp-encode -m "$model" --jsonl=m.c n.jsonl | bp-decode -m "$model" --jsonl=m.c > out \
  || bad "bp-decode --jsonl=m.c failed"
printf '{"m":{"c":"a\\nb"}}\n{"m":{"c":""}}\n{"m":{"c":""}}\n' > exp
compare exp out || bad "bp-decode --jsonl=m.c: wrong lines"
bp-encode -m "$model" --jsonl=m.c --eos -f u16 n.jsonl \
  | bp-decode -m "$model" --jsonl=m.c -f u16 > out || bad "bp-decode --jsonl -f u16 failed"
printf '{"m":{"c":"a\\nb"}}\n{"m":{"c":""}}\n' > exp
compare exp out || bad "bp-decode --jsonl -f u16: wrong lines"
{ printf '{"text": "'; yes 'ab\u00e9\n' | head -n 200000 | tr -d '\n'; printf '"}\n'; } > long.jsonl
bp-encode -m "$model" --jsonl long.jsonl | bp-decode -m "$model" --jsonl > out \
  || bad "bp-decode --jsonl, a long document, failed"
e=$(printf '\303\251')
{ printf '{"text":"'; yes "ab$e\\n" | head -n 200000 | tr -d '\n'; printf '"}\n'; } > exp
cmp -s exp out || bad "bp-decode --jsonl, a long document: wrong line"
bp-decode -m "$model" --jsonl='a\b' /dev/null > out 2> err
test $? = 2 || bad "bp-decode --jsonl='a\\b': not status 2"

finish
