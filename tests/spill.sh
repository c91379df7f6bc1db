#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-count -S: a memory budget so small that the count tables spill many
# sorted runs to temporary files gives exactly the counts kept in memory
# (DESIGN.md section 4), for both kinds, with one thread and with three;
# and no temporary file is left in the -T directory after a success, a
# bad input, a closed pipe or SIGTERM.
. "${srcdir:-.}/init.sh"
cd "$tmp" || framework_failure "cannot enter $tmp"

corpus_for t5 20000
mkdir runs || framework_failure "cannot make runs/"

# empty_runs WHAT: the -T directory holds nothing.
empty_runs ()
{
  if test -n "$(ls -A runs)"; then
    bad "$1: temporary files left behind: $(ls -A runs | head -3)"
    rm -f runs/* runs/.[!.]*
  fi
}

# The in-memory counts, then the same with 64 KiB for the tables (raised
# to 128 KiB a thread), which spills many runs.
bp-count -j 1 -n 6 "$corpus" > mem.ngrams || bad "bp-count -n failed"
bp-prune -k 8 mem.ngrams > model || bad "bp-prune failed"
bp-count -j 1 -m model "$corpus" > mem.pieces || bad "bp-count -m failed"
for j in 1 3; do
  bp-count -j $j -n 6 -S 64K -T runs --progress "$corpus" > s.ngrams \
    2> err || bad "-j $j -S 64K -n failed: $(cat err)"
  compare mem.ngrams s.ngrams || bad "-j $j -S 64K: n-gram counts differ"
  grep -q 'merging [0-9]* sorted runs' err \
    || bad "-j $j -S 64K -n: no runs were merged"
  empty_runs "-j $j -n"
  bp-count -j $j -m model -S 64K -T runs --progress "$corpus" > s.pieces \
    2> err || bad "-j $j -S 64K -m failed: $(cat err)"
  compare mem.pieces s.pieces || bad "-j $j -S 64K: piece counts differ"
  grep -q 'merging [0-9]* sorted runs' err \
    || bad "-j $j -S 64K -m: no runs were merged"
  empty_runs "-j $j -m"
done
# --lines and -o, a budget in other units; $TMPDIR is the default -T.
bp-count -j 2 -l -n 4 "$corpus" > mem.lines || bad "bp-count -l failed"
TMPDIR=$tmp/runs bp-count -j 2 -l -n 4 -S 1m -o s.lines "$corpus" \
  || bad "-S 1m -o failed"
compare mem.lines s.lines || bad "-S 1m -l: counts differ"
empty_runs "TMPDIR"
bp-count -n 4 -S 1% -S 200000b -l -o s.lines "$corpus" || bad "-S b failed"
compare mem.lines s.lines || bad "-S 200000b: counts differ"

# Usage errors.
for s in 0 10X K -1 1%% 101% ''; do
  bp-count -S "$s" -n 2 < /dev/null > out 2> err
  test $? = 2 || bad "-S '$s': status $? (want 2)"
  grep -q "invalid argument '$s' for '--buffer-size'" err \
    || bad "-S '$s': $(cat err)"
done

# A bad input after many runs: the error is reported, nothing is left.
{
  awk '{ gsub(/["\\]/, ""); gsub(/[[:cntrl:]]/, " ")
         printf "{\"text\": \"%s\"}\n", $0 }' "$corpus"
  echo 'not json'
} > bad.jsonl
lines=$(wc -l < bad.jsonl)
bp-count -n 6 -S 64K -T runs --jsonl -o bad.counts bad.jsonl 2> err
test $? = 1 || bad "bad --jsonl input: status $? (want 1)"
grep -q "^bp-count: bad.jsonl:$lines: " err || bad "bad input: $(cat err)"
test -e bad.counts && bad "bad input: -o file written"
empty_runs "bad input"

# A temporary directory that cannot hold the runs is named.
bp-count -n 6 -S 64K -T "$tmp/none" "$corpus" > out 2> err
test $? = 1 || bad "-T missing: status $? (want 1)"
grep -q "^bp-count: $tmp/none: No such file or directory" err \
  || bad "-T missing: $(cat err)"

# A closed pipe while the runs exist: quiet, and nothing is left.
{ bp-count -n 6 -S 64K -T runs "$corpus" 2> err; echo $? > status; } \
  | head -c 10 > /dev/null
test -s err && bad "closed pipe: $(cat err)"
case $(cat status) in
  141 | 1) ;;   # SIGPIPE, or exit 1 if SIGPIPE was ignored from the start
  *) bad "closed pipe: status $(cat status)" ;;
esac
empty_runs "closed pipe"

# SIGTERM while runs exist: bp-count reads a FIFO that has been sent the
# corpus but is held open, so runs have been spilled and it waits in a
# read when the signal comes.
if mkfifo fifo 2> /dev/null; then
  bp-count -j 1 -n 6 -S 64K -T runs fifo > out 2> err &
  counter=$!
  exec 3> fifo
  cat "$corpus" >&3
  # Wait (a minute at most) for the first run.
  i=0
  while test -z "$(ls -A runs)" && test $i -lt 600; do
    sleep 0.1 2> /dev/null || sleep 1
    i=$((i + 1))
  done
  if test -n "$(ls -A runs)"; then
    kill -TERM $counter
    wait $counter
    st=$?
    test $st = 143 || bad "SIGTERM: status $st (want 143)"
    test -s err && bad "SIGTERM: $(cat err)"
    empty_runs "SIGTERM"
  else
    echo "SIGTERM case not run: no run appeared" >&2
    kill $counter 2> /dev/null
    wait $counter
  fi
  exec 3>&-
fi
finish
