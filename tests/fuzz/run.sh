#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run libFuzzer targets for a bounded time: what make fuzz does.
#   run.sh FUZZDIR TARGET...
# FUZZDIR holds corpus/TARGET (the seeds) and dict/TARGET.dict; the
# binaries are fuzz/TARGET-fuzzer under the current directory.  Each
# target runs FUZZ_TIME seconds (default 60), FUZZ_JOBS at a time
# (default 1), with the options in FUZZ_ARGS added; new inputs go to
# fuzz-out/TARGET, a crash and its input to fuzz-out/TARGET-crash-*, the
# whole log to fuzz-out/TARGET.log.  Prints one line per target (its
# executions, and whether it failed) and exits 1 if any failed.
set -u
fuzzdir=$1
shift
: "${FUZZ_TIME:=60}" "${FUZZ_JOBS:=1}" "${FUZZ_ARGS:=}"
mkdir -p fuzz-out || exit 1

# one TARGET: run it, then print its line.
one ()
{
  t=$1
  mkdir -p "fuzz-out/$t" || return 1
  dict=
  test -f "$fuzzdir/dict/$t.dict" && dict="-dict=$fuzzdir/dict/$t.dict"
  # -timeout: an input that takes 30 s is a hang; -rss_limit_mb: more
  # than a gigabyte is memory without bound for these small inputs.
  "fuzz/$t-fuzzer" -max_total_time="$FUZZ_TIME" -timeout=30 \
    -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="fuzz-out/$t-crash-" $dict $FUZZ_ARGS \
    "fuzz-out/$t" "$fuzzdir/corpus/$t" > "fuzz-out/$t.log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz-out/$t.log")
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "fuzz-out/$t.log")
  if test $status = 0; then
    echo "fuzz: $t: ${runs:-?} executions in ${secs:-?} s, no failure"
  else
    echo "fuzz: $t: FAILED (status $status) after ${runs:-?} executions; see fuzz-out/$t.log:"
    grep -E 'ERROR|check failed|SUMMARY|Test unit written' "fuzz-out/$t.log" | head -20
    return 1
  fi
}

if test "$FUZZ_JOBS" -gt 1 && test $# -gt 1; then
  # Several at a time: each in the background, its line once it ends.
  failed=0
  set -- "$@"
  while test $# -gt 0; do
    pids=
    k=0
    while test $# -gt 0 && test $k -lt "$FUZZ_JOBS"; do
      one "$1" > "fuzz-out/$1.line" &
      pids="$pids $!:$1"
      k=$((k + 1))
      shift
    done
    for p in $pids; do
      wait "${p%%:*}" || failed=1
      cat "fuzz-out/${p#*:}.line"
    done
  done
  exit $failed
fi

failed=0
for t; do
  one "$t" || failed=1
done
exit $failed
