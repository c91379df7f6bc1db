/* Tokenizer models: the pieces of a vocabulary with their ids and counts,
   read from and written to both forms (DESIGN.md section 2): bytepiece's
   text format and BytePiece's JSON.

   Ids 0, 1, 2 are <pad>, <bos>, <eos> and have no bytes; piece ids run
   from 3 to vocab - 1 with no gaps.  Models written by bp-prune order the
   pieces by (length, bytes), as BytePiece does; models read are taken in
   whatever order their ids give.

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
  size_t n;               /* pieces; the vocabulary is n + 3 ids */
  uint8_t *bytes;         /* all pieces, concatenated */
  size_t *off;            /* piece i (id i + 3) is bytes[off[i]..off[i+1]) */
  uint64_t *count;        /* count of piece i */
  uint64_t total;         /* sum of the counts */
  size_t max_len;         /* length of the longest piece */
  struct bp_model_params params;
};

/* Vocabulary size, the specials included.  */
static inline size_t
bp_model_vocab (const struct bp_model *m)
{
  return m->n + BP_ID_FIRST_PIECE;
}

/* The bytes of piece I (0-based; id I + 3) and their number.  */
static inline const uint8_t *
bp_model_piece (const struct bp_model *m, size_t i, size_t *len)
{
  *len = m->off[i + 1] - m->off[i];
  return m->bytes + m->off[i];
}

/* Read the model in PATH, in either form (JSON if its first non-blank
   byte is '{').  Returns 0 and a new model in *OUT, or BP_EIO (errno in
   ERR), BP_EFORMAT (ERR's line and detail say where and what: a bad
   header, line, escape, id or count, a duplicate piece, a truncated
   file), BP_ENOMEM.  */
int bp_model_load (const char *path, struct bp_model **out,
                   struct bp_error *err);

/* The same from an open stream (text form only for bp_model_read_text,
   JSON only for bp_model_read_json).  */
int bp_model_read_text (FILE *f, struct bp_model **out, struct bp_error *err);
int bp_model_read_json (FILE *f, struct bp_model **out, struct bp_error *err);

/* A new model of the N pieces PIECES[i] (LENS[i] bytes each) with counts
   COUNTS[i], ids assigned in the order given.  Everything is copied.
   Returns NULL if out of memory or if the total overflows 64 bits.  */
struct bp_model *bp_model_new (size_t n, const uint8_t *const *pieces,
                               const size_t *lens, const uint64_t *counts,
                               const struct bp_model_params *params);

void bp_model_free (struct bp_model *m);

/* Write M to F in the text form, header first.  Returns 0, or BP_EIO if
   the stream reports an error.  */
int bp_model_write_text (FILE *f, const struct bp_model *m);

/* Write M to F as BytePiece's Trainer.save does (JSON, indent 4, keys the
   base64 of each piece, values [id, text, count] where text is the piece
   decoded as UTF-8 with invalid bytes dropped).  Returns 0 or BP_EIO.  */
int bp_model_write_json (FILE *f, const struct bp_model *m);

/* Check that no piece occurs twice.  Returns 0, or BP_EFORMAT with the
   index of the second occurrence in *DUP (if not NULL) and both ids in
   ERR's detail, or BP_ENOMEM.  */
int bp_model_check_unique (const struct bp_model *m, size_t *dup,
                           struct bp_error *err);

#endif /* BP_MODEL_H */
