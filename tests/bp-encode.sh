#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-encode on the command line: --help and --version, usage errors with
# their exact messages and status 2, the output layout of each document
# mode (DESIGN.md section 1.7), sampling that repeats with its seed, a
# closed pipe, and -o FILE replacing FILE only on success.  Write errors
# are in dev-full.sh and file-size-limit.sh.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

# run STATUS EXPECTED-STDOUT EXPECTED-STDERR ARGS...: run bp-encode ARGS
# with no input and check its status and both outputs exactly ("-" for
# an empty output).
run ()
{
  want=$1 out=$2 err=$3
  shift 3
  bp-encode "$@" < /dev/null > run.out 2> run.err
  status=$?
  test $status = "$want" || bad "bp-encode $*: status $status, not $want"
  if test "$out" = -; then : > run.exp; else printf '%s' "$out" > run.exp; fi
  compare run.exp run.out || bad "bp-encode $*: wrong output"
  if test "$err" = -; then : > run.exp; else printf '%s' "$err" > run.exp; fi
  compare run.exp run.err || bad "bp-encode $*: wrong diagnostics"
}

try="Try 'bp-encode --help' for more information.
"

# --help and --version: standard output, status 0.
bp-encode --help > out 2> err || bad "--help failed"
test -s err && bad "--help wrote to stderr"
head -n 1 out | grep '^Usage: bp-encode \[OPTION\]\.\.\. ' > /dev/null \
  || bad "--help does not start with its usage line"
grep '^Exit status: 0 success' out > /dev/null || bad "--help lacks the exit status"
for opt in --model --output --format --lines --jsonl --bos --eos \
           --no-normalize --alpha --seed --help --version; do
  grep -e "$opt" out > /dev/null || bad "--help does not mention $opt"
done
bp-encode --version > out 2> err || bad "--version failed"
test -s err && bad "--version wrote to stderr"
head -n 1 out | grep '^bp-encode (bytepiece) [0-9]' > /dev/null \
  || bad "--version: wrong first line"

# Usage errors: one line, the hint, status 2, nothing on stdout.
run 2 - "bp-encode: unrecognized option '--frob'
$try" --frob -m "$model"
run 2 - "bp-encode: no model given (use -m MODEL)
$try"
run 2 - "bp-encode: invalid format 'u8' (ids, pieces, u16, u32 or megatron)
$try" -m "$model" --format=u8
run 2 - "bp-encode: --alpha must be at least 0
$try" -m "$model" --alpha=-0.5
run 2 - "bp-encode: invalid argument 'x' for '--alpha'
$try" -m "$model" --alpha=x
run 2 - "bp-encode: invalid argument 'inf' for '--alpha'
$try" -m "$model" --alpha=inf
run 2 - "bp-encode: --seed needs --alpha
$try" -m "$model" --seed=3
run 2 - "bp-encode: invalid argument '-3' for '--seed'
$try" -m "$model" --alpha=1 --seed=-3
run 2 - "bp-encode: option requires an argument -- 'm'
$try" -m

# The layout (ids of good-tiny.model: "the" 266, " " 35, "abc" 265,
# "\n\n" 259, "\n" 13, "x" 123, "y" 124, "z" 125, "ab" 261).  File mode:
# a line per chunk, <bos>/<eos> around the document.
printf 'the abc\n\nxyz' > t
printf '' > empty
run 0 "266 35 265 259
123 124 125
" - -m "$model" t
run 0 "1 266 35 265 259
123 124 125 2
" - -m "$model" --bos --eos t
run 0 "the \\x20 abc \\n\\n
x y z
" - -m "$model" -f pieces t
# Each FILE is a document; an empty one writes nothing unless asked.
run 0 "266 35 265 259
123 124 125
266 35 265 259
123 124 125
" - -m "$model" t empty t
run 0 "1 2
" - -m "$model" --bos --eos empty
# --lines: a line per document, an empty line for an empty one.
run 0 "266 35 265

123 124 125
" - -m "$model" -l t
run 0 "1 266 35 265 2
1 2
1 123 124 125 2
" - -m "$model" -l --bos --eos t
run 0 - - -m "$model" -l --bos --eos empty
# --jsonl: the member's text is the document; a blank line gives an
# empty line, with no <bos> or <eos>: every line of input a line of
# output.
printf '{"text": "the\\nabc", "n": 1}\n{"text": ""}\n \n{"body": "xyz", "text": "ab"}\n' > j
run 0 "266 13 265


261
" - -m "$model" --jsonl j
run 0 "1 266 13 265 2
1 2

1 261 2
" - -m "$model" --jsonl=text --bos --eos j
run 1 - "bp-encode: j:1: no member \"body\"
" -m "$model" --jsonl=body j
# The binary forms, little-endian.
bp-encode -m "$model" -f u16 --bos t > out || bad "-f u16 failed"
printf '\001\000\012\001\043\000\011\001\003\001\173\000\174\000\175\000' > exp
compare exp out || bad "-f u16: wrong bytes"
bp-encode -m "$model" -f u32 --eos t > out || bad "-f u32 failed"
printf '\012\001\000\000\043\000\000\000\011\001\000\000\003\001\000\000' > exp
printf '\173\000\000\000\174\000\000\000\175\000\000\000\002\000\000\000' >> exp
compare exp out || bad "-f u32: wrong bytes"

