#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-stats on the command line: --help and --version, usage errors; the
# exact model report of good-tiny.model (its pieces by length and kind,
# tests/data/README); on generated text, tokens equal to the ids
# bp-encode writes and bytes/token equal to bytes / tokens as printed, in
# each document mode and for any -j; --json read back through jansson;
# two models side by side; a count file of bp-count summarised; bad
# input, a full disk, a closed pipe and -o FILE.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
json_get=$BP_BINDIR/tests/json-get
test -x "$json_get" || framework_failure "no $json_get"
cd "$tmp" || framework_failure "cannot enter $tmp"
cp "$data/good-tiny.model" tiny.model && cp "$data/good-tiny.json" tiny.json \
  || framework_failure "cannot copy the models"

# run STATUS EXPECTED-STDOUT EXPECTED-STDERR ARGS...: run bp-stats ARGS
# with no input and check its status and both outputs ("-": empty).
run ()
{
  want=$1 out=$2 err=$3
  shift 3
  bp-stats "$@" < /dev/null > run.out 2> run.err
  status=$?
  test $status = "$want" || bad "bp-stats $*: status $status, not $want"
  if test "$out" = -; then : > run.exp; else printf '%s' "$out" > run.exp; fi
  compare run.exp run.out || bad "bp-stats $*: wrong output"
  if test "$err" = -; then : > run.exp; else printf '%s' "$err" > run.exp; fi
  compare run.exp run.err || bad "bp-stats $*: wrong diagnostics"
}

try="Try 'bp-stats --help' for more information.
"

bp-stats --help > out 2> err || bad "--help failed"
test -s err && bad "--help wrote to stderr"
head -n 1 out | grep '^Usage: bp-stats \[OPTION\]\.\.\. -m MODEL' > /dev/null \
  || bad "--help does not start with its usage line"
grep '^Exit status: 0 success' out > /dev/null || bad "--help lacks the exit status"
bp-stats --version > out 2> err || bad "--version failed"
head -n 1 out | grep '^bp-stats (bytepiece) [0-9]' > /dev/null \
  || bad "--version: wrong first line"

# Usage errors.
run 2 - "bp-stats: no model and no count file given
$try"
run 2 - "bp-stats: unrecognized option '--frob'
$try" --frob
run 2 - "bp-stats: -l, --jsonl, --no-normalize, --skip-invalid and -j need -m
$try" -l counts
run 2 - "bp-stats: invalid argument 'x' for '--top'
$try" -n x -m tiny.model

# The model alone: tests/data/README lists its pieces: the 256 single
# bytes, six of 2 bytes ("\n\n", aa, ab, bc, he, é), three of 3 (abc,
# the, 中), two of 4 (" the", aaaa) and 中文 (6 bytes).  ASCII: the 128
# bytes below 0x80 and the nine ASCII pieces; CJK: 中 and 中文; other:
# é; partial: the 128 bytes from 0x80 up.
total=$(awk -F '\t' 'NR > 1 { s += $3 } END { print s }' tiny.model)
run 0 "model                   tiny.model
vocabulary (ids)        271
pieces                  268
total count             $total
order                   6
min_count               2
max_piece_length        36
ensure_unicode          1
isolate_digits          0
normalize               nfc
longest piece (bytes)   6

pieces by length (bytes)
  1                     256 ########################################
  2                       6 #
  3                       3 #
  4                       2 #
  5                       0
  6                       1 #

pieces by kind
  ASCII                 137 ########################################
  CJK                     2 #
  other UTF-8             1 #
  partial UTF-8         128 #####################################
" - -m tiny.model
# The JSON model records no parameters.
bp-stats -m tiny.json > out || bad "-m tiny.json failed"
grep -x 'order                   unknown' out > /dev/null \
  || bad "a JSON model's order is not unknown"
bp-stats --json -m tiny.json > out.json || bad "--json -m tiny.json failed"
"$json_get" models.0.vocab models.0.by_length models.0.by_kind \
  models.0.params.order text < out.json > got || bad "--json: keys missing"
printf '%s\n' 271 '[256,6,3,2,0,1]' \
  '{"ascii":137,"cjk":2,"other":1,"partial":128}' null null > exp
compare exp got || bad "--json model report"

