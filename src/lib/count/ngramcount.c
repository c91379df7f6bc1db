/* Counting byte n-grams; see ngramcount.h.  */
#include <config.h>
#include "ngramcount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "counts.h"
#include "error.h"
#include "pool.h"
#include "countparts.h"
#include "keysort.h"
#include "ngramkey.h"
#include "spill.h"
#include "system.h"
#include "utf8.h"

/* Sort A[0..N) with TMP as scratch: LSD radix, a byte at a time,
   skipping the bytes in which all keys agree (the length byte of
   windows).  */
static void
radix_u64 (uint64_t *a, uint64_t *tmp, size_t n)
{
  size_t hist[8][256];
  memset (hist, 0, sizeof hist);
  for (size_t i = 0; i < n; i++)
    {
      uint64_t k = a[i];
      for (int b = 0; b < 8; b++)
        hist[b][(k >> (8 * b)) & 0xFF]++;
    }
  uint64_t *src = a, *dst = tmp;
  for (int b = 0; b < 8; b++)
    {
      size_t *h = hist[b], sum = 0;
      if (h[(src[0] >> (8 * b)) & 0xFF] == n)
        continue;
      for (int v = 0; v < 256; v++)
        {
          size_t c = h[v];
          h[v] = sum;
          sum += c;
        }
      for (size_t i = 0; i < n; i++)
        {
          uint64_t k = src[i];
          dst[h[(k >> (8 * b)) & 0xFF]++] = k;
        }
      uint64_t *t = src;
      src = dst;
      dst = t;
    }
  if (src != a)
    memcpy (a, src, n * sizeof *a);
}

struct kc
{
  uint64_t key, count;
};

/* A sorted run of distinct windows and their counts.  */
struct run
{
  struct kc *v;
  size_t n;
};

enum
{
  MAX_RUNS = 64,
  DEFAULT_BATCH = 1 << 21,
  MIN_BATCH = 256,
  /* The n-grams of a slice: sorting them takes BP_KEYSORT_BYTES more.  */
  SLICE_BYTES = sizeof (struct kc) + BP_KEYSORT_BYTES (1),
  MIN_SLICE = 1024,
  /* Room for a few runs, whatever the budget.  */
  MIN_RUN_BYTES = MIN_BATCH * sizeof (struct kc)
};

struct bp_ngram_counter
{
  int order;
  uint64_t *win, *tmp;      /* buffered windows, and sort scratch */
  size_t nwin, cap;
  struct run runs[MAX_RUNS];
  size_t nruns;
  uint64_t total;
  /* The memory of the runs is reserved from BUDGET; with a spill, that
     is the counter's share, less FIXED for the window buffer and the
     n-grams of a slice.  */
  struct bp_budget budget;
  size_t fixed, slice;
  struct bp_spill *spill;   /* where runs go past the budget, or NULL */
};

struct bp_ngram_counter *
bp_ngram_counter_new (int order, size_t batch)
{
  if (order < 1 || order > BP_MAX_ORDER)
    return NULL;
  struct bp_ngram_counter *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->order = order;
  c->cap = batch ? batch : DEFAULT_BATCH;
  c->win = malloc (c->cap * sizeof *c->win);
  c->tmp = malloc (c->cap * sizeof *c->tmp);
  if (!c->win || !c->tmp)
    {
      bp_ngram_counter_free (c);
      return NULL;
    }
  return c;
}

static void
free_runs (struct bp_ngram_counter *c)
{
  for (size_t i = 0; i < c->nruns; i++)
    {
      bp_budget_release (&c->budget, c->runs[i].n * sizeof *c->runs[i].v);
      free (c->runs[i].v);
    }
  c->nruns = 0;
}

static void
free_windows (struct bp_ngram_counter *c)
{
  free (c->win);
  free (c->tmp);
  c->win = c->tmp = NULL;
  c->cap = c->nwin = 0;
}

void
bp_ngram_counter_free (struct bp_ngram_counter *c)
{
  if (!c)
    return;
  free_windows (c);
  free_runs (c);
  free (c);
}

uint64_t
bp_ngram_counter_total (const struct bp_ngram_counter *c)
{
  return c->total;
}

/* ------------------------------------------------------------------ */
/* Expanding sorted windows into n-grams.  */

