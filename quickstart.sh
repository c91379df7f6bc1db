#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# quickstart.sh [FILE]: train a BytePiece tokenizer on bytepiece's own
# sources and documentation with the pipeline of bytepiece(7), encode FILE
# with it (default: README.md, which is left out of training), check
# that decoding gives FILE back byte for byte, and print bytes per token.
#
# Run it from a built tree (./configure && make); it uses the programs in
# ./src, or in $BP_BINDIR if set.  Results go to ./quickstart.out/.
set -eu
LC_ALL=C
export LC_ALL

top=$(cd "$(dirname "$0")" && pwd)
bindir=${BP_BINDIR:-$PWD/src}
test -x "$bindir/bp-encode" || bindir=$top/src
for p in bp-count bp-prune bp-encode bp-decode; do
  if test ! -x "$bindir/$p"; then
    echo "quickstart.sh: $bindir/$p not found: build first (./configure && make)" >&2
    exit 1
  fi
done
PATH=$bindir:$PATH

text=${1:-$top/README.md}
test -r "$text" || { echo "quickstart.sh: cannot read $text" >&2; exit 1; }

# Small corpus, small settings: order 6 as in BytePiece, min_count 4 and a
# vocabulary of at most 4000 (fewer pieces may survive in so little text).
order=6 min_count=4 vocab=4000
out=$PWD/quickstart.out
mkdir -p "$out"

# The corpus: every source and documentation file of the package, one
# document per file, without the file to encode.
(
  cd "$top"
  for f in README.md HACKING NEWS configure.ac Makefile.am \
           src/*.c src/cli/*.[ch] src/lib/*/*.[ch] man/*.[1-8] tests/*.sh tests/*.c po/*.po \
           bench/*.sh bench/*.md; do
    test -f "$f" || continue
    case $top/$f in "$text") continue ;; esac
    echo "$top/$f"
  done
) > "$out/corpus.list"
nfiles=$(wc -l < "$out/corpus.list")
nbytes=$(xargs -d '\n' cat < "$out/corpus.list" | wc -c)
echo "corpus: $nfiles files, $nbytes bytes of bytepiece's sources and documentation"

# Show a command, then run it.
run ()
{
  printf '$ %s\n' "$1"
  eval "$1"
}

cd "$out"
run "xargs -d '\\n' bp-count -n $order < corpus.list > ngrams.counts"
run "bp-prune -k $min_count ngrams.counts > ngrams.model"
run "xargs -d '\\n' bp-count -m ngrams.model < corpus.list > pieces.counts"
run "bp-prune -k $min_count -v $vocab pieces.counts > vocab.model"
echo "model: $(head -n 1 vocab.model)"

cp "$text" text.txt
echo "text: $text, copied to text.txt"
run "bp-encode -m vocab.model text.txt > text.ids"
run "bp-decode -m vocab.model text.ids > text.decoded"
run "cmp text.txt text.decoded"
echo "round trip: exact (the ids decode to the same bytes)"

bytes=$(wc -c < text.txt)
tokens=$(wc -w < text.ids)
awk -v b="$bytes" -v t="$tokens" 'BEGIN {
  printf "%d bytes, %d tokens: %.3f bytes per token\n", b, t, t ? b / t : 0
}'
# A readable sample: the pieces of the first line of prose (eight words
# or more), separated by '|', with the spaces that the pieces format
# writes as \x20 shown as spaces again.
sample=$(awk 'NF >= 8 { print; exit }' text.txt)
echo "the pieces of a line of the text:"
printf '%s' "$sample" | bp-encode -m vocab.model -f pieces \
  | sed -e 's/ /|/g' -e 's/\\x20/ /g'
echo "files in $out"
echo
echo "The programs are in $bindir and not yet on your PATH.  Run them from"
echo "there, add them to PATH with"
echo "    export PATH=$bindir:\$PATH"
echo "or install them and their manuals with 'make install' (as root)."
