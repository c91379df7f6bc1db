/* SPDX-License-Identifier: Apache-2.0 */
/* The indexed dataset of Megatron-LM and GPT-NeoX (their IndexedDataset,
   "MMIDIDX"), which bp-encode -f megatron writes and bp-decode -f
   megatron reads: PREFIX.bin holds the token ids of every sequence one
   after the other, PREFIX.idx says where each begins.  The layout of the
   index, all integers little-endian (bytepiece-formats(5) has it too):

     9 bytes   "MMIDIDX\0\0"
     u64       1 (the version)
     u8        the dtype of the ids in PREFIX.bin: 8 = uint16, 4 = int32
     u64       S, the number of sequences
     u64       D + 1, the number of entries of the document index
     S x i32   the length of each sequence, in ids
     S x i64   the byte offset of each sequence in PREFIX.bin
     (D+1) x i64  the document index: document d is the sequences from
                  entry d up to entry d + 1; the first entry is 0, the
                  last S

   bp-encode writes one sequence per document, and the ids in the dtype
   Megatron's preprocessing chooses: uint16 for a vocabulary below 65500,
   else int32.  The reader takes any valid dataset (several sequences in
   a document, offsets in any order) and checks everything it reads
   against the sizes of the files, so that bad data is an error, never a
   crash.

   Ownership: the structures are the caller's; the streams and file
   descriptors are borrowed.  */
#ifndef BP_MEGATRON_H
#define BP_MEGATRON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tokens.h"

struct bp_error;

/* The codes of the dtypes, as the index holds them.  */
enum
{
  BP_MMIDX_INT32 = 4,
  BP_MMIDX_UINT16 = 8
};

/* The dtype for a vocabulary of VOCAB ids, and the token stream that
   writes it (u16 or u32: an int32 below 2^31 has the bytes of a u32).
   Returns 0, or BP_ERANGE if an id would not fit in an int32.  */
int bp_mmidx_dtype (size_t vocab, int *code, enum bp_tokfmt *fmt);

/* The writer of PREFIX.idx.  The lengths go into the stream as they come
   (so that memory does not grow with the documents), and the rest is
   computed from them at the end: the stream must be a regular file open
   for reading too (a temporary file of outfile.h is).  */
struct bp_mmidx_writer
{
  FILE *f;
  int code;
  unsigned itemsize;
  uint64_t nseq;
};

/* Start the index of ids of dtype CODE on F: its header.  Returns 0 or
   BP_EIO.  */
int bp_mmidx_begin (struct bp_mmidx_writer *w, FILE *f, int code);

/* A sequence (a document) of NIDS ids.  Returns 0, BP_ERANGE (more ids
   than an int32 counts, with ERR's detail) or BP_EIO.  */
int bp_mmidx_add (struct bp_mmidx_writer *w, uint64_t nids,
                  struct bp_error *err);

/* Finish the index: the offsets, the document index and the counts.
   Returns 0 or BP_EIO (errno in ERR).  */
int bp_mmidx_finish (struct bp_mmidx_writer *w, struct bp_error *err);

/* A buffered reader of little-endian integers at increasing offsets of a
   file.  */
struct bp_mmidx_cursor
{
  int fd;
  uint64_t off;            /* the file offset of BUF[0] */
  size_t len, pos;
  uint8_t buf[4096];
};

/* The reader of PREFIX.idx and PREFIX.bin.  */
struct bp_mmidx_reader
{
  int idx_fd, bin_fd;
  size_t vocab;            /* ids at or above it are errors */
  int code;
  unsigned itemsize;
  uint64_t nseq, ndocidx;  /* sequences, entries of the document index */
  uint64_t bin_size;
  struct bp_mmidx_cursor len, ptr, doc, bin;
  uint64_t doc_no;         /* the document being read */
  uint64_t seq, doc_end;   /* its next sequence, and the end of them */
  uint64_t left;           /* ids left in the current sequence */
  int in_doc;
  uint32_t id;             /* BP_TOK_ID: the id */
};

/* Open the dataset of the files IDX_FD and BIN_FD, whose ids must be
   below VOCAB: read the header and check the sizes.  Returns 0, or
   BP_EFORMAT (ERR's detail says what is wrong, its input is 0 for the
   index and 1 for the ids), BP_EIO.  */
int bp_mmidx_open (struct bp_mmidx_reader *r, int idx_fd, int bin_fd,
                   size_t vocab, struct bp_error *err);

/* The next id (BP_TOK_ID, in R->id), the end of a document (BP_TOK_EOL),
   or the end of the dataset (BP_TOK_END); or BP_EFORMAT, BP_ERANGE (an id
   out of range) or BP_EIO, with ERR's input as bp_mmidx_open's.  */
int bp_mmidx_next (struct bp_mmidx_reader *r, struct bp_error *err);

/* Documents read so far (for a message).  */
uint64_t bp_mmidx_documents (const struct bp_mmidx_reader *r);

#endif /* BP_MEGATRON_H */
