#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The metadata beside binary token files (issue 14): bp-encode -o FILE
# in u16, u32 and megatron writes FILE.json (PREFIX.json), naming the
# model by its fingerprint; bp-decode refuses the ids with another model
# (one that differs in a single piece's id, which would decode to wrong
# text without a word) or another --format, unless --ignore-model.  The
# fingerprint is recomputed here with sha256sum, as bp-encode(1) says.
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"
command -v sha256sum > /dev/null 2>&1 || skip "no sha256sum"
model=$data/good-tiny.model
fp=$(tail -n +2 "$model" | cut -f 1,2 | sha256sum | cut -d ' ' -f 1)
printf '%s\n' 'hello world' '' 'the second line' 'a tab	and more' > in.txt

# field FILE NAME: the value of member NAME in the metadata FILE.
field () { sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1"; }

# meta FILE LAYOUT DTYPE DOCS IDS: FILE is the metadata of ids of the
# model in LAYOUT and DTYPE, DOCS documents and IDS ids.
meta ()
{
  test -f "$1" || { bad "no $1"; return; }
  for kv in "format bytepiece-tokens" "version 1" "layout $2" "dtype $3" \
            "byte_order little" "fingerprint sha256:$fp" "vocab 271" \
            "documents $4" "ids $5"; do
    set -- "$1" "$2" "$3" "$4" "$5" $kv
    got=$(field "$1" "$6")
    test "x$got" = "x$7" || bad "$1: $6 is '$got', not '$7'"
  done
}

bp-encode -m "$model" -l --eos -f u16 -o u.bin in.txt || bad "bp-encode -f u16"
meta u.bin.json u16 uint16 4 $(($(wc -c < u.bin) / 2))
bp-encode -m "$model" -l --eos -f u32 -o u.u32 in.txt || bad "bp-encode -f u32"
meta u.u32.json u32 uint32 4 $(($(wc -c < u.u32) / 4))
bp-encode -m "$model" -l -f megatron -o m in.txt || bad "bp-encode -f megatron"
meta m.json megatron uint16 4 $(($(wc -c < m.bin) / 2))
# Whole files: a document each.
bp-encode -m "$model" -f u16 -o f.bin in.txt in.txt || bad "bp-encode FILES"
meta f.bin.json u16 uint16 2 $(($(wc -c < f.bin) / 2))
# No metadata for the text forms, standard output or a failed run.
bp-encode -m "$model" -l -o ids.txt in.txt || bad "bp-encode -o ids.txt"
test -e ids.txt.json && bad "metadata for the ids form"
bp-encode -m "$model" -l -f u16 -o gone.bin in.txt no-such-file 2> /dev/null \
  && bad "a missing input did not fail"
test -e gone.bin || test -e gone.bin.json && bad "a failed run left gone.bin*"
ls -a | grep -q '^\.gone' && bad "a temporary file was left: $(ls -a)"

# The same model in BytePiece's JSON form has the same fingerprint.
for f in u.bin u.u32 m; do
  case $f in u.bin) fmt="-f u16 -l";; u.u32) fmt="-f u32 -l";; *) fmt="-f megatron";; esac
  bp-decode -m "$model" $fmt $f > out.txt 2> err || bad "$f: refused: $(cat err)"
  compare in.txt out.txt || bad "$f: not the text"
  bp-decode -m "$data/good-tiny.json" $fmt $f > out.txt 2> err \
    || bad "$f with the JSON model: refused: $(cat err)"
done

# Another model: two pieces that trade ids.
awk -F '\t' 'BEGIN { OFS = "\t" }
  NR > 1 && $2 == "o" { $2 = "e"; print; next }
  NR > 1 && $2 == "e" { $2 = "o"; print; next } { print }' "$model" > other.model
cmp -s "$model" other.model && framework_failure "other.model is the same"
for f in u.bin u.u32 m; do
  case $f in u.bin) fmt="-f u16 -l";; u.u32) fmt="-f u32 -l";; *) fmt="-f megatron";; esac
  rm -f out.txt
  bp-decode -m other.model $fmt -o out.txt $f 2> err \
    && bad "$f: decoded with another model"
  test -e out.txt && bad "$f: a refused run wrote its output"
  grep -q "^bp-decode: $f: made with another model (fingerprint ${fp%${fp#????????????????}}\.\.\., 271 ids), not with this one" err \
    || bad "$f: the refusal says: $(cat err)"
  grep -q -- "--ignore-model" err || bad "$f: no word of --ignore-model: $(cat err)"
  bp-decode -m other.model $fmt --ignore-model $f > out.txt 2> err \
    || bad "$f: --ignore-model refused: $(cat err)"
  test -s err && bad "$f: --ignore-model said: $(cat err)"
  compare in.txt out.txt > /dev/null 2>&1 && bad "$f: the other model gave the text"
  test $(wc -l < out.txt) = 4 || bad "$f: --ignore-model: $(cat out.txt)"
done
bp-decode -m other.model -f u16 -l < u.bin > exp.txt || bad "standard input"
bp-decode -m other.model -f u16 -l --ignore-model u.bin > out.txt || bad "u.bin"
compare exp.txt out.txt || bad "--ignore-model did not decode with other.model"
# The metadata of standard input or of a file without it is not looked
# for: the ids decode unchecked.
bp-decode -m other.model -f u16 -l < u.bin > /dev/null || bad "standard input refused"
cp u.bin bare.bin
bp-decode -m other.model -f u16 -l bare.bin > /dev/null || bad "bare.bin refused"

# The wrong form: u16 ids read as u32.
bp-decode -m "$model" -f u32 -l u.bin > /dev/null 2> err && bad "u16 read as u32"
grep -q 'u\.bin: the ids are u16, not u32' err || bad "wrong form: $(cat err)"

# Metadata that is not: an error naming it, which --ignore-model skips.
cp u.bin broken.bin && echo '{"format": "bytepiece-tokens"' > broken.bin.json
bp-decode -m "$model" -f u16 -l broken.bin > /dev/null 2> err \
  && bad "broken metadata was taken"
grep -q '^bp-decode: broken\.bin\.json:.*not JSON' err || bad "broken: $(cat err)"
echo '{"format": "bytepiece-tokens", "version": 2}' > broken.bin.json
bp-decode -m "$model" -f u16 -l broken.bin > /dev/null 2> err \
  && bad "version 2 was taken"
grep -q 'broken\.bin\.json: .*version' err || bad "version 2: $(cat err)"
bp-decode -m "$model" -f u16 -l --ignore-model broken.bin > out.txt \
  || bad "--ignore-model with broken metadata"
compare in.txt out.txt || bad "broken.bin: not the text"
finish
