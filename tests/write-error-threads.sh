#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A write error stops bp-encode's worker threads before the program
# exits (issue 12): with -j 2 and standard output or -o on /dev/full,
# valgrind finds no thread left running at exit (its stack would show as
# "possibly lost" memory of pthread_create) and no other error.  Skips
# without valgrind, and where valgrind cannot run the programs (an
# AddressSanitizer build) or runs them already (make check-valgrind).
. "${srcdir:-.}/init.sh"

test -n "${BP_VALGRIND-}" && skip "make check-valgrind runs every test so"
test -w /dev/full || skip "/dev/full is absent"
vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=99"
$vg bp-encode --version > /dev/null 2>&1 || skip "valgrind cannot run bp-encode here"
model=$(cd "$srcdir/data" && pwd)/good-tiny.model \
  || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

# Enough text for many batches, so that the workers are busy when the
# first write fails.
awk 'BEGIN { for (i = 0; i < 40000; i++) print "the abc", i }' > text

# clean WHAT ARGS...: valgrind bp-encode ARGS must exit with status 1
# and report nothing but the write error.
clean ()
{
  what=$1
  shift
  $vg bp-encode "$@" 2> err
  status=$?
  test $status = 1 || { bad "$what: status $status, not 1"; cat err >&2; }
  grep -v '^bp-encode: write error: ' err > other
  test -s other && { bad "$what: valgrind reported"; cat other >&2; }
}

clean "-j 2 > /dev/full" -q -j 2 -m "$model" text > /dev/full
clean "-j 2 -o /dev/full" -q -j 2 -m "$model" -o /dev/full text

finish