/* The windows that start with an n-gram g are adjacent in sorted order,
   so walking them with one open group per length finds every g once, with
   the sum of their counts.  Fed a part of the windows, it gives the part
   of each count that those windows make.  */
struct expander
{
  uint64_t key[BP_MAX_ORDER + 1];
  uint64_t count[BP_MAX_ORDER + 1];
  int open_to;              /* groups 1..OPEN_TO are open */
};

/* The most n-grams one call of expand_feed or expand_close emits.  */
#define EXPAND_MAX BP_MAX_ORDER

/* Feed the window K with count CNT: the groups it does not continue are
   closed and appended to OUT[*N..] (if OUT is NULL only counted).  */
static inline void
expand_feed (struct expander *x, uint64_t k, uint64_t cnt, struct kc *out,
             size_t *n)
{
  int len = (int) (k & 0xFF);
  int d = 1;
  /* How many of the open groups does this window continue?  */
  while (d <= x->open_to && d <= len)
    {
      uint64_t m = ~(uint64_t) 0 << (64 - 8 * d);
      if ((x->key[d] & m) != (k & m))
        break;
      d++;
    }
  for (int j = x->open_to; j >= d; j--)
    {
      if (out)
        out[*n] = (struct kc) { x->key[j], x->count[j] };
      ++*n;
    }
  for (int j = 1; j < d; j++)
    x->count[j] += cnt;
  for (int j = d; j <= len; j++)
    {
      uint64_t m = ~(uint64_t) 0 << (64 - 8 * j);
      x->key[j] = (k & m) | (uint64_t) j;
      x->count[j] = cnt;
    }
  x->open_to = len;
}

/* Close every open group.  */
static void
expand_close (struct expander *x, struct kc *out, size_t *n)
{
  for (int j = x->open_to; j >= 1; j--)
    {
      if (out)
        out[*n] = (struct kc) { x->key[j], x->count[j] };
      ++*n;
    }
  x->open_to = 0;
}

/* The windows of several sorted runs in order, equal keys one after the
   other: a heap of cursors.  */
struct cursor
{
  const struct kc *p, *end;
};

struct stream
{
  struct cursor *heap;
  size_t n;
};

static void
stream_sift (struct stream *s, size_t i)
{
  for (;;)
    {
      size_t l = 2 * i + 1, m = i;
      if (l < s->n && s->heap[l].p->key < s->heap[m].p->key)
        m = l;
      if (l + 1 < s->n && s->heap[l + 1].p->key < s->heap[m].p->key)
        m = l + 1;
      if (m == i)
        return;
      struct cursor t = s->heap[i];
      s->heap[i] = s->heap[m];
      s->heap[m] = t;
      i = m;
    }
}

/* Start a stream over the runs of the N counters C.  */
static int
stream_open (struct stream *s, struct bp_ngram_counter *const *c, size_t n)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += c[i]->nruns;
  s->n = 0;
  s->heap = malloc ((k ? k : 1) * sizeof *s->heap);
  if (!s->heap)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < c[i]->nruns; j++)
      if (c[i]->runs[j].n)
        s->heap[s->n++] = (struct cursor) { c[i]->runs[j].v,
                                            c[i]->runs[j].v
                                            + c[i]->runs[j].n };
  for (size_t i = s->n / 2; i-- > 0;)
    stream_sift (s, i);
  return 0;
}

/* The next window, or 0 at the end.  */
static inline int
stream_next (struct stream *s, struct kc *w)
{
  if (s->n == 0)
    return 0;
  struct cursor *top = &s->heap[0];
  *w = *top->p++;
  if (top->p == top->end)
    s->heap[0] = s->heap[--s->n];
  if (s->n > 1)
    stream_sift (s, 0);
  return 1;
}

static void
stream_close (struct stream *s)
{
  free (s->heap);
  s->heap = NULL;
}

/* The error of a failed count: memory, or BP_ERANGE, which needs inputs
   of many terabytes (more n-grams than the sort can index, or a count
   past 64 bits).  */
static int
count_error (int rc, struct bp_error *err)
{
  if (rc == BP_ENOMEM)
    return bp_error_errno (err, ENOMEM);
  return bp_error_set (err, rc, 0, "%s", _("too much input to count"));
}

static const uint8_t *
ngram_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct kc *v = ctx;
  *len = bp_ngram_unpack (v[i].key, scratch);
  return scratch;
}

