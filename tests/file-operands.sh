#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# FILE operands, the same in every program (src/cli/inputs.c): a file
# that cannot be opened or read is reported and the next one follows
# (status 1 at the end), as coreutils does; bp-count and bp-stats, whose
# output needs every input, then write nothing.  --files-from and
# --files0-from give the same names from a list (as du, wc and sort do),
# and a count file that xargs split into several runs is named as such.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

# check WHAT STATUS: the last command's status was STATUS, and its
# stderr (err) is exp.err.
check ()
{
  test "$2" = "$3" || bad "$1: status $3, not $2"
  compare exp.err err || bad "$1: wrong diagnostics"
}

printf 'hello world\nabc abc\n' > a
printf 'the second file\n' > b
mkdir dir
bp-encode -m "$model" a > ids.a && bp-encode -m "$model" b > ids.b \
  || framework_failure "bp-encode failed"
cat ids.a ids.b > ids.ab
bp-count -n 2 a > c.a && bp-count -n 2 b > c.b && bp-count -n 2 a b > c.ab \
  || framework_failure "bp-count failed"

# 1. A missing file and a directory among the operands: both reported,
# the other files read.
cat > exp.err <<EOF
bp-encode: nosuch: No such file or directory
bp-encode: dir: Is a directory
EOF
bp-encode -m "$model" a nosuch dir b > out 2> err
check "bp-encode a nosuch dir b" 1 $?
compare ids.ab out || bad "bp-encode: the files after a missing one were not encoded"

sed 's/bp-encode/bp-decode/' exp.err > e && mv e exp.err
bp-decode -m "$model" ids.a nosuch dir ids.b > out 2> err
check "bp-decode ids.a nosuch dir ids.b" 1 $?
cat a b | compare - out || bad "bp-decode: the files after a missing one were not decoded"

sed 's/bp-decode/bp-count/' exp.err > e && mv e exp.err
echo precious > kept
bp-count -n 2 -o kept a nosuch dir b > out 2> err
check "bp-count -n 2 a nosuch dir b" 1 $?
echo precious | compare - kept || bad "bp-count: -o FILE replaced after a missing input"
bp-count -n 2 a nosuch dir b > out 2> err
check "bp-count -n 2 a nosuch dir b (stdout)" 1 $?
test -s out && bad "bp-count: a count that lacks a file was written"
bp-count --merge c.a nosuch dir c.b > out 2> err
check "bp-count --merge c.a nosuch dir c.b" 1 $?
test -s out && bad "bp-count --merge: a merge that lacks a file was written"

sed 's/bp-count/bp-stats/' exp.err > e && mv e exp.err
bp-stats c.a nosuch dir c.b > out 2> err
check "bp-stats c.a nosuch dir c.b" 1 $?
test -s out && bad "bp-stats: a report that lacks a file was written"
bp-stats -m "$model" a nosuch dir b > out 2> err
check "bp-stats -m a nosuch dir b" 1 $?

echo "bp-prune: nosuch: No such file or directory" > exp.err
bp-prune -k 1 nosuch > out 2> err
check "bp-prune nosuch" 1 $?

# Past the limit on open files a merge stops at the first file it cannot
# open (every next one would fail the same way), with one message.
i=0
while test $i -lt 70; do cp c.a m$i || framework_failure "cp"; i=$((i + 1)); done
(ulimit -n 40 && bp-count --merge m* > out 2> err; echo $? > status) \
  2> /dev/null
test "$(cat status)" = 1 || bad "a merge of too many files: status $(cat status)"
test "$(grep -c 'Too many open files$' err)" = 1 && test "$(wc -l < err)" = 1 \
  || bad "a merge of too many files: $(cat err)"
test -s out && bad "a merge of too many files wrote something"

# --skip-invalid names the file of the first line skipped, whatever
# could not be opened before it.
printf '{"text": "x"}\n[1]\n' > j
echo "bp-encode: nosuch: No such file or directory
bp-encode: --skip-invalid skipped 1 line: j:2: the line is an array, not a JSON object" > exp.err
bp-encode -m "$model" --jsonl --skip-invalid nosuch j > out 2> err
check "bp-encode --skip-invalid nosuch j" 1 $?

