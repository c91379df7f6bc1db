/* The n-gram model of training and its Viterbi; see ngram.h.  */
#include <config.h>
#include "ngram.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "escape.h"
#include "ngramkey.h"
#include "system.h"

/* ------------------------------------------------------------------ */
/* Building the model (DESIGN.md section 1.3).  */

struct kept
{
  size_t off, len;          /* the escaped key in the arena */
  uint64_t count;
  uint64_t line;
};

struct single
{
  char esc[4];
  size_t len;
};

static int
cmp_single (const void *a, const void *b)
{
  const struct single *x = a, *y = b;
  return bp_counts_cmp (x->esc, x->len, y->esc, y->len);
}

static int
cmp_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

/* A kept n-gram whose prefix is not kept makes a model that cannot be
   read: its log-probability needs the prefix's count.  Counts that
   bp-count wrote never have one (a prefix occurs at least as often as
   the n-gram, so it is kept whenever the n-gram is); other counts may,
   and are refused here rather than by the step that reads the model.
   Single bytes are all kept.  Returns 0, BP_EFORMAT or BP_ENOMEM.  */
static int
check_prefixes (const uint8_t *arena, const struct kept *kept, size_t n,
                struct bp_error *err)
{
  uint64_t *keys = malloc ((n ? n : 1) * sizeof *keys);
  uint8_t raw[BP_MAX_ORDER + 1];
  int rc = 0;

  if (!keys)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      keys[i] = bp_ngram_pack (raw, (size_t) len);
    }
  qsort (keys, n, sizeof *keys, cmp_u64);
  for (size_t i = 0; i < n && !rc; i++)
    {
      long len = bp_unescape ((const char *) arena + kept[i].off, kept[i].len,
                              raw, NULL);
      uint64_t prefix = bp_ngram_pack (raw, (size_t) len - 1);
      if (len > 2 && !bsearch (&prefix, keys, n, sizeof *keys, cmp_u64))
        {
          char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
          rc = bp_error_set (err, BP_EFORMAT, kept[i].line,
                             _("n-gram '%s' is kept but not its prefix "
                               "(counted less often than the n-gram)"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, raw,
                                              (size_t) len));
        }
    }
  free (keys);
  return rc;
}

int
bp_ngram_prune (struct bp_counts_reader *r, uint64_t min_count, FILE *out,
                struct bp_error *err)
{
  const struct bp_counts_header *in = bp_counts_reader_header (r);
  struct bp_buf arena = { 0 }, ob = { 0 };
  struct kept *kept = NULL;
  size_t nkept = 0, cap = 0;
  uint8_t seen[256] = { 0 };
  struct bp_counts_record rec;
  int rc;

  if (in->kind != BP_COUNTS_NGRAMS)
    return bp_error_set (err, BP_EFORMAT, 1,
                         _("expected n-gram counts (kind=ngrams), not "
                           "kind=%s"), bp_counts_kind_name (in->kind));

  while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
    {
      if (rec.len == 1)
        seen[rec.key[0]] = 1;
      else if (rec.count < min_count)
        continue;
      if (nkept == cap)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct kept *k = realloc (kept, ncap * sizeof *k);
          if (!k)
            goto nomem;
          kept = k;
          cap = ncap;
        }
      kept[nkept] = (struct kept) { arena.len, rec.esc_len, rec.count,
                                    rec.line };
      if (bp_buf_append (&arena, rec.esc, rec.esc_len))
        goto nomem;
      nkept++;
    }
  if (rc < 0 || (rc = check_prefixes (arena.data, kept, nkept, err)))
    goto done;

  /* The single bytes the counts lack, in escaped order.  */
  struct single missing[256];
  size_t nmissing = 0;
  for (int b = 0; b < 256; b++)
    if (!seen[b])
      {
        uint8_t byte = (uint8_t) b;
        missing[nmissing].len = bp_escape (&byte, 1, missing[nmissing].esc, 0);
        nmissing++;
      }
  qsort (missing, nmissing, sizeof *missing, cmp_single);

  struct bp_counts_header h = *in;
  h.kind = BP_COUNTS_NGRAM_MODEL;
  h.min_count = min_count;
  if (ckd_add (&h.total, h.total, (uint64_t) nmissing))
    {
      rc = bp_error_set (err, BP_ERANGE, 1, "%s",
                         _("the total overflows 64 bits"));
      goto done;
    }
  if ((rc = bp_counts_header_write (out, &h, err)))
    goto done;

  size_t i = 0, j = 0;
  while (i < nkept || j < nmissing)
    {
      const char *ke = i < nkept ? (const char *) arena.data + kept[i].off
                                 : NULL;
      int take_kept = j == nmissing
                      || (i < nkept && bp_counts_cmp (ke, kept[i].len,
                                                      missing[j].esc,
                                                      missing[j].len) < 0);
      const char *e = take_kept ? ke : missing[j].esc;
      size_t elen = take_kept ? kept[i].len : missing[j].len;
      uint64_t count = take_kept ? kept[i].count : 1;
      if (take_kept)
        i++;
      else
        j++;
      if (bp_buf_grow (&ob, elen + 22))
        goto nomem;
      memcpy (ob.data + ob.len, e, elen);
      ob.len += elen;
      ob.len += (size_t) sprintf ((char *) ob.data + ob.len, "\t%llu\n",
                                  (unsigned long long) count);
      if (ob.len >= (1 << 16))
        {
          if (fwrite (ob.data, 1, ob.len, out) != ob.len)
            goto write_error;
          ob.len = 0;
        }
    }
  if ((ob.len && fwrite (ob.data, 1, ob.len, out) != ob.len) || ferror (out))
    goto write_error;
  rc = 0;
  goto done;

