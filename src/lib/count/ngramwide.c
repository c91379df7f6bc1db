/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte n-grams of high orders; see ngramwide.h.  */
#include <config.h>
#include "ngramwide.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "buf.h"
#include "counts.h"
#include "countparts.h"
#include "error.h"
#include "heap.h"
#include "keysort.h"
#include "ngramcore.h"
#include "ngramkey.h"
#include "ngramrun.h"
#include "ngramwiderun.h"
#include "pool.h"
#include "readprog.h"
#include "spill.h"
#include "system.h"

enum
{
  DEFAULT_BATCH = 1 << 20
};

struct bp_ngramwide
{
  /* The runs and budget, CORE.NWIN windows buffered in WIN, CORE.CAP of
     room.  First: the operations get the counter from it.  */
  struct bp_ngramcore core;
  size_t kw;                /* words of a packed window */
  uint64_t *win;            /* buffered windows, KW words each */
  uint64_t *tk, *sk;        /* sort: a word of each window, scratch */
  uint32_t *perm, *sp;      /* sort: the order of the windows, scratch */
};

static const struct bp_ngramcore_ops wide_ops;

static size_t
window_bytes (size_t kw)
{
  return kw * sizeof (uint64_t) + 2 * sizeof (uint64_t)
         + 2 * sizeof (uint32_t);
}

static void
free_windows (struct bp_ngramcore *core)
{
  struct bp_ngramwide *c = (struct bp_ngramwide *) core;
  free (c->win);
  free (c->tk);
  free (c->sk);
  free (c->perm);
  free (c->sp);
  c->win = c->tk = c->sk = NULL;
  c->perm = c->sp = NULL;
  core->cap = core->nwin = 0;
}

/* (Re)allocate the buffer for CAP windows.  Returns 0 or BP_ENOMEM.  */
static int
alloc_windows (struct bp_ngramwide *c, size_t cap)
{
  free_windows (&c->core);
  c->win = malloc (cap * c->kw * sizeof *c->win);
  c->tk = malloc (cap * sizeof *c->tk);
  c->sk = malloc (cap * sizeof *c->sk);
  c->perm = malloc (cap * sizeof *c->perm);
  c->sp = malloc (cap * sizeof *c->sp);
  if (!c->win || !c->tk || !c->sk || !c->perm || !c->sp)
    {
      free_windows (&c->core);
      return BP_ENOMEM;
    }
  c->core.cap = cap;
  return 0;
}

struct bp_ngramwide *
bp_ngramwide_new (int order, size_t batch)
{
  if (order <= BP_PACKED_ORDER || order > BP_MAX_ORDER)
    return NULL;
  struct bp_ngramwide *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->kw = BP_NGRAM_WORDS (order);
  c->core.ops = &wide_ops;
  c->core.order = order;
  c->core.elem = (c->kw + 1) * sizeof (uint64_t);
  c->core.window_bytes = window_bytes (c->kw);
  if (alloc_windows (c, batch ? batch : DEFAULT_BATCH))
    {
      free (c);
      return NULL;
    }
  return c;
}

void
bp_ngramwide_free (struct bp_ngramwide *c)
{
  if (!c)
    return;
  free_windows (&c->core);
  bp_ngramcore_free_runs (&c->core);
  free (c);
}

struct bp_ngramcore *
bp_ngramwide_core (struct bp_ngramwide *c)
{
  return &c->core;
}

/* Shrink the buffer to CAP windows, each array in place: a failure
   keeps that array's larger block, which is as good (freeing them and
   allocating anew could leave none at all).  */
static void
shrink (struct bp_ngramcore *core, size_t cap)
{
  struct bp_ngramwide *c = (struct bp_ngramwide *) core;
  if (core->nwin > cap)
    return;
  void *p;
  if ((p = realloc (c->win, cap * c->kw * sizeof *c->win)))
    c->win = p;
  if ((p = realloc (c->tk, cap * sizeof *c->tk)))
    c->tk = p;
  if ((p = realloc (c->sk, cap * sizeof *c->sk)))
    c->sk = p;
  if ((p = realloc (c->perm, cap * sizeof *c->perm)))
    c->perm = p;
  if ((p = realloc (c->sp, cap * sizeof *c->sp)))
    c->sp = p;
  core->cap = cap;
}

/* Sort the N n-grams V (of at most ORDER bytes) by escaped key into
   *PERM.  */
static int
sort_grams (const struct wgram *v, size_t n, size_t order, uint32_t **perm)
{
  return bp_keysort_escaped (n, order, wgram_key, v, perm);
}

/* ------------------------------------------------------------------ */
/* Spilling: the n-grams of the runs R[0..N) in slices, each sorted and
   written as a run of SPILL.  */

