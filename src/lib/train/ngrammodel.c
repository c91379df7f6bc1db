/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the n-gram model into its table; see ngrammodel.h.  */
#include <config.h>
#include "ngrammodel.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counts.h"
#include "error.h"
#include "escape.h"
#include "ngramkey.h"
#include "ngramtable.h"
#include "system.h"

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
  free (m->wkey);
  free (m->wv);
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
  if (len == 0 || len > (size_t) m->h.order)
    return -INFINITY;
  if (len > BP_PACKED_ORDER)
    {
      uint64_t k[BP_NGRAM_WORDS (BP_MAX_ORDER)];
      bp_ngram_pack_words (p, len, m->kw, k);
      size_t s = find_wide (m, k);
      return wide_used (m, s) ? m->wv[s] : -INFINITY;
    }
  const struct slot *s = find (m, bp_ngram_pack (p, len));
  return s->key ? s->v : -INFINITY;
}

/* Double the second table (or make it).  Returns 0 or BP_ENOMEM.  */
static int
grow_wide (struct bp_ngram_model *m)
{
  int bits = m->wbits ? m->wbits + 1 : 10;
  size_t size = (size_t) 1 << bits, kw = m->kw;
  uint64_t *key = calloc (size * kw, sizeof *key);
  double *v = malloc (size * sizeof *v);
  if (!key || !v)
    {
      free (key);
      free (v);
      return BP_ENOMEM;
    }
  uint64_t *oldkey = m->wkey;
  double *oldv = m->wv;
  size_t oldsize = m->wkey ? m->wmask + 1 : 0;
  m->wkey = key;
  m->wv = v;
  m->wmask = size - 1;
  m->wbits = bits;
  for (size_t i = 0; i < oldsize; i++)
    if (oldkey[i * kw + kw - 1])
      {
        size_t s = find_wide (m, oldkey + i * kw);
        memcpy (m->wkey + s * kw, oldkey + i * kw, kw * sizeof *key);
        m->wv[s] = oldv[i];
      }
  free (oldkey);
  free (oldv);
  return 0;
}

/* The count (or log) of the n-gram of the LEN bytes P, which the model
   has, as it is now in its table.  */
static double
value_of (const struct bp_ngram_model *m, const uint8_t *p, size_t len)
{
  if (len > BP_PACKED_ORDER)
    {
      uint64_t k[BP_NGRAM_WORDS (BP_MAX_ORDER)];
      bp_ngram_pack_words (p, len, m->kw, k);
      return m->wv[find_wide (m, k)];
    }
  return find (m, bp_ngram_pack (p, len))->v;
}

/* Does the model have the n-gram of the LEN bytes P?  */
static int
has_ngram (const struct bp_ngram_model *m, const uint8_t *p, size_t len)
{
  if (len > BP_PACKED_ORDER)
    {
      uint64_t k[BP_NGRAM_WORDS (BP_MAX_ORDER)];
      bp_ngram_pack_words (p, len, m->kw, k);
      return wide_used (m, find_wide (m, k));
    }
  return find (m, bp_ngram_pack (p, len))->key != 0;
}

/* Insert the long n-gram KEY (LEN bytes) with the count V, read at line
   LINE: after its prefix (see insert_batch), which must be there.  */
static int
insert_wide (struct bp_ngram_model *m, const uint8_t *key, size_t len,
             double v, uint64_t line, struct bp_error *err)
{
  uint64_t k[BP_NGRAM_WORDS (BP_MAX_ORDER)];
  if (2 * (m->wn + 1) > m->wmask + 1 && grow_wide (m))
    return bp_error_errno (err, ENOMEM);
  bp_ngram_pack_words (key, len, m->kw, k);
  size_t s = find_wide (m, k);
  if (!wide_used (m, s))
    m->wn++;
  memcpy (m->wkey + s * m->kw, k, m->kw * sizeof *k);
  m->wv[s] = v;
  if (!has_ngram (m, key, len - 1))
    {
      char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
      return bp_error_set (err, BP_EFORMAT, line,
                           _("n-gram '%s' without its prefix"),
                           bp_escape_quote (q, BP_QUOTE_INPUT, key, len));
    }
  return 0;
}

/* The long n-grams, once the short ones hold their plain log counts:
   their counts made logs, whether their suffixes are there, and the
   prefix's log subtracted, longest first (so that every prefix still
   holds its plain log count when it is used).  */
static void
finish_wide (struct bp_ngram_model *m)
{
  const size_t kw = m->kw;
  uint8_t raw[BP_MAX_ORDER];
  for (size_t i = 0; i <= m->wmask; i++)
    if (wide_used (m, i))
      {
        m->wv[i] = log (m->wv[i]);
        size_t len = bp_ngram_words_len (m->wkey + i * kw, kw);
        bp_ngram_unpack_words (m->wkey + i * kw, len, raw);
        if (!has_ngram (m, raw + 1, len - 1))
          m->suffix_closed = 0;
      }
  for (size_t len = (size_t) m->h.order; len > BP_PACKED_ORDER; len--)
    for (size_t i = 0; i <= m->wmask; i++)
      if (wide_used (m, i)
          && bp_ngram_words_len (m->wkey + i * kw, kw) == len)
        {
          bp_ngram_unpack_words (m->wkey + i * kw, len, raw);
          m->wv[i] -= value_of (m, raw, len - 1);
        }
}