nomem:
  rc = bp_error_errno (err, ENOMEM);
  goto done;
write_error:
  rc = bp_error_errno (err, errno);
  bp_error_at_output (err);
done:
  free (kept);
  bp_buf_free (&arena);
  bp_buf_free (&ob);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The model: an open-addressing hash from packed n-grams (ngramkey.h) to
   log-probabilities.  Packed keys are never 0, so 0 marks a free slot.  */

struct slot
{
  uint64_t key;
  double v;
};

struct bp_ngram_model
{
  struct bp_counts_header h;
  struct slot *slot;
  size_t mask;
  int bits;
  size_t n;
  /* Every kept n-gram's last LEN - 1 bytes are kept too, as they are in
     any model pruned from real counts (a suffix occurs at least as often
     as the n-gram).  Then an absent n-gram ending at a position means
     all longer ones ending there are absent, and the Viterbi stops
     looking.  */
  int suffix_closed;
  /* The log-probabilities of all single bytes and all byte pairs (-inf
     where absent), looked up directly: they are two of the handful of
     lookups at every position, and the pair table stays in cache.  */
  double uni[256];
  double *bi;
};

static inline size_t
hash_key (const struct bp_ngram_model *m, uint64_t k)
{
  return (size_t) ((k * 0x9E3779B97F4A7C15u) >> (64 - m->bits));
}

static inline struct slot *
find (const struct bp_ngram_model *m, uint64_t k)
{
  size_t s = hash_key (m, k);
  for (;;)
    {
      struct slot *p = &m->slot[s];
      if (p->key == k || p->key == 0)
        return p;
      s = (s + 1) & m->mask;
    }
}

int
bp_ngram_model_load (const char *path, struct bp_ngram_model **out,
                     struct bp_error *err)
{
  FILE *f = fopen (path, "r");
  *out = NULL;
  if (!f)
    return bp_error_errno (err, errno);
  int rc = bp_ngram_model_read (f, out, err);
  fclose (f);
  return rc;
}

void
bp_ngram_model_free (struct bp_ngram_model *m)
{
  if (!m)
    return;
  free (m->slot);
  free (m->bi);
  free (m);
}

const struct bp_counts_header *
bp_ngram_model_header (const struct bp_ngram_model *m)
{
  return &m->h;
}

double
bp_ngram_model_logp (const struct bp_ngram_model *m, const uint8_t *p,
                     size_t len)
{
  if (len == 0 || len > BP_MAX_ORDER)
    return -INFINITY;
  const struct slot *s = find (m, bp_ngram_pack (p, len));
  return s->key ? s->v : -INFINITY;
}

static int
grow (struct bp_ngram_model *m)
{
  int bits = m->bits ? m->bits + 1 : 10;
  size_t size = (size_t) 1 << bits;
  struct slot *slot = calloc (size, sizeof *slot);
  if (!slot)
    return BP_ENOMEM;
  struct slot *old = m->slot;
  size_t oldsize = m->slot ? m->mask + 1 : 0;
  m->slot = slot;
  m->mask = size - 1;
  m->bits = bits;
  for (size_t i = 0; i < oldsize; i++)
    if (old[i].key)
      *find (m, old[i].key) = old[i];
  free (old);
  return 0;
}

