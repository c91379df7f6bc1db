/* Statistics of tokenizer models, of the tokens they cut a text into, and
   of count files: everything bp-stats reports, and its two report forms
   (aligned text with '#' bar charts, and one JSON object).

   Pieces and keys are classified by the bytes they hold (enum
   bp_piece_kind); characters are counted the way the rest of bytepiece
   counts them (chunk.h): a well-formed UTF-8 sequence is one character,
   and so is each byte that is not part of one.

   Ownership: arguments are borrowed.  The *_init and *_read functions
   fill a caller's struct whose allocations the matching *_free releases
   (it accepts a zeroed struct); bp_stats_acc_new returns a new
   accumulator, freed with bp_stats_acc_free.  A struct bp_stats_model
   keeps pointers to the model and to its name, which must outlive it.  */
#ifndef BP_STATS_H
#define BP_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counts.h"

struct bp_model;
struct bp_unigram;
struct bp_error;

/* What a piece is made of.  Each class holds the pieces all of whose
   characters are of that class; a piece that mixes classes (ASCII with
   CJK: "\xe7\x9a\x84 ", ASCII with Latin-1: "caf\xc3\xa9") is OTHER.  */
enum bp_piece_kind
{
  BP_KIND_ASCII,    /* only bytes 0x00..0x7F */
  BP_KIND_CJK,      /* well-formed UTF-8, every character CJK (bp_is_cjk) */
  BP_KIND_OTHER,    /* well-formed UTF-8, neither of the above */
  BP_KIND_PARTIAL,  /* some byte not part of a well-formed sequence */
  BP_NKINDS
};

/* The name of KIND in reports and JSON keys: "ascii", "cjk", "other",
   "partial".  */
const char *bp_piece_kind_name (enum bp_piece_kind kind);

/* Is CP a CJK character: in a CJK Unified Ideographs block (U+4E00..9FFF,
   extension A U+3400..4DBF, and the Supplementary and Tertiary
   Ideographic Planes U+20000..3FFFF, which hold extensions B to I and the
   compatibility supplement), the CJK Compatibility Ideographs
   (U+F900..FAFF), the CJK radicals, strokes and description characters
   (U+2E80..2FDF, U+2FF0..2FFF, U+31C0..31EF), CJK Symbols and
   Punctuation (U+3000..303F), kana (U+3040..30FF, U+31F0..31FF,
   U+1AFF0..1B16F), Bopomofo (U+3100..312F, U+31A0..31BF), Kanbun
   (U+3190..319F), Hangul (U+1100..11FF, U+3130..318F, U+A960..A97F,
   U+AC00..D7FF), Enclosed CJK Letters and Months and CJK Compatibility
   (U+3200..33FF), CJK Compatibility Forms (U+FE30..FE4F), or Halfwidth
   and Fullwidth Forms (U+FF00..FFEF)?  */
int bp_is_cjk (uint32_t cp);

/* The class of the N >= 1 bytes at P.  */
enum bp_piece_kind bp_piece_classify (const uint8_t *p, size_t n);

/* Counting characters of a text fed in parts that may cut a character:
   the bytes of an incomplete sequence at the end of one part wait for the
   next.  A zeroed struct is a count of 0.  */
struct bp_charcount
{
  uint64_t chars;
  uint8_t pend[3];
  unsigned npend;
};

/* Count the characters of the N bytes at P, which follow what was fed
   before; LAST if the text (a chunk) ends with them.  */
void bp_charcount_feed (struct bp_charcount *c, const uint8_t *p, size_t n,
                        int last);

/* A histogram by length: COUNT[L] for L = 1..MAX (COUNT[0] unused).  A
   zeroed struct is empty.  */
struct bp_lenhist
{
  uint64_t *count;
  size_t max;
};

/* Add K to the count of length LEN >= 1.  Returns 0 or BP_ENOMEM.  */
int bp_lenhist_add (struct bp_lenhist *h, size_t len, uint64_t k);

void bp_lenhist_free (struct bp_lenhist *h);

/* What the report says about one model: its pieces by length and class,
   and, after text was encoded, its tokens.  */
