#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-prune on the command line: --help and --version, usage errors, the
# n-gram model of a tiny count file (DESIGN.md section 1.3), models of
# several sizes in both forms (section 1.5), and every kind of bad count
# file refused with its exact message, status 1 and no output file.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

# run STATUS EXPECTED-STDOUT EXPECTED-STDERR ARGS...: run bp-prune ARGS
# with no input and check its status and both outputs ("-": empty).
run ()
{
  want=$1 out=$2 err=$3
  shift 3
  bp-prune "$@" < /dev/null > run.out 2> run.err
  status=$?
  test $status = "$want" || bad "bp-prune $*: status $status, not $want"
  if test "$out" = -; then : > run.exp; else printf '%s' "$out" > run.exp; fi
  compare run.exp run.out || bad "bp-prune $*: wrong output"
  if test "$err" = -; then : > run.exp; else printf '%s' "$err" > run.exp; fi
  compare run.exp run.err || bad "bp-prune $*: wrong diagnostics"
}

try="Try 'bp-prune --help' for more information.
"
ngrams=$data/good-counts-ngrams
pieces=$data/good-counts-pieces

bp-prune --help > out 2> err || bad "--help failed"
test -s err && bad "--help wrote to stderr"
head -n 1 out | grep '^Usage: bp-prune \[OPTION\]\.\.\. \[FILE\]$' > /dev/null \
  || bad "--help does not start with its usage line"
grep '^Exit status: 0 success' out > /dev/null || bad "--help lacks the exit status"
for opt in --min-count --vocab-size --max-piece-length --json --threads \
           --format --special --special-file \
           --output --help --version FILE.V; do
  grep -e "$opt" out > /dev/null || bad "--help does not mention $opt"
done
bp-prune --version > out 2> err || bad "--version failed"
head -n 1 out | grep '^bp-prune (bytepiece) [0-9]' > /dev/null \
  || bad "--version: wrong first line"

# Usage errors.
run 2 - "bp-prune: unrecognized option '--frob'
$try" --frob
run 2 - "bp-prune: invalid argument 'x' for '--min-count'
$try" -k x
run 2 - "bp-prune: a vocabulary size must be at least 259
$try" -v 258
run 2 - "bp-prune: invalid argument '300,' for '--vocab-size'
$try" -v 300,
run 2 - "bp-prune: vocabulary size 300 given twice
$try" -v 300 -v 400,300
run 2 - "bp-prune: several vocabulary sizes need -o FILE (size V goes to FILE.V)
$try" -v 300,400 "$pieces"
run 2 - "bp-prune: invalid argument '0' for '--max-piece-length'
$try" --max-piece-length 0
run 2 - "bp-prune: extra operand 'b'
$try" a b
run 2 - "bp-prune: piece counts need -v SIZE
$try" "$pieces"
run 2 - "bp-prune: -v, --format, --special and --max-piece-length apply to piece counts, models and vocabularies, and $ngrams holds n-gram counts
$try" --json "$ngrams"
run 2 - "bp-prune: -v, --format, --special and --max-piece-length apply to piece counts, models and vocabularies, and $ngrams holds n-gram counts
$try" --special '<s>' "$ngrams"
run 2 - "bp-prune: invalid format 'xml' (text, json, hf or spm)
$try" --format=xml "$ngrams"
run 2 - "bp-prune: a vocabulary size must be at least 261 with 2 special tokens
$try" -v 260 --special '<s>' --special '</s>' "$pieces"
# Issue 12: the largest number a size can be in the syntax is refused as
# too large, not as too small.
run 2 - "bp-prune: a vocabulary size must be at most 4294967296 (ids are 32-bit numbers)
$try" -v 18446744073709551615 "$pieces"
# So is one too large for 64 bits, however long (it was "invalid").
run 2 - "bp-prune: a vocabulary size must be at most 4294967296 (ids are 32-bit numbers)
$try" -v 18446744073709551616 "$pieces"
run 2 - "bp-prune: a vocabulary size must be at most 4294967296 (ids are 32-bit numbers)
$try" -v 300,99999999999999999999999999999999999999 "$pieces"
run 2 - "bp-prune: invalid argument '300,3x' for '--vocab-size'
$try" -v 300,3x "$pieces"

