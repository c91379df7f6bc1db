#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-count --reduce (issue 14, item 8): the reducer of a MapReduce job.
# The shuffle is simulated: shards counted by bp-count, their records
# concatenated and sorted with LC_ALL=C sort, piped into the reducer;
# the result is byte for byte one bp-count over the whole input, for
# n-gram and piece counts, with the headers where sort puts them or in
# Hadoop Streaming's form (a TAB at the end).  A stream out of order, or
# without its headers, or with headers that disagree, is refused with
# the line named; memory does not grow with the stream.
. "${srcdir:-.}/init.sh"

cd "$tmp" || framework_failure "cannot enter $tmp"
corpus_for t4 4000
head -n 3000 "$corpus" > corpus.txt || framework_failure "no corpus"
split -n l/3 -d corpus.txt part. || framework_failure "split failed"

bp-count -n 6 -l -o one.ngrams corpus.txt || framework_failure "bp-count"
for p in part.0?; do
  bp-count -n 6 -l -o $p.ngrams $p || framework_failure "bp-count $p"
done

# The shuffle: every mapper's output, sorted as lines.
cat part.0?.ngrams | LC_ALL=C sort > shuffled
grep -q '^#bytepiece-counts' shuffled && ! head -n 1 shuffled | grep -q '^#' \
  || framework_failure "the headers are not among the records"
bp-count --reduce < shuffled > reduced || bad "--reduce failed"
compare one.ngrams reduced || bad "--reduce of sorted n-gram shards"

# As FILE operands, several of them one stream, and -o.
split -n l/2 -d shuffled half. || framework_failure "split failed"
bp-count --reduce -o reduced2 half.00 - < half.01 || bad "--reduce FILE -"
compare one.ngrams reduced2 || bad "--reduce of two files"

# Hadoop Streaming gives a line without a TAB back as key TAB (empty
# value): the headers end with a TAB.
sed 's/^\(#bytepiece-counts[^	]*\)$/\1	/' shuffled > hadoop
test "$(grep -c '^#bytepiece-counts.*	$' hadoop)" = 3 \
  || framework_failure "no Hadoop form"
bp-count --reduce hadoop > reduced3 || bad "--reduce of the Hadoop form"
compare one.ngrams reduced3 || bad "--reduce, headers with a final TAB"

# Piece counts too (with a model of the whole, as step 3 runs).
bp-prune -k 4 one.ngrams > ngrams.model || framework_failure "bp-prune"
bp-count -m ngrams.model -l -o one.pieces corpus.txt \
  || framework_failure "bp-count -m"
for p in part.0?; do
  bp-count -m ngrams.model -l -o $p.pieces $p || framework_failure "-m $p"
done
cat part.0?.pieces | LC_ALL=C sort | bp-count --reduce > reduced.pieces \
  || bad "--reduce of pieces failed"
compare one.pieces reduced.pieces || bad "--reduce of sorted piece shards"

# refused STATUS PATTERN WHAT: the last run's status and message.
refused ()
{
  test "$1" = 1 || bad "$3: status $1, not 1"
  grep -q "$2" err || { bad "$3: wrong message"; cat err >&2; }
  test -s out && bad "$3: wrote output"
}

# Out of order: the line is named.
cat part.0?.ngrams > unsorted
line=$(( $(wc -l < part.00.ngrams) + 2 ))
bp-count --reduce unsorted > out 2> err
refused $? "^bp-count: unsorted:$line: key out of order (the records must be sorted by key: LC_ALL=C sort)\$" \
  "unsorted input"

# Without headers (a filter dropped them), nothing says the order or the
# total.
grep -v '^#' shuffled | bp-count --reduce > out 2> err
refused $? "^bp-count: (standard input): no header line in the input" \
  "no header"
: | bp-count --reduce > out 2> err
refused $? "no header line" "empty input"

# Headers that disagree.
bp-count -n 5 -l part.00 > five.ngrams || framework_failure "bp-count -n 5"
cat five.ngrams part.01.ngrams | LC_ALL=C sort > mixed
bp-count --reduce mixed > out 2> err
refused $? "^bp-count: mixed:[0-9]*: header: order=[56] disagrees with order=[56] of the first header (line [0-9]*)\$" \
  "headers that disagree"

# An n-gram model cannot be summed; a key longer than the order is bad.
bp-count --reduce ngrams.model > out 2> err
refused $? "^bp-count: ngrams.model:1: an n-gram model (kind=ngram-model) cannot be merged\$" \
  "an n-gram model"
printf '#bytepiece-counts 1 kind=ngrams order=2 total=3 normalize=nfc isolate_digits=0\na\t1\nabc\t1\nb\t2\n' > long
bp-count --reduce long > out 2> err
refused $? "^bp-count: long:3: key of 3 bytes is longer than the order 2\$" \
  "a key longer than the order"
printf '#bytepiece-counts 1 kind=ngrams order=2 total=3 normalize=nfc isolate_digits=0\na\t1\na\tx\n' > badcount
bp-count --reduce badcount > out 2> err
refused $? "^bp-count: badcount:3: bad count 'x'" "a bad count"

# A failure leaves -o's file as it was.
echo keep > kept
bp-count --reduce -o kept unsorted 2> /dev/null && bad "-o: status 0"
test "$(cat kept)" = keep || bad "-o: the file changed"

# --reduce excludes the counting options.
bp-count --reduce -n 6 < /dev/null > out 2> err
test $? = 2 || bad "--reduce -n: not a usage error"
bp-count --reduce -l < /dev/null > out 2> err
test $? = 2 || bad "--reduce -l: not a usage error"

# Memory: a line and a key, whatever the length of the stream (2 million
# records, each key twice).
peak_rss=$BP_BINDIR/tests/peak-rss
if test -z "${BP_VALGRIND-}" && "$peak_rss" --probe; then
  awk 'BEGIN {
    print "#bytepiece-counts 1 kind=pieces order=6 min_count=2 ensure_unicode=1 normalize=nfc isolate_digits=0"
    for (i = 0; i < 1000000; i++) { printf "k%07d\t1\nk%07d\t2\n", i, i }
  }' > big || framework_failure "awk"
  "$peak_rss" rss bp-count --reduce -o big.out big || bad "--reduce of big"
  test "$(sed -n '2p;$p' big.out | tr '\n' ' ')" = "k0000000	3 k0999999	3 " \
    || bad "--reduce of big: wrong sums"
  kib=$(cat rss)
  echo "--reduce of 2 million records: peak $kib KiB"
  test "$kib" -lt 8192 || bad "--reduce: peak $kib KiB for 2 million records"
fi

finish