# Text: words of the model and others, NUL, CR, invalid bytes, runs of
# LFs, decomposed é that NFC composes, and a long line.
awk 'BEGIN {
  split("the|abc|aaaa|he|bc|x|y|Q|\344\270\255|\344\270\255\346\226\207|\303\251|e\314\201| | |\t|\r", w, "|")
  s = 12345
  for (i = 0; i < 6000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648
    r = int(s / 65536) % 40
    if (r < 16) printf "%s", w[r + 1]
    else if (r < 30) printf " %s", w[(r % 11) + 1]
    else if (r < 34) printf "\n"
    else if (r < 36) printf "\n\n\n"
    else if (r < 37) printf "\377\200"
    else if (r < 38) printf "%c", 0
    else printf "the "
  }
  for (i = 0; i < 3000; i++) printf "abc "
  printf "\n"
}' > gen.txt || framework_failure "cannot generate text"

# check_text OPTIONS...: with bp-encode's OPTIONS, bp-stats counts the
# ids bp-encode writes, and prints bytes/token and characters/token as
# bytes / tokens and characters / tokens.
check_text ()
{
  bp-encode -m tiny.model "$@" gen.txt > ids || bad "bp-encode $* failed"
  want=$(wc -w < ids)
  bp-stats -m tiny.model "$@" gen.txt > rep || bad "bp-stats $* failed"
  got=$(awk '$1 == "tokens" { print $2 }' rep)
  test "$got" = "$want" \
    || bad "bp-stats $*: $got tokens, bp-encode wrote $want ids"
  awk '$1 == "bytes" { b = $2 } $1 == "characters" { c = $2 }
       $1 == "tokens" { t = $2 } $1 == "bytes/token" { bt = $2 }
       $1 == "characters/token" { ct = $2 }
       END { if (t == 0 || sprintf("%.3f", b / t) != bt \
                 || sprintf("%.3f", c / t) != ct) exit 1 }' rep \
    || bad "bp-stats $*: the ratios are not bytes / tokens as printed"
  bp-stats --json -m tiny.model "$@" gen.txt > rep.json \
    || bad "bp-stats --json $* failed"
  "$json_get" models.0.tokens text.bytes models.0.bytes_per_token \
    < rep.json > got || bad "bp-stats --json $*: keys missing"
  awk -v t="$want" 'NR == 1 { if ($1 != t) exit 1 }
       NR == 2 { b = $1 }
       NR == 3 { if (sprintf("%.6f", b / t) != $1) exit 1 }' got \
    || bad "bp-stats --json $*: tokens or bytes_per_token wrong"
}
check_text
check_text --no-normalize
check_text -l
check_text -j 3

# The bytes are those the ids decode to (NFC changed the input).
bp-encode -m tiny.model gen.txt | bp-decode -m tiny.model > decoded \
  || bad "round trip failed"
bp-stats --json -m tiny.model gen.txt | "$json_get" text.bytes > got
wc -c < decoded | tr -d ' ' > exp
compare exp got || bad "bytes are not the decoded bytes"
cmp -s decoded gen.txt && framework_failure "NFC did not change the text"

# --jsonl documents, as bp-encode reads them.
printf '{"text": "the abc\\n\\n\\u4e2d\\u6587"}\n{"text": ""}\n' > docs.jsonl
bp-encode -m tiny.model --jsonl docs.jsonl > ids && want=$(wc -w < ids)
bp-stats --json -m tiny.model --jsonl docs.jsonl | "$json_get" \
  models.0.tokens text.documents > got
printf '%s\n' "$want" 2 > exp
compare exp got || bad "--jsonl counts"

# The same report for every -j, -o FILE writes it.
bp-stats -j 1 -m tiny.model gen.txt > j1 || bad "-j 1 failed"
bp-stats -j 4 -m tiny.model gen.txt > j4 || bad "-j 4 failed"
compare j1 j4 || bad "-j 1 and -j 4 differ"
bp-stats -o j1.out -m tiny.model gen.txt > out || bad "-o failed"
compare j1 j1.out || bad "-o FILE differs from standard output"
test -s out && bad "-o wrote to standard output"
# Standard input, as '-'.
bp-stats -m tiny.model - < gen.txt > stdin.out || bad "- failed"
compare j1 stdin.out || bad "standard input gives another report"

# Two models side by side: a column each, the same tokens (the models
# are the same), the text read once.
bp-stats -m tiny.model -m tiny.json gen.txt > two || bad "two models failed"
grep -x 'model                   tiny.model    tiny.json' two > /dev/null \
  || bad "no column per model"
t=$(awk '$1 == "tokens" { print $2 }' j1)
grep -x "tokens                  $t$(printf '%*s' $((14 - ${#t})) '')$t" two \
  > /dev/null || bad "the two columns of tokens differ"
