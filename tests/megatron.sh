#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-encode -f megatron writes the indexed dataset of Megatron-LM and
# GPT-NeoX (issue 14): a reader written here from the published layout
# of PREFIX.idx (bytepiece-formats(5)), with Python's standard library
# only, takes every document out of PREFIX.bin and must find the ids
# that bp-encode writes as text; bp-decode -f megatron gives the text
# back.  Both dtypes (uint16 below 65500 ids, int32 above), --lines,
# --jsonl and whole files, -j, and the files written all or none.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
command -v python3 > /dev/null 2>&1 || skip "no python3"
model=$data/good-tiny.model

# The reader: the documents of PREFIX as lines of decimal ids, after
# checking the header (the dtype the vocabulary calls for), the counts
# against the sizes of the files, and that each sequence is a document
# and the sequences lie end to end.
cat > mmidx.py <<'PY'
import struct, sys
prefix, vocab = sys.argv[1], int(sys.argv[2])
idx = open(prefix + ".idx", "rb").read()
bin_ = open(prefix + ".bin", "rb").read()
def fail(why):
    sys.exit("%s.idx: %s" % (prefix, why))
if idx[:9] != b"MMIDIDX\x00\x00":
    fail("bad magic")
version, code, nseq, ndoc = struct.unpack_from("<QBQQ", idx, 9)
if version != 1:
    fail("version %d" % version)
want = 8 if vocab < 65500 else 4
if code != want:
    fail("dtype code %d, not %d" % (code, want))
fmt, size = {8: ("H", 2), 4: ("i", 4)}[code]
off = 34
lengths = struct.unpack_from("<%di" % nseq, idx, off); off += 4 * nseq
pointers = struct.unpack_from("<%dq" % nseq, idx, off); off += 8 * nseq
docs = struct.unpack_from("<%dq" % ndoc, idx, off); off += 8 * ndoc
if off != len(idx):
    fail("%d bytes, not %d" % (len(idx), off))
if list(docs) != list(range(nseq + 1)):
    fail("a document is not one sequence: %r" % (docs[:10],))
at = 0
for i in range(nseq):
    if pointers[i] != at:
        fail("sequence %d at %d, not %d" % (i, pointers[i], at))
    at += lengths[i] * size
if at != len(bin_):
    fail("the sequences end at %d, the ids at %d" % (at, len(bin_)))
out = sys.stdout
for d in range(ndoc - 1):
    ids = []
    for s in range(docs[d], docs[d + 1]):
        ids += struct.unpack_from("<%d%s" % (lengths[s], fmt), bin_, pointers[s])
    out.write(" ".join(map(str, ids)) + "\n")
PY

# check NAME VOCAB EXPECTED-IDS: the reader's documents of NAME are the
# lines of EXPECTED-IDS.
check ()
{
  python3 mmidx.py "$1" "$2" > "$1.read" 2> "$1.err" \
    || { bad "$1: the reader refused it: $(cat "$1.err")"; return; }
  compare "$3" "$1.read" || bad "$1: the documents are not bp-encode's ids"
}

printf '%s\n' 'hello world' '' 'the second line' 'héllo, wörld' \
  'a tab	and more' 'x' > in.txt
corpus_for t1 2000
head -n 1500 "$corpus" > corpus.txt
# What comes back of it: its NFC form.
bp-encode -m "$model" corpus.txt | bp-decode -m "$model" > corpus.nfc \
  || framework_failure "corpus.nfc"
printf '%s\n' '{"text": "hello world"}' '{"id": 2, "text": ""}' \
  '' '{"text": "line\nbreak", "n": 1e400}' > in.jsonl

vocab=$(sed -n '1s/.*vocab=\([0-9]*\).*/\1/p' "$model")
for opts in "-l" "-l --bos --eos" "--jsonl"; do
  case $opts in --jsonl) in=in.jsonl;; *) in=in.txt;; esac
  bp-encode -m "$model" $opts "$in" > exp.ids || framework_failure "bp-encode $opts"
  bp-encode -m "$model" $opts -f megatron -o ds "$in" \
    || bad "bp-encode $opts -f megatron failed"
  check ds "$vocab" exp.ids
  # bp-decode: a line of text per document.
  bp-decode -m "$model" -l exp.ids > exp.txt || framework_failure "bp-decode"
  bp-decode -m "$model" -f megatron ds > got.txt || bad "bp-decode -f megatron $opts"
  compare exp.txt got.txt || bad "bp-decode -f megatron $opts: not the text"
done
compare in.txt got.txt > /dev/null 2>&1 && bad "--jsonl text equals in.txt?"
bp-decode -m "$model" -f megatron --jsonl ds > got.jsonl || bad "bp-decode --jsonl"
bp-decode -m "$model" -l --jsonl exp.ids > exp.jsonl || framework_failure "--jsonl"
compare exp.jsonl got.jsonl || bad "bp-decode -f megatron --jsonl"

