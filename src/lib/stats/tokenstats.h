/* SPDX-License-Identifier: Apache-2.0 */
/* Accumulating the statistics of encoding a text with several models, for
   one thread: the chunker's spans go in, in order within each chunk, and
   each model segments them exactly as bp-encode does, so that the tokens
   counted are the ids bp-encode writes.  What several threads counted
   adds up into one report (modelstats.h), tokens per document
   included.

   Ownership: bp_stats_acc_new returns a new accumulator, freed with
   bp_stats_acc_free (which accepts NULL).  The segmenter models are
   borrowed and must outlive it; so are the other arguments.  */
#ifndef BP_TOKENSTATS_H
#define BP_TOKENSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "modelstats.h"

struct bp_buf;
struct bp_unigram;
struct bp_stats_acc;

/* A new accumulator for the NMODELS segmenter models U[i].  Returns NULL
   if out of memory.  */
struct bp_stats_acc *bp_stats_acc_new (size_t nmodels,
                                       const struct bp_unigram *const *u);

void bp_stats_acc_free (struct bp_stats_acc *a);

/* Add the span of LEN bytes at DATA with the BP_SPAN_* FLAGS of chunk.h;
   CHUNK_START if it is the first span of its chunk.  Returns 0 or
   BP_ENOMEM.  */
int bp_stats_acc_span (struct bp_stats_acc *a, const uint8_t *data,
                       size_t len, unsigned flags, int chunk_start);

/* Documents may be cut between threads (a batch of spans ends inside
   one), so the tokens of each document are added up in input order:
   bp_stats_acc_take_docs moves the parts of documents A has seen since
   its last call to OUT (appended), and bp_stats_report_add_docs, given
   those outputs in input order, joins the parts into documents and adds
   them to each model's PER_DOC.  A part is the tokens of one document
   between two cuts, each model's, and whether the document ends there.

   Returns 0 or BP_ENOMEM.  */
int bp_stats_acc_take_docs (struct bp_stats_acc *a, struct bp_buf *out);

/* Add the parts of documents, LEN bytes at PARTS, to R (whose models
   are those of the accumulators the parts came from).  Returns 0,
   BP_ENOMEM, or BP_ERANGE if a count overflows 64 bits.  */
int bp_stats_report_add_docs (struct bp_stats_report *r,
                              const uint8_t *parts, size_t len);

/* Add everything A counted to R (whose models are A's, in the same
   order) and set R's HAVE_TEXT; the parts of documents not taken yet
   are added as if they came after every other (which is their order
   when A is the only accumulator).  Returns 0, BP_ENOMEM, or BP_ERANGE
   if a count overflows 64 bits.  */
int bp_stats_acc_add_to (struct bp_stats_acc *a, struct bp_stats_report *r);

#endif /* BP_TOKENSTATS_H */
