/* SPDX-License-Identifier: Apache-2.0 */
/* Count files, the data that flows between the training steps
   (DESIGN.md section 2): their header, a checking reader, and a buffered
   writer of records.  Counting is in ngramcount.h and strcount.h, the
   order of escaped keys in keysort.h, merging in countmerge.h.

   The count file format (DESIGN.md section 2).  A header line, then one
   record per line, "ESCAPED-KEY TAB COUNT LF": the key escaped with
   bp_escape (..., 0), the count a positive decimal number without leading
   zeros that fits in 64 bits.  Records are sorted by the escaped key as
   raw bytes (memcmp, a prefix first: what LC_ALL=C sort gives), each key
   once.  The header is "#bytepiece-counts 1" followed by space-separated
   KEY=VALUE fields, written in this order:

     kind=ngrams       order total normalize isolate_digits
     kind=ngram-model  order min_count total normalize isolate_digits
     kind=pieces       order min_count ensure_unicode normalize
                       isolate_digits

   kind        what the records are: byte n-grams of lengths 1..order
               (bp-count -n), the n-grams kept by the n-gram model
               (bp-prune), or pieces cut by that model (bp-count -m)
   order       the n-gram order, from 1 (bp-count makes 1..BP_MAX_ORDER)
   total       the order-0 count: the bytes in all chunks (for a model,
               after the missing single bytes were added with count 1)
   min_count   the min count the n-gram model was pruned with
   ensure_unicode  0 or 1: whether pieces may start on a continuation byte
   normalize   nfc or none
   isolate_digits  0 or 1

   Readers require the fields their kind has, reject a field given twice
   or with a bad value, and ignore fields they do not know (a later version
   may add some).

   Ownership: arguments are borrowed.  Objects returned by *_new and
   *_open belong to the caller, who frees them with the matching *_free
   (which accepts NULL).  Pointers in a struct bp_counts_record are
   borrowed from the reader and valid until its next call.  A struct
   bp_counts_writer is the caller's; it borrows its stream.  */
#ifndef BP_COUNTS_H
#define BP_COUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

struct bp_error;
struct bp_read_progress;

/* The highest n-gram order that bp-count counts and an n-gram model
   may have: the length of a packed key is a byte (ngramkey.h), and so
   is a state of the Viterbi's route (ngramseg.c).  The header of a
   count file may say any order from 1 up: the readers whose work does
   not depend on it (merging, pruning pieces, statistics) take any.  */
#define BP_MAX_ORDER 255

enum bp_counts_kind
{
  BP_COUNTS_NGRAMS,
  BP_COUNTS_NGRAM_MODEL,
  BP_COUNTS_PIECES
};

struct bp_counts_header
{
  enum bp_counts_kind kind;
  int order;
  uint64_t min_count;      /* ngram-model and pieces */
  uint64_t total;          /* ngrams and ngram-model */
  int ensure_unicode;      /* pieces */
  int normalize;           /* 1: nfc, 0: none */
  int isolate_digits;
};

/* The name of KIND as the header writes it ("ngrams", ...).  */
const char *bp_counts_kind_name (enum bp_counts_kind kind);

/* Write H as a header line to F.  Returns 0 or BP_EIO (ERR about the
   output, with the errno of the write).  */
int bp_counts_header_write (FILE *f, const struct bp_counts_header *h,
                            struct bp_error *err);

/* Parse the header line LINE (LEN bytes, without its LF).  Returns 0, or
   BP_EFORMAT with ERR's line 1 and detail saying what is wrong.  */
int bp_counts_header_parse (const char *line, size_t len,
                            struct bp_counts_header *h, struct bp_error *err);

/* Compare the fields of A and B that must agree for their records to be
   added up: kind, order, normalize, isolate_digits, and min_count and
   ensure_unicode for the kinds that have them (not total).  Returns 0 if
   they agree; otherwise writes the first field that differs, as
   "KEY=VALUE" for A and for B, into ABUF and BBUF (SIZE bytes each) and
   returns 1.  */
int bp_counts_header_differ (const struct bp_counts_header *a,
                             const struct bp_counts_header *b,
                             char *abuf, char *bbuf, size_t size);

