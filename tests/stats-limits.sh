#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-stats at its limits: -n N takes memory for the keys a count file
# has, not for N of them (under ulimit -v, which the ASan and valgrind
# builds cannot run under: then the test skips); and empty input in each
# document mode (whose batches have no text: clang's UBSan saw an
# offset added to NULL there) gives its documents and no tokens.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
json_get=$BP_BINDIR/tests/json-get
test -x "$json_get" || framework_failure "no $json_get"
cd "$tmp" || framework_failure "cannot enter $tmp"

printf 'abab\nba\n' > ab.txt
bp-count -n 2 ab.txt > ab.counts || framework_failure "bp-count failed"
bp-stats -n 20 ab.counts > want || bad "bp-stats -n 20 failed"

# 200 MB of address space: 100 million entries of a top list would take
# 4 GB, the largest -n 0.7 TB; the file has 7 keys.
limit=200000
if (ulimit -v $limit && bp-stats --version) > /dev/null 2>&1; then
  for n in 100000000 18446744073709551615; do
    (ulimit -v $limit && bp-stats -n $n ab.counts) > got 2> err \
      || bad "bp-stats -n $n failed under ulimit -v $limit: $(cat err)"
    compare want got || bad "bp-stats -n $n: not the report of -n 20"
  done
else
  echo "cannot run bp-stats under ulimit -v $limit: not checking -n"
  skipped=yes
fi

# Empty input: a document (whole input, or an empty JSON member), or one
# per empty line; no chunk, byte or token.
empty_check ()
{
  want_docs=$1
  shift
  bp-stats --json -m "$data/good-tiny.model" "$@" > rep.json 2> err \
    || bad "bp-stats $*: failed: $(cat err)"
  test -s err && bad "bp-stats $*: wrote to stderr: $(cat err)"
  "$json_get" text.documents text.chunks text.bytes models.0.tokens \
    models.0.bytes_per_token < rep.json > got \
    || { bad "bp-stats $*: keys missing"; return; }
  printf '%s\n' "$want_docs" 0 0 0 null > exp
  compare exp got || bad "bp-stats $*: wrong counts of empty input"
}
: > empty.txt
printf '\n\n\n' > lfs.txt
printf '{"text": ""}\n{"text": ""}\n' > empty.jsonl
empty_check 1 empty.txt
empty_check 0 -l empty.txt
empty_check 3 -l lfs.txt
empty_check 2 --jsonl empty.jsonl
empty_check 3 -l -j 3 lfs.txt
empty_check 1 - < empty.txt

test "${skipped-}" = yes && test $fail = 0 && skip "no ulimit -v here"
finish