# A larger corpus, the same files for every -j; the text comes back.
bp-encode -m "$model" -l -j 1 corpus.txt > exp.ids || framework_failure "bp-encode"
for j in 1 3; do
  bp-encode -m "$model" -l -j $j -f megatron -o c$j corpus.txt \
    || bad "bp-encode -j $j -f megatron"
  check c$j "$vocab" exp.ids
done
cmp c1.bin c3.bin && cmp c1.idx c3.idx || bad "-f megatron differs with -j 3"
bp-decode -m "$model" -f megatron c3 > back.txt || bad "bp-decode c3"
compare corpus.nfc back.txt || bad "bp-decode -f megatron: not the corpus"

# Whole files: each FILE a document (its LFs in it); two datasets
# decoded in one run, one after the other.
bp-encode -m "$model" -f megatron -o files in.txt corpus.txt \
  || bad "bp-encode -f megatron FILES"
{ bp-encode -m "$model" in.txt | tr '\n' ' ' | sed 's/ $//'; echo
  bp-encode -m "$model" corpus.txt | tr '\n' ' ' | sed 's/ $//'; echo
} > exp.ids
check files "$vocab" exp.ids
bp-decode -m "$model" -f megatron files ds > two.txt || bad "bp-decode two datasets"
{ cat in.txt; echo; cat corpus.nfc; echo; cat got.txt; } > exp.txt
compare exp.txt two.txt || bad "bp-decode of two datasets"

# int32: a vocabulary of 65500 ids or more (the pieces of the small
# model and made-up ones after them).
n=$(tail -n +2 "$model" | wc -l)
{ sed -n 1p "$model" | sed "s/vocab=[0-9]*/vocab=$((vocab + 65300))/"
  tail -n +2 "$model"
  awk -v s=$((n + 3)) 'BEGIN { for (i = 0; i < 65300; i++)
                                 printf "%d\tzq%05d\t1\n", s + i, i }'
} > big.model
printf '%s\n' 'hello zq00042 world' '' 'zq65299zq00000' > big.txt
bp-encode -m big.model -l big.txt > exp.ids || framework_failure "big.model"
grep -q 655 exp.ids || framework_failure "no id above 65535 in $(cat exp.ids)"
bp-encode -m big.model -l -f megatron -o big big.txt || bad "bp-encode big"
check big $((vocab + 65300)) exp.ids
bp-decode -m big.model -f megatron big > got.txt || bad "bp-decode big"
compare big.txt got.txt || bad "bp-decode big: not the text"

# All or none: a run that fails leaves both files as they were, and no
# temporary file.
cp ds.bin keep.bin && cp ds.idx keep.idx
bp-encode -m "$model" -l -f megatron -o ds in.txt no-such-file 2> err \
  && bad "a missing input did not fail"
cmp ds.bin keep.bin && cmp ds.idx keep.idx || bad "a failed run changed ds"
ls -a | grep -q '^\.ds\.' && bad "a temporary file was left: $(ls -a)"
rm -f new.bin new.idx
bp-encode -m "$model" -l -f megatron -o new in.txt no-such-file 2> err
test -e new.bin || test -e new.idx && bad "a failed run wrote new.*"
bp-encode -m "$model" -l -f megatron in.txt > out 2> err
test $? = 2 || bad "-f megatron without -o: not a usage error"
test -s out && bad "-f megatron without -o wrote to standard output"

# Bad datasets are errors that name the file, never crashes.
head -c 40 ds.idx > cut.idx && cp ds.bin cut.bin
bp-decode -m "$model" -f megatron cut > /dev/null 2> err \
  && bad "a truncated index was read"
grep -q 'cut\.idx' err || bad "truncated index: $(cat err)"
cp ds.idx short.idx && head -c 3 ds.bin > short.bin
bp-decode -m "$model" -f megatron short > /dev/null 2> err \
  && bad "truncated ids were read"
grep -q 'short\.idx.*past the end' err || bad "truncated ids: $(cat err)"
printf 'XMIDIDX' | dd of=bad.idx bs=1 conv=notrunc 2> /dev/null
cp ds.idx magic.idx && printf 'X' | dd of=magic.idx bs=1 conv=notrunc 2> /dev/null
cp ds.bin magic.bin
bp-decode -m "$model" -f megatron magic > /dev/null 2> err \
  && bad "a bad magic was read"
grep -q 'magic\.idx: .*MMIDIDX' err || bad "bad magic: $(cat err)"
bp-decode -m "$model" -f megatron missing > /dev/null 2> err \
  && bad "a missing dataset was read"
grep -q 'missing\.idx' err || bad "missing dataset: $(cat err)"
bp-decode -m "$model" -f megatron < ds.bin > /dev/null 2> err
test $? = 2 || bad "-f megatron without PREFIX: not a usage error"
# Ids out of the vocabulary: the int32 dataset read with the small model
# (which its metadata refuses; past that, the ids).
bp-decode -m "$model" -f megatron --ignore-model big > /dev/null 2> err \
  && bad "ids out of range were read"
grep -q 'big\.bin: id .* out of range' err || bad "out of range: $(cat err)"
finish
