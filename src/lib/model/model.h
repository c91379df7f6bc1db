/* SPDX-License-Identifier: Apache-2.0 */
/* Tokenizer models: the pieces of a vocabulary with their ids and counts,
   read from and written to both forms (DESIGN.md section 2): bytepiece's
   text format and BytePiece's JSON.

   Ids 0, 1, 2 are <pad>, <bos>, <eos> and have no bytes; piece ids run
   from 3 with no gaps.  Models written by bp-prune order the pieces by
   (length, bytes), as BytePiece does; models read are taken in whatever
   order their ids give.

   User-defined special tokens (<|endoftext|>, ...) come after the pieces,
   the last ids of the vocabulary.  They have bytes but no count (0 in both
   forms, which the reference's Tokenizer scores log(0) = -inf and so never
   chooses), take no part in the unigram model (the total, the scores, the
   automaton), and are matched in text only when a program is asked to
   (bp-encode --specials).  The text form's header counts them
   (specials=N), so that text -> JSON -> text is exact.

   Ownership: bp_model_load and bp_model_new return a new model, freed with
   bp_model_free.  Piece pointers are borrowed from the model.  */
#ifndef BP_MODEL_H
#define BP_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_error;

/* Ids with a fixed meaning.  */
enum
{
  BP_ID_PAD = 0,
  BP_ID_BOS = 1,
  BP_ID_EOS = 2,
  BP_ID_FIRST_PIECE = 3
};

/* Training parameters recorded in a text model's header; -1 where
   unknown (a JSON model records none).  */
struct bp_model_params
{
  int order;
  long long min_count;
  int max_piece_length;
  int ensure_unicode;
  int isolate_digits;
  int normalize;          /* 1: nfc, 0: none */
};

struct bp_model
{
  size_t n;               /* pieces (counted, in the unigram model) */
  size_t nspecial;        /* special tokens, after the pieces */
  uint8_t *bytes;         /* all pieces, then all special tokens */
  size_t *off;            /* piece i (id i + 3) is bytes[off[i]..off[i+1]),
                             for i < n + nspecial */
  uint64_t *count;        /* count of piece i (0 for a special token) */
  uint64_t total;         /* sum of the counts */
  size_t max_len;         /* length of the longest piece (not special) */
  struct bp_model_params params;
};

/* Vocabulary size: the 3 fixed ids, the pieces and the special tokens.  */
static inline size_t
bp_model_vocab (const struct bp_model *m)
{
  return m->n + m->nspecial + BP_ID_FIRST_PIECE;
}

/* The bytes of piece I (0-based; id I + 3) and their number; I from n on
   is a special token.  */
static inline const uint8_t *
bp_model_piece (const struct bp_model *m, size_t i, size_t *len)
{
  *len = m->off[i + 1] - m->off[i];
  return m->bytes + m->off[i];
}

/* Read the model in PATH, in either form (JSON if its first non-blank
   byte is '{').  PATH is read once from start to end, so it may be a
   pipe.  Returns 0 and a new model in *OUT, or BP_EIO (errno in ERR),
   BP_EFORMAT (ERR's line and detail say where and what: a bad header,
   line, escape, id or count, a duplicate piece, a bad special token, a
   truncated file), BP_ENOMEM.  */
int bp_model_load (const char *path, struct bp_model **out,
                   struct bp_error *err);

/* The same from an open stream: either form (bp_model_read), the text
   form only (bp_model_read_text), JSON only (bp_model_read_json).  */
int bp_model_read (FILE *f, struct bp_model **out, struct bp_error *err);
int bp_model_read_text (FILE *f, struct bp_model **out, struct bp_error *err);
int bp_model_read_json (FILE *f, struct bp_model **out, struct bp_error *err);

/* A new model of the N pieces PIECES[i] (LENS[i] bytes each) with counts
   COUNTS[i], ids assigned in the order given.  Everything is copied.
   Returns NULL if out of memory or if the total overflows 64 bits.  */
struct bp_model *bp_model_new (size_t n, const uint8_t *const *pieces,
                               const size_t *lens, const uint64_t *counts,
                               const struct bp_model_params *params);

/* A copy of M, special tokens and params included; NULL if out of
   memory.  */
struct bp_model *bp_model_dup (const struct bp_model *m);

void bp_model_free (struct bp_model *m);

/* Add the N special tokens SPECIALS[i] (LENS[i] bytes each) to M, after
   its pieces and the special tokens it has, in the order given.  Returns
   0, or BP_EINVAL with ERR saying which token is empty, holds a LF (a
   special never spans chunks: DESIGN.md 1.1), is a piece or a special of
   M already, or is given twice; or BP_ENOMEM.  M is unchanged on
   failure.  */
int bp_model_add_specials (struct bp_model *m, size_t n,
                           const uint8_t *const *specials,
                           const size_t *lens, struct bp_error *err);

/* The unigram score of every piece, as BytePiece computes it (DESIGN.md
   1.6): SCORE[i] = log(count) - log(total), IEEE doubles from the C
   library's log(), for i < M->n.  */
void bp_model_scores (const struct bp_model *m, double *score);

/* Write M to F in the text form, header first.  Returns 0, or BP_EIO if
   the stream reports an error.  */
int bp_model_write_text (FILE *f, const struct bp_model *m);

/* Write M to F as BytePiece's Trainer.save does (JSON, indent 4, keys the
   base64 of each piece, values [id, text, count] where text is the piece
   decoded as UTF-8 with invalid bytes dropped).  Returns 0 or BP_EIO.  */
int bp_model_write_json (FILE *f, const struct bp_model *m);

/* The fingerprint of M, which names it in the metadata of token files
   (tokmeta.h): the SHA-256 of the lines "ID TAB PIECE LF" of its pieces
   and special tokens, the piece escaped as in the text form (the text
   form's records without their counts, so that "tail -n +2 MODEL | cut
   -f 1,2 | sha256sum" gives it for a text model).  Ids and bytes are
   what decoding depends on; the counts, the header and the form (text
   or JSON) are not part of it.  Returns 0 or BP_ENOMEM.  */
int bp_model_fingerprint (const struct bp_model *m, uint8_t out[32]);

struct bp_buf;

/* For the readers of models and vocabularies: the piece and the count of
   the record line LINE, whose escaped piece is LINE[P0..P1) and whose
   count runs from LINE[P1 + 1] to LINE[END).  The piece's bytes go to OUT
   (emptied first), its count to *COUNT, which may be 0 only if ZERO.
   Returns 0, or BP_EFORMAT or BP_ENOMEM with ERR's line LINENO and what is
   wrong: a bad escape (its column), an empty piece, a bad count.  */
int bp_model_parse_record (const char *line, size_t p0, size_t p1,
                           size_t end, int zero, struct bp_buf *out,
                           uint64_t *count, uint64_t lineno,
                           struct bp_error *err);

/* The piece P (LEN bytes) for a message: escaped as the file formats
   escape it (so that no control byte reaches a terminal), cut short after
   40 bytes, in BUF (SIZE bytes, at least 200).  Returns BUF.  */
const char *bp_model_quote (char *buf, size_t size, const uint8_t *p,
                            size_t len);

/* Check that no piece or special token occurs twice.  Returns 0, or
   BP_EFORMAT with the index of the second occurrence in *DUP (if not
   NULL) and both ids in ERR's detail, or BP_ENOMEM.  */
int bp_model_check_unique (const struct bp_model *m, size_t *dup,
                           struct bp_error *err);

#endif /* BP_MODEL_H */