test "$(grep -c '^most frequent pieces: ' two)" = 2 || bad "not two top lists"
bp-stats --json -m tiny.model -m tiny.json gen.txt \
  | "$json_get" models.0.tokens models.1.tokens models.1.file > got
printf '%s\n' "$t" "$t" tiny.json > exp
compare exp got || bad "--json with two models"
# Models that normalise differently cannot share one reading.
sed '1s/normalize=nfc/normalize=none/' tiny.model > none.model
run 1 - "bp-stats: tiny.model and none.model differ in normalize; compare them with --no-normalize
" -m tiny.model -m none.model gen.txt
bp-stats --no-normalize -m tiny.model -m none.model gen.txt > /dev/null \
  || bad "--no-normalize with two models failed"

# -n: the lists' length, by count and by length.
bp-stats -n 3 -m tiny.model gen.txt > top3 || bad "-n 3 failed"
sed -n '/^most frequent pieces/,/^$/p' top3 | awk 'NR > 2 && NF' > l
test "$(wc -l < l)" = 3 || bad "-n 3 lists $(wc -l < l) pieces"
sed -n '/^longest tokens/,$p' top3 | sed -n 3p > l
grep '"中文"$' l > /dev/null || bad "the longest token is not 中文"
bp-stats -n 0 -m tiny.model gen.txt > top0 || bad "-n 0 failed"
grep '^most frequent' top0 > /dev/null && bad "-n 0 still lists pieces"

# Count files: a summary of bp-count's n-gram counts.
printf 'abab\nba\n' > ab.txt
bp-count -n 2 ab.txt > ab.counts || framework_failure "bp-count failed"
run 0 "count file              ab.counts
kind                    ngrams
order                   2
min_count               -
total                   8
ensure_unicode          -
normalize               nfc
isolate_digits          0
keys                    7
sum of counts           14

keys by length (bytes)
  1                     3 ##############################
  2                     4 ########################################

keys by kind
  ASCII                 7 ########################################
  CJK                   0
  other UTF-8           0
  partial UTF-8         0

largest counts: ab.counts
    rank                count  key
       1                    3  \"a\"
       2                    3  \"b\"
       3                    2  \"\\n\"
       4                    2  \"ab\"
       5                    2  \"ba\"
       6                    1  \"a\\n\"
       7                    1  \"b\\n\"
" - ab.counts
# On gen.txt the numbers agree with the file's own records.
bp-count -n 3 gen.txt > gen.counts || framework_failure "bp-count failed"
bp-stats --json -n 2 gen.counts - < gen.counts > c.json || bad "counts --json"
"$json_get" counts.0.kind counts.0.order counts.0.keys counts.0.sum \
  counts.0.params.total counts.1.file < c.json > got
awk -F '\t' 'NR == 1 { split($0, h, " "); total = substr(h[5], 7) }
             NR > 1 { n++; s += $2 }
             END { printf "ngrams\n3\n%d\n%d\n%s\n-\n", n, s, total }' \
  gen.counts > exp
compare exp got || bad "count file summary of gen.counts"
"$json_get" counts.0.top.0.count < c.json > got
sed 1d gen.counts | cut -f 2 | sort -n | tail -n 1 > exp
compare exp got || bad "the largest count"

# Bad input: exact messages, status 1, nothing on standard output.
run 1 - "bp-stats: missing.model: No such file or directory
" -m missing.model
run 1 - "bp-stats: missing.txt: No such file or directory
" -m tiny.model missing.txt
cp "$data/bad-counts-unsorted" unsorted.counts
run 1 - "bp-stats: unsorted.counts:6: key out of order (records must be sorted by their escaped keys as bytes)
" unsorted.counts
run 1 - "bp-stats: tiny.model: a tokenizer model (#bytepiece-model), not a count file: a model is given with -m MODEL
" tiny.model
cp "$data/bad-missing-byte.model" nobyte.model
run 1 - "bp-stats: nobyte.model: the model lacks the single byte \\xff (every byte must be a piece)
" -m nobyte.model gen.txt
# -o FILE is left alone on failure, and no temporary file remains.
echo keep > keep.out
bp-stats -o keep.out unsorted.counts 2> /dev/null && bad "bad counts with -o succeeded"
echo keep > exp
compare exp keep.out || bad "-o FILE changed on failure"
ls -a | grep '^\.keep\.out' > /dev/null && bad "a temporary file remains"

# A closed pipe (a full disk: dev-full.sh).
bp-stats -n 5000 -m tiny.model gen.txt 2> err | head -n 1 > /dev/null
test -s err && bad "a closed pipe printed: $(cat err)"

finish
