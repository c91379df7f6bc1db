/* SPDX-License-Identifier: Apache-2.0 */
/* What bp-stats reports on models: each model's pieces by length and
   kind, and, after a text was encoded (tokenstats.h), the tokens of each
   piece and of each document; the pieces that occur, in the orders of
   the report's lists.

   Ownership: arguments are borrowed.  bp_stats_model_init fills a
   caller's struct whose allocations bp_stats_model_free releases (it
   accepts a zeroed struct); the struct keeps pointers to the model and
   to its name, which must outlive it.  bp_stats_model_select returns a
   new array, freed with free().  */
#ifndef BP_MODELSTATS_H
#define BP_MODELSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "dochist.h"
#include "lenhist.h"
#include "piecekind.h"

struct bp_model;

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
  struct bp_dochist per_doc;     /* tokens per document */
  uint64_t doc_open;             /* tokens of a document not ended yet */
};

/* Fill S for model M, named NAME.  Returns 0 or BP_ENOMEM.  */
int bp_stats_model_init (struct bp_stats_model *s, const char *name,
                         const struct bp_model *m);

void bp_stats_model_free (struct bp_stats_model *s);

/* The distinct pieces that occur in the tokens.  */
size_t bp_stats_model_used (const struct bp_stats_model *s);

/* The tokens that are single bytes: pieces of one byte, which stand for
   text the vocabulary has no longer piece for (a character cut into its
   bytes, a rare symbol).  */
uint64_t bp_stats_model_single_byte (const struct bp_stats_model *s);

/* A piece that occurs in the tokens, for the lists of a report.  */
struct bp_stats_piece
{
  uint64_t count;        /* its tokens */
  size_t len;            /* its bytes */
  uint32_t piece;        /* its index in the model (0-based) */
};

/* The orders of the lists.  */
enum bp_stats_order
{
  BP_STATS_BY_COUNT,     /* most tokens first; then the lower id */
  BP_STATS_BY_LENGTH     /* longest first; then most tokens, lower id */
};

/* The pieces of S that occur in its tokens, in ORDER.  Returns a new
   array with their number in *N, or NULL if out of memory.  */
struct bp_stats_piece *bp_stats_model_select (const struct bp_stats_model *s,
                                              enum bp_stats_order order,
                                              size_t *n);

/* Sort the N pieces V into ORDER.  */
void bp_stats_sort (struct bp_stats_piece *v, size_t n,
                    enum bp_stats_order order);

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

#endif /* BP_MODELSTATS_H */