/* Sort the N n-grams of V by escaped key and write their records to W.
   Returns 0 or a negative code with ERR filled.  */
static int
write_sorted (const struct kc *v, size_t n, struct bp_counts_writer *w,
              struct bp_error *err)
{
  uint32_t *perm;
  int rc = bp_keysort_escaped (n, BP_MAX_ORDER, ngram_key, v, &perm);
  if (rc)
    return count_error (rc, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    {
      uint8_t k[8];
      size_t len = bp_ngram_unpack (v[perm[i]].key, k);
      rc = bp_counts_writer_put (w, k, len, v[perm[i]].count, err);
    }
  free (perm);
  return rc;
}

/* Write the N n-grams of V as a run of SPILL.  */
static int
spill_slice (struct bp_spill *spill, const struct kc *v, size_t n,
             struct bp_error *err)
{
  struct bp_counts_writer w;
  int rc = bp_spill_begin (spill, &w, err);
  if (rc)
    return rc;
  if ((rc = write_sorted (v, n, &w, err)))
    return bp_spill_abandon (spill, &w, err);
  return bp_spill_end (spill, &w, err);
}

/* Expand the windows of every run of the N counters C into n-grams and
   write them to SPILL in slices of at most SLICE n-grams; the runs are
   freed.  */
static int
spill_runs (struct bp_ngram_counter *const *c, size_t n, size_t slice,
            struct bp_spill *spill, struct bp_error *err)
{
  const size_t order = (size_t) c[0]->order;
  struct stream st;
  struct expander x = { .open_to = 0 };
  struct kc *buf = malloc (slice * sizeof *buf), w;
  size_t nb = 0;
  int rc = 0;

