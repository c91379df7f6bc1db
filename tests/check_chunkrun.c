/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/text/chunkrun.c, the run of work over chunks on
   threads (-j N): whatever the number of threads, DONE sees every batch
   once and in order, every batch gets exactly one WORK, every span is in
   exactly one batch, a chunk too long to batch is worked on inline with
   worker 0's state and in its place; in any order, every batch is still
   done once; and the first failure of a WORK or a DONE stops the run:
   nothing after it reaches DONE, later calls return it, and it comes
   back with its batch's error.  */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "chunk.h"
#include "chunkrun.h"
#include "error.h"

enum { MAX_BATCHES = 4096, MAX_THREADS = 8 };

struct ctx
{
  pthread_mutex_t lock;
  int works[MAX_BATCHES];        /* WORK calls per batch */
  int dones[MAX_BATCHES];        /* DONE calls per batch */
  uint64_t last_done;            /* the last batch DONE saw, plus 1 */
  int out_of_order;
  size_t items;                  /* spans seen by WORK */
  struct bp_buf out;             /* what DONE wrote */
  uint64_t work_fails_at;        /* the batch whose WORK fails */
  uint64_t done_fails_at;        /* the batch whose DONE fails */
  int inline_not_worker0;
};

/* A worker state: its number and the context.  */
struct worker
{
  int index;
  struct ctx *c;
};

static int
work (void *w, struct bp_batch *b)
{
  struct worker *wk = w;
  struct ctx *c = wk->c;
  pthread_mutex_lock (&c->lock);
  ck_assert_uint_lt (b->seq, MAX_BATCHES);
  c->works[b->seq]++;
  c->items += b->nitems;
  pthread_mutex_unlock (&c->lock);
  if (b->seq % 3 == 1)
    nanosleep (&(struct timespec) { 0, 50000 }, NULL);
  if (b->seq == c->work_fails_at)
    return bp_error_set (&b->err, BP_ERANGE, 7, "work of batch %llu",
                         (unsigned long long) b->seq);
  for (size_t i = 0; i < b->nitems; i++)
    {
      const struct bp_batch_item *it = &b->item[i];
      /* A fragment of a long chunk comes alone, to worker 0.  */
      if (!(it->flags & BP_SPAN_CHUNK_END) && wk->index != 0)
        {
          pthread_mutex_lock (&c->lock);
          c->inline_not_worker0 = 1;
          pthread_mutex_unlock (&c->lock);
        }
      ck_assert_int_eq (bp_buf_append (&b->out, b->text.data + it->off,
                                       it->len), 0);
    }
  return 0;
}

static int
done (void *ctx, struct bp_batch *b)
{
  struct ctx *c = ctx;
  c->dones[b->seq]++;
  if (b->seq + 1 <= c->last_done)
    c->out_of_order = 1;
  c->last_done = b->seq + 1;
  if (b->seq == c->done_fails_at)
    {
      bp_error_errno (&b->err, 28);
      return bp_error_at_output (&b->err);
    }
  ck_assert_int_eq (bp_buf_append (&c->out, b->out.data, b->out.len), 0);
  return 0;
}

/* The text the spans come from: chunks "N:..." of varying length, each
   ending with a LF, and every 50th one a long chunk given in fragments
   (spans without BP_SPAN_CHUNK_END), as the chunker gives a 50 MB line.  */
