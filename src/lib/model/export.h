/* SPDX-License-Identifier: Apache-2.0 */
/* Models for other tokenizers: a HuggingFace tokenizer.json (the
   tokenizers library, in Python, Rust or JavaScript) and a SentencePiece
   ModelProto (spm_encode, the sentencepiece Python module).  Written
   only, never read back.

   HuggingFace: a Unigram model with the pieces' exact scores, their
   bytes in GPT-2's byte-level alphabet (a piece need not be UTF-8), NFC
   when the model normalises, a pre-tokenizer that cuts bytepiece's
   chunks; it encodes to the same ids as bp-encode (bytepiece(7) says
   where it may not).  <pad>, <bos>, <eos> and the model's special tokens
   are its added special tokens.

   SentencePiece: what BytePiece's Tokenizer.convert_to_sentencepiece
   writes (ids 0..2 <unk>, <s>, </s>; single bytes as byte-fallback
   pieces; identity normaliser, no dummy prefix, no whitespace folding),
   with the ASCII single bytes as ordinary pieces, scores as 32-bit
   floats, and the special tokens as user-defined pieces.

   Ownership: arguments are borrowed.  */
#ifndef BP_EXPORT_H
#define BP_EXPORT_H

#include <stdio.h>

struct bp_model;
struct bp_error;

/* Write M to F as a HuggingFace tokenizer.json.  Returns 0; BP_EINVAL
   with ERR saying which piece or special token cannot be represented (a
   piece spelt <pad>, <bos> or <eos>, a special token that is not UTF-8
   or is spelt like a piece); BP_EIO (the stream failed; errno);
   BP_ENOMEM.  Nothing is written on BP_EINVAL.  */
int bp_export_hf (FILE *f, const struct bp_model *m, struct bp_error *err);

/* Write M to F as a SentencePiece model.  Returns 0; BP_EINVAL with ERR
   naming the first piece that SentencePiece cannot hold (not well-formed
   UTF-8, a NUL byte in a longer piece, the same as another once spaces
   are written U+2581); BP_EIO; BP_ENOMEM.  Nothing is written on
   BP_EINVAL.  */
int bp_export_spm (FILE *f, const struct bp_model *m, struct bp_error *err);

/* The forms a model can be written in.  */
enum bp_export_format
{
  BP_EXPORT_TEXT,    /* bytepiece's text form (bp_model_write_text) */
  BP_EXPORT_JSON,    /* BytePiece's JSON (bp_model_write_json) */
  BP_EXPORT_HF,      /* bp_export_hf */
  BP_EXPORT_SPM      /* bp_export_spm */
};

/* The format named NAME: "text", "json", "hf" or "spm".  Returns 0, or -1
   if NAME is none of them.  */
int bp_export_format (const char *name, enum bp_export_format *fmt);

/* Write M to F in the format FMT.  Returns as the writer of that format:
   0, BP_EINVAL (ERR says why; nothing written), BP_EIO, BP_ENOMEM.  */
int bp_export (FILE *f, const struct bp_model *m, enum bp_export_format fmt,
               struct bp_error *err);

#endif /* BP_EXPORT_H */
