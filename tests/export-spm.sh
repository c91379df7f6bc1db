#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The SentencePiece export (bp-prune --format=spm) against SentencePiece
# itself: Debian's spm_encode, and the sentencepiece Python module when
# /usr/bin/python3 has it, load the models exported from every reference
# model whose pieces are all UTF-8, and the ids they give for every line
# of ../shared/vectors/encode (in NFC: their normaliser is the identity)
# are a segmentation in bytepiece's ids: bp-decode turns them back into
# the line.  They are not always bp-encode's: SentencePiece adds 32-bit
# floats, and segments a character that no piece holds whole as one
# unknown character, spelt in bytes; the share that agrees is printed
# (bench/interop.sh measures it for every model, bytepiece(7) quotes it).
# The models with other pieces are refused (model-convert.sh checks the
# message).  Skipped without spm_encode.
. "${srcdir:-.}/init.sh"
require_shared
command -v spm_encode > /dev/null 2>&1 || skip "spm_encode is not installed"
data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
cd "$tmp" || framework_failure "cannot enter $tmp"

texts=$shared/vectors/encode
model80k=$shared/models/bytepiece_80k.model
mkdir nfc || framework_failure "cannot make nfc/"
for f in "$texts"/*.txt; do
  bp-encode -m "$model80k" "$f" | bp-decode -m "$model80k" > "nfc/${f##*/}" \
    || framework_failure "cannot normalise $f"
done

py=
/usr/bin/python3 -c 'import sentencepiece' 2> /dev/null && py=/usr/bin/python3
models=0 lines=0 same=0
set -- "$shared"/models/*.model "$shared"/vectors/train/*/model.*.json
# Under valgrind (make check-valgrind) the programs are checked, not the
# export: one small model keeps it in minutes.
test -n "${BP_VALGRIND-}" && set -- "$shared"/vectors/train/t1/model.8000.json
for model in "$@"; do
  bp-prune --format=spm -o m.spm "$model" 2> /dev/null || continue
  models=$((models + 1))
  name=${model#"$shared"/}
  vocab=$(bp-prune "$model" | head -n 1 | sed 's/.* vocab=\([0-9]*\).*/\1/')
  for f in nfc/*.txt; do
    spm_encode --model=m.spm --output_format=id < "$f" > spm.ids 2> err \
      || { cat err >&2; bad "$name: spm_encode failed on $f"; continue; }
    # Ids past bytepiece's vocabulary are the byte pieces SentencePiece
    # needs for the ASCII bytes, which no text ever makes it use.
    awk -v v="$vocab" '{ for (i = 1; i <= NF; i++) if ($i >= v) bad = 1 }
                       END { exit bad }' spm.ids \
      || bad "$name: ${f#nfc/}: an id past the vocabulary"
    bp-decode -l -m "$model" spm.ids > back
    # A last line without its LF comes back with one.
    cp "$f" want && test -s want && test "$(tail -c 1 want | od -An -c | tr -d ' ')" != '\n' \
      && echo >> want
    compare want back || bad "$name: ${f#nfc/}: SentencePiece's ids do not decode to the text"
    bp-encode -j1 -l --no-normalize -m "$model" "$f" > bp.ids
    n=$(wc -l < bp.ids)
    s=$(paste -d '|' bp.ids spm.ids | awk -F '|' '$1 == $2' | wc -l)
    lines=$((lines + n)) same=$((same + s))
  done
  if test -n "$py"; then
    "$py" - m.spm "$vocab" > py.out 2> err <<'EOF' || { cat err >&2; bad "$name: sentencepiece (Python) failed"; }
import sys, sentencepiece
sp = sentencepiece.SentencePieceProcessor(model_file=sys.argv[1])
v = int(sys.argv[2])
# ids 0..2, the pieces at their ids, and the byte pieces after them
print(sp.id_to_piece(0), sp.id_to_piece(1), sp.id_to_piece(2),
      sp.get_piece_size() >= v, sp.is_byte(v) if sp.get_piece_size() > v else True)
print(' '.join(map(str, sp.encode('a\nb'))))
EOF
    printf 'a\nb' > ab
    printf '<unk> <s> </s> True True\n%s\n' "$(bp-encode -m "$model" ab | tr '\n' ' ' | sed 's/ $//')" \
      | compare - py.out || bad "$name: sentencepiece (Python) reads the model otherwise"
  fi
done
test $models -ge 5 || test -n "${BP_VALGRIND-}" || framework_failure "only $models models could be exported"

# Special tokens are user-defined pieces, which SentencePiece always
# matches whole: as bp-encode --specials.
bp-prune --special '<|endoftext|>' -o sp.model "$data/good-tiny.model" \
  || framework_failure "cannot add a special token"
bp-prune --format=spm -o sp.spm sp.model || bad "the export with a special token failed"
printf 'a<|endoftext|>b\n<|endoftext|>\n' > sp.txt
spm_encode --model=sp.spm --output_format=id < sp.txt > spm.ids \
  || bad "spm_encode failed with a special token"
bp-encode --specials -l -m sp.model sp.txt > bp.ids
compare bp.ids spm.ids || bad "SentencePiece does not keep the special token whole"
echo "$models models: $same of $lines lines encoded as bp-encode encodes them"
test "$same" -gt 0 || bad "no line agrees"
finish
