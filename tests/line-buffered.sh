#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# --line-buffered (issue 14): bp-encode and bp-decode as co-processes.  A
# line goes in through a FIFO, and its line of output must come back
# before the next line is sent; without --line-buffered the output waits
# in a large block, no answer comes, and timeout ends the program, so a
# regression fails (after the timeout) instead of hanging.  The answers
# are the lines the same command gives without --line-buffered, and the
# whole output of a corpus is the same with and without it, for -j1 and
# -j4.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
command -v mkfifo > /dev/null 2>&1 || skip "no mkfifo"
command -v timeout > /dev/null 2>&1 || skip "no timeout"
model=$data/good-tiny.model
# A program that dies must not take the test with it (a write to a FIFO
# nobody reads raises SIGPIPE): the write fails, and the test says so.
trap '' PIPE

# drive IN EXP CMD...: run CMD reading the FIFO "to" and writing the FIFO
# "from"; send the lines of IN one at a time, each after the line of
# output of the one before has come back and matched the same line of
# EXP; then close CMD's input and check that it ends well and says
# nothing more.
drive ()
{
  in=$1 exp=$2
  shift 2
  rm -f to from
  mkfifo to from || framework_failure "mkfifo failed"
  timeout 20 "$@" < to > from 2> drive.err &
  pid=$!
  exec 3> to 4< from
  n=0
  while IFS= read -r line <&5; do
    n=$((n + 1))
    printf '%s\n' "$line" >&3 || { bad "$*: line $n could not be sent"; break; }
    if ! IFS= read -r got <&4; then
      bad "$*: no answer to line $n"
      break
    fi
    want=$(sed -n "${n}p" "$exp")
    test "x$got" = "x$want" || { bad "$*: line $n: '$got', not '$want'"; break; }
  done 5< "$in"
  exec 3>&-
  cat <&4 > rest
  exec 4<&-
  wait $pid
  status=$?
  test $status = 0 || bad "$*: status $status: $(cat drive.err)"
  test -s rest && bad "$*: more output at the end: $(head -c 200 rest)"
  test -s drive.err && bad "$*: said: $(cat drive.err)"
}

printf '%s\n' 'hello world' '' 'the second line' 'héllo, wörld' \
  'a tab	and more' > in.txt
printf '%s\n' '{"text": "hello world"}' '{"id": 2, "text": ""}' \
  '' '{"text": "line\nbreak"}' > in.jsonl

for j in 1 4; do
  bp-encode -m "$model" -l -j $j in.txt > exp.ids || framework_failure "bp-encode -l"
  drive in.txt exp.ids bp-encode -m "$model" -l --line-buffered -j $j
  bp-encode -m "$model" -l --eos -j $j in.txt > exp.ids || framework_failure "bp-encode --eos"
  drive in.txt exp.ids bp-encode -m "$model" -l --eos --line-buffered -j $j
  bp-encode -m "$model" --jsonl -j $j in.jsonl > exp.ids \
    || framework_failure "bp-encode --jsonl"
  drive in.jsonl exp.ids bp-encode -m "$model" --jsonl --line-buffered -j $j
  bp-encode -m "$model" -l -f pieces -j $j in.txt > exp.pieces \
    || framework_failure "bp-encode -f pieces"
  drive in.txt exp.pieces bp-encode -m "$model" -l -f pieces --line-buffered -j $j
done

# bp-decode: a line of ids in, its text out; as JSON Lines too.
bp-encode -m "$model" -l in.txt > ids || framework_failure "bp-encode -l"
drive ids in.txt bp-decode -m "$model" -l --line-buffered
bp-decode -m "$model" --jsonl ids > exp.jsonl || framework_failure "bp-decode --jsonl"
drive ids exp.jsonl bp-decode -m "$model" --jsonl --line-buffered
bp-encode -m "$model" -l -f pieces in.txt > pieces || framework_failure "bp-encode -f pieces"
drive pieces in.txt bp-decode -m "$model" -f pieces -l --line-buffered

# bp-decode -f u16 --lines: the text of a document as soon as its <eos>
# has come, before the next document's ids are sent.
bp-encode -m "$model" -l --eos -f u16 in.txt > all.u16 || framework_failure "u16"
rm -f to from
mkfifo to from || framework_failure "mkfifo failed"
timeout 20 bp-decode -m "$model" -l -f u16 --line-buffered < to > from 2> drive.err &
pid=$!
exec 3> to 4< from
n=0
while IFS= read -r want <&5; do
  n=$((n + 1))
  printf '%s' "$want" | bp-encode -m "$model" --eos -f u16 > doc.u16 \
    || framework_failure "bp-encode -f u16"
  cat doc.u16 >&3 || { bad "u16: document $n could not be sent"; break; }
  IFS= read -r got <&4 || { bad "u16: no answer to document $n"; break; }
  test "x$got" = "x$want" || { bad "u16: document $n: '$got', not '$want'"; break; }
done 5< in.txt
exec 3>&- 4<&-
wait $pid || bad "bp-decode -f u16 --line-buffered: status $?: $(cat drive.err)"

# The same bytes with and without --line-buffered, on a corpus of many
# chunks (file mode too: there a chunk is written once the next begins).
corpus_for t1 3000
for j in 1 4; do
  for mode in "" -l; do
    bp-encode -m "$model" $mode -j $j "$corpus" > plain || bad "bp-encode $mode -j $j"
    bp-encode -m "$model" $mode -j $j --line-buffered < "$corpus" > eager \
      || bad "bp-encode $mode -j $j --line-buffered"
    compare plain eager || bad "--line-buffered $mode -j $j changed the output"
  done
done
bp-decode -m "$model" plain > plain.txt || bad "bp-decode"
bp-decode -m "$model" --line-buffered < plain > eager.txt \
  || bad "bp-decode --line-buffered"
compare plain.txt eager.txt || bad "bp-decode --line-buffered changed the output"
finish
