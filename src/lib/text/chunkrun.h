/* SPDX-License-Identifier: Apache-2.0 */
/* Running work over the chunks of the inputs on several threads, with
   the results in input order (-j N).  The calling thread reads spans
   from a chunker and appends them to batches; the workers of a pool
   (pool.h) process whole batches; the results are handed back in the
   order the batches were filled, so what a program writes is the same
   for every number of threads.

   A batch never splits a chunk.  A chunk too long to be one span (a 50 MB
   line) is not batched: the run waits for every batch before it, then
   has the calling thread process its spans one by one with worker 0's
   state, which keeps memory bounded; batching resumes after it.

   With one thread nothing is started: the calling thread does the work.

   Ownership: bp_chunkrun_new returns a new run, freed with
   bp_chunkrun_free (after bp_chunkrun_finish).  The worker states and the
   context are borrowed.  A batch and everything in it belong to the run;
   callbacks may read it and write its OUT and ERR.  */
#ifndef BP_CHUNKRUN_H
#define BP_CHUNKRUN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

struct bp_chunker;
struct bp_read_progress;
struct bp_span;

/* One span of a batch, its bytes at TEXT.data + OFF.  */
struct bp_batch_item
{
  size_t off, len;
  unsigned flags;      /* BP_SPAN_* of chunk.h */
  int chunk_start;     /* the first span of its chunk */
  int doc_start;       /* the first span of its document */
  uint64_t chunk_no;   /* chunks before this one in the whole run */
};

struct bp_batch
{
  struct bp_buf text;
  struct bp_batch_item *item;
  size_t nitems, cap;
  struct bp_buf out;   /* what WORK produced, for DONE to write */
  struct bp_buf aux;   /* what else WORK produced for DONE (bp-encode:
                          where documents end in OUT) */
  int rc;              /* WORK's result */
  struct bp_error err;
  uint64_t seq;        /* batches before this one */
};

/* WORK processes batch B with worker state W, in a worker thread (or the
   calling thread); it returns 0 or a negative BP_E* code with B->err
   filled.  DONE receives each batch in order, in the calling thread,
   after its WORK; it returns 0 or a negative code with B->err filled,
   which stops the run.  DONE may be NULL when the results wait for the
   end (counting).  */
struct bp_chunkrun_ops
{
  int (*work) (void *w, struct bp_batch *b);
  int (*done) (void *ctx, struct bp_batch *b);
  /* DONE may take the batches in any order (when order does not matter,
     as in counting): then a batch whose WORK takes long (a worker merging
     its tables) does not hold up the slots of those after it.  */
  int any_order;
};

struct bp_chunkrun;

/* A run with NTHREADS workers whose states are WORKERS[0..NTHREADS),
   batches of about BATCH_BYTES bytes.  Returns NULL if out of memory.  */
struct bp_chunkrun *bp_chunkrun_new (int nthreads, void **workers,
                                     const struct bp_chunkrun_ops *ops,
                                     void *ctx, size_t batch_bytes);

/* Hand each chunk through at once (bp-encode --line-buffered, a
   co-process driven through a pipe): a batch ends after every chunk (and
   every document without one), and it is worked on and handed to DONE
   before the next span is read, instead of when about BATCH_BYTES have
   piled up.  Only the batching changes: the results are the same.  */
void bp_chunkrun_eager (struct bp_chunkrun *r);

/* Add SPAN (as bp_chunker_next gave it).  Returns 0, or the first
   negative code a WORK or DONE returned, with ERR a copy of the error of
   its batch (or BP_ENOMEM).  Once a batch has failed, nothing more is
   processed and every call fails the same way.  */
int bp_chunkrun_add (struct bp_chunkrun *r, const struct bp_span *span,
                     struct bp_error *err);

/* Process everything added so far and wait for it; after a failure,
   wait for the batches already being worked on, so that no WORK runs
   once this returns.  Returns as bp_chunkrun_add.  */
int bp_chunkrun_finish (struct bp_chunkrun *r, struct bp_error *err);

/* Read the input on FD through the chunker CH into R: bp_chunker_open,
   then every span to bp_chunkrun_add, telling PROGRESS (readprog.h; if
   not NULL) of the bytes read.  Returns 0, or a negative code with ERR filled: from
   the chunker (about the input: a read error, bad --jsonl data), or as
   bp_chunkrun_add (ERR says what failed: the output a DONE writes, a
   temporary file of a WORK, ...).  */
int bp_chunkrun_read (struct bp_chunkrun *r, struct bp_chunker *ch, int fd,
                      const struct bp_read_progress *progress,
                      struct bp_error *err);

/* Stop the threads (batches not yet started are dropped) and free the
   run.  Accepts NULL.  */
void bp_chunkrun_free (struct bp_chunkrun *r);

#endif /* BP_CHUNKRUN_H */
