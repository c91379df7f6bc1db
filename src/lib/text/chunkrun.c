/* SPDX-License-Identifier: Apache-2.0 */
/* Work over chunks on threads, results in order; see chunkrun.h.  */
#include <config.h>
#include "chunkrun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chunk.h"
#include "pool.h"
#include "readprog.h"

/* Each worker may hold one batch being processed and one waiting, so the
   calling thread can fill the next while they work.  */
enum { SLOTS_PER_THREAD = 2 };

/* A batch and its place.  The slot's index is the number of its task in
   the pool, unique among the batches outstanding.  */
struct slot
{
  struct bp_batch b;
  int busy;                /* submitted and not yet collected */
};

struct bp_chunkrun
{
  void **workers;
  struct bp_chunkrun_ops ops;
  void *ctx;
  size_t batch_bytes;
  struct bp_pool *pool;
  int any;                 /* DONE in any order, on threads */

  struct slot *slot;
  size_t nslots;
  uint64_t next_seq;       /* the sequence number of the batch to fill */
  uint64_t next_done;      /* the sequence number DONE expects next */
  struct slot *filling;
  uint64_t chunk_no;       /* chunks so far */
  int in_chunk;            /* the last span added did not end its chunk */
  int in_doc;              /* the last span added did not end its document */
  int inline_chunk;        /* the current chunk is processed inline */
  int eager;               /* each chunk a batch, done at once */
  int failed;              /* a WORK or DONE failed: the run is over */
  struct bp_error err;
};

/* The pool's task: the WORK of the batch in slot TASK.  */
static int
run_task (void *ctx, uint64_t task, int worker)
{
  struct bp_chunkrun *r = ctx;
  struct bp_batch *b = &r->slot[task].b;
  b->rc = r->ops.work (r->workers[worker], b);
  return b->rc;
}

struct bp_chunkrun *
bp_chunkrun_new (int nthreads, void **workers,
                 const struct bp_chunkrun_ops *ops, void *ctx,
                 size_t batch_bytes)
{
  struct bp_chunkrun *r = calloc (1, sizeof *r);
  if (!r)
    return NULL;
  if (nthreads < 1)
    nthreads = 1;
  r->workers = workers;
  r->ops = *ops;
  r->ctx = ctx;
  r->batch_bytes = batch_bytes ? batch_bytes : 1 << 20;
  r->nslots = nthreads == 1 ? 1 : (size_t) nthreads * SLOTS_PER_THREAD;
  r->slot = calloc (r->nslots, sizeof *r->slot);
  if (r->slot)
    r->pool = bp_pool_new (nthreads, r->nslots, run_task, r);
  if (!r->pool)
    {
      free (r->slot);
      free (r);
      return NULL;
    }
  r->any = ops->any_order && bp_pool_threads (r->pool) > 0;
  return r;
}

void
bp_chunkrun_eager (struct bp_chunkrun *r)
{
  r->eager = 1;
}

/* Record a failure, with the error ERR (NULL: out of memory).  */
static int
fail (struct bp_chunkrun *r, int rc, const struct bp_error *err)
{
  if (!r->failed)
    {
      r->failed = rc;
      if (err)
        r->err = *err;
      else
        bp_error_errno (&r->err, ENOMEM);
      /* Everything stops: what is queued is not worked on.  */
      bp_pool_cancel (r->pool);
    }
  return r->failed;
}

/* A copy of the failure, if any, into ERR.  */
static int
report (const struct bp_chunkrun *r, struct bp_error *err)
{
  if (r->failed && err)
    *err = r->err;
  return r->failed;
}

/* Hand the batch of S, which WORK finished with RC, to DONE (unless a
   batch failed) and free its slot.  A skipped batch was never worked
   on: the batch whose failure skipped it says why.  */
static void
finish_slot (struct bp_chunkrun *r, struct slot *s, int rc)
{
  if (rc == BP_POOL_SKIPPED)
    ;
  else if (rc)
    fail (r, rc, &s->b.err);
  else if (!r->failed && r->ops.done && (rc = r->ops.done (r->ctx, &s->b)))
    fail (r, rc, &s->b.err);
  s->busy = 0;
  r->next_done++;
}

/* Hand finished batches to DONE.  In order: batches before sequence
   number WAIT_SEQ are waited for, later ones are taken only if done.  In
   any order: every finished batch, after waiting for all of them if
   WAIT_SEQ is the next to fill.  */
static int
collect (struct bp_chunkrun *r, uint64_t wait_seq)
{
  if (r->any)
    {
      uint64_t task;
      int rc;
      while (bp_pool_wait_any (r->pool, wait_seq == r->next_seq, &task, &rc))
        finish_slot (r, &r->slot[task], rc);
      return r->failed;
    }
  uint64_t submitted = r->next_seq - (r->filling != NULL);
  while (r->next_done < submitted)
    {
      struct slot *s = &r->slot[r->next_done % r->nslots];
      uint64_t task = (uint64_t) (s - r->slot);
      if (r->next_done >= wait_seq && !bp_pool_done (r->pool, task))
        break;
      finish_slot (r, s, bp_pool_wait (r->pool, task));
    }
  return r->failed;
}

/* Queue the batch being filled, if any.  */
static int
submit (struct bp_chunkrun *r)
{
  struct slot *s = r->filling;
  if (!s)
    return r->failed;
  r->filling = NULL;
  s->busy = 1;
  bp_pool_submit (r->pool, (uint64_t) (s - r->slot));
  /* Without threads it ran already: hand it on now.  */
  return bp_pool_threads (r->pool) ? r->failed : collect (r, r->next_seq);
}

/* A slot to fill, waiting for a batch to finish if all are busy: in
   order, the oldest; in any order, any.  */
