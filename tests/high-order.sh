#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Training at n-gram orders above 7 (issue 14, item 1), the general path
# of the counter and of the n-gram model.  Orders 8, 10 and 12 trained
# end to end on a small corpus: the n-gram counts are those of a brute
# force count written here (DESIGN.md 1.2: every substring of 1..N bytes
# of every chunk, 1.1: a chunk is a run of non-LF characters and the LFs
# after it), the n-gram model is those counts pruned (1.3), every byte
# is in exactly one piece, and the model encodes and decodes the corpus
# back.  At order 10 the counts are the same for every -j and under a
# tiny -S that spills; at order 8 shards merged (--merge, --reduce) are
# the whole.  Readers whose work does not depend on the order take any.
. "${srcdir:-.}/init.sh"

command -v python3 > /dev/null 2>&1 || skip "python3 not found"
cd "$tmp" || framework_failure "cannot enter $tmp"

# The corpus: lines of words (some repeated, so that long n-grams repeat
# too), Chinese, tabs, backslashes, a control character, blank lines.
# Already NFC, no line of 10000 characters, no run of 100 LFs: the
# chunks are those of the definition without its cuts.
awk 'BEGIN {
  srand(14);
  split("the of and a to in is you that it he was for on are as with", w, " ");
  split("\344\270\255 \346\226\207 \345\255\227 \350\212\202", z, " ");
  for (i = 0; i < 700; i++) {
    n = 1 + int(rand() * 12); line = "";
    for (j = 0; j < n; j++) line = line w[1 + int(rand() * 17)] " ";
    if (i % 3 == 0) line = line z[1 + int(rand() * 4)] z[1 + int(rand() * 4)];
    if (i % 7 == 0) line = line "\tx\\y";
    if (i % 50 == 0) line = line "\001";
    if (i % 9 == 0) line = "the cat sat on the mat again and again " line;
    print line;
    if (i % 11 == 0) print "";
  }
}' > corpus.txt || framework_failure "awk"

# brute ORDER FILE [MIN_COUNT]: the records of the n-gram counts of FILE
# (a document), or with MIN_COUNT those of its n-gram model, and the
# total on standard error.
cat > brute.py <<'EOF'
import collections, re, sys

order, data = int(sys.argv[1]), open(sys.argv[2], 'rb').read()
chunks = [m.group(0) for m in re.finditer(rb'[^\n]*\n*', data) if m.group(0)]
assert all(len(c.decode('utf-8', 'replace')) < 10000 for c in chunks)
assert not re.search(rb'\n{100}', data)
counts = collections.Counter()
for c in chunks:
    for i in range(len(c)):
        for n in range(1, min(order, len(c) - i) + 1):
            counts[c[i:i + n]] += 1
total = sum(len(c) for c in chunks)
if len(sys.argv) > 3:
    k = int(sys.argv[3])
    counts = {g: v for g, v in counts.items() if len(g) == 1 or v >= k}
    for b in range(256):
        if bytes([b]) not in counts:
            counts[bytes([b])] = 1
            total += 1

def escape(b):
    out, i = [], 0
    special = {0x5c: b'\\\\', 9: b'\\t', 10: b'\\n', 13: b'\\r'}
    while i < len(b):
        x = b[i]
        n = 2 if 0xC2 <= x <= 0xDF else 3 if 0xE0 <= x <= 0xEF else \
            4 if 0xF0 <= x <= 0xF4 else 1
        if n > 1:
            try:
                ok = len(b[i:i + n]) == n and bool(b[i:i + n].decode('utf-8'))
            except UnicodeDecodeError:
                ok = False
            out.append(b[i:i + n] if ok else b'\\x%02x' % x)
            i += n if ok else 1
            continue
        if x in special:
            out.append(special[x])
        elif x < 0x20 or x >= 0x7f:
            out.append(b'\\x%02x' % x)
        else:
            out.append(bytes([x]))
        i += 1
    return b''.join(out)

out = sys.stdout.buffer
for e, v in sorted((escape(g), v) for g, v in counts.items()):
    out.write(e + b'\t' + str(v).encode() + b'\n')
sys.stderr.write('%d\n' % total)
EOF

