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
#include "ngramkey.h"
#include "ngramrun.h"
#include "ngramwiderun.h"
#include "pool.h"
#include "readprog.h"
#include "spill.h"
#include "system.h"

enum
{
  MAX_RUNS = 64,
  DEFAULT_BATCH = 1 << 20,
  MIN_BATCH = 256,
  MIN_SLICE = 1024
};

/* The memory of an n-gram of a slice, with its sort.  */
#define SLICE_BYTES (sizeof (struct wgram) + BP_KEYSORT_BYTES (1))

struct bp_ngramwide
{
  int order;
  size_t kw;                /* words of a packed window */
  uint64_t *win;            /* buffered windows, KW words each */
  uint64_t *tk, *sk;        /* sort: a word of each window, scratch */
  uint32_t *perm, *sp;      /* sort: the order of the windows, scratch */
  size_t nwin, cap;
  struct wrun runs[MAX_RUNS];
  size_t nruns;
  uint64_t total;
  /* As in ngramcount.c: the runs reserve from BUDGET, which with a
     spill is the counter's share less FIXED (the buffer and a slice).  */
  struct bp_budget budget;
  size_t fixed, slice;
  struct bp_spill *spill;
};

/* Bytes of an element of a run, and of a buffered window.  */
static size_t
elem_bytes (const struct bp_ngramwide *c)
{
  return (c->kw + 1) * sizeof (uint64_t);
}

static size_t
window_bytes (size_t kw)
{
  return kw * sizeof (uint64_t) + 2 * sizeof (uint64_t)
         + 2 * sizeof (uint32_t);
}

static void
free_windows (struct bp_ngramwide *c)
{
  free (c->win);
  free (c->tk);
  free (c->sk);
  free (c->perm);
  free (c->sp);
  c->win = c->tk = c->sk = NULL;
  c->perm = c->sp = NULL;
  c->cap = c->nwin = 0;
}

/* (Re)allocate the buffer for CAP windows.  Returns 0 or BP_ENOMEM.  */
static int
alloc_windows (struct bp_ngramwide *c, size_t cap)
{
  free_windows (c);
  c->win = malloc (cap * c->kw * sizeof *c->win);
  c->tk = malloc (cap * sizeof *c->tk);
  c->sk = malloc (cap * sizeof *c->sk);
  c->perm = malloc (cap * sizeof *c->perm);
  c->sp = malloc (cap * sizeof *c->sp);
  if (!c->win || !c->tk || !c->sk || !c->perm || !c->sp)
    {
      free_windows (c);
      return BP_ENOMEM;
    }
  c->cap = cap;
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
  c->order = order;
  c->kw = BP_NGRAM_WORDS (order);
  if (alloc_windows (c, batch ? batch : DEFAULT_BATCH))
    {
      free (c);
      return NULL;
    }
  return c;
}

static void
free_runs (struct bp_ngramwide *c)
{
  for (size_t i = 0; i < c->nruns; i++)
    {
      bp_budget_release (&c->budget, c->runs[i].n * elem_bytes (c));
      free (c->runs[i].v);
    }
  c->nruns = 0;
}

void
bp_ngramwide_free (struct bp_ngramwide *c)
{
  if (!c)
    return;
  free_windows (c);
  free_runs (c);
  free (c);
}

uint64_t
bp_ngramwide_total (const struct bp_ngramwide *c)
{
  return c->total;
}

