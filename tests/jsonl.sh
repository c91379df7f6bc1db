#!/bin/sh
# --jsonl through the programs: every kind of line that is JSON is read
# (integers above 2^63, 1e400, NUL in a name, lone surrogates, deep
# nesting), nested members by path, duplicate names (the first is the
# member), and a bad path as a usage error.  The extractor itself is
# tested in check_jsonl; its agreement with Python's json module in
# jsonl-oracle.sh.
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

finish
