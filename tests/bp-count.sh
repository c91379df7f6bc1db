#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-count on the command line: --help and --version, usage errors, exact
# n-gram counts of small inputs in each document mode (DESIGN.md sections
# 1.0-1.2), piece counts whose defaults follow the model's header, the
# merge refusing files that do not agree, a missing file, a closed pipe,
# a full disk, and -o FILE replacing FILE only on success.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

# run STATUS EXPECTED-STDOUT EXPECTED-STDERR ARGS...: run bp-count ARGS
# with no input and check its status and both outputs ("-": empty).
run ()
{
  want=$1 out=$2 err=$3
  shift 3
  bp-count "$@" < /dev/null > run.out 2> run.err
  status=$?
  test $status = "$want" || bad "bp-count $*: status $status, not $want"
  if test "$out" = -; then : > run.exp; else printf '%s' "$out" > run.exp; fi
  compare run.exp run.out || bad "bp-count $*: wrong output"
  if test "$err" = -; then : > run.exp; else printf '%s' "$err" > run.exp; fi
  compare run.exp run.err || bad "bp-count $*: wrong diagnostics"
}

try="Try 'bp-count --help' for more information.
"
hdr="#bytepiece-counts 1 kind=ngrams"

bp-count --help > out 2> err || bad "--help failed"
test -s err && bad "--help wrote to stderr"
head -n 1 out | grep '^Usage: bp-count \[-n N\] \[OPTION\]\.\.\. \[FILE\]\.\.\.$' \
  > /dev/null || bad "--help does not start with its usage line"
grep '^Exit status: 0 success' out > /dev/null || bad "--help lacks the exit status"
for opt in --order --model --merge --output --lines --jsonl --isolate-digits \
           --no-normalize --no-ensure-unicode --threads --help --version; do
  grep -e "$opt" out > /dev/null || bad "--help does not mention $opt"
done
bp-count --version > out 2> err || bad "--version failed"
head -n 1 out | grep '^bp-count (bytepiece) [0-9]' > /dev/null \
  || bad "--version: wrong first line"

# Usage errors.
run 2 - "bp-count: unrecognized option '--frob'
$try" --frob
run 2 - "bp-count: the order must be from 1 to 255
$try" -n 256
run 2 - "bp-count: the order must be from 1 to 255
$try" -n 0
run 2 - "bp-count: invalid argument 'x' for '--order'
$try" -n x
run 2 - "bp-count: -n, -m and --merge exclude each other
$try" -n 3 -m model
run 2 - "bp-count: -n, -m and --merge exclude each other
$try" --merge -m model
run 2 - "bp-count: --merge takes no document or normalization options
$try" --merge -l a
run 2 - "bp-count: --no-ensure-unicode needs -m
$try" --no-ensure-unicode

# N-gram counts: every substring of 1..N bytes inside a chunk, sorted by
# the escaped key as bytes ("\n" before "a", "b\n" before "ba"), and the
# total of bytes.
printf 'abab\n' > abab
run 0 "$hdr order=2 total=5 normalize=nfc isolate_digits=0
\\n	1
a	2
ab	2
b	2
b\\n	1
ba	1
" - -n 2 abab
# Standard input, "-", and each FILE a document of its own (no n-gram
# across two files).
bp-count -n 2 < abab > a1 && bp-count -n 2 - < abab > a2 && compare a1 a2 \
  || bad "stdin and '-' differ"