  if (!buf || stream_open (&st, c, n))
    {
      free (buf);
      return bp_error_errno (err, ENOMEM);
    }
  while (rc == 0 && stream_next (&st, &w))
    {
      /* Room for what this window and the closing may emit.  */
      if (nb + 2 * order > slice)
        {
          expand_close (&x, buf, &nb);
          rc = spill_slice (spill, buf, nb, err);
          nb = 0;
        }
      expand_feed (&x, w.key, w.count, buf, &nb);
    }
  expand_close (&x, buf, &nb);
  if (rc == 0 && nb)
    rc = spill_slice (spill, buf, nb, err);
  stream_close (&st);
  free (buf);
  for (size_t i = 0; i < n; i++)
    free_runs (c[i]);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Counting.  */

void
bp_ngram_counter_budget (struct bp_ngram_counter *c,
                         const struct bp_budget *share,
                         struct bp_spill *spill)
{
  size_t limit = share->limit;
  bp_budget_release (&c->budget, c->fixed);
  c->budget.limit = 0;
  c->fixed = 0;
  c->spill = NULL;
  if (!limit || !spill)
    return;
  /* An eighth for the window buffer, a quarter for a slice's expansion
     and sort, the rest for the runs; at least a little of each.  */
  size_t cap = limit / 8 / (2 * sizeof *c->win);
  if (cap < MIN_BATCH)
    cap = MIN_BATCH;
  if (cap < c->cap && c->nwin <= cap)
    {
      /* Shrinking: a failure leaves a larger block, which is as good.  */
      uint64_t *w = realloc (c->win, cap * sizeof *w);
      if (w)
        c->win = w;
      uint64_t *t = realloc (c->tmp, cap * sizeof *t);
      if (t)
        c->tmp = t;
      c->cap = cap;
    }
  c->slice = limit / 4 / SLICE_BYTES;
  if (c->slice < MIN_SLICE)
    c->slice = MIN_SLICE;
  c->fixed = 2 * c->cap * sizeof *c->win + c->slice * SLICE_BYTES;
  /* A share too small for that goes to the runs (the buffer and the
     slice then pass it).  */
  if (limit < c->fixed + MIN_RUN_BYTES)
    c->fixed = limit > MIN_RUN_BYTES ? limit - MIN_RUN_BYTES : 0;
  c->budget.limit = limit;
  bp_budget_reserve (&c->budget, c->fixed);
  c->spill = spill;
}

/* Merge two sorted runs into a new one, adding the counts of equal keys.
   Frees neither.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct run *a, const struct run *b, struct run *out)
{
  struct kc *v = malloc ((a->n + b->n ? a->n + b->n : 1) * sizeof *v);
  size_t i = 0, j = 0, k = 0;
  if (!v)
    return BP_ENOMEM;
  while (i < a->n && j < b->n)
    {
      if (a->v[i].key < b->v[j].key)
        v[k++] = a->v[i++];
      else if (a->v[i].key > b->v[j].key)
        v[k++] = b->v[j++];
      else
        {
          v[k] = a->v[i++];
          if (ckd_add (&v[k].count, v[k].count, b->v[j++].count))
            {
              free (v);
              return BP_ERANGE;
            }
          k++;
        }
    }
  while (i < a->n)
    v[k++] = a->v[i++];
  while (j < b->n)
    v[k++] = b->v[j++];
  /* Give back what the duplicates saved.  */
  struct kc *shrunk = realloc (v, (k ? k : 1) * sizeof *v);
  out->v = shrunk ? shrunk : v;
  out->n = k;
  return 0;
}

/* Merge the two newest runs into one.  */
static int
merge_top (struct bp_ngram_counter *c)
{
  struct run m;
  struct run *a = &c->runs[c->nruns - 2], *b = &c->runs[c->nruns - 1];
  int rc = merge_runs (a, b, &m);
  if (rc)
    return rc;
  bp_budget_release (&c->budget, (a->n + b->n - m.n) * sizeof *m.v);
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

/* Would MORE bytes of runs pass the budget?  */
static int
over (const struct bp_ngram_counter *c, size_t more)
{
  return c->spill && bp_budget_over (&c->budget, more);
}

/* Write the runs out and start again empty.  */
static int
spill_all (struct bp_ngram_counter *c, struct bp_error *err)
{
  struct bp_ngram_counter *one[1] = { c };
  return spill_runs (one, 1, c->slice, c->spill, err);
}

/* Push run R, keeping each run at least twice the size of the next
   newer one, so there are O(log n) runs and each window is merged
   O(log n) times.  Under a limit, runs that cannot be merged within it
   are spilled instead.  */
static int
push_run (struct bp_ngram_counter *c, struct run r, struct bp_error *err)
{
  int rc;
  if (c->nruns == MAX_RUNS)
    {
      rc = c->spill ? spill_all (c, err) : merge_top (c);
      if (rc)
        {
          free (r.v);
          return c->spill ? rc : count_error (rc, err);
        }
    }
  c->runs[c->nruns++] = r;
  bp_budget_reserve (&c->budget, r.n * sizeof *r.v);
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    {
      size_t merged = (c->runs[c->nruns - 1].n + c->runs[c->nruns - 2].n)
                      * sizeof (struct kc);
      if (over (c, merged))
        break;
      if ((rc = merge_top (c)))
        return count_error (rc, err);
    }
  return 0;
}

/* Sort and count the buffered windows into a new run.  */
static int
flush_windows (struct bp_ngram_counter *c, struct bp_error *err)
{
  size_t n = c->nwin, distinct = 0;
  int rc;
  if (n == 0)
    return 0;
  radix_u64 (c->win, c->tmp, n);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || c->win[i] != c->win[i - 1];
  if (over (c, distinct * sizeof (struct kc)) && (rc = spill_all (c, err)))
    return rc;
  struct run r = { malloc (distinct * sizeof *r.v), 0 };
  if (!r.v)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      if (r.n && r.v[r.n - 1].key == c->win[i])
        r.v[r.n - 1].count++;
      else
        r.v[r.n++] = (struct kc) { c->win[i], 1 };
    }
  c->nwin = 0;
  return push_run (c, r, err);
}

static inline uint64_t
load_be64 (const uint8_t *p)
{
  uint64_t v;
  memcpy (&v, p, 8);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64 (v);
#elif !(defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  v = bp_ngram_pack (p, 7) & ~(uint64_t) 0xFF;
  v |= p[7];
#endif
  return v;
}

int
bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                      size_t len, struct bp_error *err)
{
  const size_t order = (size_t) c->order;
  /* The top ORDER bytes of a big-endian load, and the length.  */
  const uint64_t mask = ~(uint64_t) 0 << (64 - 8 * order);
  size_t i = 0;
  int rc;

  c->total += len;
  while (i < len)
    {
      if (c->nwin == c->cap && (rc = flush_windows (c, err)))
        return rc;
      size_t stop = c->nwin + (len - i);
      if (stop > c->cap)
        stop = c->cap;
      uint64_t *w = c->win;
      size_t k = c->nwin;
      /* Whole 8-byte loads while they stay inside the chunk.  */
      for (; k < stop && i + 8 <= len; k++, i++)
        w[k] = (load_be64 (text + i) & mask) | order;
      for (; k < stop; k++, i++)
        {
          size_t m = len - i < order ? len - i : order;
          w[k] = bp_ngram_pack (text + i, m);
        }
      c->nwin = k;
    }
  return 0;
}

