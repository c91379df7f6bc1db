/* Batches of chunks over worker threads, results in order; see batch.h.  */
#include <config.h>
#include "batch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "progress.h"

/* Each worker may hold one batch being processed and one waiting, so the
   main thread can fill the next while they work.  */
enum { SLOTS_PER_THREAD = 2 };

enum slot_state { EMPTY, FILLING, QUEUED, RUNNING, DONE };

struct slot
{
  struct bp_batch b;
  enum slot_state state;
};

struct bp_runner
{
  int nthreads;
  void **workers;
  struct bp_runner_ops ops;
  void *ctx;
  size_t batch_bytes;

  struct slot *slot;
  size_t nslots;
  uint64_t next_seq;       /* the sequence number of the batch to fill */
  uint64_t next_done;      /* the sequence number DONE expects next */
  struct slot *filling;
  uint64_t chunk_no;       /* chunks so far */
  int in_chunk;            /* the last span added did not end its chunk */
  int in_doc;              /* the last span added did not end its document */
  int inline_chunk;        /* the current chunk is processed inline */
  int failed;              /* a WORK or DONE failed: the run is over */
  struct bp_error err;

  pthread_t *threads;
  int started;
  pthread_mutex_t lock;
  pthread_cond_t work_ready, work_done;
  int stopping;
};

static struct slot *
slot_of (struct bp_runner *r, uint64_t seq)
{
  return &r->slot[seq % r->nslots];
}

/* The workers read the states and the sequence numbers under the lock;
   the main thread changes them under it too.  */
static void
set_state (struct bp_runner *r, struct slot *s, enum slot_state st)
{
  pthread_mutex_lock (&r->lock);
  s->state = st;
  if (st == QUEUED)
    pthread_cond_signal (&r->work_ready);
  pthread_mutex_unlock (&r->lock);
}

static void *
worker_main (void *arg)
{
  struct bp_runner *r = ((void **) arg)[0];
  void *w = ((void **) arg)[1];
  free (arg);

  pthread_mutex_lock (&r->lock);
  for (;;)
    {
      /* Take the oldest queued batch.  */
      struct slot *s = NULL;
      for (size_t i = 0; i < r->nslots; i++)
        if (r->slot[i].state == QUEUED && (!s || r->slot[i].b.seq < s->b.seq))
          s = &r->slot[i];
      if (!s)
        {
          if (r->stopping)
            break;
          pthread_cond_wait (&r->work_ready, &r->lock);
          continue;
        }
      s->state = RUNNING;
      pthread_mutex_unlock (&r->lock);
      s->b.rc = r->ops.work (w, &s->b);
      pthread_mutex_lock (&r->lock);
      s->state = DONE;
      pthread_cond_broadcast (&r->work_done);
    }
  pthread_mutex_unlock (&r->lock);
  return NULL;
}

struct bp_runner *
bp_runner_new (int nthreads, void **workers, const struct bp_runner_ops *ops,
               void *ctx, size_t batch_bytes)
{
  struct bp_runner *r = calloc (1, sizeof *r);
  if (!r)
    return NULL;
  r->nthreads = nthreads < 1 ? 1 : nthreads;
  r->workers = workers;
  r->ops = *ops;
  r->ctx = ctx;
  r->batch_bytes = batch_bytes ? batch_bytes : 1 << 20;
  r->nslots = r->nthreads == 1 ? 1 : (size_t) r->nthreads * SLOTS_PER_THREAD;
  r->slot = calloc (r->nslots, sizeof *r->slot);
  if (!r->slot)
    {
      free (r);
      return NULL;
    }
  pthread_mutex_init (&r->lock, NULL);
  pthread_cond_init (&r->work_ready, NULL);
  pthread_cond_init (&r->work_done, NULL);
  if (r->nthreads > 1)
    {
      r->threads = calloc ((size_t) r->nthreads, sizeof *r->threads);
      if (!r->threads)
        {
          bp_runner_free (r);
          return NULL;
        }
      for (int i = 0; i < r->nthreads; i++)
        {
          void **arg = malloc (2 * sizeof *arg);
          if (!arg)
            {
              bp_runner_free (r);
              return NULL;
            }
          arg[0] = r;
          arg[1] = workers[i];
          if (pthread_create (&r->threads[i], NULL, worker_main, arg) != 0)
            {
              free (arg);
              bp_runner_free (r);
              return NULL;
            }
          r->started++;
        }
    }
  return r;
}

