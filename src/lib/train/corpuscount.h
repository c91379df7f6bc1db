/* SPDX-License-Identifier: Apache-2.0 */
/* Counting a corpus into a count file, the first and third steps of
   training (DESIGN.md sections 1.2 and 1.4): byte n-gram counts, or the
   counts of the pieces an n-gram model cuts the chunks into; on several
   worker threads, within a memory budget past which sorted runs spill to
   temporary files (DESIGN.md section 4).

   The inputs are read by the calling thread and cut into chunks
   (chunk.h), which go in batches to the workers (chunkrun.h); each worker
   counts into tables of its own, each table within its share of the
   budget, and bp_corpuscount_write adds everything up.  Counts add, so the
   output is the same for every number of workers, every way of sharing
   out the chunks and every budget.

   Ownership: bp_corpuscount_new returns a new counter, freed with
   bp_corpuscount_free, which also removes its temporary files.  What the
   parameters point to is borrowed and must outlive the counter.  */
#ifndef BP_CORPUSCOUNT_H
#define BP_CORPUSCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_chunk_params;
struct bp_counts_header;
struct bp_error;
struct bp_ngram_model;
struct bp_read_progress;
struct bp_corpuscount;
struct bp_stage_progress;
struct bp_tempfiles;

struct bp_corpuscount_params
{
  /* The header of the output: kind BP_COUNTS_NGRAMS (the order and the
     rest as written; the total is counted) or BP_COUNTS_PIECES (the
     model's order and min_count, ensure_unicode, and so on).  */
  const struct bp_counts_header *header;
  const struct bp_ngram_model *model;   /* pieces: the segmenting model */
  const struct bp_chunk_params *chunks; /* how to read documents, cut
                                           chunks (the training cuts) */
  int workers;                          /* at least 1 */
  size_t budget;        /* bytes for all the tables (budget.h: each
                           worker's get a share); 0: no limit */
  const struct bp_tempfiles *temp;      /* the runs' files (spill.h);
                                           needed with a budget */
  /* If not NULL, told how far the stages after the reading get, and the
     merges of runs while counting (readprog.h; from worker threads
     too).  */
  const struct bp_stage_progress *progress;
};

/* A new counter, its worker threads started.  No temporary file is made
   until a table is full.  Returns 0 with *OUT set, or BP_ENOMEM,
   BP_EINVAL (a kind that cannot be counted, pieces without a model, a
   budget without temporary files).  */
int bp_corpuscount_new (const struct bp_corpuscount_params *p,
                        struct bp_corpuscount **out);

void bp_corpuscount_free (struct bp_corpuscount *t);

/* Count every chunk of the input FD (not closed), a new input whose
   first document starts here, telling PROGRESS (if not NULL) of the
   bytes read.  Returns 0, or a negative code with ERR filled: BP_EIO
   (about the input, or the temporary file that failed), BP_EFORMAT (a
   --jsonl line; ERR's line), BP_ENOMEM, BP_ERANGE (a count overflows;
   ERR's detail).  The work of the workers goes on after the return, so
   their errors may be returned by a later call, or by
   bp_corpuscount_write.  */
int bp_corpuscount_read (struct bp_corpuscount *t, int fd,
                   const struct bp_read_progress *progress,
                   struct bp_error *err);

/* Wait until the workers have counted every chunk read.  Returns 0 or a
   negative code as bp_corpuscount_read.  */
int bp_corpuscount_finish (struct bp_corpuscount *t, struct bp_error *err);

/* Write the counts to F, once every input was read (it calls
   bp_corpuscount_finish if need be); the counter can then only be freed.
   Returns 0 or a negative code as bp_corpuscount_read, BP_EIO also about the
   output.  */
int bp_corpuscount_write (struct bp_corpuscount *t, FILE *f,
                          struct bp_error *err);

/* The runs spilled so far (0 if everything stayed in memory; all of
   them once bp_corpuscount_finish returned).  */
uint64_t bp_corpuscount_runs (const struct bp_corpuscount *t);

/* The --jsonl lines skipped (bp_chunker_skipped) over the inputs read,
   and in *FIRST (if not NULL, and there was one) why the first was.  */
uint64_t bp_corpuscount_skipped (const struct bp_corpuscount *t,
                                 struct bp_error *first);

#endif /* BP_CORPUSCOUNT_H */
