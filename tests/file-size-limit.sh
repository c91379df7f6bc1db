#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A write error on -o FILE (DESIGN.md section 5, STYLE.md "-o FILE"): with
# a file size limit, and SIGXFSZ ignored so that write fails with EFBIG,
# the programs report the error ("write error", and FILE where they name
# it), exit with status 1, leave FILE as it was and no temporary file
# beside it.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"
(ulimit -f 4) 2> /dev/null || skip "cannot set a file size limit"

awk 'BEGIN { for (i = 0; i < 100000; i++) print "the abc", i }' > text
awk 'BEGIN { for (i = 0; i < 100000; i++) print "266 35 265 13" }' > ids
bp-count -q -n 3 text > counts || framework_failure "bp-count failed"

# limited PROG ARGS...: run PROG ARGS -o kept under a 2 KB limit.
limited ()
{
  prog=$1
  shift
  echo precious > kept
  (
    trap '' XFSZ
    ulimit -f 4
    exec $prog "$@" -o kept 2> err
  )
  status=$?
  test $status = 1 || bad "$prog $*: status $status, not 1"
  echo "$prog: write error: kept: File too large" > exp
  compare exp err || bad "$prog $*: wrong message"
  echo precious > exp
  compare exp kept || bad "$prog $*: -o kept was changed"
  leftover=$(ls -A | grep '^\.') && bad "$prog $*: left $leftover"
  rm -f .kept.*
}

limited bp-encode -m "$model" text
limited bp-encode -m "$model" -f u32 text
limited bp-decode -m "$model" ids
limited bp-count -q -n 6 text
limited bp-count -q --merge counts counts

finish