# 2. --files-from and --files0-from: the same as the operands.
printf 'a\nb\n' > list
printf 'a\0b\0' > list0
printf 'ids.a\nids.b\n' > idlist
printf 'c.a\nc.b\n' > clist
for opt in --files-from=list --files0-from=list0; do
  bp-encode -m "$model" $opt > out && compare ids.ab out \
    || bad "bp-encode $opt differs from the operands"
  bp-count -n 2 $opt > out && compare c.ab out \
    || bad "bp-count $opt differs from the operands"
  bp-stats -m "$model" a b > exp && bp-stats -m "$model" $opt > out \
    && compare exp out || bad "bp-stats -m $opt differs from the operands"
done
bp-count --merge --files-from=clist > out && compare c.ab out \
  || bad "bp-count --merge --files-from differs from the operands"
bp-stats c.a c.b > exp && bp-stats --files-from=clist > out \
  && compare exp out || bad "bp-stats --files-from (count files) differs"
bp-decode -m "$model" --files-from=idlist > out && cat a b | compare - out \
  || bad "bp-decode --files-from differs from the operands"
# From standard input; a name with a LF in it through --files0-from.
bp-encode -m "$model" --files-from=- < list > out && compare ids.ab out \
  || bad "bp-encode --files-from=- differs"
cp b 'new
line'
printf 'a\0new\nline\0' | bp-encode -m "$model" --files0-from=- > out \
  && compare ids.ab out || bad "--files0-from: a name with a LF in it"
# An empty list reads nothing (not standard input).
: > empty
echo text | bp-encode -m "$model" --files-from=empty > out 2> err \
  || bad "bp-encode with an empty list failed"
test -s out && bad "bp-encode with an empty list wrote something"
echo "bp-count: empty: no count files to merge" > exp.err
bp-count --merge --files-from=empty > out 2> err
check "bp-count --merge with an empty list" 1 $?

# Operands with a list are a usage error; an empty name, and "-" in a
# list read from standard input, are reported and the others read; a
# list that cannot be read fails the run.
cat > exp.err <<EOF
bp-decode: extra operand 'ids.a'
file operands cannot be combined with --files0-from
Try 'bp-decode --help' for more information.
EOF
bp-decode -m "$model" --files0-from=list0 ids.a > out 2> err
check "bp-decode --files0-from with an operand" 2 $?
test -s out && bad "a usage error wrote something"
cat > exp.err <<EOF
bp-encode: -:2: invalid zero-length file name
bp-encode: -:4: '-' cannot stand for standard input when the names are read from it
EOF
printf 'a\n\nb\n-\n' | bp-encode -m "$model" --files-from=- > out 2> err
check "bp-encode with an empty name" 1 $?
compare ids.ab out || bad "the names after an empty one were not read"
# A NUL byte cannot be in a file name: a newline-separated list with one
# names no file (it was cut at the NUL).
printf 'a\nb\0c\nb\n' > badnul
echo "bp-encode: badnul:2: a file name cannot hold a NUL byte (use --files0-from for a list of NUL-terminated names)" > exp.err
bp-encode -m "$model" --files-from=badnul > out 2> err
check "bp-encode --files-from with a NUL in a name" 1 $?
compare ids.ab out || bad "the names around a name with a NUL were not read"
printf 'a\0\0b\0' > bad0
echo "bp-count: bad0:2: invalid zero-length file name" > exp.err
bp-count -n 2 --files0-from=bad0 > out 2> err
check "bp-count --files0-from with an empty name" 1 $?
test -s out && bad "bp-count with an empty name wrote a count"
echo "bp-stats: cannot read the file names in nolist: No such file or directory" > exp.err
bp-stats --files-from=nolist > out 2> err
check "bp-stats --files-from=nolist" 1 $?

# 3. What xargs does with a long list: several runs of bp-count, each
# with its header, into one file.  bp-prune and bp-count --merge say so.
lines=$(wc -l < c.a)
line=$((lines + 1))
printf 'a\nb\n' | xargs -n 1 bp-count -n 2 > split || framework_failure "xargs"
msg="split:$line: a second header: was the count split by xargs into several runs? Count with --files-from, or add count files up with bp-count --merge"
echo "bp-prune: $msg" > exp.err
bp-prune -k 1 split > out 2> err
check "bp-prune on a split count" 1 $?
echo "bp-count: $msg" > exp.err
bp-count --merge split c.b > out 2> err
check "bp-count --merge on a split count" 1 $?

finish