# The n-gram model: single bytes all kept, the 253 missing ones added with
# count 1 (the total grows from 9 to 262), "ba" (1) below -k 2 dropped.
bp-prune -k 2 "$ngrams" > model || bad "pruning n-grams failed"
echo "#bytepiece-counts 1 kind=ngram-model order=2 min_count=2 total=262 normalize=nfc isolate_digits=0" > exp
head -n 1 model | compare exp - || bad "wrong n-gram model header"
test "$(wc -l < model)" = 258 || bad "the n-gram model has $(wc -l < model) lines, not 258"
grep -c "$(printf '\t1$')" model | grep '^253$' > /dev/null \
  || bad "not 253 single bytes of count 1"
printf 'a\t4\nab\t2\nb\t3\nc\t1\n' > exp
grep -A3 "$(printf '^a\t')" model | compare exp - || bad "wrong records around 'a'"
grep "$(printf '^ba\t')" model && bad "'ba' kept below the min count"
# Standard input and "-" give the same; -k 1 keeps "ba".
bp-prune -k 2 < "$ngrams" > m2 && compare model m2 || bad "stdin differs"
bp-prune -k 2 - < "$ngrams" > m2 && compare model m2 || bad "'-' differs"
bp-prune -k 1 "$ngrams" | grep "$(printf '^ba\t1$')" > /dev/null \
  || bad "-k 1 dropped 'ba'"
# The default -k is 2.
bp-prune "$ngrams" > m2 && compare model m2 || bad "the default -k is not 2"
# Counts where an n-gram is counted more often than its prefix (not from
# bp-count) would make a model that cannot be read: refused here, not by
# the step that reads the model (found by tests/fuzz/fuzz-ngram.c).
printf '#bytepiece-counts 1 kind=ngrams order=3 total=6 normalize=nfc isolate_digits=0\na\t3\nab\t1\nabc\t2\nb\t2\nbc\t2\nc\t1\n' \
  > orphan
run 1 - "bp-prune: orphan:4: n-gram 'abc' is kept but not its prefix (counted less often than the n-gram)
" -k 2 orphan
bp-prune -k 1 orphan > m2 && printf 'abc\n' | bp-count -m m2 > /dev/null \
  || bad "-k 1 keeps the prefix, and the model reads"
# A model is not pruned again.
run 1 - "bp-prune: model:1: an n-gram model (kind=ngram-model) cannot be pruned again
" model

# Tokenizer models: one size to stdout; several to FILE.V, text or JSON.
bp-prune -k 2 -v 300 "$pieces" > one || bad "-v 300 failed"
echo "#bytepiece-model 1 vocab=260 order=2 min_count=2 max_piece_length=36 ensure_unicode=1 isolate_digits=0 normalize=nfc" > exp
head -n 1 one | compare exp - || bad "wrong model header"
grep "$(printf '^259\tab\t3$')" one > /dev/null || bad "the piece 'ab' is not id 259"
bp-prune -k 2 -v 259,300 --max-piece-length 1 -o m "$pieces" \
  || bad "two sizes failed"
test -f m.300 && test -f m.259 && test ! -f m || bad "FILE.V not written"
head -n 1 m.259 | grep ' vocab=259 .*max_piece_length=1 ' > /dev/null \
  || bad "m.259: wrong header"
bp-prune -k 2 -v 300 -v 259 --max-piece-length 1 -o j --json -j 2 "$pieces" \
  || bad "--json failed"
for v in 259 300; do
  head -c 1 j.$v | grep '^{' > /dev/null || bad "--json did not write JSON"
  # The same model in the other form: the same encoding.
  printf 'abc\n' | bp-encode -m j.$v > a || bad "j.$v does not load"
  printf 'abc\n' | bp-encode -m m.$v > b || bad "m.$v does not load"
  compare a b || bad "j.$v and m.$v differ"
done

# Every file or none (issue 12): a directory where the last file goes
# is found before anything is written, and none of the files appears.
mkdir dir.259
run 1 - "bp-prune: cannot write dir.259: Is a directory
" -k 2 -v 300,280,259 -o dir "$pieces"
test -f dir.300 || test -f dir.280 && bad "a file was written beside a directory"
rmdir dir.259

# Bad count files: the message names the file and line; nothing is left
# behind, and an existing -o FILE is untouched.
echo precious > kept
while read -r f line msg; do
  run 1 - "bp-prune: $data/$f:$line: $msg
