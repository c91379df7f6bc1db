#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# --json is no abbreviation of --jsonl (issue 15): bp-count, bp-encode
# and bp-decode have --jsonl only, and getopt_long took --json (and --js,
# --jso) for it, while bp-prune and bp-stats have a --json of their own,
# for what they write.  Now --json is a usage error that names --jsonl,
# its abbreviations are ambiguous, and the real options work as before.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
cp "$data/good-tiny.model" m || framework_failure "no model"
printf '{"text": "the abc"}\n' > in.jsonl

# usage PROG ARGS... : status 2, nothing on stdout, the message wanted
# (in exp) on stderr.
usage ()
{
  "$@" < in.jsonl > out 2> err
  status=$?
  test $status = 2 || bad "$*: status $status, not 2"
  test -s out && bad "$*: wrote to stdout"
  compare exp err || bad "$*: wrong message"
}

for p in bp-count bp-encode; do
  printf '%s\n' "$p: there is no option --json: --jsonl[=KEY] reads JSON Lines, a JSON object a line" \
    "Try '$p --help' for more information." > exp
  usage $p --json -m m
  usage $p --json=text -m m
done
printf '%s\n' "bp-decode: there is no option --json: --jsonl[=KEY] writes JSON Lines, a JSON object a line" \
  "Try 'bp-decode --help' for more information." > exp
usage bp-decode --json -m m

# The abbreviations of both are ambiguous, as in bp-stats, which has both.
for p in bp-count bp-encode bp-decode bp-stats; do
  for o in --js --jso; do
    $p $o -m m < in.jsonl > out 2> err
    status=$?
    test $status = 2 || bad "$p $o: status $status, not 2"
    grep -q "^$p: option '$o' is ambiguous" err || bad "$p $o: $(cat err)"
  done
done

# The options that exist: --jsonl, in full or cut after --json..., and
# bp-stats' and bp-prune's own --json.
bp-encode -m m --jsonl < in.jsonl > ids || bad "bp-encode --jsonl failed"
bp-encode -m m -l < in.jsonl > /dev/null || bad "bp-encode -l failed"
printf 'the abc' | bp-encode -m m > want || framework_failure "bp-encode"
compare want ids || bad "--jsonl did not read the member"
bp-decode -m m --jsonl < ids > back || bad "bp-decode --jsonl failed"
compare in.jsonl back 2> /dev/null \
  || test "$(cat back)" = '{"text":"the abc"}' || bad "bp-decode --jsonl: $(cat back)"
bp-stats --json -m m > stats.json || bad "bp-stats --json failed"
grep -q '^{' stats.json || bad "bp-stats --json wrote no JSON"
bp-prune --json m > m.json || bad "bp-prune --json failed"
grep -q '^{' m.json || bad "bp-prune --json wrote no JSON"

finish