/* Record a failure from batch B.  */
static int
fail (struct bp_runner *r, int rc, const struct bp_error *err)
{
  if (!r->failed)
    {
      r->failed = rc;
      if (err)
        r->err = *err;
      else
        bp_error_set (&r->err, rc, 0, "%s", "");
    }
  return r->failed;
}

/* Hand the finished batch S to DONE (unless a batch failed) and free its
   slot.  */
static void
finish_slot (struct bp_runner *r, struct slot *s)
{
  int rc = s->b.rc;
  if (rc)
    fail (r, rc, &s->b.err);
  else if (!r->failed && r->ops.done
           && (rc = r->ops.done (r->ctx, &s->b)))
    fail (r, rc, &s->b.err);
  pthread_mutex_lock (&r->lock);
  s->state = EMPTY;
  r->next_done++;
  pthread_mutex_unlock (&r->lock);
}

/* Is a batch queued or running?  Called with the lock held.  */
static int
busy_locked (const struct bp_runner *r)
{
  for (size_t i = 0; i < r->nslots; i++)
    if (r->slot[i].state == QUEUED || r->slot[i].state == RUNNING)
      return 1;
  return 0;
}

/* A finished slot, or NULL.  Called with the lock held.  */
static struct slot *
done_locked (struct bp_runner *r)
{
  for (size_t i = 0; i < r->nslots; i++)
    if (r->slot[i].state == DONE)
      return &r->slot[i];
  return NULL;
}

/* collect for ANY_ORDER with threads: hand every finished batch to DONE,
   after waiting for all of them if ALL.  */
static int
collect_any (struct bp_runner *r, int all)
{
  for (;;)
    {
      pthread_mutex_lock (&r->lock);
      while (all && busy_locked (r) && !done_locked (r))
        pthread_cond_wait (&r->work_done, &r->lock);
      struct slot *s = done_locked (r);
      pthread_mutex_unlock (&r->lock);
      if (!s)
        return r->failed;
      finish_slot (r, s);
    }
}

/* Hand finished batches to DONE in order.  Batches before sequence
   number WAIT_SEQ are waited for; later ones are taken only if done.  */
static int
collect (struct bp_runner *r, uint64_t wait_seq)
{
  if (r->ops.any_order && r->nthreads > 1)
    return collect_any (r, wait_seq == r->next_seq);
  for (;;)
    {
      pthread_mutex_lock (&r->lock);
      struct slot *s = r->next_done < r->next_seq ? slot_of (r, r->next_done)
                                                  : NULL;
      if (s && r->nthreads > 1)
        while (s->state != DONE && s->state != FILLING
               && r->next_done < wait_seq)
          pthread_cond_wait (&r->work_done, &r->lock);
      enum slot_state st = s ? s->state : EMPTY;
      pthread_mutex_unlock (&r->lock);

      if (!s || st == FILLING)
        break;
      if (st == QUEUED && r->nthreads == 1)
        {
          /* No threads: the main thread does the work, in order.  */
          s->b.rc = r->ops.work (r->workers[0], &s->b);
          st = DONE;
        }
      if (st != DONE)
        break;
      finish_slot (r, s);
    }
  return r->failed;
}

/* Queue the batch being filled, if any.  */
static int
submit (struct bp_runner *r)
{
  struct slot *s = r->filling;
  if (!s)
    return 0;
  r->filling = NULL;
  set_state (r, s, QUEUED);
  /* With one thread, run it now.  */
  return r->nthreads > 1 ? r->failed : collect (r, r->next_seq);
}

/* For ANY_ORDER: an empty slot, after waiting for any batch to finish
   if all are busy.  */
static struct slot *
any_slot (struct bp_runner *r)
{
  for (;;)
    {
      pthread_mutex_lock (&r->lock);
      struct slot *s = NULL;
      for (size_t i = 0; i < r->nslots && !s; i++)
        if (r->slot[i].state == EMPTY)
          s = &r->slot[i];
      while (!s && !(s = done_locked (r)))
        pthread_cond_wait (&r->work_done, &r->lock);
      enum slot_state st = s->state;
      pthread_mutex_unlock (&r->lock);
      if (st == EMPTY)
        return s;
      finish_slot (r, s);
    }
}

