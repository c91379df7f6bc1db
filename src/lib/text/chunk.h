/* SPDX-License-Identifier: Apache-2.0 */
/* Reading text as documents and cutting it into chunks, the units that
   are counted and segmented (DESIGN.md sections 1.0 and 1.1).

   A document is a whole input (BP_DOC_FILE), a line without its LF
   (BP_DOC_LINES) or a string member of a JSON object on a line
   (BP_DOC_JSONL).  Its text is normalised to NFC (unless asked not to)
   and cut into chunks: a run of non-LF characters followed by the run of
   LFs after it.  For training the body of a chunk is also cut every
   MAX_CHARS characters and its LF run every MAX_LFS LFs, and with
   ISOLATE_DIGITS each decimal digit is a chunk of its own; those rules
   reproduce the regular expressions of BytePiece's normalize().  A byte
   that is not part of well-formed UTF-8 counts as one character.

   The input is read as a stream: a chunk of unbounded length (a 50 MB
   line) is delivered in pieces, so no caller ever needs a whole file in
   memory.  With a MAX_CHARS cut every chunk is delivered whole.  A
   --jsonl line is streamed too (jsonl.h): its member's text is handed
   on as it is decoded, and what else the line holds is passed over, so
   that memory stays bounded whatever the line holds (with SKIP_INVALID,
   by the member: its text waits for the end of the line, which says
   whether the line is a document at all).

   In BP_DOC_LINES and BP_DOC_JSONL modes every line of input gives a
   document, so that outputs made line by line stay aligned with the
   input; a --jsonl line that holds none (blank, or skipped) gives an
   empty one marked BP_SPAN_NO_DOC.

   Ownership: bp_chunker_new returns a new object, freed with
   bp_chunker_free.  Spans point into the chunker and are valid until the
   next call to bp_chunker_next.  The file descriptor is borrowed.  */
#ifndef BP_CHUNK_H
#define BP_CHUNK_H

#include <stddef.h>
#include <stdint.h>

struct bp_error;

enum bp_doc_mode
{
  BP_DOC_FILE,   /* each input is one document */
  BP_DOC_LINES,  /* each line is a document; its LF is not part of it */
  BP_DOC_JSONL   /* each line is a JSON object; the document is a member */
};

/* BytePiece's training cuts (Trainer.norm).  */
#define BP_TRAIN_MAX_CHARS 10000
#define BP_TRAIN_MAX_LFS 100

struct bp_chunk_params
{
  enum bp_doc_mode mode;
  const char *jsonl_key;  /* BP_DOC_JSONL: the member's path (a valid
                             one: see jsonpath.h), "text" if NULL */
  int skip_invalid;       /* BP_DOC_JSONL: a line that is not JSON or has
                             no string member is no document, not an
                             error (it is counted: bp_chunker_skipped) */
  int normalize;          /* nonzero: NFC; zero: the bytes as they are */
  size_t max_chars;       /* cut chunk bodies every MAX_CHARS; 0: never */
  size_t max_lfs;         /* cut LF runs every MAX_LFS; 0: never */
  int isolate_digits;     /* each decimal digit is a chunk of its own */

  /* Sizes of the stream machinery, 0 for the defaults.  Tests make them
     small, so that short input takes the paths of long input.  */
  size_t read_size;       /* bytes read at a time (1 MiB) */
  size_t fragment_size;   /* a chunk this long goes out in pieces
                             (4 MiB; not with both training cuts) */
  size_t nfc_long;        /* text with no stable starter this long is
                             normalised a run at a time (64 KiB; see
                             struct bp_nfc) */
};

/* Flags of a span.  */
enum
{
  BP_SPAN_CHUNK_END = 1,  /* the chunk ends with this span */
  BP_SPAN_DOC_END = 2,    /* the document ends with this span */
  BP_SPAN_NO_DOC = 4      /* a --jsonl line that holds no document: blank,
                             or skipped (SKIP_INVALID); an empty span with
                             BP_SPAN_DOC_END that only keeps its line */
};

/* Part of a chunk: the whole of it unless it is very long.  The last span
   of a document has BP_SPAN_DOC_END; a document with no chunk at all (an
   empty line in BP_DOC_LINES mode) is one empty span with only that
   flag (and BP_SPAN_NO_DOC for a line that holds no document).  */
struct bp_span
{
  const uint8_t *data;
  size_t len;
  unsigned flags;
};

struct bp_chunker;

/* A new chunker with the parameters P (copied; the key string must stay
   valid while the chunker is used).  Returns NULL if out of memory (or
   if the key is no valid path, which the caller should have checked).  */
struct bp_chunker *bp_chunker_new (const struct bp_chunk_params *p);

void bp_chunker_free (struct bp_chunker *c);

/* Read FD from now on, as a new input: its first document starts here and
   line numbers restart at 1.  FD is not closed.  */
void bp_chunker_open (struct bp_chunker *c, int fd);

/* The next span of the input.  Returns 1 with *SPAN filled, 0 at the end
   of the input, or a negative BP_E* code: BP_EIO (read error, errno in
   ERR), BP_EFORMAT (a --jsonl line that is not JSON, or not an object
   with the string member, without SKIP_INVALID; ERR's line says which),
   BP_ENOMEM.  What came before an error was delivered, and may include
   the start of the document of the line at fault.  */
int bp_chunker_next (struct bp_chunker *c, struct bp_span *span,
                     struct bp_error *err);

/* The lines that SKIP_INVALID skipped, over every input so far.  When
   there was one and FIRST is not NULL, *FIRST says why the first was
   skipped, its line and input (which of the inputs opened, from 0)
   where.  */
uint64_t bp_chunker_skipped (const struct bp_chunker *c,
                             struct bp_error *first);

/* Bytes read from the current input so far (for progress reports).  */
uint64_t bp_chunker_bytes_read (const struct bp_chunker *c);

#endif /* BP_CHUNK_H */