/* Reading a count file as a stream, checking everything listed above.  */
struct bp_counts_reader;

struct bp_counts_record
{
  const char *esc;         /* the key as written */
  size_t esc_len;
  const uint8_t *key;      /* the key's bytes */
  size_t len;
  uint64_t count;
  uint64_t line;           /* its line number */
};

/* Start reading F (borrowed; not closed) and parse its header.  Returns 0
   with a new reader in *OUT, or BP_EFORMAT (no header, bad header),
   BP_EIO (errno in ERR), BP_ENOMEM.  */
int bp_counts_reader_open (FILE *f, struct bp_counts_reader **out,
                           struct bp_error *err);

const struct bp_counts_header *
bp_counts_reader_header (const struct bp_counts_reader *r);

/* Parse the record line LINE (LEN bytes, without its LF), line LN of
   its file: "ESCAPED-KEY TAB COUNT", the key escaped the canonical way,
   the count positive.  Fills *REC: its esc points into LINE, its key
   into KEY (ESC is scratch; both are the caller's buffers).  Returns 0
   or BP_EFORMAT (ERR's line and detail), BP_ENOMEM.  Order, repeats and
   the key's length are the caller's to check.  */
int bp_counts_parse_record (const char *line, size_t len, uint64_t ln,
                            struct bp_buf *key, struct bp_buf *esc,
                            struct bp_counts_record *rec,
                            struct bp_error *err);

/* The next record.  Returns 1 with *REC filled, 0 at the end of the file,
   or BP_EFORMAT (ERR's line and detail: a line without TAB or final LF, a
   bad escape or count, a key out of order or repeated, a key longer than
   the order for the n-gram kinds), BP_EIO, BP_ENOMEM.  */
int bp_counts_reader_next (struct bp_counts_reader *r,
                           struct bp_counts_record *rec,
                           struct bp_error *err);

/* The bytes read so far: the header and the records returned.  */
uint64_t bp_counts_reader_offset (const struct bp_counts_reader *r);

/* Tell P (readprog.h; borrowed, NULL for nothing) now and then of the
   bytes R has read.  */
void bp_counts_reader_progress (struct bp_counts_reader *r,
                                const struct bp_read_progress *p);

void bp_counts_reader_free (struct bp_counts_reader *r);

/* The order of records: escaped keys compared as raw bytes, a prefix
   first (memcmp; what LC_ALL=C sort gives).  Returns <0, 0 or >0.  */
static inline int
bp_counts_cmp (const void *a, size_t an, const void *b, size_t bn)
{
  int c = memcmp (a, b, an < bn ? an : bn);
  if (c)
    return c;
  return an < bn ? -1 : an > bn;
}

/* Writing records: formatted into a buffer that goes to the stream in
   large writes.  Initialise with { .f = F }; records are
   appended with the functions below, which write out the buffer when it
   is large; bp_counts_writer_flush writes the rest and checks the stream;
   bp_counts_writer_free releases the buffer (it does not close F).  */
struct bp_counts_writer
{
  FILE *f;
  struct bp_buf buf;
};

/* Append the record for KEY (LEN bytes) and COUNT.  Returns 0, BP_ENOMEM
   or BP_EIO, with ERR filled (a write error is about the output; the
   errno is the write's).  */
int bp_counts_writer_put (struct bp_counts_writer *w, const uint8_t *key,
                          size_t len, uint64_t count, struct bp_error *err);

/* Append the record for the already escaped key ESC (LEN bytes).
   Returns as above.  */
int bp_counts_writer_put_escaped (struct bp_counts_writer *w,
                                  const char *esc, size_t len,
                                  uint64_t count, struct bp_error *err);

/* Write out what is buffered and check the stream (ferror).  Returns 0
   or BP_EIO, as above.  */
int bp_counts_writer_flush (struct bp_counts_writer *w,
                            struct bp_error *err);

void bp_counts_writer_free (struct bp_counts_writer *w);

/* Append the record line for KEY (LEN bytes) and COUNT to OUT.  Returns 0
   or BP_ENOMEM.  */
int bp_counts_format_record (struct bp_buf *out, const uint8_t *key,
                             size_t len, uint64_t count);

#endif /* BP_COUNTS_H */
