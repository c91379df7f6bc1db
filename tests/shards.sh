#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Counting shards and merging the counts gives exactly the counts of the
# whole (DESIGN.md section 2: count files are sorted and mergeable), for
# both kinds, in file mode and in --lines mode.  The corpus (t1's from
# ../shared, or a generated one) is cut into 7 shards where a line that is
# not empty begins: a chunk boundary, so that each shard's chunks are the
# whole's.
. "${srcdir:-.}/init.sh"
cd "$tmp" || framework_failure "cannot enter $tmp"

corpus_for t1 3000

awk -v total="$(wc -l < "$corpus")" -v cur=0 '
  { want = int(NR * 7 / (total + 1)); if (want > cur && $0 != "") cur = want;
    print > ("shard" cur) }' "$corpus" || framework_failure "cannot cut shards"
test -f shard6 || framework_failure "fewer than 7 shards"
# The whole is the shards' concatenation (awk ends every line with LF).
cat shard0 shard1 shard2 shard3 shard4 shard5 shard6 > whole

for mode in "" --lines; do
  bp-count -n 6 $mode whole > whole.ngrams || bad "counting the whole failed"
  for i in 0 1 2 3 4 5 6; do
    bp-count -n 6 $mode shard$i > s$i.ngrams || bad "counting shard$i failed"
  done
  bp-count --merge s?.ngrams > merged || bad "merging n-gram counts failed"
  compare whole.ngrams merged || bad "$mode: merged n-gram counts differ"
  # Merging in steps, in another order, gives the same.
  bp-count --merge s6.ngrams s0.ngrams s3.ngrams > m1 \
    && bp-count --merge s5.ngrams s1.ngrams > m2 \
    && bp-count --merge m2 s2.ngrams m1 s4.ngrams > merged \
    || bad "merging in steps failed"
  compare whole.ngrams merged || bad "$mode: n-gram counts merged in steps differ"

  bp-prune -k 4 whole.ngrams > model || bad "pruning failed"
  bp-count -m model $mode whole > whole.pieces || bad "pieces of the whole"
  for i in 0 1 2 3 4 5 6; do
    bp-count -m model $mode shard$i > s$i.pieces || bad "pieces of shard$i"
  done
  bp-count --merge s?.pieces > merged || bad "merging piece counts failed"
  compare whole.pieces merged || bad "$mode: merged piece counts differ"
done
finish
