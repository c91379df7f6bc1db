#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-prune with a model or a plain vocabulary as input (issue 10): text ->
# JSON -> text is the same file, a plain vocabulary becomes the model
# BytePiece's convert_to_bytepiece makes of it (worked out by hand below),
# special tokens are added and kept by both forms, and what cannot be done
# is refused with one line, status 1 and no file.  The round trips of the
# reference models are in convert-vectors.sh.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
tiny=$data/good-tiny.model
tinyjson=$data/good-tiny.json

# expect STATUS MESSAGE COMMAND...: COMMAND fails with STATUS and exactly
# MESSAGE on stderr.
expect ()
{
  want=$1 msg=$2
  shift 2
  "$@" > /dev/null 2> err
  status=$?
  test $status = "$want" || bad "$*: status $status, not $want"
  printf '%s\n' "$msg" | compare - err || bad "$*: wrong message"
}

# Text -> JSON -> text, and JSON -> text -> JSON, through files and pipes.
bp-prune --format=json -o tiny.json "$tiny" || bad "text -> JSON failed"
compare "$tinyjson" tiny.json || bad "text -> JSON is not Trainer.save's JSON"
bp-prune -o tiny.model tiny.json || bad "JSON -> text failed"
# JSON records no training parameters: the pieces and counts come back.
tail -n +2 "$tiny" > want
tail -n +2 tiny.model | compare want - || bad "text -> JSON -> text differs"
bp-prune -o back.model "$tiny" && compare "$tiny" back.model \
  || bad "text -> text differs"
cat "$tinyjson" | bp-prune --json | compare "$tinyjson" - \
  || bad "JSON -> JSON through a pipe differs"
bp-prune < tiny.model | bp-prune --json | compare "$tinyjson" - \
  || bad "JSON -> text -> JSON differs"

# A plain vocabulary, as BytePiece's convert_to_bytepiece(pieces, path)
# takes it: {"ab": 50, "abc": 1, "c": 50, "x" * 40: 100, "\t\t": 7}.
# By hand, following Trainer.prune_pieces with min_count 1, no length
# limit, and room for every piece:
#  1. the 255 missing single bytes (all but "c") are added with count 1;
#     the total is 255 + 50 + 50 + 1 + 100 + 7 = 463;
#  2. nothing is dropped: the 40-byte piece stays (no length limit);
#  3. each piece is re-segmented with scores log(count / 463):
#     "abc" as [abc] scores log(1/463) = -6.138, as [ab][c]
#     2 log(50/463) = -4.451: [ab][c] is better, so "abc" is no longer a
#     piece and its count 1 goes to "ab" and to "c" (51 each); every other
#     piece is best as itself ("\t\t": log(7/463) = -4.19 against
#     2 log(1/463) = -12.28; the 40 x's: one piece against 40 bytes).
#     One piece fewer, so once more with the new counts (total 463): now
#     every piece is best as itself, the number of pieces stays, done;
#  4. the size (5 + 259) leaves room for all of them;
#  5. ids from 3 by (length, bytes): the 256 bytes, "\t\t", "ab", x40.
x40=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
printf 'ab\t50\nabc\t1\nc\t50\n%s\t100\n\\t\\t\t7\n' "$x40" > list.tsv
{
  echo "#bytepiece-model 1 vocab=262"
  awk 'BEGIN {
    for (b = 0; b < 256; b++) {
      if (b == 9) e = "\\t"; else if (b == 10) e = "\\n";
      else if (b == 13) e = "\\r"; else if (b == 92) e = "\\\\";
      else if (b < 32 || b == 127 || b >= 128) e = sprintf("\\x%02x", b);
      else e = sprintf("%c", b);
      printf "%d\t%s\t%d\n", b + 3, e, b == 99 ? 51 : 1
    }
  }'
  printf '259\t\\t\\t\t7\n260\tab\t51\n261\t%s\t100\n' "$x40"
} > want
bp-prune list.tsv > got || bad "the plain vocabulary failed"
compare want got || bad "the plain vocabulary is not convert_to_bytepiece's model"
# From a pipe too; with -v the vocabulary is pruned like piece counts.
cat list.tsv | bp-prune | compare want - || bad "a vocabulary from a pipe"
bp-prune -v 260 list.tsv > small || bad "-v 260 of a vocabulary failed"
# 257 pieces: the 256 bytes and the most frequent longer piece.
test "$(tail -n 1 small | cut -f 2,3)" = "$(printf '%s\t100' "$x40")" \
  || bad "-v 260 did not keep the most frequent piece"
# --max-piece-length and -k drop pieces only when given.
bp-prune --max-piece-length 39 list.tsv | grep -c "$x40" | grep '^0$' \
  > /dev/null || bad "--max-piece-length 39 kept the 40-byte piece"