printf 'x' > x
run 0 "$hdr order=2 total=6 normalize=nfc isolate_digits=0
\\n	1
a	2
ab	2
b	2
b\\n	1
ba	1
x	1
" - -n 2 abab x
# --lines: each line a document without its LF; an empty one adds nothing.
printf 'ab\n\nab\n' > lines
run 0 "$hdr order=1 total=4 normalize=nfc isolate_digits=0
a	2
b	2
" - -n 1 -l lines
# --jsonl: the member's text.
printf '{"text":"ab"}\n{"t":"c","text":"d"}\n' > j
run 0 "$hdr order=1 total=3 normalize=nfc isolate_digits=0
a	1
b	1
d	1
" - -n 1 --jsonl j
run 1 - "bp-count: j:1: no member \"t\"
" -n 1 --jsonl=t j
# NFC (e + U+0301 is U+00E9) unless --no-normalize; --isolate-digits
# makes each digit and the LF run after it chunks of their own.
printf 'e\314\201a12\n' > nfc
run 0 "$hdr order=2 total=6 normalize=nfc isolate_digits=1
1	1
2	1
\\n	1
\\xa9	1
\\xa9a	1
\\xc3	1
a	1
é	1
" - -n 2 --isolate-digits nfc
run 0 "$hdr order=1 total=7 normalize=none isolate_digits=0
1	1
2	1
\\n	1
\\x81	1
\\xcc	1
a	1
e	1
" - -n 1 --no-normalize nfc
# NUL, 0xFF and an empty input.
printf 'a\000\377' > bin
run 0 "$hdr order=3 total=3 normalize=nfc isolate_digits=0
\\x00	1
\\x00\\xff	1
\\xff	1
a	1
a\\x00	1
a\\x00\\xff	1
" - -n 3 bin
: > empty
run 0 "$hdr order=6 total=0 normalize=nfc isolate_digits=0
" - empty

# Piece counts: normalization and digits follow the model's header.  The
# model knows "ab" and U+0301 (literal: it is well-formed UTF-8).
{
  echo "#bytepiece-counts 1 kind=ngram-model order=2 min_count=1 total=8 normalize=none isolate_digits=0"
  printf '\\x81\t1\n\\xcc\t1\na\t2\nab\t2\nb\t2\ne\t1\n\314\201\t1\n'
} > m
printf 'abe\314\201ab' > p
acute=$(printf '\314\201')
run 0 "#bytepiece-counts 1 kind=pieces order=2 min_count=1 ensure_unicode=1 normalize=none isolate_digits=0
ab	2
e	1
$acute	1
" - -m m p
run 0 "#bytepiece-counts 1 kind=pieces order=2 min_count=1 ensure_unicode=0 normalize=none isolate_digits=0
ab	2
e	1
$acute	1
" - -m m --no-ensure-unicode p
# --isolate-digits adds to what the header says; --no-normalize turns NFC
# off (this model says none anyway).
{
  echo "#bytepiece-counts 1 kind=ngram-model order=2 min_count=1 total=10 normalize=nfc isolate_digits=0"
  printf '\\x81\t1\n\\xa9\t1\n\\xc3\t1\n\\xcc\t1\na\t2\nab\t2\nb\t2\ne\t1\n'
  printf '\303\251\t1\n\314\201\t1\n'
} > mn
run 0 "#bytepiece-counts 1 kind=pieces order=2 min_count=1 ensure_unicode=1 normalize=nfc isolate_digits=1
ab	2
é	1
" - -m mn --isolate-digits p
bp-count -n 2 abab > counts
run 1 - "bp-count: counts: n-gram counts (kind=ngrams), not an n-gram model: bp-prune -k K makes the n-gram model of them
" -m counts p
sed 's/^ab\t2$/ab\t02/' m > badm
run 1 - "bp-count: badm:5: bad count '02' (not a positive 64-bit decimal number)
" -m badm p
run 1 - "bp-count: nosuch: No such file or directory
" -m nosuch p

# --merge adds up counts and totals, and refuses what does not agree.
bp-count -n 2 abab x > ax
bp-count -n 2 abab > a
bp-count -n 2 x > xx
run 0 "$(cat ax)
" - --merge a xx
run 0 "$(cat ax)
" - --merge xx a
bp-count --merge < a > a2 && compare a a2 || bad "--merge of stdin differs"
bp-count -n 3 x > x3
run 1 - "bp-count: x3:1: order=3 disagrees with order=2 in a
" --merge a x3
bp-count -n 2 --no-normalize x > xn
run 1 - "bp-count: xn:1: normalize=none disagrees with normalize=nfc in a
" --merge a xn
run 1 - "bp-count: $data/good-counts-pieces:1: kind=pieces disagrees with kind=ngrams in $data/good-counts-ngrams
" --merge "$data/good-counts-ngrams" "$data/good-counts-pieces"
run 1 - "bp-count: m:1: an n-gram model (kind=ngram-model) cannot be merged
" --merge m
# All or nothing, -o FILE or standard output (issue 12): a bad record at
# the end of the last input leaves both empty (standard output is spooled
# in a temporary file of -T DIR, removed at once).
run 1 - "bp-count: $data/bad-counts-unsorted:6: key out of order (records must be sorted by their escaped keys as bytes)
" --merge -o new a "$data/bad-counts-unsorted"
test -f new && bad "a failed merge created its -o FILE"
mkdir spool
run 1 - "bp-count: $data/bad-counts-unsorted:6: key out of order (records must be sorted by their escaped keys as bytes)
" --merge -T spool a "$data/bad-counts-unsorted"
(cat a; printf 'zz\tbad\n') > bad-last
run 1 - "bp-count: bad-last:$(($(wc -l < a) + 1)): bad count 'bad' (not a positive 64-bit decimal number)
" --merge -T spool xx bad-last
run 0 "$(cat ax)
" - --merge -T spool a xx
test -z "$(ls -A spool)" || bad "--merge left $(ls -A spool) in -T DIR"
TMPDIR=$tmp/spool bp-count --merge a xx > ax2 && compare ax ax2 \
  || bad "--merge spooled in \$TMPDIR differs"
