#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Count files are the unit of distribution (DESIGN.md section 2): seven
# shards counted as jobs of GNU parallel (three at a time), then merged,
# give byte for byte the counts of one process, for n-grams and then for
# pieces under the merged n-gram model; and so the same model.  The
# commands are those of bytepiece(7), on this machine.
. "${srcdir:-.}/init.sh"
cd "$tmp" || framework_failure "cannot enter $tmp"

command -v parallel > /dev/null 2>&1 || skip "GNU parallel is not installed"
parallel --version 2> /dev/null | grep -q 'GNU parallel' \
  || skip "parallel is not GNU parallel"
# parallel keeps its state under $HOME; keep it in here.
HOME=$tmp TMPDIR=$tmp
export HOME TMPDIR

corpus_for t3 8000
# Seven shards of whole lines, each line a document (-l).
split -n l/7 -d "$corpus" part. || framework_failure "split failed"
test -f part.06 || framework_failure "fewer than 7 shards"

# One process.
bp-count -l -n 6 "$corpus" > one.ngrams || bad "bp-count -n failed"
bp-prune -k 3 one.ngrams > one.model || bad "bp-prune failed"
bp-count -l -m one.model "$corpus" > one.pieces || bad "bp-count -m failed"

# Seven jobs, three at a time, each with one thread and a small budget.
parallel -j 3 bp-count -j 1 -S 256K -l -n 6 -o {}.ngrams {} ::: part.0? \
  2> err || bad "parallel bp-count -n failed: $(cat err)"
bp-count --merge part.0?.ngrams > merged.ngrams || bad "merging n-grams"
compare one.ngrams merged.ngrams || bad "merged n-gram counts differ"
bp-prune -k 3 merged.ngrams > merged.model || bad "bp-prune of the merge"
compare one.model merged.model || bad "the n-gram models differ"
parallel -j 3 bp-count -j 1 -S 256K -l -m merged.model -o {}.pieces {} \
  ::: part.0? 2> err || bad "parallel bp-count -m failed: $(cat err)"
bp-count --merge part.0?.pieces > merged.pieces || bad "merging pieces"
compare one.pieces merged.pieces || bad "merged piece counts differ"
test -n "$(ls -A "$tmp" | grep '^bytepiece\.')" && bad "runs left in $tmp"
finish