int
bp_ngram_counter_finish (struct bp_ngram_counter *c, struct bp_error *err)
{
  int rc = flush_windows (c, err);
  if (rc == 0)
    free_windows (c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Writing.  */

/* Writing in memory, on threads: each part of the file (countparts.h) is
   the n-grams of the windows that start with its byte (a range of every
   sorted run), expanded, sorted and formatted on its own.  */

/* A run with where the windows of each first byte start.  */
struct byte_run
{
  const struct kc *v;
  size_t start[257];
};

struct parts
{
  struct bp_countparts kp;
  size_t count[BP_COUNTPARTS];  /* n-grams, for the counting pass */
  struct byte_run *runs;
  size_t nruns;
};

/* Does the n-gram K belong to part P?  */
static int
in_part (const struct parts *ps, size_t p, uint64_t k)
{
  uint8_t bytes[8];
  size_t len = bp_ngram_unpack (k, bytes);
  return bp_countparts_of (&ps->kp, bytes, len) == p;
}

/* The runs of the N counters C, each cut by first byte, and the parts
   in the order of their beginnings.  */
static int
parts_open (struct parts *ps, struct bp_ngram_counter *const *c, size_t n)
{
  size_t maxruns = 0;
  memset (ps, 0, sizeof *ps);
  for (size_t i = 0; i < n; i++)
    maxruns += c[i]->nruns;
  ps->runs = malloc ((maxruns ? maxruns : 1) * sizeof *ps->runs);
  if (!ps->runs)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < c[i]->nruns; j++)
      {
        const struct run *r = &c[i]->runs[j];
        struct byte_run *br = &ps->runs[ps->nruns++];
        br->v = r->v;
        /* The top byte of a key is its first byte.  */
        size_t lo = 0;
        for (unsigned b = 0; b < 256; b++)
          {
            size_t hi = r->n;
            while (lo < hi)
              {
                size_t mid = lo + (hi - lo) / 2;
                if ((r->v[mid].key >> 56) < b)
                  lo = mid + 1;
                else
                  hi = mid;
              }
            br->start[b] = lo;
          }
        br->start[256] = r->n;
      }
  bp_countparts_init (&ps->kp);
  return 0;
}

static void
parts_close (struct parts *ps)
{
  free (ps->runs);
  ps->runs = NULL;
}

/* The n-grams of part P (all of those of its first byte if ALL),
   expanded from the windows that start with its byte into *OUT (NULL if
   counting only), their number in *N.  */
static int
expand_part (const struct parts *ps, size_t p, int all, struct kc **out,
             size_t *n)
{
  struct stream st = { malloc ((ps->nruns ? ps->nruns : 1)
                               * sizeof *st.heap), 0 };
  struct expander x = { .open_to = 0 };
  struct kc *v = NULL, w;
  size_t nv = 0, cap = 0;
  int rc = 0;

  const uint8_t b = ps->kp.byte[p];
  const int filter = !all && b >= 0x80;

  *n = 0;
  if (!st.heap)
    return BP_ENOMEM;
  for (size_t i = 0; i < ps->nruns; i++)
    {
      const struct byte_run *r = &ps->runs[i];
      if (r->start[b] < r->start[b + 1])
        st.heap[st.n++] = (struct cursor) { r->v + r->start[b],
                                            r->v + r->start[b + 1] };
    }
  for (size_t i = st.n / 2; i-- > 0;)
    stream_sift (&st, i);
  for (int more = 1; more;)
    {
      more = stream_next (&st, &w);
      if (!out)
        {
          if (more)
            expand_feed (&x, w.key, w.count, NULL, &nv);
          else
            expand_close (&x, NULL, &nv);
          continue;
        }
      if (cap - nv < EXPAND_MAX)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct kc *t = realloc (v, ncap * sizeof *t);
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
        expand_feed (&x, w.key, w.count, v, &nv);
      else
        expand_close (&x, v, &nv);
      if (filter)
        {
          size_t keep = from;
          for (size_t i = from; i < nv; i++)
            if (in_part (ps, p, v[i].key))
              v[keep++] = v[i];
          nv = keep;
        }
    }
  stream_close (&st);
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

/* Jobs that count the n-grams of every first byte: job I counts all of
   those of its byte if I is the part of the byte's keys that lead no
   whole sequence (its only part below 0x80).  */
static int
count_work (void *ctx, size_t i)
{
  struct parts *ps = ctx;
  ps->count[i] = 0;
  return ps->kp.whole[i] ? 0 : expand_part (ps, i, 1, NULL, &ps->count[i]);
}

/* Make the records of part I (bp_countparts_fn).  */
static int
make_part (void *ctx, size_t i, struct bp_buf *out)
{
  struct parts *ps = ctx;
  struct kc *v;
  size_t n;
  uint32_t *perm;
  int rc = expand_part (ps, i, 0, &v, &n);
  if (rc)
    return rc;
  rc = bp_keysort_escaped (n, BP_MAX_ORDER, ngram_key, v, &perm);
  for (size_t k = 0; rc == 0 && k < n; k++)
    {
      uint8_t key[8];
      size_t len = bp_ngram_unpack (v[perm[k]].key, key);
      rc = bp_counts_format_record (out, key, len, v[perm[k]].count);
    }
  free (perm);
  free (v);
  return rc;
}

/* Write every n-gram of the runs of PS to F after the header H, on a
   thread for each of the N counters C, which are emptied.  */
static int
write_in_memory (struct parts *ps, struct bp_ngram_counter *const *c,
                 size_t n, const struct bp_counts_header *h, FILE *f,
                 struct bp_error *err)
{
  int rc = bp_countparts_write (h, f, (int) n, make_part, ps, err);
  if (rc && rc != BP_EIO)
    rc = count_error (rc, err);
  parts_close (ps);
  for (size_t i = 0; i < n; i++)
    free_runs (c[i]);
  return rc;
}

int
bp_ngram_counter_write (struct bp_ngram_counter *const *c, size_t n,
                        const struct bp_counts_header *h, FILE *f,
                        struct bp_error *err)
{
  struct bp_counts_header hh = *h;
  struct bp_spill *spill = c[0]->spill;
  struct bp_budget runs = bp_budget_of (0);
  int rc;

  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c[0]->order;
  hh.total = 0;
  for (size_t i = 0; i < n; i++)
    {
      if ((rc = bp_ngram_counter_finish (c[i], err)))
        return rc;
      if (ckd_add (&hh.total, hh.total, c[i]->total))
        return count_error (BP_ERANGE, err);
      if (!c[i]->spill)
        spill = NULL;
      /* The counters' shares together, the runs reserved.  */
      struct bp_budget b = c[i]->budget;
      bp_budget_release (&b, c[i]->fixed);
      bp_budget_add (&runs, &b);
    }

  /* How many n-grams there are: a pass that only counts.  */
  struct parts ps;
  size_t e = 0;
  if (parts_open (&ps, c, n))
    {
      parts_close (&ps);
      return bp_error_errno (err, ENOMEM);
    }
  static const struct bp_pool_jobs counting = { .work = count_work };
  if ((rc = bp_pool_run (BP_COUNTPARTS, (int) n, 2 * n + 2, &counting, &ps)))
    {
      parts_close (&ps);
      return count_error (rc, err);
    }
  for (size_t i = 0; i < BP_COUNTPARTS; i++)
    e += ps.count[i];

  /* In memory if that is within the limit (the runs and the expansion,
     then the expansion and its sort) and nothing was spilled yet.  */
  if (!spill
      || (bp_spill_runs (spill) == 0
          && !bp_budget_over (&runs, e * sizeof (struct kc))
          && e <= runs.limit / SLICE_BYTES))
    return write_in_memory (&ps, c, n, &hh, f, err);
  parts_close (&ps);

  size_t slice = bp_budget_room (&runs) / SLICE_BYTES;
  if (slice < MIN_SLICE)
    slice = MIN_SLICE;
  if ((rc = spill_runs (c, n, slice, spill, err)))
    return rc;
  return bp_spill_merge (spill, &hh, f, err);
}
