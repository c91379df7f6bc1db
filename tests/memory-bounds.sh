#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Memory stays bounded on valid input of any shape (issue 12): each case
# runs a program under peak-rss and holds its peak resident set under
# LIMIT KiB, on input that made it grow without bound before.  Sizes are
# chosen to run in seconds; bench/memory.sh prints the figures for the
# issue's sizes.  Under AddressSanitizer or valgrind the figures would
# not be the program's: the test skips.
. "${srcdir:-.}/init.sh"

test -n "${BP_VALGRIND-}" && skip "peak memory means nothing under valgrind"
peak_rss=$BP_BINDIR/tests/peak-rss
"$peak_rss" --probe || skip "no figures from this build"
model=$(cd "$srcdir/data" && pwd)/good-tiny.model \
  || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

# gen SIZE CHAR: SIZE bytes of CHAR.
gen () { head -c "$1" /dev/zero | tr '\0' "$2"; }

# peak WHAT STATUS LIMIT COMMAND...: COMMAND (standard input from the
# pipe, output to "out", messages to "err") must exit with STATUS and
# peak under LIMIT KiB.
peak ()
{
  what=$1 want=$2 limit=$3
  shift 3
  "$peak_rss" rss "$@" > out 2> err
  status=$?
  test $status = "$want" || { bad "$what: status $status, not $want"; cat err >&2; }
  kib=$(cat rss)
  echo "$what: peak $kib KiB"
  test "$kib" -lt "$limit" || bad "$what: peak $kib KiB, over $limit KiB"
}

# bp-decode judges a token as it reads it: an id is read digit by digit,
# a piece longer than the model's longest is refused, and without a model
# a long piece is written as it is read.  (A 300 MB token peaked at 295
# MB as ids, at 588 MB as pieces.)
gen 300000000 1 | peak "bp-decode, a 300 MB id" 1 102400 bp-decode -m "$model"
grep -q '^bp-decode: (standard input):1: id 1111111111111111111111111111111111111111\.\.\. out of range (vocabulary 271)$' err \
  || { bad "bp-decode, a 300 MB id: wrong message"; cat err >&2; }
gen 300000000 a | peak "bp-decode -f pieces -m, a 300 MB piece" 1 102400 \
  bp-decode -f pieces -m "$model"
grep -q "^bp-decode: (standard input):1: piece 'a\{40\}\.\.\.' is not in the model\$" err \
  || { bad "bp-decode -f pieces -m: wrong message"; cat err >&2; }
gen 150000000 a | peak "bp-decode -f pieces, a 150 MB piece" 0 102400 \
  sh -c 'bp-decode -f pieces | cksum'
test "$(cat out)" = "$(gen 150000000 a | cksum)" \
  || bad "bp-decode -f pieces: the 150 MB piece did not come back"

# An empty document (an empty line with --lines, an empty member with
# --jsonl) costs an item of a batch, and a batch is full when its items
# fill it too.  (They piled up in one batch, about 40 bytes each, until
# a chunk ended: 30 MB of empty lines peaked at 1.2 GB.)
gen 4000000 '\n' | peak "bp-count -n 2 -l, 4 million empty lines" 0 32768 \
  bp-count -n 2 -l -S 16M
gen 4000000 '\n' | peak "bp-encode -l, 4 million empty lines" 0 32768 \
  bp-encode -m "$model" -l
test "$(wc -c < out)" = 4000000 \
  || bad "bp-encode -l: not an empty line per empty line"
yes '{"text": ""}' | head -n 2000000 \
  | peak "bp-encode --jsonl, 2 million empty documents" 0 32768 \
    bp-encode -m "$model" --jsonl

# A run of combining marks has no point where NFC may cut it: it is held
# once, and normalised and written out a run at a time.  ("a" and 32 MB
# of U+0301 peaked at 954 MB; 8 MB at 257 MB.)
printf '\314\201' > marks || framework_failure "cannot write marks"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do
  cat marks marks > marks2 && mv marks2 marks \
    || framework_failure "cannot write marks"
done
{ printf a; cat marks; } \
  | peak "bp-encode, a and 8 MB of U+0301" 0 102400 bp-encode -m "$model"
# NFC composes the first mark with the a: U+00E1, then the rest.
{ printf '\303\241'; tail -c +3 marks; } > exp \
  || framework_failure "cannot write exp"
bp-decode -m "$model" out | cmp -s - exp \
  || bad "bp-encode, a and 8 MB of U+0301: not the NFC of the input"

# A chunk that never reaches a position that every path goes through (a
# run of one byte) keeps the Viterbi's window whole: a byte of text and
# a byte of backpointer a byte, with the scores in a ring.  (A score and
# a rank a byte, in arrays grown by doubling, peaked at 257 MB for 16 MB
# of 'a' and 503 MB for 32 MB.)
gen 16777216 a | peak "bp-encode, 16 MB of 'a' without a chunk end" 0 131072 \
  bp-encode -m "$model"
test "$(bp-decode -m "$model" out | cksum)" = "$(gen 16777216 a | cksum)" \
  || bad "bp-encode, 16 MB of 'a': the ids do not decode to the text"

# --jsonl streams the line: what is not the member is checked and passed
# over, the member is handed on as it is decoded.  (A 40 MB line whose
# other member is a 20-million-element array peaked at 828 MB when the
# line was parsed into a tree.)
{ printf '{"id": 123456789012345678901234567890, "a": ['
  yes 0, | head -n 20000000 | tr -d '\n'
  printf '1e400], "text": "ab"}\n'; } > array.jsonl \
  || framework_failure "cannot write array.jsonl"
peak "bp-encode --jsonl, a 20-million-element array" 0 51200 \
  bp-encode -m "$model" --jsonl array.jsonl
test "$(cat out)" = 261 || bad "bp-encode --jsonl, the array: wrong ids"
peak "bp-count --jsonl, a 20-million-element array" 0 51200 \
  bp-count -n 2 --jsonl array.jsonl
peak "bp-stats --jsonl, a 20-million-element array" 0 51200 \
  bp-stats -m "$model" --jsonl array.jsonl
# A member of 24 MB, in any case not held whole (but with --skip-invalid,
# which waits for the end of the line).
{ printf '{"text": "'; yes 'ab cd\n' | head -n 4000000 | tr -d '\n'
  printf '", "n": [1]}\n'; } > member.jsonl \
  || framework_failure "cannot write member.jsonl"
peak "bp-encode --jsonl, a 24 MB member" 0 20480 \
  bp-encode -m "$model" --jsonl -f u16 member.jsonl
yes 'ab cd' | head -n 4000000 | bp-encode -m "$model" -f u16 | cmp -s - out \
  || bad "bp-encode --jsonl, a 24 MB member: not the ids of its text"

# bp-decode --jsonl writes a document as it is decoded.
yes '261 13' | head -n 4000000 | tr '\n' ' ' \
  | peak "bp-decode --jsonl, a document of 8 million ids" 0 20480 \
    sh -c 'bp-decode -m "$0" --jsonl | cksum' "$model"
test "$(cat out)" = "$(yes 'ab\n' | head -n 4000000 | tr -d '\n' \
  | { printf '{"text":"'; cat; printf '"}\n'; } | cksum)" \
  || bad "bp-decode --jsonl, a long document: wrong line"

finish
