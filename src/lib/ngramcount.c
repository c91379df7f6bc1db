/* Counting byte n-grams; see ngramcount.h.  */
#include <config.h>
#include "ngramcount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "error.h"
#include "keysort.h"
#include "ngramkey.h"
#include "system.h"

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

struct run
{
  struct kc *v;
  size_t n;
};

enum { MAX_RUNS = 64, DEFAULT_BATCH = 1 << 21 };

struct bp_ngram_counter
{
  int order;
  uint64_t *win, *tmp;      /* buffered windows, and sort scratch */
  size_t nwin, cap;
  struct run runs[MAX_RUNS];
  size_t nruns;
  uint64_t total;
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

void
bp_ngram_counter_free (struct bp_ngram_counter *c)
{
  if (!c)
    return;
  free (c->win);
  free (c->tmp);
  for (size_t i = 0; i < c->nruns; i++)
    free (c->runs[i].v);
  free (c);
}

uint64_t
bp_ngram_counter_total (const struct bp_ngram_counter *c)
{
  return c->total;
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
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

/* Push run R, keeping each run at least twice the size of the next
   newer one, so there are O(log n) runs and each window is merged
   O(log n) times.  */
static int
push_run (struct bp_ngram_counter *c, struct run r)
{
  int rc;
  if (c->nruns == MAX_RUNS && (rc = merge_top (c)))
    {
      free (r.v);
      return rc;
    }
  c->runs[c->nruns++] = r;
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    if ((rc = merge_top (c)))
      return rc;
  return 0;
}

/* Sort and count the buffered windows into a new run.  */
static int
flush_windows (struct bp_ngram_counter *c)
{
  size_t n = c->nwin, distinct = 0;
  if (n == 0)
    return 0;
  radix_u64 (c->win, c->tmp, n);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || c->win[i] != c->win[i - 1];
  struct run r = { malloc (distinct * sizeof *r.v), 0 };
  if (!r.v)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    {
      if (r.n && r.v[r.n - 1].key == c->win[i])
        r.v[r.n - 1].count++;
      else
        r.v[r.n++] = (struct kc) { c->win[i], 1 };
    }
  c->nwin = 0;
  return push_run (c, r);
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
                      size_t len)
{
  const size_t order = (size_t) c->order;
  /* The top ORDER bytes of a big-endian load, and the length.  */
  const uint64_t mask = ~(uint64_t) 0 << (64 - 8 * order);
  size_t i = 0;
  int rc;

  c->total += len;
  while (i < len)
    {
      if (c->nwin == c->cap && (rc = flush_windows (c)))
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

/* Collapse everything into one run (or none).  */
static int
collapse (struct bp_ngram_counter *c)
{
  int rc = flush_windows (c);
  while (!rc && c->nruns >= 2)
    rc = merge_top (c);
  return rc;
}

int
bp_ngram_counter_absorb (struct bp_ngram_counter *dst,
                         struct bp_ngram_counter *src)
{
  int rc;
  if (dst->order != src->order)
    return BP_EINVAL;
  if ((rc = collapse (src)))
    return rc;
  if (ckd_add (&dst->total, dst->total, src->total))
    return BP_ERANGE;
  src->total = 0;
  if (src->nruns == 0)
    return 0;
  if ((rc = flush_windows (dst)))
    return rc;
  struct run r = src->runs[0];
  src->runs[0].v = NULL;
  src->nruns = 0;
  return push_run (dst, r);
}

static const uint8_t *
ngram_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct kc *v = ctx;
  *len = bp_ngram_unpack (v[i].key, scratch);
  return scratch;
}

/* The n-grams of lengths 1..ORDER with their counts, from the sorted
   windows W: the windows that start with an n-gram g are adjacent, so
   walking them with one open group per length finds every g once.  With
   OUT NULL only count them.  Returns the number of n-grams.  */
static size_t
expand_prefixes (const struct run *w, int order, struct kc *out)
{
  uint64_t open_key[BP_MAX_ORDER + 1];
  uint64_t open_count[BP_MAX_ORDER + 1];
  int open_to = 0;          /* groups 1..OPEN_TO are open */
  size_t n = 0;

  for (size_t i = 0; i < w->n; i++)
    {
      uint64_t k = w->v[i].key;
      int len = (int) (k & 0xFF);
      int d = 1;
      /* How many of the open groups does this window continue?  */
      while (d <= open_to && d <= len)
        {
          uint64_t m = ~(uint64_t) 0 << (64 - 8 * d);
          if ((open_key[d] & m) != (k & m))
            break;
          d++;
        }
      for (int j = open_to; j >= d; j--)
        {
          if (out)
            out[n] = (struct kc) { open_key[j], open_count[j] };
          n++;
        }
      for (int j = 1; j < d; j++)
        open_count[j] += w->v[i].count;
      for (int j = d; j <= len; j++)
        {
          uint64_t m = ~(uint64_t) 0 << (64 - 8 * j);
          open_key[j] = (k & m) | (uint64_t) j;
          open_count[j] = w->v[i].count;
        }
      open_to = len;
    }
  for (int j = open_to; j >= 1; j--)
    {
      if (out)
        out[n] = (struct kc) { open_key[j], open_count[j] };
      n++;
    }
  (void) order;
  return n;
}

int
bp_ngram_counter_write (struct bp_ngram_counter *c,
                        const struct bp_counts_header *h, FILE *f,
                        struct bp_error *err)
{
  struct bp_counts_header hh = *h;
  struct bp_counts_writer w = { .f = f };
  uint32_t *perm = NULL;
  struct kc *all = NULL;
  int rc;

  /* The window buffers are not needed any more: give the memory back
     before the expansion needs its own.  */
  if ((rc = collapse (c)))
    goto fail;
  free (c->win);
  free (c->tmp);
  c->win = c->tmp = NULL;
  c->cap = c->nwin = 0;

  size_t n = 0;
  if (c->nruns)
    {
      n = expand_prefixes (&c->runs[0], c->order, NULL);
      all = malloc ((n ? n : 1) * sizeof *all);
      if (!all)
        {
          rc = BP_ENOMEM;
          goto fail;
        }
      expand_prefixes (&c->runs[0], c->order, all);
      free (c->runs[0].v);
      c->runs[0].v = NULL;
      c->nruns = 0;
    }
  if ((rc = bp_keysort_escaped (n, BP_MAX_ORDER, ngram_key, all, &perm)))
    goto fail;

  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c->order;
  hh.total = c->total;
  if (bp_counts_header_write (f, &hh))
    goto write_error;
  for (size_t i = 0; i < n; i++)
    {
      uint8_t k[8];
      size_t len = bp_ngram_unpack (all[perm[i]].key, k);
      if ((rc = bp_counts_writer_put (&w, k, len, all[perm[i]].count)))
        {
          if (rc == BP_ENOMEM)
            goto fail;
          goto write_error;
        }
    }
  if (bp_counts_writer_flush (&w))
    goto write_error;
  free (perm);
  free (all);
  bp_counts_writer_free (&w);
  return 0;

write_error:
  rc = bp_error_errno (err, errno ? errno : EIO);
  free (perm);
  free (all);
  bp_counts_writer_free (&w);
  return rc;
fail:
  free (perm);
  free (all);
  bp_counts_writer_free (&w);
  if (rc == BP_ENOMEM)
    return bp_error_errno (err, ENOMEM);
  /* BP_ERANGE: more n-grams than the sort can index, or a count past
     64 bits; both need inputs of many terabytes.  */
  return bp_error_set (err, rc, 0, "%s", _("too much input to count"));
}