void
bp_ngramwide_budget (struct bp_ngramwide *c, const struct bp_budget *share,
                     struct bp_spill *spill)
{
  size_t limit = share->limit;
  bp_budget_release (&c->budget, c->fixed);
  c->budget.limit = 0;
  c->fixed = 0;
  c->spill = NULL;
  if (!limit || !spill)
    return;
  /* As the fast path: an eighth for the buffer, a quarter for a
     slice, the rest for the runs.  */
  size_t cap = limit / 8 / window_bytes (c->kw);
  if (cap < MIN_BATCH)
    cap = MIN_BATCH;
  /* Shrinking: a failure keeps the larger buffer, which is as good.  */
  if (cap < c->cap && c->nwin == 0)
    {
      size_t old = c->cap;
      if (alloc_windows (c, cap))
        alloc_windows (c, old);
    }
  c->slice = limit / 4 / SLICE_BYTES;
  if (c->slice < MIN_SLICE)
    c->slice = MIN_SLICE;
  c->fixed = c->cap * window_bytes (c->kw) + c->slice * SLICE_BYTES;
  size_t min_runs = MIN_BATCH * elem_bytes (c);
  if (limit < c->fixed + min_runs)
    c->fixed = limit > min_runs ? limit - min_runs : 0;
  c->budget.limit = limit;
  bp_budget_reserve (&c->budget, c->fixed);
  c->spill = spill;
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
spill_runs (const struct wrun *r, size_t n, size_t kw, size_t order,
            size_t slice, struct bp_spill *spill, struct bp_error *err)
{
  struct wstream st;
  struct wexpander x = { .kw = kw };
  struct wgram *buf = malloc (slice * sizeof *buf);
  const uint64_t *e;
  size_t nb = 0;
  int rc = 0;

  if (!buf || wstream_new (&st, n))
    {
      free (buf);
      return bp_error_errno (err, ENOMEM);
    }
  for (size_t i = 0; i < n; i++)
    wstream_add (&st, r[i].v, r[i].n, kw);
  wstream_start (&st);
  while (rc == 0 && (e = wstream_next (&st)))
    {
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
  free (st.heap);
  free (buf);
  return rc;
}

static int
spill_all (struct bp_ngramwide *c, struct bp_error *err)
{
  int rc = spill_runs (c->runs, c->nruns, c->kw, (size_t) c->order,
                       c->slice, c->spill, err);
  free_runs (c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Counting.  */

/* Merge the runs A and B into OUT, adding the counts of equal windows.
   Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct wrun *a, const struct wrun *b, size_t kw,
            struct wrun *out)
{
  const size_t es = kw + 1;
  size_t total = a->n + b->n;
  uint64_t *v = malloc ((total ? total : 1) * es * sizeof *v);
  const uint64_t *p = a->v, *pe = a->v + a->n * es;
  const uint64_t *q = b->v, *qe = b->v + b->n * es;
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

static int
merge_top (struct bp_ngramwide *c)
{
  struct wrun m;
  struct wrun *a = &c->runs[c->nruns - 2], *b = &c->runs[c->nruns - 1];
  int rc = merge_runs (a, b, c->kw, &m);
  if (rc)
    return rc;
  bp_budget_release (&c->budget, (a->n + b->n - m.n) * elem_bytes (c));
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

static int
over (const struct bp_ngramwide *c, size_t more)
{
  return c->spill && bp_budget_over (&c->budget, more);
}

/* Push run R as ngramcount.c's push_run does.  */
static int
push_run (struct bp_ngramwide *c, struct wrun r, struct bp_error *err)
{
  int rc;
  if (c->nruns == MAX_RUNS)
    {
      rc = c->spill ? spill_all (c, err) : merge_top (c);
      if (rc)
        {
          free (r.v);
          return c->spill ? rc : bp_ngramrun_error (rc, err);
        }
    }
  c->runs[c->nruns++] = r;
  bp_budget_reserve (&c->budget, r.n * elem_bytes (c));
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    {
      size_t merged = (c->runs[c->nruns - 1].n + c->runs[c->nruns - 2].n)
                      * elem_bytes (c);
      if (over (c, merged))
        break;
      if ((rc = merge_top (c)))
        return bp_ngramrun_error (rc, err);
    }
  return 0;
}

/* Sort and count the buffered windows into a new run: a stable radix
   sort of the permutation by each word, the last word first.  */
static int
flush_windows (struct bp_ngramwide *c, struct bp_error *err)
{
  const size_t n = c->nwin, kw = c->kw, es = kw + 1;
  size_t distinct = 0;
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
  if (over (c, distinct * elem_bytes (c)) && (rc = spill_all (c, err)))
    return rc;
  struct wrun r = { malloc (distinct * es * sizeof *r.v), 0 };
  if (!r.v)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      const uint64_t *w = c->win + (size_t) c->perm[i] * kw;
      uint64_t *last = r.n ? r.v + (r.n - 1) * es : NULL;
      if (last && bp_ngram_words_cmp (last, w, kw) == 0)
        last[kw]++;
      else
        {
          uint64_t *d = r.v + r.n++ * es;
          memcpy (d, w, kw * sizeof *d);
          d[kw] = 1;
        }
    }
  c->nwin = 0;
  return push_run (c, r, err);
}

int
bp_ngramwide_add (struct bp_ngramwide *c, const uint8_t *text, size_t len,
                  struct bp_error *err)
{
  const size_t order = (size_t) c->order, kw = c->kw;
  int rc;

  c->total += len;
  for (size_t i = 0; i < len; i++)
    {
      if (c->nwin == c->cap && (rc = flush_windows (c, err)))
        return rc;
      size_t m = len - i < order ? len - i : order;
      bp_ngram_pack_words (text + i, m, kw, c->win + c->nwin++ * kw);
    }
  return 0;
}

int
bp_ngramwide_finish (struct bp_ngramwide *c, struct bp_error *err)
{
  int rc = flush_windows (c, err);
  if (rc == 0)
    free_windows (c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Writing in memory, in parts on threads (as ngramparts.c).  */

struct wbyte_run
{
  const uint64_t *v;
  size_t start[257];
};

struct wparts
{
  struct bp_countparts kp;
  size_t kw, order;
  size_t count[BP_COUNTPARTS];
  struct wbyte_run *runs;
  size_t nruns;
};

/* The n-grams of part P (all of its first byte's if ALL) into *OUT
   (NULL: only counted), their number in *N.  */
static int
expand_part (const struct wparts *ps, size_t p, int all, struct wgram **out,
             size_t *n)
{
  const size_t kw = ps->kw, es = kw + 1;
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
      const struct wbyte_run *r = &ps->runs[i];
      wstream_add (&st, r->v + r->start[b] * es,
                   r->start[b + 1] - r->start[b], kw);
    }
  wstream_start (&st);
  for (int more = 1; more;)
    {
      e = wstream_next (&st);
      more = e != NULL;
      if (out && cap - nv < ps->order)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct wgram *t = realloc (v, ncap * sizeof *t);
          if (!t)
            {
              rc = BP_ENOMEM;
              break;
            }
          v = t;
          cap = ncap;
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
count_work (void *ctx, size_t i)
{
  struct wparts *ps = ctx;
  ps->count[i] = 0;
  return ps->kp.whole[i] ? 0 : expand_part (ps, i, 1, NULL, &ps->count[i]);
}

static int
make_part (void *ctx, size_t i, struct bp_buf *out)
{
  struct wparts *ps = ctx;
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

/* The parts of the runs R[0..N), and their n-grams counted.  */
static int
parts_open (struct wparts *ps, const struct wrun *r, size_t n, size_t kw,
            size_t order, int nthreads, size_t *ngrams)
{
  const size_t es = kw + 1;
  memset (ps, 0, sizeof *ps);
  ps->kw = kw;
  ps->order = order;
  ps->runs = malloc ((n ? n : 1) * sizeof *ps->runs);
  if (!ps->runs)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    {
      struct wbyte_run *br = &ps->runs[ps->nruns++];
      br->v = r[i].v;
      size_t lo = 0;
      for (unsigned b = 0; b < 256; b++)
        {
          size_t hi = r[i].n;
          while (lo < hi)
            {
              size_t mid = lo + (hi - lo) / 2;
              if ((r[i].v[mid * es] >> 56) < b)
                lo = mid + 1;
              else
                hi = mid;
            }
          br->start[b] = lo;
        }
      br->start[256] = r[i].n;
    }
  bp_countparts_init (&ps->kp);
  static const struct bp_pool_jobs counting = { .work = count_work };
  int rc = bp_pool_run (BP_COUNTPARTS, nthreads, 2 * (size_t) nthreads + 2,
                        &counting, ps);
  *ngrams = 0;
  for (size_t i = 0; rc == 0 && i < BP_COUNTPARTS; i++)
    *ngrams += ps->count[i];
  return rc;
}

int
bp_ngramwide_write (struct bp_ngramwide *const *c, size_t n,
                    const struct bp_counts_header *h, FILE *f,
                    const struct bp_stage_progress *progress,
                    struct bp_error *err)
{
  struct bp_counts_header hh = *h;
  struct bp_spill *spill = c[0]->spill;
  struct bp_budget runs = bp_budget_of (0);
  const size_t kw = c[0]->kw, order = (size_t) c[0]->order;
  size_t nruns = 0;
  int rc;

  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c[0]->order;
  hh.total = 0;
  for (size_t i = 0; i < n; i++)
    {
      if ((rc = bp_ngramwide_finish (c[i], err)))
        return rc;
      if (ckd_add (&hh.total, hh.total, c[i]->total))
        return bp_ngramrun_error (BP_ERANGE, err);
      if (!c[i]->spill)
        spill = NULL;
      struct bp_budget b = c[i]->budget;
      bp_budget_release (&b, c[i]->fixed);
      bp_budget_add (&runs, &b);
      nruns += c[i]->nruns;
    }

  struct wrun *all = calloc (nruns ? nruns : 1, sizeof *all);
  struct wparts ps = { .runs = NULL };
  size_t e;
  if (!all)
    return bp_error_errno (err, ENOMEM);
  nruns = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < c[i]->nruns; j++)
      all[nruns++] = c[i]->runs[j];
  if ((rc = parts_open (&ps, all, nruns, kw, order, (int) n, &e)))
    {
      rc = bp_ngramrun_error (rc, err);
      goto done;
    }

  /* In memory if within the budget and nothing was spilled yet.  */
  if (!spill
      || (bp_spill_runs (spill) == 0
          && !bp_budget_over (&runs, e * sizeof (struct wgram))
          && e <= runs.limit / SLICE_BYTES))
    {
      const struct bp_stage stage = { .kind = BP_STAGE_WRITE, .items = e,
                                      .total = e };
      bp_stage_begin (progress, &stage);
      rc = bp_countparts_write (&hh, f, (int) n, make_part, &ps, ps.count,
                                progress, err);
      bp_stage_end (progress);
      if (rc && rc != BP_EIO)
        rc = bp_ngramrun_error (rc, err);
    }
  else
    {
      size_t slice = bp_budget_room (&runs) / SLICE_BYTES;
      if (slice < MIN_SLICE)
        slice = MIN_SLICE;
      rc = spill_runs (all, nruns, kw, order, slice, spill, err);
      for (size_t i = 0; i < n; i++)
        free_runs (c[i]);
      if (rc == 0)
        rc = bp_spill_merge (spill, &hh, f, err);
    }

done:
  free (ps.runs);
  free (all);
  for (size_t i = 0; i < n; i++)
    free_runs (c[i]);
  return rc;
}