/* The packed key without its last byte (its prefix) or its first byte
   (its suffix).  */
static inline uint64_t
prefix_of (uint64_t k)
{
  uint64_t len = k & 0xFF;
  uint64_t mask = ~(uint64_t) 0 << (64 - 8 * (len - 1));
  return (k & mask) | (len - 1);
}

static inline uint64_t
suffix_of (uint64_t k)
{
  uint64_t len = k & 0xFF;
  return ((k & ~(uint64_t) 0xFF) << 8) | (len - 1);
}

/* Ask for the slot of K early: the table is far larger than the cache,
   and the loops below know their keys some steps ahead.  */
static inline void
prefetch_key (const struct bp_ngram_model *m, uint64_t k)
{
  __builtin_prefetch (&m->slot[hash_key (m, k)]);
}

/* How far ahead the loops over the slots prefetch.  */
enum { AHEAD = 16 };

/* Prefetch the slot of the prefix of the n-gram AHEAD slots after slot I,
   if it is of length LEN (any length above 1 if LEN is 0).  */
static inline void
prefetch_prefix (const struct bp_ngram_model *m, size_t i, uint64_t len)
{
  uint64_t k = m->slot[(i + AHEAD) & m->mask].key;
  uint64_t l = k & 0xFF;
  if (k && l > 1 && (len == 0 || l == len))
    prefetch_key (m, prefix_of (k));
}

/* Insert the N records K[], V[], their slots prefetched.  */
static void
insert_batch (struct bp_ngram_model *m, const uint64_t *k, const double *v,
              size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      struct slot *s = find (m, k[i]);
      s->key = k[i];
      s->v = v[i];
    }
  m->n += n;
}

int
bp_ngram_model_read (FILE *f, struct bp_ngram_model **out,
                     struct bp_error *err)
{
  struct bp_counts_reader *r = NULL;
  struct bp_counts_record rec;
  struct bp_ngram_model *m = calloc (1, sizeof *m);
  int rc;

  *out = NULL;
  if (!m)
    return bp_error_errno (err, ENOMEM);
  if ((rc = bp_counts_reader_open (f, &r, err)))
    goto fail;
  m->h = *bp_counts_reader_header (r);
  if (m->h.kind != BP_COUNTS_NGRAM_MODEL)
    {
      rc = bp_error_set (err, BP_EFORMAT, 1,
                         _("expected an n-gram model (kind=ngram-model), "
                           "not kind=%s"), bp_counts_kind_name (m->h.kind));
      goto fail;
    }
  if ((rc = grow (m)))
    goto nomem;

  /* First the counts, then the log-probabilities, which need the prefix
     counts (a prefix may come later in escaped order).  The records go in
     batches whose slots are prefetched while the next are read.  */
  enum { BATCH = 32 };
  uint64_t bk[BATCH];
  double bv[BATCH];
  size_t nb = 0;
  while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
    {
      if (rec.len == 1 && rec.count > m->h.total)
        {
          rc = bp_error_set (err, BP_EFORMAT, rec.line, "%s",
                             _("count above the total"));
          goto fail;
        }
      if (nb == 0 && 2 * (m->n + BATCH) > m->mask + 1 && (rc = grow (m)))
        goto nomem;
      bk[nb] = bp_ngram_pack (rec.key, rec.len);
      /* Counts up to 2^53 are exact in a double, as in the reference
         (numpy converts the count to float64 before its log).  */
      bv[nb] = (double) rec.count;
      prefetch_key (m, bk[nb]);
      if (++nb == BATCH)
        {
          insert_batch (m, bk, bv, nb);
          nb = 0;
        }
    }
  if (rc < 0)
    goto fail;
  insert_batch (m, bk, bv, nb);

