#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# How far the exported models agree with bp-encode (issue 10): every model
# of ../shared (the pretrained BytePiece models, the models of the
# training vectors) is exported with bp-prune --format=hf and, when all
# its pieces are UTF-8, --format=spm, and every text of
# ../shared/vectors/encode is encoded by bp-encode and by the other
# tokenizer:
#   hf   HuggingFace tokenizers (npm package, bench/node_modules), each
#        file one document and each line of lines.txt one;
#   spm  spm_encode --output_format=id, one document a line (how it reads
#        its input), on the text already in NFC (its normaliser is the
#        identity), beside bp-encode --lines --no-normalize;
#   spm-py  the sentencepiece Python module (/usr/bin/python3), each file
#        one document, LFs included.
# Prints one markdown row per model and client: documents and tokens, and
# how many agree: a document when all its ids are the same, a token of
# bp-encode when the other tokenizer has the same id over the same bytes
# of the document.  Not a test: make check runs
# tests/export-hf.sh and tests/export-spm.sh.
#
#   BP_BINDIR=BUILDDIR/src BP_SHARED=../shared bench/interop.sh
set -u
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${BP_BINDIR:-$here/../src}
shared=${BP_SHARED:-$here/../../shared}
texts=$shared/vectors/encode
tok=$here/node_modules/tokenizers
PY=/usr/bin/python3
test -x "$bin/bp-encode" || { echo "interop.sh: no bp-encode in $bin" >&2; exit 1; }
test -d "$texts" || { echo "interop.sh: no $texts" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
PATH=$bin:$PATH

# agree LENGTHS A B: A and B have one document a line, ids separated by
# spaces; LENGTHS has "ID LENGTH" lines.  Prints "documents same tokens
# agreeing" (tokens counted in A).
agree ()
{
  paste -d '|' "$2" "$3" | awk -F '|' '
    NR == FNR { split($0, f, " "); len[f[1]] = f[2]; next }
    { na = split($1, a, " "); nb = split($2, b, " "); docs++; tokens += na
      if ($1 == $2) { same++; ok += na; next }
      delete at; o = 0
      for (i = 1; i <= nb; i++) { at[o " " b[i]] = 1; o += len[b[i]] }
      o = 0
      for (i = 1; i <= na; i++) { if ((o " " a[i]) in at) ok++; o += len[a[i]] } }
    END { printf "%d %d %d %d\n", docs, same, tokens, ok }' "$1" -
}

row ()
{
  read -r docs same tokens ok < "$3"
  awk -v m="$1" -v c="$2" -v d="$docs" -v s="$same" -v t="$tokens" -v o="$ok" \
    'BEGIN { printf "| %s | %s | %d | %d (%.2f%%) | %d | %d (%.3f%%) |\n",
             m, c, d, s, d ? 100 * s / d : 100, t, o, t ? 100 * o / t : 100 }'
}

# The texts in NFC, the same bytes bp-encode segments.
mkdir "$tmp/nfc"
first=$(ls "$shared"/models/*.model | head -n 1)
for f in "$texts"/*.txt; do
  bp-encode -m "$first" "$f" | bp-decode -m "$first" > "$tmp/nfc/${f##*/}"
done

echo "| model | client | documents | agree | tokens | agree |"
echo "|---|---|---:|---:|---:|---:|"
for model in "$shared"/models/*.model "$shared"/vectors/train/*/model.*.json; do
  case $model in
    */vectors/train/*) name=$(basename "$(dirname "$model")")-$(basename "$model" .json) ;;
    *) name=$(basename "$model" .model) ;;
  esac
  # The length of every piece, from the text form's escaped pieces.
  bp-prune "$model" | awk -F '\t' 'NR > 1 {
      p = $2; n = 0
      while (p != "") {
        if (substr(p, 1, 2) == "\\x") p = substr(p, 5)
        else if (substr(p, 1, 1) == "\\") p = substr(p, 3)
        else p = substr(p, 2)
        n++
      }
      print $1, n }' > "$tmp/len"

  # bp-encode: documents as files (one line each) and as lines.
  : > "$tmp/bp.docs"; : > "$tmp/bp.lines"
  for f in "$tmp"/nfc/*.txt; do
    if test "${f##*/}" = lines.txt; then
      bp-encode -j1 -l --no-normalize -m "$model" "$f" >> "$tmp/bp.docs"
    else
      bp-encode -j1 --no-normalize -m "$model" "$f" | tr '\n' ' ' \
        | sed 's/  */ /g; s/ $//' >> "$tmp/bp.docs"
      echo >> "$tmp/bp.docs"
    fi
    bp-encode -j1 -l --no-normalize -m "$model" "$f" >> "$tmp/bp.lines"
  done
  if test -f "$tok/package.json" && command -v node > /dev/null; then
    bp-prune --format=hf -o "$tmp/hf.json" "$model" && mkdir -p "$tmp/hf" \
      && node "$here/../tests/hf-encode.js" "$tok" "$tmp/hf.json" "$tmp/hf" \
           $(ls "$tmp"/nfc/*.txt | grep -v '/lines\.txt$') -l "$tmp/nfc/lines.txt" \
      || { echo "interop.sh: $name: the HF export or tokenizers failed" >&2; continue; }
    : > "$tmp/hf.docs"
    for f in "$tmp"/nfc/*.txt; do
      b=${f##*/}
      if test "$b" = lines.txt; then cat "$tmp/hf/$b.ids"
      else tr '\n' ' ' < "$tmp/hf/$b.ids" | sed 's/ $//'; echo; fi
    done >> "$tmp/hf.docs"
    agree "$tmp/len" "$tmp/bp.docs" "$tmp/hf.docs" > "$tmp/n"
    row "$name" "hf (tokenizers)" "$tmp/n"
  fi
  if bp-prune --format=spm -o "$tmp/m.spm" "$model" 2> "$tmp/err"; then
    : > "$tmp/spm.lines"
    for f in "$tmp"/nfc/*.txt; do
      spm_encode --model="$tmp/m.spm" --output_format=id < "$f" >> "$tmp/spm.lines"
    done
    agree "$tmp/len" "$tmp/bp.lines" "$tmp/spm.lines" > "$tmp/n"
    row "$name" "spm (spm_encode, lines)" "$tmp/n"
    if "$PY" -c 'import sentencepiece' 2> /dev/null; then
      "$PY" - "$tmp/m.spm" "$tmp"/nfc/*.txt > "$tmp/spm.docs" <<'EOF'
import sys, sentencepiece
sp = sentencepiece.SentencePieceProcessor(model_file=sys.argv[1])
for f in sys.argv[2:]:
    text = open(f, 'rb').read().decode('utf-8')
    docs = text.split('\n')[:-1] if f.endswith('/lines.txt') else [text]
    for d in docs:
        print(' '.join(map(str, sp.encode(d))))
EOF
      agree "$tmp/len" "$tmp/bp.docs" "$tmp/spm.docs" > "$tmp/n"
      row "$name" "spm (Python sentencepiece)" "$tmp/n"
    fi
  else
    echo "| $name | spm | refused: $(sed 's/^bp-prune: //' "$tmp/err") | | | |"
  fi
done
