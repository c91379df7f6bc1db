/* SPDX-License-Identifier: Apache-2.0 */
/* The token streams bp-encode writes and bp-decode reads (DESIGN.md
   section 1.7): decimal ids, escaped pieces, or raw little-endian 16- or
   32-bit ids.

   In the text forms tokens are separated by one space and a line ends
   after each chunk (or document); a reader accepts any run of white space
   between tokens.  The writer owns that layout: its caller says where
   documents and chunks begin and end, and the writer decides where
   lines end.  A piece is written with the escaping of escape.h plus
   "\x20" for the space character, so a piece never contains white space
   and the space can separate pieces; a piece spelt like a special
   ("<bos>") has its '<' written "\x3c", so that it reads back as bytes.
   The binary forms have no separators; bp-decode's --lines treats <eos>
   as the end of a line there.

   Ownership: the structures are the caller's; the stream or descriptor
   and the model are borrowed.  */
#ifndef BP_TOKENS_H
#define BP_TOKENS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

struct bp_model;
struct bp_automaton;
struct bp_specials;
struct bp_error;

enum bp_tokfmt
{
  BP_FMT_IDS,
  BP_FMT_PIECES,
  BP_FMT_U16,
  BP_FMT_U32,
  BP_FMT_MEGATRON  /* Megatron's PREFIX.bin and PREFIX.idx (megatron.h):
                      the writer writes the ids of PREFIX.bin, as u16 or
                      u32 by the size of the vocabulary */
};

/* Parse a --format argument.  Returns 0, or -1 if NAME is none of "ids",
   "pieces", "u16", "u32", "megatron".  */
int bp_tokfmt_parse (const char *name, enum bp_tokfmt *fmt);

struct bp_tokwriter
{
  FILE *f;
  enum bp_tokfmt fmt;
  const struct bp_model *model;
  int line_per_chunk;      /* a line per chunk, not per document */
  int line_start;          /* nothing written on this line yet */
  struct bp_buf buf;       /* output not yet handed to F */
  struct bp_buf ends;      /* a writer into memory in a binary form: the
                              offset in BUF where each document ended, a
                              uint64_t each (the documents of a token
                              file's index and metadata) */
};

/* Write to F, or only into W->buf if F is NULL (for a worker thread whose
   output the main thread writes in order; its caller empties W->buf and
   W->ends together).  The layout is a line per document until
   bp_tokwriter_layout says otherwise.  BP_FMT_MEGATRON writes the ids of
   the dataset's PREFIX.bin: W->fmt becomes BP_FMT_U16 or BP_FMT_U32, the
   dtype of bp_mmidx_dtype for M's vocabulary (which the caller has
   checked).  */
void bp_tokwriter_init (struct bp_tokwriter *w, FILE *f, enum bp_tokfmt fmt,
                        const struct bp_model *m);

/* The output line layout of DESIGN.md section 1.7: LINE_PER_CHUNK for
   bp-encode's default mode (each FILE one document, a line per chunk of
   it), 0 for --lines and --jsonl (a line per document, even an empty
   one).  */
void bp_tokwriter_layout (struct bp_tokwriter *w, int line_per_chunk);

/* Where the text stands, for the layout.  A document begins: a new line.
   A later chunk of it begins: a new line if each chunk has its own,
   else the document's line goes on (it already has tokens).  These do
   not depend on what the writer wrote before, so that a thread may take
   up a stream at any chunk.  */
void bp_tokwriter_doc_start (struct bp_tokwriter *w);
void bp_tokwriter_chunk_start (struct bp_tokwriter *w);

/* A chunk ends that is not the last of its document (the last one's line
   ends with the document, after any <eos>).  */
int bp_tokwriter_chunk_end (struct bp_tokwriter *w);

/* A document ends (after its <eos>, if any): a line per document ends
   even if it is empty; a line per chunk ends if it has a token (a
   document with no chunk and no specials writes nothing).  */
int bp_tokwriter_doc_end (struct bp_tokwriter *w);

/* Write the token ID (a vocabulary id: 0..2 are the specials; a special
   in the pieces form is written <pad>, <bos>, <eos>).  */
int bp_tokwriter_id (struct bp_tokwriter *w, uint32_t id);

/* Write N pieces given by their 0-based indices (id - 3).  */
int bp_tokwriter_pieces (struct bp_tokwriter *w, const uint32_t *pieces,
                         size_t n);

/* End the line (text forms only; nothing in the binary forms).  */
int bp_tokwriter_eol (struct bp_tokwriter *w);

/* Hand everything to the stream.  All these return 0, or BP_EIO when the
   stream reports an error (errno tells which), or BP_ENOMEM.  */
int bp_tokwriter_flush (struct bp_tokwriter *w);

void bp_tokwriter_free (struct bp_tokwriter *w);

/* What bp_tokreader_next found.  */
enum
{
  BP_TOK_END = 0,    /* end of input */
  BP_TOK_ID = 1,     /* an id, in ID */
  BP_TOK_BYTES = 2,  /* a piece's bytes (pieces form), in BYTES */
  BP_TOK_EOL = 3     /* end of a line (text forms only: in the binary
                        forms <eos> is an ordinary BP_TOK_ID) */
};

struct bp_tokreader
{
  int fd;
  enum bp_tokfmt fmt;
  size_t vocab;            /* ids at or above it are errors; 0: no check */
  const struct bp_automaton *ac;  /* pieces form: if set, pieces must
                                     be in the model */
  const struct bp_specials *specials;  /* with AC: special tokens are
                                          pieces too */
  struct bp_buf buf;
  size_t pos;
  int eof;
  uint64_t line;           /* current line (text forms), from 1 */
  uint64_t offset;         /* bytes consumed before BUF */
  uint32_t id;
  struct bp_buf bytes;
  size_t read_size;        /* bytes asked of each read; init sets 64 KiB,
                              tests lower it to split tokens between
                              reads */
  size_t max_piece;        /* with AC: the longest escaped piece */
  int in_token;            /* pieces form: the last BP_TOK_BYTES was part
                              of a longer token */
};

void bp_tokreader_init (struct bp_tokreader *r, int fd, enum bp_tokfmt fmt,
                        size_t vocab, const struct bp_automaton *ac);

/* With an automaton: take the special tokens S (specials.h, borrowed)
   for pieces of the model too.  */
void bp_tokreader_specials (struct bp_tokreader *r,
                            const struct bp_specials *s);

/* The next token.  Ids are decimal, leading zeros allowed.  A piece is
   handed out whole when an automaton checks it against a model; without
   one, a piece longer than about a read comes in several BP_TOK_BYTES,
   so that no token is ever held whole in memory.  Returns one of
   BP_TOK_*, or a negative BP_E* code:
   BP_EFORMAT or BP_ERANGE with ERR's line (text forms) and detail (a
   non-numeric id, an id out of range, a bad escape, a piece not in the
   model, a truncated binary id), BP_EIO, BP_ENOMEM.  */
int bp_tokreader_next (struct bp_tokreader *r, struct bp_error *err);

void bp_tokreader_free (struct bp_tokreader *r);

#endif /* BP_TOKENS_H */