struct bp_stats_model
{
  const char *name;              /* as given on the command line */
  const struct bp_model *model;
  struct bp_lenhist by_len;
  uint64_t by_kind[BP_NKINDS];
  uint64_t tokens;
  uint64_t *count;               /* tokens of each piece (0-based) */
};

/* Fill S for model M, named NAME.  Returns 0 or BP_ENOMEM.  */
int bp_stats_model_init (struct bp_stats_model *s, const char *name,
                         const struct bp_model *m);

void bp_stats_model_free (struct bp_stats_model *s);

/* The distinct pieces that occur in the tokens.  */
size_t bp_stats_model_used (const struct bp_stats_model *s);

/* The text that was encoded: normalised as it was encoded, so BYTES are
   what the ids decode to.  */
struct bp_stats_text
{
  uint64_t documents, chunks, bytes, chars;
};

/* A whole report on models: one column per model, and the text they all
   encoded if HAVE_TEXT.  */
struct bp_stats_report
{
  size_t nmodels;
  struct bp_stats_model *model;
  int have_text;
  struct bp_stats_text text;
};

/* Accumulating the statistics of encoding a text with several models, for
   one thread: the chunker's spans go in, in order within each chunk, and
   each model segments them exactly as bp-encode does.  */
struct bp_stats_acc;

/* A new accumulator for the NMODELS segmenter models U[i] (borrowed; each
   must outlive it).  Returns NULL if out of memory.  */
struct bp_stats_acc *bp_stats_acc_new (size_t nmodels,
                                       const struct bp_unigram *const *u);

void bp_stats_acc_free (struct bp_stats_acc *a);

/* Add the span of LEN bytes at DATA with the BP_SPAN_* FLAGS of chunk.h;
   CHUNK_START if it is the first span of its chunk.  Returns 0 or
   BP_ENOMEM.  */
int bp_stats_acc_span (struct bp_stats_acc *a, const uint8_t *data,
                       size_t len, unsigned flags, int chunk_start);

/* Add everything A counted to R (whose models are A's, in the same
   order) and set R's HAVE_TEXT.  Returns 0, or BP_ERANGE if a count
   overflows 64 bits.  */
int bp_stats_acc_add_to (const struct bp_stats_acc *a,
                         struct bp_stats_report *r);

/* A summary of a count file.  */
struct bp_stats_key
{
  uint8_t *key;
  size_t len;
  uint64_t count;
  uint64_t seq;         /* its place in the file */
};

struct bp_stats_counts
{
  const char *name;               /* as given on the command line */
  struct bp_counts_header h;
  uint64_t keys;                  /* records */
  uint64_t sum;                   /* of their counts */
  struct bp_lenhist by_len;
  uint64_t by_kind[BP_NKINDS];
  struct bp_stats_key *top;       /* the largest counts, largest first */
  size_t ntop;
};

/* Read the count file F (borrowed, read to its end), named NAME, into S,
   keeping the TOP largest counts (ties: the earlier record first).
   Returns 0, or what bp_counts_reader_next returns on bad data (ERR says
   where), or BP_ERANGE if the sum overflows 64 bits, BP_ENOMEM.  */
int bp_stats_counts_read (struct bp_stats_counts *s, const char *name,
                          FILE *f, size_t top, struct bp_error *err);

void bp_stats_counts_free (struct bp_stats_counts *s);

/* How to write a report.  */
struct bp_stats_layout
{
  size_t top;           /* entries in each list of pieces or keys */
  size_t bar_width;     /* the longest bar of a chart, per column */
};

/* Write the report R to F as text or as one JSON object (the keys are
   listed in bp-stats(1)).  Returns 0, BP_EIO (F's error; errno tells)
   or BP_ENOMEM.  */
int bp_stats_write_text (FILE *f, const struct bp_stats_report *r,
                         const struct bp_stats_layout *l);
int bp_stats_write_json (FILE *f, const struct bp_stats_report *r,
                         const struct bp_stats_layout *l);

/* The same for the N count-file summaries C[i], one column each.  */
int bp_stats_write_counts_text (FILE *f, const struct bp_stats_counts *c,
                                size_t n, const struct bp_stats_layout *l);
int bp_stats_write_counts_json (FILE *f, const struct bp_stats_counts *c,
                                size_t n);

#endif /* BP_STATS_H */