" -k 2 -o kept "$data/$f"
  echo precious | compare - kept || bad "$f: -o FILE changed"
  run 1 - "bp-prune: $data/$f:$line: $msg
" -k 2 -o new "$data/$f"
  test -f new && bad "$f: -o FILE created"
done <<EOF2
bad-counts-unsorted 6 key out of order (records must be sorted by their escaped keys as bytes)
bad-counts-duplicate 5 duplicate key
bad-counts-escape 4 bad escape in key at byte 2
bad-counts-noncanonical 3 key not escaped the canonical way
bad-counts-count 4 bad count '-2' (not a positive 64-bit decimal number)
bad-counts-notab 3 missing TAB
bad-counts-truncated 5 line not terminated by a newline (truncated file?)
bad-counts-version 1 unsupported count file version '2'
bad-counts-nototal 1 header lacks the field 'total'
bad-counts-long 5 key of 3 bytes is longer than the order 2
EOF2
# A count file without its header is a plain vocabulary (bp-prune(1)):
# it becomes a model.  A file whose first line is no record is taken for
# a count file without its header.
bp-prune -k 2 "$data/bad-counts-noheader" > m2 || bad "a vocabulary failed"
grep "$(printf '^259\tab\t2$')" m2 > /dev/null || bad "the vocabulary lost 'ab'"
printf 'hello\n' > nohead
run 1 - "bp-prune: nohead:1: missing header (expected '#bytepiece-counts 1 ...')
" nohead
run 1 - "bp-prune: nosuch: No such file or directory
" nosuch
run 1 - "bp-prune: (standard input):1: missing header (expected '#bytepiece-counts 1 ...')
" -

# Progress: the stages with --progress, a line at the start of each when
# stderr is not a terminal, and the summary; nothing with -q or by
# default.  (progress.sh shows it on a terminal.)
bp-prune --progress -k 2 "$ngrams" > out 2> err || bad "--progress failed"
sed 's/[0-9]:[0-9][0-9]$/M:SS/' err > err.1
printf '%s\n' "building the n-gram model" "the n-gram model made in M:SS" \
  | compare - err.1 || bad "--progress (n-grams)"
bp-prune --progress -q -k 2 -v 260,259 -o m "$pieces" 2> err \
  || bad "--progress -q failed"
test -s err && bad "-q after --progress: $(cat err)"
bp-prune -q --progress -k 2 -v 260,259 -o m "$pieces" 2> err \
  || bad "-q --progress failed"
sed -n '1p; /^writing/p; $p' err | sed 's/[0-9]:[0-9][0-9]$/M:SS/' > err.1
printf '%s\n' "reading the piece counts" "writing the models" \
  "2 models made in M:SS" | compare - err.1 || bad "--progress (pieces)"
bp-prune -k 2 "$ngrams" > out 2> err || bad "no progress option failed"
test -s err && bad "progress without --progress: $(cat err)"

# Sizes out of reach are said out loud (issue 14), every size then, even
# with -q (a warning, not progress): the counts hold 260 ids' worth.
bp-prune -q -k 1 -v 400,260,300 -o m "$pieces" 2> err || bad "-v 400,260,300 failed"
cat > exp <<'EOF'
bp-prune: asked for a vocabulary of 400, got 260
bp-prune: asked for a vocabulary of 300, got 260
bp-prune: asked for a vocabulary of 260, got 260
bp-prune: the counts hold no more pieces with a count of at least 1 (-k) that a segmentation uses; for a larger vocabulary, lower -k or count more text (see bp-prune(1))
EOF
compare exp err || bad "-v 400,260,300: sizes not reached not said"
head -n 1 m.400 | grep ' vocab=260 ' > /dev/null || bad "m.400 is not of 260 ids"
bp-prune -v 300 m.260 > m2 2> err || bad "-v 300 of a model failed"
printf '%s\n' "bp-prune: asked for a vocabulary of 300, got 260" \
  "bp-prune: a model or a vocabulary is pruned, never grown" | compare - err \
  || bad "-v 300 of a model of 260: not said"
bp-prune -v 260 m.260 > m2 2> err || bad "-v 260 of a model failed"
test -s err && bad "-v 260 of a model of 260 said: $(cat err)"
bp-prune m.260 > m2 2> err || bad "a model without -v failed"
test -s err && bad "a model without -v said: $(cat err)"

leftover=$(ls -A | grep '^\.') && bad "temporary files left behind: $leftover"
finish