/* A slot to fill, waiting for the oldest batch if all are busy.  */
static struct slot *
take_slot (struct bp_runner *r)
{
  struct slot *s = slot_of (r, r->next_seq);
  if (r->ops.any_order && r->nthreads > 1)
    s = any_slot (r);
  pthread_mutex_lock (&r->lock);
  int busy = s->state != EMPTY;
  pthread_mutex_unlock (&r->lock);
  if (busy)
    {
      /* Wait for the batch that had the slot and everything before it.  */
      collect (r, r->next_seq - r->nslots + 1);
      pthread_mutex_lock (&r->lock);
      busy = s->state != EMPTY;
      pthread_mutex_unlock (&r->lock);
      if (busy)
        return NULL;
    }
  s->b.text.len = 0;
  s->b.nitems = 0;
  s->b.out.len = 0;
  s->b.rc = 0;
  bp_error_clear (&s->b.err);
  pthread_mutex_lock (&r->lock);
  s->state = FILLING;
  s->b.seq = r->next_seq++;
  pthread_mutex_unlock (&r->lock);
  return s;
}

static int
append_item (struct bp_batch *b, const struct bp_span *span, int chunk_start,
             int doc_start, uint64_t chunk_no)
{
  if (b->nitems == b->cap)
    {
      size_t cap = b->cap ? 2 * b->cap : 256;
      struct bp_batch_item *it = realloc (b->item, cap * sizeof *it);
      if (!it)
        return BP_ENOMEM;
      b->item = it;
      b->cap = cap;
    }
  struct bp_batch_item *it = &b->item[b->nitems++];
  it->off = b->text.len;
  it->len = span->len;
  it->flags = span->flags;
  it->chunk_start = chunk_start;
  it->doc_start = doc_start;
  it->chunk_no = chunk_no;
  return bp_buf_append (&b->text, span->data, span->len);
}

/* Process SPAN, a piece of a chunk too long to batch, in the main thread
   with worker 0's state, after everything before it.  */
static int
run_inline (struct bp_runner *r, const struct bp_span *span, int chunk_start,
            int doc_start)
{
  int rc;
  if ((rc = submit (r)) || (rc = collect (r, r->next_seq)))
    return rc;
  struct slot *s = take_slot (r);
  if (!s)
    return fail (r, BP_ENOMEM, NULL);
  if (append_item (&s->b, span, chunk_start, doc_start, r->chunk_no))
    return fail (r, BP_ENOMEM, NULL);
  s->b.rc = r->ops.work (r->workers[0], &s->b);
  set_state (r, s, DONE);
  return collect (r, r->next_seq);
}

int
bp_runner_add (struct bp_runner *r, const struct bp_span *span)
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
  if (chunk_end && r->filling->b.text.len >= r->batch_bytes)
    {
      if ((rc = submit (r)))
        return rc;
      return collect (r, 0);
    }
  return 0;
}

int
bp_runner_finish (struct bp_runner *r)
{
  int rc = submit (r);
  if (rc)
    return rc;
  return collect (r, r->next_seq);
}

const struct bp_error *
bp_runner_error (const struct bp_runner *r)
{
  return &r->err;
}

int
bp_runner_failed (const struct bp_runner *r)
{
  return r->failed != 0;
}

int
bp_runner_read (struct bp_runner *r, struct bp_chunker *ch, int fd,
                struct bp_progress *prog, const char *name,
                struct bp_error *err)
{
  struct bp_span span;
  int rc;

  bp_chunker_open (ch, fd);
  while ((rc = bp_chunker_next (ch, &span, err)) > 0)
    {
      if ((rc = bp_runner_add (r, &span)))
        {
          *err = r->err;
          break;
        }
      if (prog)
        bp_progress_update (prog, name, bp_chunker_bytes_read (ch));
    }
  if (prog)
    bp_progress_next_input (prog, bp_chunker_bytes_read (ch));
  return rc;
}

void
bp_runner_free (struct bp_runner *r)
{
  if (!r)
    return;
  if (r->started)
    {
      pthread_mutex_lock (&r->lock);
      r->stopping = 1;
      pthread_cond_broadcast (&r->work_ready);
      pthread_mutex_unlock (&r->lock);
      for (int i = 0; i < r->started; i++)
        pthread_join (r->threads[i], NULL);
    }
  free (r->threads);
  for (size_t i = 0; i < r->nslots; i++)
    {
      bp_buf_free (&r->slot[i].b.text);
      bp_buf_free (&r->slot[i].b.out);
      free (r->slot[i].b.item);
    }
  free (r->slot);
  pthread_mutex_destroy (&r->lock);
  pthread_cond_destroy (&r->work_ready);
  pthread_cond_destroy (&r->work_done);
  free (r);
}

int
bp_runner_input_read (void *ctx, int fd, const char *name,
                      struct bp_progress *prog, struct bp_error *err)
{
  struct bp_runner_input *in = ctx;
  int rc = bp_runner_read (in->runner, in->chunker, fd, prog, name, err);
  if (rc && in->runner->failed)
    bp_error_clear (err);
  return rc;
}
