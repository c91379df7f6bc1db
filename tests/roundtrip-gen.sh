#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Round trips over generated input, no reference vectors needed (DESIGN.md
# sections 1.1, 1.6, 1.7, 5): bytes that are not UTF-8, NUL, CR, CRLF,
# sequences cut by the end of the input, text that NFC changes, and one
# line of 50 MB, under the tiny model of tests/data in both of its forms,
# in every --format, with --bos/--eos, --lines and --no-normalize.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
test -f "$data/good-tiny.model" || framework_failure "no $data/good-tiny.model"

# One input per file: each is a document, so a sequence cut short at the
# end of a file is cut short at the end of a document.
mkdir "$tmp/in" || framework_failure "cannot make $tmp/in"
cd "$tmp/in" || framework_failure "cannot enter $tmp/in"
printf 'a\200b\377c'                        > 01-lone-bytes
printf 'x\344\270'                          > 02-cut-at-end
printf '\360\237\230'                       > 03-only-cut
printf 'p\355\240\200q\355\277\277'         > 04-surrogates
printf '\300\257\301\277\340\200\257\360\200\200\257' > 05-overlong
printf 'nul\000\000between\000'             > 06-nul
printf 'lone\rcr\r'                         > 07-lone-cr
printf 'crlf\r\nline\r\n\r\n'               > 08-crlf
printf '\364\220\200\200 \365\377\376'      > 09-above-max
printf '\344\270\255\344\346\226\207\346\226' > 10-cut-inside
printf '\n\n\n'                             > 11-only-lf
: > 12-empty
printf '\314\201start'                      > 13-mark-first
printf 'the abc \344\270\255\346\226\207 aaaaa\n\nthe\n' > 14-plain
printf '\n\200\n\377\n\n\000\n'             > 15-bad-lines
files=$(ls)
cd "$tmp" || framework_failure "cannot enter $tmp"

# All of these are already NFC: the bytes that are not UTF-8 pass
# through unchanged.  For --lines, each file gets the LF its last line
# lacks.
: > raw && : > raw.lf || framework_failure "cannot write in $tmp"
for f in $files; do
  cat "in/$f" >> raw
  cat "in/$f" >> raw.lf
  if test -s "in/$f" && test "$(tail -c 1 "in/$f" | od -An -tx1)" != " 0a"
  then
    echo >> raw.lf
  fi
done

# roundtrip MODEL WHAT EXPECTED ENCODE-OPTIONS... -- DECODE-OPTIONS...:
# encode the files of in/ and decode them; the result must be EXPECTED.
roundtrip ()
{
  model=$1 what=$2 expected=$3
  shift 3
  eopts= dopts=
  while test $# -gt 0 && test "$1" != --; do
    eopts="$eopts $1"
    shift
  done
  shift
  dopts="$*"
  # shellcheck disable=SC2086
  (cd in && bp-encode -m "$model" $eopts $files) > enc \
    || bad "$what: bp-encode$eopts failed"
  # shellcheck disable=SC2086
  bp-decode -m "$model" $dopts enc > dec || bad "$what: bp-decode $dopts failed"
  if ! cmp -s "$expected" dec; then
    bad "$what: bp-encode$eopts | bp-decode $dopts differs from the input"
    cmp "$expected" dec >&2
  fi
}

for model in "$data/good-tiny.model" "$data/good-tiny.json"; do
  m=${model##*/}
  for f in ids pieces u16 u32; do
    for opts in "" "--bos --eos" "--no-normalize" "--no-normalize --bos"; do
      roundtrip "$model" "$m" raw -f $f $opts -- -f $f
    done
    lopts=--eos
    test $f = ids && lopts=
    roundtrip "$model" "$m" raw.lf -l -f $f $lopts -- -l -f $f
    roundtrip "$model" "$m" raw.lf -l -f $f --bos --eos -- -l -f $f
    roundtrip "$model" "$m" raw.lf -l -f $f --eos --no-normalize -- -l -f $f
  done
done

# Text that NFC changes, and what it becomes (Python's
# unicodedata.normalize): a composed accent, Hangul jamo, canonical
# reordering, a mark at the start, and a byte that is not UTF-8 between
# a letter and its mark, which blocks composition.
printf 'e\314\201|\341\204\200\341\205\241|a\314\201\314\243|x\200\314\201|' \
  > in/nfc
printf '\303\251|\352\260\200|\341\272\241\314\201|x\200\314\201|' > nfc.exp
model=$data/good-tiny.model
for f in ids pieces u32; do
  bp-encode -m "$model" -f $f in/nfc > enc || bad "nfc -f $f: bp-encode failed"
  bp-decode -m "$model" -f $f enc > dec || bad "nfc -f $f: bp-decode failed"
  compare nfc.exp dec || bad "nfc -f $f: not the NFC form"
  bp-encode -m "$model" -f $f --no-normalize in/nfc > enc \
    || bad "nfc -f $f --no-normalize: bp-encode failed"
  bp-decode -m "$model" -f $f enc > dec \
    || bad "nfc -f $f --no-normalize: bp-decode failed"
  compare in/nfc dec || bad "nfc -f $f --no-normalize: the input changed"
done

# A line of about 50 MB (5 MB under valgrind, which is 50 times slower),
# with decomposed accents all along it: it goes through the encoder in
# pieces, and NFC must come out right across every seam.
mb=50
test -n "${BP_VALGRIND-}" && mb=5
gen ()
{
  awk -v n=$((mb * 40000)) -v e="$1" 'BEGIN {
    for (i = 0; i < n; i++)
      printf "the abc \344\270\255\346\226\207 %s %d ", e, i
  }'
}
gen 'e\314\201' > big || framework_failure "cannot write $tmp/big"
gen '\303\251' > big.nfc || framework_failure "cannot write $tmp/big.nfc"
size=$(wc -c < big)
test "$size" -gt $((mb * 1000000)) || framework_failure "big is only $size bytes"
bp-encode -m "$model" big > enc || bad "big line: bp-encode failed"
test "$(wc -l < enc)" -eq 1 || bad "big line: more than one line of ids"
bp-decode -m "$model" enc > dec || bad "big line: bp-decode failed"
cmp big.nfc dec || bad "big line: decoded text differs from its NFC form"
bp-encode -m "$model" --no-normalize -f u32 big > enc \
  || bad "big line --no-normalize: bp-encode failed"
bp-decode -m "$model" -f u32 enc > dec \
  || bad "big line --no-normalize: bp-decode failed"
cmp big dec || bad "big line --no-normalize: decoded text differs"
rm -f big big.nfc enc dec

finish
