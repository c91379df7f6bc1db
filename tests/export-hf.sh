#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The HuggingFace export (bp-prune --format=hf) against the tokenizers
# library itself (npm package tokenizers, the reference client; Python's
# tokenizers reads the same file): the pretrained BytePiece models and the
# models of the training vectors, exported to tokenizer.json, encode every
# text of ../shared/vectors/encode to the ids bp-encode gives, and decode
# them to the text bp-decode gives.  Every difference is listed.
#
# tokenizers reads the scores with serde_json's default number parser,
# which is not correctly rounded and cannot produce some doubles at all
# (export_hf.c writes the others so that it reads them exactly): those
# pieces carry a score one unit in the last place off, which can decide
# an exact tie differently.  A document whose ids differ passes only if
# that explains it: hf-viterbi.js, bytepiece's Viterbi in JavaScript,
# must give bp-encode's ids with the scores of the file and tokenizers'
# ids with the scores tokenizers holds (what it writes back when it saves
# itself).  Any other difference fails.  Needs node and the package (cd bench && npm ci, or
# NODE_PATH); skipped without them.
. "${srcdir:-.}/init.sh"
require_shared

command -v node > /dev/null 2>&1 || skip "node is not installed"
tokenizers=
top=$(cd "$srcdir/.." && pwd)
oldifs=$IFS
IFS=:
for d in "$top/bench/node_modules" ${NODE_PATH-}; do
  test -n "$d" && test -f "$d/tokenizers/package.json" && { tokenizers=$d/tokenizers; break; }
done
IFS=$oldifs
test -n "$tokenizers" \
  || skip "the npm package tokenizers is not installed (cd bench && npm ci)"
js=$(cd "$srcdir" && pwd)/hf-encode.js
vit=$(cd "$srcdir" && pwd)/hf-viterbi.js
data=$(cd "$srcdir/data" && pwd)
cd "$tmp" || framework_failure "cannot enter $tmp"

texts=$shared/vectors/encode
mkdir hf || framework_failure "cannot make hf/"
set -- "$shared"/models/*.model "$shared"/vectors/train/*/model.*.json
# Under valgrind (make check-valgrind) the programs are checked, not the
# export: one small model keeps it in minutes.
test -n "${BP_VALGRIND-}" && set -- "$shared"/vectors/train/t1/model.8000.json
models=0 files=0 ndiff=0
for model in "$@"; do
  test -f "$model" || continue
  name=$(echo "$model" | sed 's|.*/\(t[0-9]*/\)\{0,1\}|\1|; s|/|-|')
  models=$((models + 1))
  bp-prune --format=hf -o "$name.json" "$model" 2> err \
    || { cat err >&2; bad "$name: the export failed"; continue; }
  rm -f hf/*
  # Every document is a file, but lines.txt, one document a line.
  node "$js" "$tokenizers" "$name.json" hf $(ls "$texts"/*.txt | grep -v '/lines\.txt$') \
    -l "$texts/lines.txt" 2> err \
    || { cat err >&2; bad "$name: tokenizers could not load or encode"; continue; }
  for f in "$texts"/*.txt; do
    b=${f##*/}
    files=$((files + 1))
    if test "$b" = lines.txt; then
      bp-encode -j1 -l -m "$model" "$f" > bp.ids
      bp-decode -l -m "$model" bp.ids > bp.dec
    else
      bp-encode -j1 -m "$model" "$f" | tr ' ' '\n' | sed '/^$/d' > bp.ids
      bp-decode -m "$model" bp.ids > bp.dec
    fi
    if ! cmp -s bp.ids "hf/$b.ids"; then
      if test "$b" != lines.txt; then
        tr '\n' ' ' < bp.ids | sed 's/ $//' > bp.one && echo >> bp.one
        tr '\n' ' ' < "hf/$b.ids" | sed 's/ $//' > hf.one && echo >> hf.one
      else
        cp bp.ids bp.one && cp "hf/$b.ids" hf.one
      fi
      # Each document whose ids differ is explained if bytepiece's
      # Viterbi gives bp-encode's ids with the scores of the file and
      # tokenizers' ids with the scores tokenizers holds.
      for n in $(paste -d '|' bp.one hf.one | awk -F '|' '$1 != $2 { print NR }'); do
        ndiff=$((ndiff + 1))
        if test "$b" = lines.txt; then
          sed -n "${n}{p;q}" bp.dec | tr -d '\n' > doc
        else
          cp bp.dec doc
        fi
        node "$vit" "$name.json" hf/saved.json doc > why 2> err \
          || { cat err >&2; framework_failure "hf-viterbi.js failed"; }
        sed -n "${n}{p;q}" bp.one > want
        sed -n "${n}{p;q}" hf.one >> want
        if cmp -s want why; then
          echo "$name: $b: document $n: ids differ where tokenizers holds a score other than the file says: $(paste -d '|' bp.one hf.one | sed -n "${n}{p;q}" | awk -F '|' '{
            na = split($1, a, " "); nb = split($2, c, " ")
            p = 0; while (p < na && p < nb && a[p + 1] == c[p + 1]) p++
            q = 0; while (q < na - p && q < nb - p && a[na - q] == c[nb - q]) q++
            s = "ids " p ":"; for (i = p + 1; i <= na - q; i++) s = s " " a[i]
            s = s " (bp-encode), "; for (i = p + 1; i <= nb - q; i++) s = s " " c[i]
            print s " (tokenizers)" }')"
        else
          bad "$name: $b: document $n: tokenizers gives other ids than bp-encode"
          paste -d '|' bp.one hf.one | sed -n "${n}{p;q}" | head -c 300 >&2
        fi
      done
    fi
    cmp -s bp.dec "hf/$b.dec" || bad "$name: $b: tokenizers decodes to another text"
  done
done
test $models -ge 6 || test -n "${BP_VALGRIND-}" || framework_failure "only $models reference models in $shared"

# Special tokens: tokenizers matches them whole, as bp-encode --specials
# does, and decodes them back.
bp-prune --special '<|endoftext|>' --special '<|im_start|>' -o sp.model \
  "$data/good-tiny.model" || framework_failure "cannot add special tokens"
bp-prune --format=hf -o sp.json sp.model || bad "the export with special tokens failed"
printf 'a<|endoftext|>b <|im_start|>x\n<|endoftext|>' > sp.txt
rm -f hf/*
node "$js" "$tokenizers" sp.json hf sp.txt 2> err \
  || { cat err >&2; bad "tokenizers could not load the special tokens"; }
bp-encode --specials -m sp.model sp.txt | tr ' ' '\n' > bp.ids
compare bp.ids hf/sp.txt.ids || bad "tokenizers does not keep the special tokens whole"
compare sp.txt hf/sp.txt.dec || bad "tokenizers does not decode the special tokens"
echo "$models models, $files texts: $ndiff documents with other ids"
finish