for n in 8 10 12; do
  python3 brute.py $n corpus.txt > brute.$n 2> total.$n \
    || framework_failure "brute force count of order $n"
  python3 brute.py $n corpus.txt 2 > brute-model.$n 2> total-model.$n \
    || framework_failure "brute force model of order $n"

  bp-count -n $n corpus.txt > ngrams.$n || bad "bp-count -n $n failed"
  head -n 1 ngrams.$n > header
  grep -q "^#bytepiece-counts 1 kind=ngrams order=$n total=$(cat total.$n) " header \
    || bad "order $n: header $(cat header)"
  tail -n +2 ngrams.$n > records
  compare brute.$n records || bad "order $n: n-gram counts differ from the brute force"

  bp-prune -k 2 ngrams.$n > model.$n || bad "bp-prune -k 2 at order $n failed"
  grep -q "^#bytepiece-counts 1 kind=ngram-model order=$n min_count=2 total=$(cat total-model.$n) " model.$n \
    || bad "order $n: model header $(head -n 1 model.$n)"
  tail -n +2 model.$n > records
  compare brute-model.$n records || bad "order $n: n-gram model differs"

  bp-count -m model.$n corpus.txt > pieces.$n || bad "bp-count -m at order $n"
  grep -q "^#bytepiece-counts 1 kind=pieces order=$n " pieces.$n \
    || bad "order $n: pieces header $(head -n 1 pieces.$n)"
  # Every byte of every chunk is in exactly one piece.
  bytes=$(tail -n +2 pieces.$n | python3 -c '
import sys
t = 0
for line in sys.stdin.buffer:
    k, v = line.rstrip(b"\n").split(b"\t")
    t += int(v) * len(k.decode("unicode_escape").encode("latin-1"))
print(t)') || bad "order $n: cannot sum the pieces"
  test "$bytes" = "$(cat total.$n)" \
    || bad "order $n: the pieces hold $bytes bytes, not $(cat total.$n)"
  bp-prune -k 2 -v 600 pieces.$n > vocab.$n || bad "bp-prune -v at order $n"
  grep -q "^#bytepiece-model 1 .* order=$n " vocab.$n \
    || bad "order $n: vocabulary header $(head -n 1 vocab.$n)"
  bp-encode -m vocab.$n corpus.txt > ids.$n || bad "bp-encode at order $n"
  bp-decode -m vocab.$n ids.$n > back.$n || bad "bp-decode at order $n"
  compare corpus.txt back.$n || bad "order $n: encode | decode is not the corpus"
done

# The order is used: orders 8 and 12 cut the corpus otherwise.
cmp -s pieces.8 pieces.12 && bad "orders 8 and 12 cut the same pieces"

# Order 10: the same counts for every -j and under a tiny -S (which
# spills: the progress report shows the runs being written, and how
# many it merges).
for j in 1 2 3; do
  bp-count -n 10 -j $j corpus.txt > j$j || bad "-n 10 -j $j failed"
  compare ngrams.10 j$j || bad "-n 10 -j $j differs"
  bp-count -n 10 -j $j -S 1K -T . --progress corpus.txt > s$j 2> progress \
    || bad "-n 10 -j $j -S 1K failed"
  compare ngrams.10 s$j || bad "-n 10 -j $j -S 1K differs"
  grep -q "merging [0-9]* sorted runs" progress \
    || bad "-n 10 -j $j -S 1K: no runs spilled"
  grep -q "writing sorted runs" progress \
    || bad "-n 10 -j $j -S 1K: spilling is not reported"
  bp-count -m model.10 -j $j -S 1K -T . corpus.txt > p$j \
    || bad "-m model.10 -j $j -S 1K failed"
  compare pieces.10 p$j || bad "pieces of order 10, -j $j -S 1K differ"
done
ls bytepiece.* > /dev/null 2>&1 && bad "temporary files left behind"

# Order 8: shards (a whole number of lines each, with --lines) merged
# are the whole, and so are their records through --reduce.
split -n l/3 -d corpus.txt part. || framework_failure "split"
bp-count -n 8 -l corpus.txt > whole.8 || bad "-n 8 -l failed"
for p in part.0?; do
  bp-count -n 8 -l -o $p.8 $p || bad "-n 8 -l $p failed"
done
bp-count --merge part.0?.8 > merged.8 || bad "--merge at order 8 failed"
compare whole.8 merged.8 || bad "order 8: merged shards differ from the whole"
cat part.0?.8 | LC_ALL=C sort | bp-count --reduce > reduced.8 \
  || bad "--reduce at order 8 failed"
compare whole.8 reduced.8 || bad "order 8: reduced shards differ from the whole"

# The limit: order 255, and nothing above it.
printf 'abc\n' | bp-count -n 255 > out || bad "-n 255 failed"
test "$(sed -n 1p out)" = "#bytepiece-counts 1 kind=ngrams order=255 total=4 normalize=nfc isolate_digits=0" \
  || bad "-n 255: header $(sed -n 1p out)"
test "$(tail -n +2 out | wc -l)" = 10 || bad "-n 255: not 10 n-grams"
bp-count -n 256 < /dev/null > out 2> err
test $? = 2 || bad "-n 256: not a usage error"
grep -q "the order must be from 1 to 255" err || bad "-n 256: $(cat err)"

# Readers that do not depend on the order take any: piece counts of an
# order no counter makes give the same vocabulary, and their statistics.
sed '1s/order=12/order=4000/' pieces.12 > pieces.4000
bp-prune -k 2 -v 600 pieces.4000 > vocab.4000 || bad "bp-prune -v of order 4000"
tail -n +2 vocab.12 > a
tail -n +2 vocab.4000 > b
compare a b || bad "order 4000: another vocabulary"
bp-stats pieces.4000 > /dev/null || bad "bp-stats of order 4000 counts"
bp-stats ngrams.12 > /dev/null || bad "bp-stats of order 12 counts"
# An n-gram model is made and read up to the limit only.
sed '1s/order=12/order=4000/' ngrams.12 > ngrams.4000
bp-prune -k 2 ngrams.4000 > out 2> err && bad "bp-prune -k of order 4000: status 0"
grep -q "order=4000 is above 255, the highest order of an n-gram model" err \
  || bad "bp-prune -k of order 4000: $(cat err)"

finish