# Bad vocabularies: the line and the reason.
printf 'a\t1\nb\t0\n' > zero.tsv
expect 1 "bp-prune: zero.tsv:2: bad count (a positive decimal integer is expected)" \
  bp-prune zero.tsv
printf 'a\t1\nb\t2\na\t3\n' > twice.tsv
expect 1 "bp-prune: twice.tsv:3: the piece of line 1 again" bp-prune twice.tsv
printf 'a\t1\nb 2\n' > notab.tsv
expect 1 "bp-prune: notab.tsv:2: expected 'piece<TAB>count'" bp-prune notab.tsv

# Special tokens: the last ids, count 0, counted in the header; kept by
# JSON and back; added after those a model has.
bp-prune --special '<|endoftext|>' --special '<|im_start|>' -o sp.model "$tiny" \
  || bad "--special failed"
head -n 1 sp.model | grep ' vocab=273 specials=2 ' > /dev/null \
  || bad "wrong header with special tokens: $(head -n 1 sp.model)"
printf '271\t<|endoftext|>\t0\n272\t<|im_start|>\t0\n' > want
tail -n 2 sp.model | compare want - || bad "the special tokens are not the last ids"
bp-prune --json sp.model | bp-prune > back || bad "JSON with specials failed"
tail -n +2 back > back.pieces
tail -n +2 sp.model | compare - back.pieces \
  || bad "text -> JSON -> text with special tokens differs"
head -n 1 back | grep '^#bytepiece-model 1 vocab=273 specials=2$' > /dev/null \
  || bad "the JSON lost the special tokens: $(head -n 1 back)"
printf '<|im_end|>\n<|pad|>\n' > specials.txt
bp-prune --special-file specials.txt sp.model | tail -n 2 | cut -f 1,2 > got
printf '273\t<|im_end|>\n274\t<|pad|>\n' | compare - got \
  || bad "--special-file did not add after the model's special tokens"
# The model's special tokens stay when it is pruned.
bp-prune -v 262 sp.model > sp.small || bad "-v 262 with special tokens failed"
head -n 1 sp.small | grep ' vocab=262 specials=2' > /dev/null \
  || bad "-v counts every id: $(head -n 1 sp.small)"
tail -n 2 sp.small | cut -f 2 | tr '\n' ' ' | grep '^<|endoftext|> <|im_start|> $' \
  > /dev/null || bad "pruning lost the special tokens"

# What cannot be done: one line, status 1, no file.
expect 1 "bp-prune: a special token is empty" bp-prune --special= -o out "$tiny"
expect 1 "bp-prune: special token 'abc' is already a piece (id 265)" \
  bp-prune --special=abc -o out "$tiny"
expect 1 "bp-prune: special token '<s>' is given twice" \
  bp-prune --special='<s>' --special='<s>' -o out "$tiny"
expect 1 "bp-prune: special token '<|endoftext|>' is already a special token of the model (id 271)" \
  bp-prune --special='<|endoftext|>' -o out sp.model
expect 1 "bp-prune: a special token may not hold a LF: 'x\\ny'" \
  bp-prune --special="$(printf 'x\ny')" -o out "$tiny"
test -e out && bad "a refused special token left an output file"
# A piece that is not UTF-8 has no SentencePiece form; a piece spelt like
# one of HuggingFace's special tokens no HuggingFace form.
printf '\\xe4\\xb8\t5\n<pad>\t3\n' > odd.tsv
bp-prune -o odd.model odd.tsv || bad "odd.tsv failed"
expect 1 "bp-prune: piece '\\xe4\\xb8' (id 259) is not well-formed UTF-8, which SentencePiece cannot hold" \
  bp-prune --format=spm -o out odd.model
expect 1 "bp-prune: '<pad>' (id 0) and '<pad>' (id 260) have the same spelling in HuggingFace's vocabulary" \
  bp-prune --format=hf -o out odd.model
test -e out && bad "a refused export left an output file"
expect 2 "bp-prune: invalid format 'xml' (text, json, hf or spm)
Try 'bp-prune --help' for more information." bp-prune --format=xml "$tiny"

# Several sizes: every file or none.
printf 'a\t1\n\\xe4\\xb8\t5\n\\xc3\\xa9\t9\n' > two.tsv
bp-prune -v 262,261 -o two two.tsv && test -f two.262 && test -f two.261 \
  || bad "two sizes of a vocabulary failed"
rm -f two.262 two.261
expect 1 "bp-prune: piece '\\xe4\\xb8' (id 260) is not well-formed UTF-8, which SentencePiece cannot hold" \
  bp-prune --format=spm -v 262,261 -o two two.tsv
test -e two.262 || test -e two.261 && bad "one file of two was written"
leftover=$(ls -A | grep '^\.') && bad "temporary files left behind: $leftover"
finish
