#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Special tokens in text (issue 10): bp-encode --specials encodes each
# special token of the model as its one id, and the text around it as
# usual, each stretch on its own; without --specials a special token is
# ordinary text (no user text can inject one).  bp-decode writes both
# back, in the ids and the pieces forms.  The matching follows a special
# token across the spans of a long line and gives the same ids for every
# -j; sampling keeps it whole too.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

bp-prune --special '<|endoftext|>' --special '<|end|>' -o sp.model \
  "$data/good-tiny.model" || framework_failure "cannot add special tokens"
eot=$(grep "$(printf '\t<|endoftext|>\t0$')" sp.model | cut -f 1)
end=$(grep "$(printf '\t<|end|>\t0$')" sp.model | cut -f 1)
test "$eot" = 271 && test "$end" = 272 || framework_failure "ids $eot $end"

# a<|endoftext|>b: the token's id between those of "a" and "b".
printf 'a<|endoftext|>b' > t
bp-encode --specials -m sp.model t > got || bad "--specials failed"
a=$(printf a | bp-encode -m sp.model)
b=$(printf b | bp-encode -m sp.model)
echo "$a $eot $b" | compare - got || bad "--specials: not one id for the token"
bp-encode -m sp.model t > plain || bad "bp-encode failed"
grep -w "$eot" plain > /dev/null && bad "the token matched without --specials"
printf 'a<|endoftext|>b' | bp-encode -m "$data/good-tiny.model" | compare - plain \
  || bad "without --specials the token is not ordinary text"
for f in got plain; do
  bp-decode -m sp.model $f | compare t - || bad "$f does not decode to the text"
done
for fmt in pieces u32; do
  bp-encode --specials -f $fmt -m sp.model t | bp-decode -f $fmt -m sp.model \
    | compare t - || bad "--format=$fmt does not decode to the text"
done

# Leftmost, then longest; the stretches between tokens on their own.
printf '<|end|><|endoftext|>x<|end<|endoftext|>\n<|end|>\n\n' > t2
bp-encode --specials -m sp.model t2 > got2 || bad "--specials t2 failed"
x=$(printf x | bp-encode -m sp.model)
e5=$(printf '<|end' | bp-encode -m sp.model)
lf=$(printf '\n' | bp-encode -m sp.model)
lf2=$(printf '\n\n' | bp-encode -m sp.model)
printf '%s\n' "$end $eot $x $e5 $eot $lf" "$end $lf2" | compare - got2 \
  || bad "leftmost-longest matching"
bp-decode -m sp.model got2 | compare t2 - || bad "t2 does not decode to the text"

# A long line in many spans, the token everywhere, around the places
# where spans are cut (every 64 KiB or so): the same ids for every -j,
# and the stretches between the tokens encode as documents of their own.
awk 'BEGIN {
  srand(3)
  for (i = 0; i < 40; i++) {
    n = 1000 + int(rand() * 90000)
    s = ""
    for (j = 0; j < n; j++) s = s substr("abc the he", 1 + j % 10, 1)
    printf "%s<|endoftext|>", s
  }
  print "end"
}' > long
bp-encode --specials -j1 -m sp.model long > long.1 || bad "the long line failed"
bp-encode --specials -j3 -m sp.model long > long.3 && cmp -s long.1 long.3 \
  || bad "-j3 gives other ids"
tr ' ' '\n' < long.1 | grep -c "^$eot\$" | grep '^40$' > /dev/null \
  || bad "not 40 special tokens in the long line"
# Each stretch as a document of its own (--lines), then the token.
sed 's/<|endoftext|>/\n/g' long | bp-encode -l -m sp.model \
  | awk -v id="$eot" 'NR > 1 { printf " %s ", id } { printf "%s", $0 }
                     END { print "" }' | tr -s ' ' | sed 's/^ //' > want.1
# The last stretch, "end\n", is a chunk with its LF: -l leaves the LF out.
printf 'end\n' | bp-encode -m sp.model > endlf
sed "s/ $(printf end | bp-encode -m sp.model)\$/ $(cat endlf)/" want.1 > want
{ tr '\n' ' ' < long.1 | sed 's/ $//'; echo; } > got.1
# (cmp only: the lines are long.)
cmp -s want got.1 || bad "the stretches between the tokens are not encoded on their own"
bp-decode -m sp.model long.1 > back && cmp -s long back \
  || bad "the long line does not decode"

# Sampling never cuts a token either.
bp-encode --specials --alpha 0.5 --seed 7 -m sp.model long > s.ids \
  || bad "--specials --alpha failed"
tr ' ' '\n' < s.ids | grep -c "^$eot\$" | grep '^40$' > /dev/null \
  || bad "sampling cut a special token"
bp-decode -m sp.model s.ids > back && cmp -s long back \
  || bad "sampled ids do not decode"

# A model without special tokens: --specials changes nothing.
bp-encode --specials -m "$data/good-tiny.model" t | compare plain - \
  || bad "--specials without special tokens changed the ids"
finish