static int
spill_slice (struct bp_spill *spill, const struct wgram *v, size_t n,
             size_t order, struct bp_error *err)
{
  struct bp_counts_writer w;
  uint32_t *perm;
  uint8_t key[BP_MAX_ORDER];
  int rc = bp_spill_begin (spill, &w, err);
  if (rc)
    return rc;
  if ((rc = sort_grams (v, n, order, &perm)))
    {
      bp_ngramrun_error (rc, err);
      return bp_spill_abandon (spill, &w, err);
    }
  for (size_t i = 0; rc == 0 && i < n; i++)
    {
      const struct wgram *g = &v[perm[i]];
      bp_ngram_unpack_words (g->key, g->len, key);
      rc = bp_counts_writer_put (&w, key, g->len, g->count, err);
    }
  free (perm);
  if (rc)
    return bp_spill_abandon (spill, &w, err);
  return bp_spill_end (spill, &w, err);
}

static int
spill_runs (const struct run *r, size_t n, size_t order, size_t slice,
            struct bp_spill *spill, const struct bp_stage_progress *progress,
            struct bp_error *err)
{
  const size_t kw = BP_NGRAM_WORDS (order);
  struct wstream st;
  struct wexpander x = { .kw = kw };
  struct wgram *buf = malloc (slice * sizeof *buf);
  struct bp_stage stage = { .kind = BP_STAGE_SPILL };
  const uint64_t *e;
  uint64_t done = 0;
  size_t nb = 0;
  int rc = 0;