  const double log_total = log ((double) m->h.total);
  m->suffix_closed = 1;
  /* Every slot holds a count: turn them into logs first, so that the
     second pass subtracts the prefix's log, whatever the slot order.  */
  for (size_t i = 0; i <= m->mask; i++)
    if (m->slot[i].key)
      m->slot[i].v = log (m->slot[i].v);
  for (size_t i = 0; i <= m->mask; i++)
    {
      struct slot *s = &m->slot[i];
      prefetch_prefix (m, i, 0);
      if (!s->key)
        continue;
      uint64_t len = s->key & 0xFF;
      if (len == 1)
        continue;
      const struct slot *p = find (m, prefix_of (s->key));
      if (!p->key)
        {
          uint8_t raw[8];
          char esc[BP_ESCAPE_MAX (8) + 1];
          size_t n = bp_ngram_unpack (s->key, raw);
          esc[bp_escape (raw, n, esc, 0)] = '\0';
          rc = bp_error_set (err, BP_EFORMAT, 0,
                             _("n-gram '%s' without its prefix"), esc);
          goto fail;
        }
      if (!find (m, suffix_of (s->key))->key)
        m->suffix_closed = 0;
    }
  /* Subtract longest first, so that every prefix still holds its plain
     log count when it is used.  */
  for (uint64_t len = (uint64_t) m->h.order; len >= 1; len--)
    for (size_t i = 0; i <= m->mask; i++)
      {
        struct slot *s = &m->slot[i];
        prefetch_prefix (m, i, len);
        if (s->key && (s->key & 0xFF) == len)
          s->v = s->v - (len == 1 ? log_total : find (m, prefix_of (s->key))->v);
      }
  m->bi = malloc (65536 * sizeof *m->bi);
  if (!m->bi)
    goto nomem;
  for (int b = 0; b < 256; b++)
    {
      uint8_t byte = (uint8_t) b;
      m->uni[b] = bp_ngram_model_logp (m, &byte, 1);
    }
  for (int b = 0; b < 65536; b++)
    {
      uint8_t pair[2] = { (uint8_t) (b >> 8), (uint8_t) b };
      m->bi[b] = bp_ngram_model_logp (m, pair, 2);
    }
  bp_counts_reader_free (r);
  *out = m;
  return 0;

nomem:
  rc = bp_error_errno (err, ENOMEM);
fail:
  bp_counts_reader_free (r);
  bp_ngram_model_free (m);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The Viterbi (DESIGN.md section 1.4).  */

struct bp_ngram_seg
{
  const struct bp_ngram_model *m;
  int ensure_unicode;
  uint8_t *route;           /* route[i * order + b]: the state before */
  size_t *ends;
  size_t cap;
};

struct bp_ngram_seg *
bp_ngram_seg_new (const struct bp_ngram_model *m, int ensure_unicode)
{
  struct bp_ngram_seg *s = calloc (1, sizeof *s);
  if (!s)
    return NULL;
  s->m = m;
  s->ensure_unicode = ensure_unicode;
  return s;
}

void
bp_ngram_seg_free (struct bp_ngram_seg *s)
{
  if (!s)
    return;
  free (s->route);
  free (s->ends);
  free (s);
}

/* The emissions at position I: E[j] is the log-probability of the
   (j+1)-gram ending at I, or -inf.  */
static inline void
emissions (const struct bp_ngram_seg *s, const uint8_t *text, size_t i,
           int order, double *e)
{
  const struct bp_ngram_model *m = s->m;
  int j = 0;

  e[0] = m->uni[text[i]];
  j = 1;
  if (order > 1 && i >= 1)
    {
      e[1] = m->bi[text[i - 1] << 8 | text[i]];
      j = 2;
      if (e[1] != -INFINITY || !m->suffix_closed)
        {
          uint64_t bytes = (uint64_t) text[i - 1] << 56
                           | (uint64_t) text[i] << 48;
          for (; j < order && (size_t) j <= i; j++)
            {
              bytes = (uint64_t) text[i - j] << 56 | bytes >> 8;
              const struct slot *p = find (m, bytes | (uint64_t) (j + 1));
              e[j] = p->key ? p->v : -INFINITY;
              if (!p->key && m->suffix_closed)
                {
                  j++;
                  break;
                }
            }
        }
    }
  for (; j < order; j++)
    e[j] = -INFINITY;
  if (s->ensure_unicode && (text[i] & 0xC0) == 0x80)
    e[0] = -INFINITY;
}

/* Ask for the slots of the n-grams of 3 bytes or more ending at I before
   they are needed: the table is far larger than the caches, and a lookup
   that waits for memory is most of the Viterbi's time.  */
enum { PREFETCH_AHEAD = 8 };

static inline void
prefetch (const struct bp_ngram_model *m, const uint8_t *text, size_t i,
          int order)
{
  if (i < 1)
    return;
  uint64_t bytes = (uint64_t) text[i - 1] << 56 | (uint64_t) text[i] << 48;
  for (int j = 2; j < order && (size_t) j <= i; j++)
    {
      bytes = (uint64_t) text[i - j] << 56 | bytes >> 8;
      __builtin_prefetch (&m->slot[hash_key (m, bytes | (uint64_t) (j + 1))]);
    }
}

int
bp_ngram_segment (struct bp_ngram_seg *s, const uint8_t *text, size_t len,
                  const size_t **ends, size_t *n)
{
  const int order = s->m->h.order;
  double prev[BP_MAX_ORDER], cur[BP_MAX_ORDER], e[BP_MAX_ORDER];

  *n = 0;
  *ends = s->ends;
  if (len == 0)
    return 0;
  if (len > s->cap)
    {
      size_t cap = len > 2 * s->cap ? len : 2 * s->cap;
      size_t rbytes;
      if (ckd_mul (&rbytes, cap, (size_t) order))
        return BP_ENOMEM;
      uint8_t *route = realloc (s->route, rbytes);
      if (!route)
        return BP_ENOMEM;
      s->route = route;
      size_t *en = realloc (s->ends, cap * sizeof *en);
      if (!en)
        return BP_ENOMEM;
      s->ends = en;
      s->cap = cap;
      *ends = en;
    }

  for (size_t i = 0; i < PREFETCH_AHEAD && i < len; i++)
    prefetch (s->m, text, i, order);
  emissions (s, text, 0, order, prev);
  for (size_t i = 1; i < len; i++)
    {
      uint8_t *route = s->route + i * (size_t) order;
      if (i + PREFETCH_AHEAD < len)
        prefetch (s->m, text, i + PREFETCH_AHEAD, order);
      emissions (s, text, i, order, e);
      /* The reference's scores[a][b] = (nodes[i-1][a] + trans[a][b]) +
         nodes[i][b], with its maximum over a and numpy's argmax: the
         first a with the maximum, and 0 when all are -inf.  Adding
         trans's 0 changes no value, and the forbidden a's are -inf, so
         walking the allowed a's in increasing order with a strict '>'
         from -inf (and a = 0 kept when nothing beats it) is the same.
         Each sum is rounded on its own: equal maxima after rounding are
         common, so max (a + e) is not max (a) + e.  */
      double best = -INFINITY;
      int arg = 0;
      for (int a = 0; a < order; a++)
        {
          double v = prev[a] + e[0];
          if (v > best)
            {
              best = v;
              arg = a;
            }
        }
      cur[0] = best;
      route[0] = (uint8_t) arg;
      /* State b >= 1 comes from b - 1 (the piece goes on), and the last
         state also from itself (a piece longer than the order).  */
      for (int b = 1; b < order; b++)
        {
          best = -INFINITY;
          arg = 0;
          double v = prev[b - 1] + e[b];
          if (v > best)
            {
              best = v;
              arg = b - 1;
            }
          if (b == order - 1)
            {
              v = prev[b] + e[b];
              if (v > best)
                {
                  best = v;
                  arg = b;
                }
            }
          cur[b] = best;
          route[b] = (uint8_t) arg;
        }
      memcpy (prev, cur, sizeof (double) * (size_t) order);
    }

  /* The best final state, the first on ties, 0 if all are -inf.  */
  double best = -INFINITY;
  int state = 0;
  for (int b = 0; b < order; b++)
    if (prev[b] > best)
      {
        best = prev[b];
        state = b;
      }

  /* Walk back; a piece starts where the state is 0.  Ends are found last
     first, so fill the array from its back and then move it down.  */
  size_t *en = s->ends, k = len;
  en[--k] = len;
  for (size_t i = len - 1; i >= 1; i--)
    {
      if (state == 0)
        en[--k] = i;
      state = s->route[i * (size_t) order + (size_t) state];
    }
  /* Position 0 always starts a piece: its states above 0 are -inf (no
     n-gram starts before the chunk), so no route leads to them.  */
  *n = len - k;
  memmove (en, en + k, *n * sizeof *en);
  return 0;
}