static struct slot *
take_slot (struct bp_chunkrun *r)
{
  struct slot *s = NULL;
  if (r->any)
    for (;;)
      {
        for (size_t i = 0; i < r->nslots && !s; i++)
          if (!r->slot[i].busy && &r->slot[i] != r->filling)
            s = &r->slot[i];
        uint64_t task;
        int rc;
        if (s || !bp_pool_wait_any (r->pool, 1, &task, &rc))
          break;
        finish_slot (r, &r->slot[task], rc);
      }
  else
    {
      s = &r->slot[r->next_seq % r->nslots];
      /* Wait for the batch that had the slot and everything before it.  */
      if (s->busy)
        collect (r, r->next_seq - r->nslots + 1);
    }
  if (!s || s->busy)
    return NULL;
  s->b.text.len = 0;
  s->b.nitems = 0;
  s->b.out.len = 0;
  s->b.aux.len = 0;
  s->b.rc = 0;
  bp_error_clear (&s->b.err);
  s->b.seq = r->next_seq++;
  return s;
}

static int
append_item (struct bp_batch *b, const struct bp_span *span, int chunk_start,
             int doc_start, uint64_t chunk_no)
{
  if (BP_ARRAY_RESERVE (b->item, b->cap, b->nitems + 1, 256))
    return BP_ENOMEM;
  struct bp_batch_item *it = &b->item[b->nitems++];
  it->off = b->text.len;
  it->len = span->len;
  it->flags = span->flags;
  it->chunk_start = chunk_start;
  it->doc_start = doc_start;
  it->chunk_no = chunk_no;
  return bp_buf_append (&b->text, span->data, span->len);
}

/* Process SPAN, a piece of a chunk too long to batch, in the calling
   thread with worker 0's state, after everything before it.  */
static int
run_inline (struct bp_chunkrun *r, const struct bp_span *span,
            int chunk_start, int doc_start)
{
  int rc;
  if ((rc = submit (r)) || (rc = collect (r, r->next_seq)))
    return rc;
  struct slot *s = take_slot (r);
  if (!s || append_item (&s->b, span, chunk_start, doc_start, r->chunk_no))
    return fail (r, BP_ENOMEM, NULL);
  s->b.rc = r->ops.work (r->workers[0], &s->b);
  finish_slot (r, s, s->b.rc);
  return r->failed;
}

/* bp_chunkrun_add without the copy of the error.  */
static int
add (struct bp_chunkrun *r, const struct bp_span *span)
{
  int rc;
  if (r->failed)
    return r->failed;

  int chunk_start = !r->in_chunk;
  int doc_start = !r->in_doc;
  int chunk_end = (span->flags & BP_SPAN_CHUNK_END) != 0;
  r->in_doc = !(span->flags & BP_SPAN_DOC_END);
  int has_chunk = span->len || chunk_end;
  if (chunk_start && has_chunk)
    r->inline_chunk = !chunk_end;   /* a fragment: the chunk is long */
  if (has_chunk)
    r->in_chunk = !chunk_end;

  if (has_chunk && r->inline_chunk)
    {
      rc = run_inline (r, span, chunk_start, doc_start);
      if (chunk_end)
        {
          r->inline_chunk = 0;
          r->chunk_no++;
        }
      return rc;
    }

  if (!r->filling && !(r->filling = take_slot (r)))
    return fail (r, BP_ENOMEM, NULL);
  if (append_item (&r->filling->b, span, chunk_start && has_chunk, doc_start,
                   r->chunk_no))
    return fail (r, BP_ENOMEM, NULL);
  if (chunk_end)
    r->chunk_no++;
  /* A batch ends between chunks once its text and items fill it: empty
     documents (empty lines with --lines) have no text, and no chunk end,
     but each costs an item.  */
  struct bp_batch *b = &r->filling->b;
  if (!r->in_chunk && (r->eager || b->text.len + b->nitems * sizeof *b->item
                                   >= r->batch_bytes))
    {
      if ((rc = submit (r)))
        return rc;
      /* Eager: DONE has the chunk before the chunker reads on (and may
         wait for input that comes only once the output is out).  */
      return collect (r, r->eager ? r->next_seq : 0);
    }
  return 0;
}

int
bp_chunkrun_add (struct bp_chunkrun *r, const struct bp_span *span,
                 struct bp_error *err)
{
  add (r, span);
  return report (r, err);
}

int
bp_chunkrun_finish (struct bp_chunkrun *r, struct bp_error *err)
{
  /* After a failure the batch being filled is not worked on; but the
     batches submitted before it are waited for, so that nothing runs
     once this returns.  */
  if (!r->failed)
    submit (r);
  collect (r, r->next_seq);
  return report (r, err);
}

int
bp_chunkrun_read (struct bp_chunkrun *r, struct bp_chunker *ch, int fd,
                  const struct bp_read_progress *progress,
                  struct bp_error *err)
{
  struct bp_span span;
  int rc;

  bp_chunker_open (ch, fd);
  while ((rc = bp_chunker_next (ch, &span, err)) > 0)
    {
      if ((rc = add (r, &span)))
        break;
      if (progress)
        progress->fn (progress->ctx, bp_chunker_bytes_read (ch));
    }
  if (progress)
    progress->fn (progress->ctx, bp_chunker_bytes_read (ch));
  return rc < 0 && r->failed ? report (r, err) : rc;
}

void
bp_chunkrun_free (struct bp_chunkrun *r)
{
  if (!r)
    return;
  bp_pool_free (r->pool);
  for (size_t i = 0; i < r->nslots; i++)
    {
      bp_buf_free (&r->slot[i].b.text);
      bp_buf_free (&r->slot[i].b.out);
      bp_buf_free (&r->slot[i].b.aux);
      free (r->slot[i].b.item);
    }
  free (r->slot);
  free (r);
}
