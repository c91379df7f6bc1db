#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A file of the wrong kind is named for what it is, with what to do
# instead (issue 15): each of bytepiece's own kinds given where another
# is wanted, a HuggingFace tokenizer.json, a SentencePiece model and a
# SentencePiece vocabulary given as a model, the binary ids of -f u16
# read as ids in text, and the n-gram counts of a first bp-count given
# to bp-prune -v.  A file that is none of these keeps the message of its
# reader.
. "${srcdir:-.}/init.sh"

cd "$tmp" || framework_failure "cannot enter $tmp"

# A small training run, and the model written in every form.
awk 'BEGIN { for (i = 0; i < 400; i++) print "the cat sat on the mat", i }' \
  > text
bp-count -q -n 4 text > ngrams.counts || framework_failure "bp-count"
bp-prune -q -k 2 ngrams.counts > ngram.model || framework_failure "bp-prune -k"
bp-count -q -m ngram.model text > pieces.counts || framework_failure "bp-count -m"
bp-prune -q -k 2 -v 270 pieces.counts > tok.model 2> /dev/null \
  || framework_failure "bp-prune -v"
bp-prune -q --format=hf tok.model > tokenizer.json || framework_failure "hf"
bp-prune -q --format=spm tok.model > spm.model || framework_failure "spm"
bp-prune -q --format=json tok.model > bp.json || framework_failure "json"
try="Try 'bp-prune --help' for more information."

# expect STATUS MESSAGE PROG ARGS...: PROG ARGS fails with STATUS and
# exactly MESSAGE on stderr.
expect ()
{
  want=$1 msg=$2
  shift 2
  "$@" > out 2> err < /dev/null
  status=$?
  test $status = "$want" || bad "$*: status $status, not $want"
  printf '%s\n' "$msg" > exp
  compare exp err || bad "$*: wrong message"
}

# An n-gram model, and counts, given as a tokenizer model.
expect 1 "bp-encode: ngram.model: an n-gram model (kind=ngram-model), not a BytePiece tokenizer model: count the pieces it cuts the text into with bp-count -m, then bp-prune -v SIZE makes a tokenizer model of them" \
  bp-encode -m ngram.model text
expect 1 "bp-decode: pieces.counts: piece counts (kind=pieces), not a BytePiece tokenizer model: bp-prune -v SIZE makes a tokenizer model of them" \
  bp-decode -m pieces.counts text
expect 1 "bp-stats: ngrams.counts: n-gram counts (kind=ngrams), not a BytePiece tokenizer model: bp-prune -k K makes the n-gram model of them" \
  bp-stats -m ngrams.counts text

# A tokenizer model given as counts, or as the n-gram model of bp-count.
expect 1 "bp-count: tok.model: a tokenizer model (#bytepiece-model), not a count file" \
  bp-count --merge ngrams.counts tok.model
expect 1 "bp-stats: tok.model: a tokenizer model (#bytepiece-model), not a count file: a model is given with -m MODEL" \
  bp-stats tok.model
expect 1 "bp-count: tok.model: a tokenizer model (#bytepiece-model), not an n-gram model: bp-count -m takes the n-gram model that bp-prune makes of n-gram counts" \
  bp-count -m tok.model text

# Other tokenizers' files: bytepiece writes them, and says it does not
# read them.
expect 1 "bp-encode: tokenizer.json: a HuggingFace tokenizer.json, not a BytePiece tokenizer model: bytepiece writes this format (bp-prune --format) but reads only its own models, as text or BytePiece JSON" \
  bp-encode -m tokenizer.json text
expect 1 "bp-stats: spm.model: a SentencePiece model, not a BytePiece tokenizer model: bytepiece writes this format (bp-prune --format) but reads only its own models, as text or BytePiece JSON" \
  bp-stats -m spm.model text
# A SentencePiece .vocab, as spm_train writes it beside its model.
printf '<unk>\t0\n<s>\t0\n</s>\t0\n\342\226\201the\t-3.0512\n' > spm.vocab
expect 1 "bp-encode: spm.vocab: a SentencePiece vocabulary (.vocab), not a BytePiece tokenizer model: its scores are not counts: bytepiece reads its own models, as text or BytePiece JSON, and vocabularies of pieces with counts" \
  bp-encode -m spm.vocab text
expect 1 "bp-prune: spm.vocab: a SentencePiece vocabulary (.vocab), not a count file, a model or a vocabulary: its scores are not counts: bytepiece reads its own models, as text or BytePiece JSON, and vocabularies of pieces with counts" \
  bp-prune -v 260 spm.vocab
expect 1 "bp-prune: tokenizer.json: a HuggingFace tokenizer.json, not a count file, a model or a vocabulary: bytepiece writes this format (bp-prune --format) but reads only its own models, as text or BytePiece JSON" \
  bp-prune -v 260 tokenizer.json
expect 1 "bp-prune: spm.model: a SentencePiece model, not a count file, a model or a vocabulary: bytepiece writes this format (bp-prune --format) but reads only its own models, as text or BytePiece JSON" \
  bp-prune -v 260 spm.model

# BytePiece's own JSON model is a model, not a tokenizer.json: it is
# read as one, and as counts it keeps the reader's message.
bp-encode -m bp.json text > ids.json || bad "bp-encode -m bp.json failed"
bp-encode -m tok.model text > ids || framework_failure "bp-encode"
compare ids ids.json || bad "the JSON model encodes differently"
expect 1 "bp-count: bp.json:1: missing header (expected '#bytepiece-counts 1 ...')" \
  bp-count --merge bp.json
# So does a file of no kind known.
printf 'hello\n' > hello.model
expect 1 "bp-encode: hello.model:1: not a bytepiece model" \
  bp-encode -m hello.model text

# The ids of -f u16 read as ids in text: what they are and what to do,
# which works.
bp-encode -m tok.model -f u16 text > ids.u16 || framework_failure "-f u16"
bp-decode -m tok.model ids.u16 > out 2> err && bad "bp-decode of u16 as ids succeeded"
grep -q "^bp-decode: ids\.u16:1: invalid id '.*': binary data, not ids as text (a token file of -f u16 or u32? use the same -f)\$" err \
  || bad "u16 read as ids: $(cat err)"
bp-decode -m tok.model -f u16 ids.u16 > back || bad "bp-decode -f u16 failed"
compare text back || bad "-f u16 did not decode the text"
# Ids in text that are wrong are only wrong.
printf '3 x12\n' > bad.ids
expect 1 "bp-decode: bad.ids:1: invalid id 'x12'" bp-decode -m tok.model bad.ids

# The counts of the first bp-count given to bp-prune -v: forgot -m?
expect 2 "bp-prune: ngrams.counts holds n-gram counts, and -v prunes piece counts: forgot -m?  bp-prune -k K makes the n-gram model of these counts, bp-count -m MODEL counts the pieces
$try" bp-prune -k 2 -v 300 ngrams.counts

finish