run 1 - "bp-count: cannot write nosuch: No such file or directory
" --merge -T nosuch a xx
run 1 - "bp-count: cannot write nosuch: No such file or directory
" --merge -T nosuch -o - a xx
# Standard input is read once: "-" twice is refused, naming it.
run 2 - "bp-count: '-' (standard input) given twice: it can be read only once
$try" --merge - a -

# Missing inputs: status 1, nothing written.
run 1 - "bp-count: nosuch: No such file or directory
" -n 2 abab nosuch
run 1 - "bp-count: nosuch: No such file or directory
" --merge a nosuch

# The same counts for every number of threads (the input makes several
# batches).
awk 'BEGIN { for (i = 0; i < 60000; i++) print "line", i, "of text", i % 7 }' > big
bp-count -j 1 -n 4 big > j1 || bad "-j 1 failed"
bp-prune -k 3 j1 > bigm || bad "pruning big failed"
bp-count -j 1 -m bigm big > p1 || bad "-m -j 1 failed"
for j in 2 3 8; do
  bp-count -j $j -n 4 big > jn && compare j1 jn || bad "-n 4 -j $j differs"
  bp-count -j $j -m bigm big > pn && compare p1 pn || bad "-m -j $j differs"
done
run 2 - "bp-count: --threads must be at most 256
$try" -j 300

# Progress: with --progress, when stderr is not a terminal, a line for
# the reading, one at the start of each stage (every ten seconds too),
# and the summary; nothing with -q or by default.  (progress.sh shows it
# on a terminal.)
bp-count --progress -n 3 big > out 2> err || bad "--progress failed"
sed -n 1p err | grep -q '^big: [0-9]*%, [0-9.]* [kM]*B of [0-9.]* [kM]*B' \
  || bad "--progress: no first line: $(cat err)"
sed -n '$p' err \
  | grep -q '^[0-9.]* [kM]*B counted in [0-9]*:[0-9][0-9], [0-9.]* [kMG]*B/s$' \
  || bad "--progress: no summary line: $(cat err)"
grep -qx "writing the counts" err || bad "--progress: $(cat err)"
bp-count --progress -q -n 3 big > out 2> err || bad "-q failed"
test -s err && bad "-q after --progress: $(cat err)"
bp-count -n 3 big > out 2> err || bad "no progress option failed"
test -s err && bad "progress without --progress: $(cat err)"

# A closed pipe ends it quietly (a full disk: dev-full.sh).
{ bp-count -n 3 big 2> err; } | head -n 1 > /dev/null
test -s err && { bad "a closed pipe made bp-count write to stderr"; cat err >&2; }

# -o FILE: written on success, untouched on failure, may be an input.
echo precious > kept
run 1 - "bp-count: nosuch: No such file or directory
" -n 2 -o kept abab nosuch
echo precious | compare - kept || bad "-o: the file was changed by a failed run"
run 1 - "bp-count: x3:1: order=3 disagrees with order=2 in a
" --merge -o kept a x3
echo precious | compare - kept || bad "-o: the file was changed by a failed merge"
cp a same
bp-count --merge -o same same xx && compare ax same || bad "-o onto an input"
bp-count -n 2 -o new abab && compare a new || bad "-o new"
leftover=$(ls -A | grep '^\.') && bad "temporary files left behind: $leftover"
finish