/* Make the table 2^BITS slots, moving what it holds.  Returns 0 or
   BP_ENOMEM.  */
static int
resize (struct bp_ngram_model *m, int bits)
{
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

/* Double the table (or make it).  */
static int
grow (struct bp_ngram_model *m)
{
  return resize (m, m->bits ? m->bits + 1 : 10);
}

/* Records read before their slots are filled, so that their slots are
   fetched while the next are read.  */
enum { BATCH = 32 };

/* The lines of F if it is a regular file, read with pread so that F's
   position stays, else 0.  */
static size_t
lines_of (FILE *f)
{
  struct stat st;
  int fd = fileno (f);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  enum { BLOCK = 1 << 20 };
  char *buf = malloc (BLOCK);
  if (!buf)
    return 0;
  size_t n = 0;
  off_t off = 0;
  ssize_t got;
  while ((got = pread (fd, buf, BLOCK, off)) > 0)
    {
      const char *p = buf, *end = buf + got;
      while ((p = memchr (p, '\n', (size_t) (end - p))))
        {
          n++;
          p++;
        }
      off += got;
    }
  free (buf);
  return n;
}

/* The first table, for LINES short n-grams (0 if unknown): large
   enough for all of them, if they are known and the memory is there,
   since each doubling while the records come moves every record and
   zeroes pages that it frees again (a fifth of the load of a model of
   millions of n-grams, and half again its peak).  The caller passes
   the lines of a model whose n-grams are all short (order at most
   BP_PACKED_ORDER), one more than its n-grams for the header; in a
   model of a higher order the longer n-grams, which go to the other
   table, could be most of the lines and make this one several times
   too large, so it starts small and doubles.  */
static int
first_table (struct bp_ngram_model *m, size_t lines)
{
  int bits = 10;
  while (bits < 40 && ((size_t) 1 << bits) < 2 * (lines + BATCH))
    bits++;
  if (bits > 10 && resize (m, bits) == 0)
    return 0;
  return resize (m, 10);
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

/* Prefetch the slot of the suffix of the n-gram AHEAD slots after slot
   I, if it has one.  */
static inline void
prefetch_suffix_ahead (const struct bp_ngram_model *m, size_t i)
{
  uint64_t k = m->slot[(i + AHEAD) & m->mask].key;
  if (k && (k & 0xFF) > 1)
    prefetch_key (m, suffix_of (k));
}

/* Insert the N records K[], V[] of lines LINE[], their slots and those
   of their prefixes prefetched.  An n-gram's prefix sorts before it (it
   is a prefix of its escaped form, or differs where the escaped form of
   a byte of an incomplete sequence, a backslash, meets a literal lead
   byte), so it is in the table by now: an n-gram without its prefix,
   whose log-probability would need the prefix's count, is refused at
   its line.  Returns 0 or BP_EFORMAT.  */
static int
insert_batch (struct bp_ngram_model *m, const uint64_t *k, const double *v,
              const uint64_t *line, size_t n, struct bp_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      struct slot *s = find (m, k[i]);
      s->key = k[i];
      s->v = v[i];
    }
  m->n += n;
  for (size_t i = 0; i < n; i++)
    if ((k[i] & 0xFF) > 1 && !find (m, prefix_of (k[i]))->key)
      {
        uint8_t raw[8];
        char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
        size_t len = bp_ngram_unpack (k[i], raw);
        return bp_error_set (err, BP_EFORMAT, line[i],
                             _("n-gram '%s' without its prefix"),
                             bp_escape_quote (q, BP_QUOTE_INPUT, raw, len));
      }
  return 0;
}

/* The log-probabilities of the packed n-grams: log (count) - log (the
   prefix's count), or - log (total) for a byte, each a double rounded
   as the reference rounds it.  An n-gram reads its prefix's plain log,
   so the lengths go longest first.  A scan of the whole table for each
   length read all of it seven times (268 MB for 4.9 million n-grams);
   instead one scan takes the logs, checks that every suffix is there
   and lists the slots of each length in the table's order, and then
   each length visits only its own slots.  */
struct by_length
{
  size_t *slot;                       /* the slots of length L are  */
  size_t lo[BP_PACKED_ORDER + 1];     /* SLOT[LO[L]..HI[L]) */
  size_t hi[BP_PACKED_ORDER + 1];
};

/* The scan: every count to its plain log, SUFFIX_CLOSED, and the slots
   of each length from 2 up into L.  NLEN[L] is the number of records
   of length L read, at least its slots.  Returns 0, or BP_ENOMEM
   before anything is changed.  */
static int
take_logs (struct bp_ngram_model *m, const size_t *nlen, struct by_length *l)
{
  size_t total = 0, end[BP_PACKED_ORDER + 1];
  for (int n = 2; n <= BP_PACKED_ORDER; n++)
    {
      l->lo[n] = l->hi[n] = total;
      total += nlen[n];
      end[n] = total;
    }
  l->slot = malloc ((total ? total : 1) * sizeof *l->slot);
  if (!l->slot)
    return BP_ENOMEM;
  m->suffix_closed = 1;
  for (size_t i = 0; i <= m->mask; i++)
    {
      struct slot *s = &m->slot[i];
      prefetch_suffix_ahead (m, i);
      if (!s->key)
        continue;
      s->v = log (s->v);
      uint64_t len = s->key & 0xFF;
      if (len == 1)
        continue;
      if (l->hi[len] < end[len])
        l->slot[l->hi[len]++] = i;
      if (!find (m, suffix_of (s->key))->key)
        m->suffix_closed = 0;
    }
  return 0;
}

/* Then the subtraction, length by length, each slot's prefix fetched
   ahead; the bytes last.  */
static void
subtract_prefixes (struct bp_ngram_model *m, const struct by_length *l)
{
  for (int n = BP_PACKED_ORDER; n >= 2; n--)
    {
      const size_t *v = l->slot, hi = l->hi[n];
      for (size_t j = l->lo[n]; j < hi; j++)
        {
          if (j + 2 * AHEAD < hi)
            __builtin_prefetch (&m->slot[v[j + 2 * AHEAD]]);
          if (j + AHEAD < hi)
            prefetch_key (m, prefix_of (m->slot[v[j + AHEAD]].key));
          struct slot *s = &m->slot[v[j]];
          s->v -= find (m, prefix_of (s->key))->v;
        }
    }
  const double log_total = log ((double) m->h.total);
  for (int b = 0; b < 256; b++)
    {
      uint8_t byte = (uint8_t) b;
      struct slot *s = find (m, bp_ngram_pack (&byte, 1));
      if (s->key)
        s->v -= log_total;
    }
}

int
bp_ngram_model_read (FILE *f, struct bp_ngram_model **out,
                     struct bp_error *err)
{
  struct bp_counts_reader *r = NULL;
  struct bp_counts_record rec;
  struct by_length bylen = { 0 };   /* before the first goto fail */
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
  if (m->h.order > BP_MAX_ORDER)
    {
      rc = bp_error_set (err, BP_EFORMAT, 1,
                         _("order=%d is above %d, the highest order of an "
                           "n-gram model"), m->h.order, BP_MAX_ORDER);
      goto fail;
    }
  if ((rc = first_table (m, m->h.order <= BP_PACKED_ORDER ? lines_of (f)
                                                            : 0)))
    goto nomem;
  if (m->h.order > BP_PACKED_ORDER)
    {
      m->kw = BP_NGRAM_WORDS (m->h.order);
      if ((rc = grow_wide (m)))
        goto nomem;
    }

  /* First the counts, then the log-probabilities, which need the
     counts of the prefixes.  The records go in batches whose slots are
     prefetched while the next are read.  */
  size_t nlen[BP_PACKED_ORDER + 1] = { 0 };
  uint64_t bk[BATCH], bl[BATCH];
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
      if (rec.len > BP_PACKED_ORDER)
        {
          /* Its prefix may wait in the batch.  */
          if ((rc = insert_batch (m, bk, bv, bl, nb, err))
              || (rc = insert_wide (m, rec.key, rec.len, (double) rec.count,
                                    rec.line, err)))
            goto fail;
          nb = 0;
          continue;
        }
      if (nb == 0 && 2 * (m->n + BATCH) > m->mask + 1 && (rc = grow (m)))
        goto nomem;
      nlen[rec.len]++;
      bk[nb] = bp_ngram_pack (rec.key, rec.len);
      /* Counts up to 2^53 are exact in a double, as in the reference
         (numpy converts the count to float64 before its log).  */
      bv[nb] = (double) rec.count;
      bl[nb] = rec.line;
      prefetch_key (m, bk[nb]);
      if (rec.len > 1)
        prefetch_key (m, prefix_of (bk[nb]));
      if (++nb == BATCH)
        {
          if ((rc = insert_batch (m, bk, bv, bl, nb, err)))
            goto fail;
          nb = 0;
        }
    }
  if (rc < 0 || (rc = insert_batch (m, bk, bv, bl, nb, err)))
    goto fail;

  if (take_logs (m, nlen, &bylen))
    goto nomem;
  if (m->kw)
    finish_wide (m);
  subtract_prefixes (m, &bylen);
  free (bylen.slot);
  bylen.slot = NULL;
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
  free (bylen.slot);
  bp_counts_reader_free (r);
  bp_ngram_model_free (m);
  return rc;
}
