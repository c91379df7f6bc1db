/* Count files and count tables, the data that flows between the training
   steps (DESIGN.md sections 1.2, 2 and 4): reading and writing count
   files, counting byte n-grams and pieces in memory, and merging sorted
   count files in one pass.

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
   order       the n-gram order, 1..BP_MAX_ORDER
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
   borrowed from the reader and valid until its next call.  */
#ifndef BP_COUNTS_H
#define BP_COUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_buf;
struct bp_error;

/* The highest n-gram order: a key of up to 7 bytes and its length fit in
   a uint64, the representation every n-gram table uses.  */
#define BP_MAX_ORDER 7

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

/* Write H as a header line to F.  Returns 0 or BP_EIO (ferror).  */
int bp_counts_header_write (FILE *f, const struct bp_counts_header *h);

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

/* The next record.  Returns 1 with *REC filled, 0 at the end of the file,
   or BP_EFORMAT (ERR's line and detail: a line without TAB or final LF, a
   bad escape or count, a key out of order or repeated, a key longer than
   the order for the n-gram kinds), BP_EIO, BP_ENOMEM.  */
int bp_counts_reader_next (struct bp_counts_reader *r,
                           struct bp_counts_record *rec,
                           struct bp_error *err);

void bp_counts_reader_free (struct bp_counts_reader *r);

/* Append the record line for KEY (LEN bytes) and COUNT to OUT.  Returns 0
   or BP_ENOMEM.  */
int bp_counts_format_record (struct bp_buf *out, const uint8_t *key,
                             size_t len, uint64_t count);

/* Merge the NIN count files IN[i] (named NAMES[i], for messages) into OUT
   in one pass, in memory independent of their size: records with the same
   key have their counts added, and the header is the inputs' common header
   with the totals added.  Headers must agree (bp_counts_header_differ);
   kind=ngram-model files cannot be merged (their counts were pruned).
   Returns 0, or a negative BP_E* code with ERR filled and *BAD (if not
   NULL) set to the index of the input at fault, or to NIN when writing
   OUT failed (BP_EIO, errno in ERR); BP_ERANGE if a count or the total
   overflows 64 bits.  */
int bp_counts_merge (FILE *const *in, const char *const *names, size_t nin,
                     FILE *out, size_t *bad, struct bp_error *err);

/* N-gram keys packed in a uint64: the bytes big-endian from the top, the
   length (0..7) in the low byte.  Unsigned order of packed keys is the
   lexicographic order of the bytes with a prefix first, which is what
   lets n-gram counting sort windows as integers and recover the counts of
   every prefix from the sorted windows.  */
static inline uint64_t
bp_ngram_pack (const uint8_t *p, size_t len)
{
  uint64_t k = 0;
  for (size_t i = 0; i < len; i++)
    k |= (uint64_t) p[i] << (56 - 8 * i);
  return k | len;
}

static inline size_t
bp_ngram_unpack (uint64_t k, uint8_t *p)
{
  size_t len = k & 0xFF;
  for (size_t i = 0; i < len; i++)
    p[i] = (uint8_t) (k >> (56 - 8 * i));
  return len;
}

/* Counting byte n-grams (DESIGN.md section 1.2).  Every chunk adds, for
   every byte position, the substrings of lengths 1..order that start
   there and fit in the chunk; the total counts the bytes.

   How: one window per position (the longest substring, at most ORDER
   bytes) is packed into a uint64 and buffered; a full buffer is
   radix-sorted and run-length counted into a sorted run; runs are merged
   pairwise so that their number stays logarithmic.  The counts of all
   shorter n-grams follow at the end from the sorted windows, since the
   windows that start with a given n-gram are adjacent in sorted order.
   So the work and memory go with the number of distinct windows, not
   with ORDER times the input.  Runs are the unit a memory budget would
   spill to temporary files, and separate counters (threads) can be
   combined with bp_ngram_counter_absorb, because counts simply add.  */
struct bp_ngram_counter;

/* A new counter for n-grams of lengths 1..ORDER (1..BP_MAX_ORDER).
   BATCH is the number of windows buffered before sorting (0: a default).
   Returns NULL if out of memory or ORDER is out of range.  */
struct bp_ngram_counter *bp_ngram_counter_new (int order, size_t batch);

void bp_ngram_counter_free (struct bp_ngram_counter *c);

/* Count the chunk TEXT (LEN bytes).  Returns 0 or BP_ENOMEM (the chunk
   may then be partly counted; the counter can only be freed).  */
int bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                          size_t len);

/* Add everything counted by SRC to DST (same order) and leave SRC
   empty.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
int bp_ngram_counter_absorb (struct bp_ngram_counter *dst,
                             struct bp_ngram_counter *src);

/* Bytes counted so far (the order-0 count).  */
uint64_t bp_ngram_counter_total (const struct bp_ngram_counter *c);

/* Write everything counted as a kind=ngrams count file to F, with the
   order and total filled into a copy of H.  The counter is consumed (it
   can only be freed afterwards).  Returns 0, BP_EIO (F's error),
   BP_ENOMEM, or BP_ERANGE (a count overflowed).  */
int bp_ngram_counter_write (struct bp_ngram_counter *c,
                            const struct bp_counts_header *h, FILE *f,
                            struct bp_error *err);

/* Counting byte strings of any length (pieces), in a hash table.  */
struct bp_strcount;

struct bp_strcount *bp_strcount_new (void);
void bp_strcount_free (struct bp_strcount *t);

/* Add COUNT to the count of KEY (LEN >= 1 bytes).  Returns 0, BP_ENOMEM
   or BP_ERANGE (the count overflowed).  */
int bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                     uint64_t count);

/* Add everything in SRC to DST and empty SRC.  Returns as above.  */
int bp_strcount_absorb (struct bp_strcount *dst, struct bp_strcount *src);

/* The number of distinct keys.  */
size_t bp_strcount_size (const struct bp_strcount *t);

/* Write the table as a count file with header H to F, sorted as the
   format requires.  Returns 0, BP_EIO or BP_ENOMEM.  */
int bp_strcount_write (const struct bp_strcount *t,
                       const struct bp_counts_header *h, FILE *f,
                       struct bp_error *err);

/* Sorting keys by their escaped form, the order of every count file.
   KEY returns the bytes of key I and their number in *LEN; it may return
   SCRATCH, which has room for MAXLEN bytes, or a pointer of its own.  On
   success *PERM is a new array (free it with free) of the N indices in
   escaped order.  Returns 0, BP_ENOMEM, or BP_ERANGE (N above
   UINT32_MAX).  */
typedef const uint8_t *(*bp_key_fn) (const void *ctx, size_t i,
                                     uint8_t *scratch, size_t *len);
int bp_counts_sort_escaped (size_t n, size_t maxlen, bp_key_fn key,
                            const void *ctx, uint32_t **perm);

#endif /* BP_COUNTS_H */