# NFC unless --no-normalize or the model's header says normalize=none; a
# header without the field (and a JSON model) means NFC.
printf 'e\314\201' > nfd
e_acute=$(printf '\303\251')
run 0 "$e_acute
" - -m "$model" -f pieces nfd
run 0 "e \\xcc \\x81
" - -m "$model" -f pieces --no-normalize nfd
sed '1s/normalize=nfc/normalize=none/' "$model" > none.model
run 0 "e \\xcc \\x81
" - -m none.model -f pieces nfd
sed '1s/ normalize=nfc//' "$model" > unknown.model
run 0 "$e_acute
" - -m unknown.model -f pieces nfd
run 0 "$e_acute
" - -m "$data/good-tiny.json" -f pieces nfd

# Standard input, as "-" or by default; a missing file is reported and
# the others are still encoded (status 1).
bp-encode -m "$model" < t > out || bad "reading stdin failed"
bp-encode -m "$model" t > exp
compare exp out || bad "stdin differs from the file"
bp-encode -m "$model" - < t > out || bad "reading - failed"
compare exp out || bad "- differs from the file"
run 1 "266 35 265 259
123 124 125
" "bp-encode: nosuch: No such file or directory
" -m "$model" nosuch t
mkdir dir
run 1 - "bp-encode: dir: Is a directory
" -m "$model" dir

# u16 holds a vocabulary of 65536 ids, not one more: a model with the
# tiny one's 268 pieces and enough 5-byte pieces "p0000".
for vocab in 65536 65537; do
  awk -v vocab=$vocab 'NR == 1 { sub(/vocab=271/, "vocab=" vocab) } { print }
    END { for (id = 271; id < vocab; id++) printf "%d\tp%05d\t1\n", id, id }' \
    "$model" > big.model
  echo "the p65535" > p
  if test $vocab = 65536; then
    bp-encode -m big.model -f u16 p > out || bad "-f u16 with vocab 65536 failed"
    printf '\012\001\043\000\377\377\015\000' > exp
    compare exp out || bad "-f u16: wrong bytes for id 65535"
  else
    run 2 - "bp-encode: --format=u16 cannot hold the ids of a vocabulary of 65537
$try" -m big.model -f u16 p
  fi
done
rm -f big.model

# Sampling: the same seed gives the same output, another seed another
# one, and every sample decodes to the text.
awk 'BEGIN { for (i = 0; i < 200; i++) print "the abc aaaaaa \344\270\255\346\226\207 bc" }' > s
bp-encode -m "$model" --alpha 0.5 --seed 42 s > s1 || bad "--alpha --seed failed"
bp-encode -m "$model" --alpha 0.5 --seed 42 s > s2 || bad "--alpha --seed failed"
compare s1 s2 || bad "the same seed gave different samples"
bp-encode -m "$model" --alpha 0.5 --seed 43 s > s3 || bad "--alpha --seed failed"
cmp -s s1 s3 && bad "seeds 42 and 43 gave the same samples"
bp-encode -m "$model" s > best || bad "encoding s failed"
cmp -s s1 best && bad "sampling gave the best segmentation of 200 lines"
for a in 0 0.5 1 3; do
  bp-encode -m "$model" --alpha $a --seed 7 -f u32 s > enc \
    || bad "--alpha $a failed"
  bp-decode -m "$model" -f u32 enc > dec || bad "decoding --alpha $a failed"
  compare s dec || bad "--alpha $a: the sample does not decode to the text"
done
# An --alpha so large that alpha * score overflows to -inf cannot be
# sampled: an error, not a draw on NaNs (which gave all single bytes).
bp-encode -m "$model" --alpha 1e308 --seed 1 s > big 2> err \
  && bad "--alpha 1e308 succeeded"
grep -q "alpha=1e+308 is too large" err || bad "--alpha 1e308: no diagnostic"
bp-encode -m "$model" -l --alpha 1 --seed 9 s > s1 || bad "-l --alpha failed"
bp-encode -m "$model" -l --alpha 1 --seed 9 s > s2 || bad "-l --alpha failed"
compare s1 s2 || bad "--lines: the same seed gave different samples"

# A closed pipe ends bp-encode quietly (its status may be 141 or 0).
awk 'BEGIN { for (i = 0; i < 100000; i++) print "the abc", i }' > lines
{ bp-encode -m "$model" lines 2> err; } | head -n 1 > /dev/null
test -s err && { bad "a closed pipe made bp-encode write to stderr"; cat err >&2; }
{ bp-encode -m "$model" -f u32 lines 2> err; } | head -c 1 > /dev/null
test -s err && { bad "a closed pipe made bp-encode -f u32 write to stderr"; cat err >&2; }

# -o FILE: written on success with the permissions of a new file,
# untouched on failure, and no temporary file left either way.
(umask 027 && bp-encode -m "$model" -o new t) || bad "-o new failed"
bp-encode -m "$model" t > exp
compare exp new || bad "-o new: wrong content"
mode=$(ls -l new | cut -c1-10)
test "$mode" = "-rw-r-----" || bad "-o new: mode $mode, not -rw-r----- under umask 027"
echo precious > kept
printf '{"text": "ab"}\n{"text": 3}\n' > badj
run 1 - "bp-encode: badj:2: member \"text\" is a number, not a string
" -m "$model" --jsonl -o kept badj
echo precious > exp
compare exp kept || bad "-o: the file was changed by a failed run"
run 1 - "bp-encode: nosuch: No such file or directory
" -m "$model" -o kept t nosuch
compare exp kept || bad "-o: the file was changed by a run with a missing input"
# The input may be the output.
cp t same
bp-encode -m "$model" -o same same || bad "-o onto the input failed"
bp-encode -m "$model" t > exp
compare exp same || bad "-o onto the input: wrong content"
leftover=$(ls -A | grep '^\.') && bad "temporary files left behind: $leftover"

finish
