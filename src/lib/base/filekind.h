/* SPDX-License-Identifier: Apache-2.0 */
/* What kind of file a file is, told from its first bytes: bytepiece's own
   files (models, the three kinds of count files), the files of other
   tokenizers that people give in their place (a HuggingFace
   tokenizer.json, a SentencePiece model) and compressed data.  Readers
   say what is wrong with a file in their own words; this is for saying,
   when a file of one kind was given where another was wanted, which kind
   it is (issue 15), so that the message names the mistake.

   Only magic bytes and headers are looked at, never a guess from the
   statistics of the bytes: a kind is said only when the file cannot be
   anything else.  Ownership: nothing is allocated.  */
#ifndef BP_FILEKIND_H
#define BP_FILEKIND_H

#include <stddef.h>

enum bp_filekind
{
  BP_FILEKIND_UNKNOWN,        /* none of these: text, ids, anything */
  BP_FILEKIND_MODEL,          /* "#bytepiece-model" header */
  BP_FILEKIND_PIECE_COUNTS,   /* "#bytepiece-counts ... kind=pieces" */
  BP_FILEKIND_NGRAM_COUNTS,   /* kind=ngrams */
  BP_FILEKIND_NGRAM_MODEL,    /* kind=ngram-model */
  BP_FILEKIND_HF_JSON,        /* a JSON object whose first member is one
                                 of HuggingFace tokenizer.json's (a
                                 BytePiece JSON model's are base64) */
  BP_FILEKIND_SPM_MODEL,      /* a SentencePiece ModelProto: its first
                                 piece, as protobuf lays it out */
  BP_FILEKIND_SPM_VOCAB,      /* a SentencePiece .vocab: "PIECE TAB
                                 SCORE" lines, the first piece one of
                                 its special ones (<unk>, <s>, </s>,
                                 <pad>) */
  BP_FILEKIND_GZIP,           /* 1f 8b */
  BP_FILEKIND_XZ,             /* fd '7zXZ' 00 */
  BP_FILEKIND_ZSTD            /* 28 b5 2f fd */
};

/* How many bytes of the start of a file bp_filekind_of wants to see:
   fewer are fine for a shorter file.  */
#define BP_FILEKIND_HEAD 512

/* The kind of a file that starts with the N bytes HEAD (all of the file
   if it is shorter than BP_FILEKIND_HEAD).  */
enum bp_filekind bp_filekind_of (const void *head, size_t n);

/* Is K compressed data?  */
int bp_filekind_compressed (enum bp_filekind k);

/* K in words, translated, for the middle of a message: "an n-gram model
   (kind=ngram-model)", "gzip-compressed data".  "" for
   BP_FILEKIND_UNKNOWN.  */
const char *bp_filekind_name (enum bp_filekind k);

#endif /* BP_FILEKIND_H */