  if (!buf || wstream_new (&st, n))
    {
      free (buf);
      return bp_error_errno (err, ENOMEM);
    }
  for (size_t i = 0; i < n; i++)
    {
      wstream_add (&st, r[i].v, r[i].n, kw);
      stage.total += r[i].n;
    }
  stage.items = stage.total;
  bp_stage_begin (progress, &stage);
  wstream_start (&st);
  while (rc == 0 && (e = wstream_next (&st)))
    {
      if (progress && ++done % BP_NGRAM_REPORT_EVERY == 0)
        bp_stage_advance (progress, done);
      if (nb + 2 * order > slice)
        {
          wexpand_close (&x, buf, &nb);
          rc = spill_slice (spill, buf, nb, order, err);
          nb = 0;
        }
      wexpand_feed (&x, e, buf, &nb);
    }
  wexpand_close (&x, buf, &nb);
  if (rc == 0 && nb)
    rc = spill_slice (spill, buf, nb, order, err);
  bp_stage_end (progress);
  free (st.heap);
  free (buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Counting.  */

/* Merge the runs A and B into OUT, adding the counts of equal windows.
   Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct run *a, const struct run *b, size_t order,
            struct run *out)
{
  const size_t kw = BP_NGRAM_WORDS (order), es = kw + 1;
  size_t total = a->n + b->n;
  uint64_t *v = malloc ((total ? total : 1) * es * sizeof *v);
  const uint64_t *p = a->v, *pe = p + a->n * es;
  const uint64_t *q = b->v, *qe = q + b->n * es;
  size_t k = 0;
  if (!v)
    return BP_ENOMEM;
  while (p < pe && q < qe)
    {
      int c = bp_ngram_words_cmp (p, q, kw);
      uint64_t *d = v + k * es;
      if (c <= 0)
        {
          memcpy (d, p, es * sizeof *d);
          if (c == 0 && ckd_add (&d[kw], d[kw], q[kw]))
            {
              free (v);
              return BP_ERANGE;
            }
          if (c == 0)
            q += es;
          p += es;
        }
      else
        {
          memcpy (d, q, es * sizeof *d);
          q += es;
        }
      k++;
    }
  memcpy (v + k * es, p, (size_t) (pe - p) * sizeof *v);
  k += (size_t) (pe - p) / es;
  memcpy (v + k * es, q, (size_t) (qe - q) * sizeof *v);
  k += (size_t) (qe - q) / es;
  uint64_t *shrunk = realloc (v, (k ? k : 1) * es * sizeof *v);
  out->v = shrunk ? shrunk : v;
  out->n = k;
  return 0;
}

/* Sort and count the buffered windows into a new run: a stable radix
   sort of the permutation by each word, the last word first.  */
static int
flush_windows (struct bp_ngramcore *core, struct bp_error *err)
{
  struct bp_ngramwide *c = (struct bp_ngramwide *) core;
  const size_t n = core->nwin, kw = c->kw, es = kw + 1;
  size_t distinct = 0;
  struct run r;
  int rc;
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    c->perm[i] = (uint32_t) i;
  for (size_t j = kw; j-- > 0;)
    {
      for (size_t i = 0; i < n; i++)
        c->tk[i] = c->win[(size_t) c->perm[i] * kw + j];
      bp_keysort_radix (c->tk, c->perm, c->sk, c->sp, n);
    }
  const uint64_t *prev = NULL;
  for (size_t i = 0; i < n; i++)
    {
      const uint64_t *w = c->win + (size_t) c->perm[i] * kw;
      distinct += !prev || bp_ngram_words_cmp (prev, w, kw) != 0;
      prev = w;
    }
  if ((rc = bp_ngramcore_alloc_run (core, distinct, &r, err)))
    return rc;
  uint64_t *v = r.v;
  for (size_t i = 0; i < n; i++)
    {
      const uint64_t *w = c->win + (size_t) c->perm[i] * kw;
      uint64_t *last = r.n ? v + (r.n - 1) * es : NULL;
      if (last && bp_ngram_words_cmp (last, w, kw) == 0)
        last[kw]++;
      else
        {
          uint64_t *d = v + r.n++ * es;
          memcpy (d, w, kw * sizeof *d);
          d[kw] = 1;
        }
    }
  core->nwin = 0;
  return bp_ngramcore_push_run (core, r, err);
}

int
bp_ngramwide_add (struct bp_ngramwide *c, const uint8_t *text, size_t len,
                  struct bp_error *err)
{
  const size_t order = (size_t) c->core.order, kw = c->kw;
  int rc;

  c->core.total += len;
  for (size_t i = 0; i < len; i++)
    {
      if (c->core.nwin == c->core.cap
          && (rc = flush_windows (&c->core, err)))
        return rc;
      size_t m = len - i < order ? len - i : order;
      bp_ngram_pack_words (text + i, m, kw, c->win + c->core.nwin++ * kw);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Writing in memory, in parts on threads (as ngramparts.c; ngramcore.c
   sets them up and writes them).  */

/* The n-grams of part P (all of its first byte's if ALL) into *OUT
   (NULL: only counted), their number in *N.  */
static int
expand_part (const struct bp_ngramparts *ps, size_t p, int all,
             struct wgram **out, size_t *n)
{
  const size_t kw = BP_NGRAM_WORDS (ps->order), es = kw + 1;
  struct wstream st;
  struct wexpander x = { .kw = kw };
  struct wgram *v = NULL;
  const uint64_t *e;
  size_t nv = 0, cap = 0;
  const uint8_t b = ps->kp.byte[p];
  const int filter = !all && b >= 0x80;
  int rc = 0;

  *n = 0;
  if (wstream_new (&st, ps->nruns))
    return BP_ENOMEM;
  for (size_t i = 0; i < ps->nruns; i++)
    {
      const struct bp_ngramparts_run *r = &ps->runs[i];
      wstream_add (&st, (const uint64_t *) r->v + r->start[b] * es,
                   r->start[b + 1] - r->start[b], kw);
    }
  wstream_start (&st);
  for (int more = 1; more;)
    {
      e = wstream_next (&st);
      more = e != NULL;
      if (out && BP_ARRAY_RESERVE (v, cap, nv + ps->order, 4096))
        {
          rc = BP_ENOMEM;
          break;
        }
      size_t from = nv;
      if (more)
        wexpand_feed (&x, e, out ? v : NULL, &nv);
      else
        wexpand_close (&x, out ? v : NULL, &nv);
      if (out && filter)
        {
          size_t keep = from;
          for (size_t i = from; i < nv; i++)
            {
              uint8_t head[8];
              size_t hl = v[i].len < 8 ? v[i].len : 8;
              bp_ngram_unpack_words (v[i].key, hl, head);
              if (bp_countparts_of (&ps->kp, head, hl) == p)
                v[keep++] = v[i];
            }
          nv = keep;
        }
    }
  free (st.heap);
  if (rc)
    {
      free (v);
      return rc;
    }
  if (out)
    *out = v;
  *n = nv;
  return 0;
}

static int
count_part (const struct bp_ngramparts *ps, size_t p, size_t *n)
{
  return expand_part (ps, p, 1, NULL, n);
}

static int
make_part (void *ctx, size_t i, struct bp_buf *out)
{
  struct bp_ngramparts *ps = ctx;
  struct wgram *v;
  size_t n;
  uint32_t *perm;
  uint8_t key[BP_MAX_ORDER];
  int rc = expand_part (ps, i, 0, &v, &n);
  if (rc)
    return rc;
  rc = sort_grams (v, n, ps->order, &perm);
  for (size_t k = 0; rc == 0 && k < n; k++)
    {
      const struct wgram *g = &v[perm[k]];
      bp_ngram_unpack_words (g->key, g->len, key);
      rc = bp_counts_format_record (out, key, g->len, g->count);
    }
  free (perm);
  free (v);
  return rc;
}

static const struct bp_ngramcore_ops wide_ops = {
  .gram_bytes = sizeof (struct wgram),
  .flush = flush_windows,
  .free_windows = free_windows,
  .shrink = shrink,
  .merge = merge_runs,
  .spill = spill_runs,
  .count_part = count_part,
  .make_part = make_part
};