static void
make_text (struct bp_buf *text, size_t nchunks)
{
  for (size_t i = 0; i < nchunks; i++)
    {
      char line[64];
      int n = snprintf (line, sizeof line, "%zu:%.*s\n", i, (int) (i % 37),
                        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop");
      ck_assert_int_eq (bp_buf_append (text, line, (size_t) n), 0);
    }
}

/* Add the chunks of TEXT to R as spans; every 50th chunk in fragments of
   3 bytes.  Returns the first failure of bp_chunkrun_add.  */
static int
add_all (struct bp_chunkrun *r, const struct bp_buf *text, size_t *spans,
         struct bp_error *err)
{
  size_t i = 0, chunk = 0;
  *spans = 0;
  while (i < text->len)
    {
      const uint8_t *nl = memchr (text->data + i, '\n', text->len - i);
      size_t end = (size_t) (nl - text->data) + 1;
      int rc;
      if (chunk++ % 50 == 49)
        for (size_t at = i; at < end; at += 3)
          {
            size_t len = end - at < 3 ? end - at : 3;
            struct bp_span s = { text->data + at, len,
                                 at + len == end ? BP_SPAN_CHUNK_END : 0 };
            ++*spans;
            if ((rc = bp_chunkrun_add (r, &s, err)))
              return rc;
          }
      else
        {
          struct bp_span s = { text->data + i, end - i, BP_SPAN_CHUNK_END };
          ++*spans;
          if ((rc = bp_chunkrun_add (r, &s, err)))
            return rc;
        }
      i = end;
    }
  return 0;
}

struct setup
{
  struct ctx *c;
  struct worker w[MAX_THREADS];
  void *states[MAX_THREADS];
  struct bp_chunkrun *r;
};

static void
start (struct setup *s, int threads, int any_order, uint64_t work_fails_at,
       uint64_t done_fails_at)
{
  static const struct bp_chunkrun_ops ordered = { work, done, 0 };
  static const struct bp_chunkrun_ops any = { work, done, 1 };
  s->c = calloc (1, sizeof *s->c);
  ck_assert_ptr_nonnull (s->c);
  pthread_mutex_init (&s->c->lock, NULL);
  s->c->work_fails_at = work_fails_at;
  s->c->done_fails_at = done_fails_at;
  for (int i = 0; i < threads; i++)
    {
      s->w[i] = (struct worker) { i, s->c };
      s->states[i] = &s->w[i];
    }
  /* Small batches: many of them.  */
  s->r = bp_chunkrun_new (threads, s->states, any_order ? &any : &ordered,
                          s->c, 200);
  ck_assert_ptr_nonnull (s->r);
}

static void
stop (struct setup *s)
{
  bp_chunkrun_free (s->r);
  pthread_mutex_destroy (&s->c->lock);
  bp_buf_free (&s->c->out);
  free (s->c);
}

/* In order: the output is the input, each batch had one WORK and one
   DONE, in order, and the fragments of long chunks went to worker 0.  */
START_TEST (test_order)
{
  static const int threads[] = { 1, 2, 3, 7 };
  struct bp_buf text = { 0 };
  make_text (&text, 3000);
  for (size_t k = 0; k < 4; k++)
    {
      struct setup s;
      struct bp_error err;
      size_t spans;
      start (&s, threads[k], 0, UINT64_MAX, UINT64_MAX);
      ck_assert_int_eq (add_all (s.r, &text, &spans, &err), 0);
      ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), 0);
      ck_assert_uint_eq (s.c->out.len, text.len);
      ck_assert_mem_eq (s.c->out.data, text.data, text.len);
      ck_assert_uint_eq (s.c->items, spans);
      ck_assert_int_eq (s.c->out_of_order, 0);
      ck_assert_uint_gt (s.c->last_done, 100);
      for (uint64_t b = 0; b < s.c->last_done; b++)
        {
          ck_assert_int_eq (s.c->works[b], 1);
          ck_assert_int_eq (s.c->dones[b], 1);
        }
      ck_assert_int_eq (s.c->works[s.c->last_done], 0);
      ck_assert_int_eq (s.c->inline_not_worker0, 0);
      stop (&s);
    }
  bp_buf_free (&text);
}
END_TEST

/* In any order: every batch once, every span once.  */
START_TEST (test_any_order)
{
  struct bp_buf text = { 0 };
  make_text (&text, 3000);
  struct setup s;
  struct bp_error err;
  size_t spans;
  start (&s, 4, 1, UINT64_MAX, UINT64_MAX);
  ck_assert_int_eq (add_all (s.r, &text, &spans, &err), 0);
  ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), 0);
  ck_assert_uint_eq (s.c->out.len, text.len);
  ck_assert_uint_eq (s.c->items, spans);
  uint64_t batches = 0;
  for (uint64_t b = 0; b < MAX_BATCHES; b++)
    {
      ck_assert_int_le (s.c->works[b], 1);
      ck_assert_int_eq (s.c->dones[b], s.c->works[b]);
      batches += (uint64_t) s.c->works[b];
    }
  ck_assert_uint_gt (batches, 100);
  ck_assert_int_eq (s.c->inline_not_worker0, 0);
  stop (&s);
  bp_buf_free (&text);
}
END_TEST

