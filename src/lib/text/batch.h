/* Running work over chunks on several threads with the output in input
   order (-j N).  The main thread reads spans from a chunker and appends
   them to batches; worker threads process whole batches; the results are
   handed back in the order the batches were filled, so what a program
   writes is the same for every number of threads.

   A batch never splits a chunk.  A chunk too long to be one span (a 50 MB
   line) is not batched: the runner waits for every batch before it, then
   has the main thread process its spans one by one with worker 0's state,
   which keeps memory bounded; batching resumes after it.

   With one thread nothing is started: the main thread does the work.

   Ownership: bp_runner_new returns a new runner, freed with
   bp_runner_free (after bp_runner_finish).  The worker states and the
   context are borrowed.  A batch and everything in it belong to the
   runner; callbacks may read it and write its OUT and ERR.  */
#ifndef BP_BATCH_H
#define BP_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

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
  int rc;              /* WORK's result */
  struct bp_error err;
  uint64_t seq;        /* batches before this one */
};

/* WORK processes batch B with worker state W, in a worker thread (or the
   main thread); it returns 0 or a negative BP_E* code with B->err filled.
   DONE receives each batch in order, in the main thread, after its WORK;
   it returns 0 or a negative code, which stops the run.  DONE may be NULL
   when the results wait for the end (counting).  */
struct bp_runner_ops
{
  int (*work) (void *w, struct bp_batch *b);
  int (*done) (void *ctx, struct bp_batch *b);
  /* DONE may take the batches in any order (when order does not matter,
     as in counting): then a batch whose WORK takes long (a worker merging
     its tables) does not hold up the slots of those after it.  */
  int any_order;
};

struct bp_runner;

/* A runner with NTHREADS workers whose states are WORKERS[0..NTHREADS),
   batches of about BATCH_BYTES bytes.  Returns NULL if out of memory or if
   threads cannot be started.  */
struct bp_runner *bp_runner_new (int nthreads, void **workers,
                                 const struct bp_runner_ops *ops, void *ctx,
                                 size_t batch_bytes);

/* Add SPAN (as bp_chunker_next gave it).  Returns 0, or the first
   negative code a WORK or DONE returned (the batch's ERR says more; see
   bp_runner_error).  */
int bp_runner_add (struct bp_runner *r, const struct bp_span *span);

/* Process everything added so far and wait for it.  Returns as
   bp_runner_add.  */
int bp_runner_finish (struct bp_runner *r);

/* The error of the batch that failed, after a negative return.  */
const struct bp_error *bp_runner_error (const struct bp_runner *r);

/* Has a WORK or DONE failed?  */
int bp_runner_failed (const struct bp_runner *r);

struct bp_chunker;
struct bp_progress;

/* Read the input on FD through the chunker CH into R: bp_chunker_open, then
   every span to bp_runner_add, reporting progress under NAME if PROG is
   not NULL.  Returns 0, or a negative code with ERR filled: from the
   chunker (a read error, bad --jsonl data) or, when bp_runner_failed
   says so, a copy of the runner's error.  */
int bp_runner_read (struct bp_runner *r, struct bp_chunker *ch, int fd,
                    struct bp_progress *prog, const char *name,
                    struct bp_error *err);

/* What bp_runner_input_read reads through.  */
struct bp_runner_input
{
  struct bp_runner *runner;
  struct bp_chunker *chunker;
};

/* A reader for bp_inputs_read (inputs.h), CTX a struct bp_runner_input:
   bp_runner_read, except that a failed runner (a write error, lack of
   memory) comes back with ERR clear, for the caller to report from
   bp_runner_error once the inputs are done.  */
int bp_runner_input_read (void *ctx, int fd, const char *name,
                          struct bp_progress *prog, struct bp_error *err);

/* Stop the threads and free the runner.  */
void bp_runner_free (struct bp_runner *r);

#endif /* BP_BATCH_H */
