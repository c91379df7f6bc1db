#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Write errors on standard output (DESIGN.md section 5): with /dev/full as
# standard output, every program reports "write error" and exits with
# status 1, whether the output fits in a buffer or not, and bp-encode
# on one thread or several; with -o /dev/full (a device, written in
# place) bp-encode and bp-decode name it.  Skips where there is no
# /dev/full, rather than pass without checking.
. "${srcdir:-.}/init.sh"

test -w /dev/full || skip "/dev/full is absent"
data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

printf 'the abc\n' > small.txt
awk 'BEGIN { for (i = 0; i < 100000; i++) print "the abc", i }' > large.txt
printf '266 35 265\n' > small.ids
awk 'BEGIN { for (i = 0; i < 100000; i++) print "266 35 265 13" }' > large.ids

# fails PROG ARGS...: PROG ARGS > /dev/full must fail with status 1 and
# the one-line write error, which names the -o file if $named is
# "/dev/full: ".
fails ()
{
  prog=$1
  shift
  $prog "$@" > /dev/full 2> err
  status=$?
  test $status = 1 || bad "$prog $* >/dev/full: status $status, not 1"
  echo "$prog: write error: ${named}No space left on device" > exp
  compare exp err || bad "$prog $* >/dev/full: wrong message"
}

named=
for size in small large; do
  fails bp-encode -m "$model" $size.txt
  fails bp-encode -m "$model" -j 2 $size.txt
  fails bp-encode -m "$model" -f u16 $size.txt
  fails bp-encode -m "$model" -o - $size.txt
  fails bp-decode -m "$model" $size.ids
  fails bp-decode -m "$model" -o - $size.ids
done
named="/dev/full: "
for size in small large; do
  fails bp-encode -m "$model" -o /dev/full $size.txt
  fails bp-encode -m "$model" -j 2 -o /dev/full $size.txt
  fails bp-decode -m "$model" -o /dev/full $size.ids
done

# The training programs and bp-stats.
named=
bp-count -n 3 small.txt > c || framework_failure "bp-count failed"
bp-prune -k 1 c > ngm || framework_failure "bp-prune failed"
fails bp-count -n 3 large.txt
fails bp-count --merge c
fails bp-count -m ngm large.txt
fails bp-prune -k 1 c
fails bp-stats -m "$model"
fails bp-stats c

finish