/* A failing WORK (batch 40) or DONE (batch 60) stops everything: DONE
   sees nothing from that batch on, the later calls fail the same way,
   and the error is the batch's.  */
START_TEST (test_failure)
{
  static const int threads[] = { 1, 2, 5 };
  struct bp_buf text = { 0 };
  make_text (&text, 3000);
  for (size_t k = 0; k < 3; k++)
    for (int which = 0; which < 2; which++)
      {
        struct setup s;
        struct bp_error err;
        size_t spans;
        uint64_t at = which ? 60 : 40;
        start (&s, threads[k], 0, which ? UINT64_MAX : at,
               which ? at : UINT64_MAX);
        int rc = add_all (s.r, &text, &spans, &err);
        if (rc == 0)
          rc = bp_chunkrun_finish (s.r, &err);
        ck_assert_int_eq (rc, which ? BP_EIO : BP_ERANGE);
        if (which)
          {
            ck_assert_int_eq (err.where, BP_AT_OUTPUT);
            ck_assert_int_eq (err.errnum, 28);
          }
        else
          {
            ck_assert_str_eq (err.detail, "work of batch 40");
            ck_assert_uint_eq (err.line, 7);
          }
        /* Nothing after the failure was done, and everything before.  */
        ck_assert_uint_eq (s.c->last_done, which ? at + 1 : at);
        for (uint64_t b = 0; b < MAX_BATCHES; b++)
          ck_assert_int_eq (s.c->dones[b], b < s.c->last_done);
        /* It stays failed: once the batches started before the failure
           are over (finish waits for them), no more work.  */
        ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), rc);
        int works = 0;
        for (uint64_t b = 0; b < MAX_BATCHES; b++)
          works += s.c->works[b];
        struct bp_span more = { text.data, 3, BP_SPAN_CHUNK_END };
        for (int i = 0; i < 500; i++)
          ck_assert_int_eq (bp_chunkrun_add (s.r, &more, &err), rc);
        ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), rc);
        int after = 0;
        for (uint64_t b = 0; b < MAX_BATCHES; b++)
          after += s.c->works[b];
        ck_assert_msg (after == works, "%d threads, failing %s: %d WORKs, "
                       "then %d", threads[k], which ? "DONE" : "WORK", works,
                       after);
        /* With one thread nothing runs past the failure.  */
        if (threads[k] == 1)
          ck_assert_int_eq (works, (int) at + 1);
        stop (&s);
      }
  bp_buf_free (&text);
}
END_TEST

/* Nothing to do, and an empty span (an empty document), are fine.  */
START_TEST (test_empty)
{
  struct setup s;
  struct bp_error err;
  start (&s, 3, 0, UINT64_MAX, UINT64_MAX);
  ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), 0);
  ck_assert_uint_eq (s.c->last_done, 0);
  stop (&s);
  start (&s, 3, 0, UINT64_MAX, UINT64_MAX);
  struct bp_span empty = { (const uint8_t *) "", 0, BP_SPAN_DOC_END };
  ck_assert_int_eq (bp_chunkrun_add (s.r, &empty, &err), 0);
  ck_assert_int_eq (bp_chunkrun_finish (s.r, &err), 0);
  ck_assert_uint_eq (s.c->last_done, 1);
  ck_assert_uint_eq (s.c->items, 1);
  stop (&s);
  bp_chunkrun_free (NULL);
}
END_TEST

static Suite *
chunkrun_suite (void)
{
  Suite *s = suite_create ("chunkrun");
  TCase *tc = tcase_create ("core");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_order);
  tcase_add_test (tc, test_any_order);
  tcase_add_test (tc, test_failure);
  tcase_add_test (tc, test_empty);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (chunkrun_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
