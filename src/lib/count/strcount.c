/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte strings; see strcount.h.  */
#include <config.h>
#include "strcount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "budget.h"
#include "counts.h"
#include "error.h"
#include "countparts.h"
#include "keysort.h"
#include "readprog.h"
#include "spill.h"
#include "system.h"

struct sc_entry
{
  uint64_t hash;
  size_t off, len;
  uint64_t count;
};

struct bp_strcount
{
  struct bp_buf bytes;      /* the keys, concatenated */
  struct sc_entry *e;       /* entries in insertion order */
  size_t n, ecap;
  uint32_t *slot;           /* 1 + entry index, 0 for empty */
  size_t mask;              /* slots - 1 */
  size_t maxlen;
  /* The memory of the arrays, reserved from the table's share (which
     has no limit unless there is a spill).  */
  struct bp_budget budget;
  struct bp_spill *spill;   /* where runs go past the budget, or NULL */
};

static uint64_t
hash_bytes (const uint8_t *p, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15u ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    {
      uint64_t w;
      memcpy (&w, p + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
  uint64_t w = 0;
  for (size_t j = 0; i + j < n; j++)
    w |= (uint64_t) p[i + j] << (8 * j);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
  h ^= h >> 32;
  h *= 0x9E3779B97F4A7C15u;
  return h ^ (h >> 29);
}

enum { MIN_SLOTS = 1024, MIN_ENTRIES = 1024 };

/* Reserve what the arrays now hold: they grew or shrank.  */
static void
account (struct bp_strcount *t)
{
  t->budget.used = bp_strcount_bytes (t);
}

struct bp_strcount *
bp_strcount_new (void)
{
  struct bp_strcount *t = calloc (1, sizeof *t);
  if (!t)
    return NULL;
  t->mask = MIN_SLOTS - 1;
  t->slot = calloc (t->mask + 1, sizeof *t->slot);
  if (!t->slot)
    {
      free (t);
      return NULL;
    }
  account (t);
  return t;
}

void
bp_strcount_free (struct bp_strcount *t)
{
  if (!t)
    return;
  bp_buf_free (&t->bytes);
  free (t->e);
  free (t->slot);
  free (t);
}

void
bp_strcount_budget (struct bp_strcount *t, const struct bp_budget *share,
                    struct bp_spill *spill)
{
  t->budget.limit = spill ? share->limit : 0;
  t->spill = share->limit ? spill : NULL;
}

size_t
bp_strcount_size (const struct bp_strcount *t)
{
  return t->n;
}

size_t
bp_strcount_bytes (const struct bp_strcount *t)
{
  return t->ecap * sizeof *t->e + (t->mask + 1) * sizeof *t->slot
         + t->bytes.cap;
}


static int
rehash (struct bp_strcount *t)
{
  size_t size = 2 * (t->mask + 1);
  uint32_t *slot = calloc (size, sizeof *slot);
  if (!slot)
    return BP_ENOMEM;
  for (size_t i = 0; i < t->n; i++)
    {
      size_t s = t->e[i].hash & (size - 1);
      while (slot[s])
        s = (s + 1) & (size - 1);
      slot[s] = (uint32_t) (i + 1);
    }
  free (t->slot);
  t->slot = slot;
  t->mask = size - 1;
  return 0;
}

/* Would adding a new key of LEN bytes pass the budget?  The table grows
   by doubling its arrays, which needs the old and the new one for a
   moment; and whatever it holds must still leave room to sort it for a
   spill.  */
static int
would_pass (const struct bp_strcount *t, size_t len)
{
  size_t now = bp_strcount_bytes (t), after = now, peak = now;
  if (t->n == t->ecap)
    {
      size_t old = t->ecap * sizeof *t->e;
      after += old ? old : MIN_ENTRIES * sizeof *t->e;
      peak = now + 2 * (old ? old : MIN_ENTRIES * sizeof *t->e);
    }
  if (t->bytes.len + len > t->bytes.cap)
    {
      size_t cap = t->bytes.cap ? t->bytes.cap : 256;
      while (cap < t->bytes.len + len)
        cap *= 2;
      after += cap - t->bytes.cap;
      if (now + cap > peak)
        peak = now + cap;
    }
  if (2 * (t->n + 1) > t->mask + 1)
    {
      size_t old = (t->mask + 1) * sizeof *t->slot;
      after += old;
      if (now + 2 * old > peak)
        peak = now + 2 * old;
    }
  size_t sort = BP_KEYSORT_BYTES (t->n + 1) + 8 * (t->maxlen + len);
  return bp_budget_over (&t->budget, peak - now)
         || bp_budget_over (&t->budget, after - now + sort);
}

static const uint8_t *
str_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct bp_strcount *t = ctx;
  (void) scratch;
  *len = t->e[i].len;
  return t->bytes.data + t->e[i].off;
}

/* The error of a failed count or sort.  */
static int
count_error (int rc, struct bp_error *err)
{
  if (rc == BP_ENOMEM)
    return bp_error_errno (err, ENOMEM);
  return bp_error_set (err, rc, 0, "%s", _("too many distinct keys"));
}

/* Entries between two reports of how far writing got.  */
enum { REPORT_EVERY = 1 << 16 };

/* Write the table's records to W, sorted, telling PROGRESS (if not
   NULL) how many are written.  Returns 0 or a negative code with ERR
   filled.  */
static int
write_records (const struct bp_strcount *t, struct bp_counts_writer *w,
               const struct bp_stage_progress *progress,
               struct bp_error *err)
{
  uint32_t *perm;
  int rc = bp_keysort_escaped (t->n, t->maxlen, str_key, t, &perm);
  if (rc)
    return count_error (rc, err);
  for (size_t i = 0; rc == 0 && i < t->n; i++)
    {
      const struct sc_entry *e = &t->e[perm[i]];
      rc = bp_counts_writer_put (w, t->bytes.data + e->off, e->len,
                                 e->count, err);
      if (progress && (i + 1) % REPORT_EVERY == 0)
        bp_stage_advance (progress, i + 1);
    }
  free (perm);
  return rc;
}

/* Empty the table, keeping its arrays.  */
static void
clear (struct bp_strcount *t)
{
  t->n = 0;
  t->bytes.len = 0;
  t->maxlen = 0;
  memset (t->slot, 0, (t->mask + 1) * sizeof *t->slot);
}

/* Write the table as a run of its spill and empty it.  */
static int
spill_table (struct bp_strcount *t, struct bp_error *err)
{
  struct bp_counts_writer w;
  int rc = bp_spill_begin (t->spill, &w, err);
  if (rc)
    return rc;
  if ((rc = write_records (t, &w, NULL, err)))
    return bp_spill_abandon (t->spill, &w, err);
  if ((rc = bp_spill_end (t->spill, &w, err)))
    return rc;
  clear (t);
  return 0;
}

int
bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                 uint64_t count, struct bp_error *err)
{
  uint64_t h = hash_bytes (key, len);
  size_t s = h & t->mask;
  int rc;
  for (uint32_t x; (x = t->slot[s]); s = (s + 1) & t->mask)
    {
      struct sc_entry *e = &t->e[x - 1];
      if (e->hash == h && e->len == len
          && memcmp (t->bytes.data + e->off, key, len) == 0)
        return ckd_add (&e->count, e->count, count)
                 ? bp_error_set (err, BP_ERANGE, 0, "%s",
                                 _("a count overflows"))
                 : 0;
    }
  if (t->spill && t->n && would_pass (t, len))
    {
      if ((rc = spill_table (t, err)))
        return rc;
      s = h & t->mask;
    }
  if (t->n >= UINT32_MAX - 1)
    return count_error (BP_ERANGE, err);
  if (BP_ARRAY_RESERVE (t->e, t->ecap, t->n + 1, MIN_ENTRIES))
    return bp_error_errno (err, ENOMEM);
  size_t off = t->bytes.len;
  if (bp_buf_append (&t->bytes, key, len))
    return bp_error_errno (err, ENOMEM);
  t->e[t->n] = (struct sc_entry) { h, off, len, count };
  t->slot[s] = (uint32_t) ++t->n;
  if (len > t->maxlen)
    t->maxlen = len;
  /* Keep the load under a half: probes stay short.  */
  if (2 * t->n > t->mask + 1 && rehash (t))
    return bp_error_errno (err, ENOMEM);
  account (t);
  return 0;
}

/* Give back the memory of T, now empty.  */
static void
release (struct bp_strcount *t)
{
  clear (t);
  bp_buf_free (&t->bytes);
  free (t->e);
  t->e = NULL;
  t->ecap = 0;
  account (t);
}

/* Writing several tables in memory, on threads: their entries are dealt
   into the parts of the file (countparts.h); a job adds up each part in a
   table of its own, sorts and formats it, and the parts are written in
   order.  */

struct ref
{
  uint32_t table, entry;
};

struct sc_parts
{
  struct bp_strcount *const *t;
  struct bp_countparts kp;
  size_t start[BP_COUNTPARTS + 1];   /* part P: ref[start[P]..start[P+1]) */
  struct ref *ref;
};

/* Make the records of part P (bp_countparts_fn).  */
static int
make_part (void *ctx, size_t p, struct bp_buf *out)
{
  struct sc_parts *ps = ctx;
  struct bp_strcount *sum = bp_strcount_new ();
  struct bp_error err;
  uint32_t *perm;
  int rc = 0;

  if (!sum)
    return BP_ENOMEM;
  for (size_t i = ps->start[p]; rc == 0 && i < ps->start[p + 1]; i++)
    {
      const struct bp_strcount *t = ps->t[ps->ref[i].table];
      const struct sc_entry *e = &t->e[ps->ref[i].entry];
      rc = bp_strcount_add (sum, t->bytes.data + e->off, e->len, e->count,
                            &err);
    }
  if (rc == 0
      && (rc = bp_keysort_escaped (sum->n, sum->maxlen, str_key, sum,
                                   &perm)) == 0)
    {
      for (size_t i = 0; rc == 0 && i < sum->n; i++)
        {
          const struct sc_entry *e = &sum->e[perm[i]];
          rc = bp_counts_format_record (out, sum->bytes.data + e->off,
                                        e->len, e->count);
        }
      free (perm);
    }
  bp_strcount_free (sum);
  return rc;
}

/* Write the N tables T[0..N) (N > 1) to F after the header H as above,
   on N threads, a stage of PROGRESS in entries.  */
static int
write_parts (struct bp_strcount *const *t, size_t n,
             const struct bp_counts_header *h, FILE *f,
             const struct bp_stage_progress *progress, struct bp_error *err)
{
  struct sc_parts *ps = calloc (1, sizeof *ps);
  size_t total = 0;
  int rc;

  if (!ps)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    total += t[i]->n;
  ps->t = t;
  ps->ref = malloc ((total ? total : 1) * sizeof *ps->ref);
  if (!ps->ref)
    {
      free (ps);
      return bp_error_errno (err, ENOMEM);
    }
  bp_countparts_init (&ps->kp);

  /* Deal the entries: count each part's, then place them.  */
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < t[i]->n; j++)
      ps->start[bp_countparts_of (&ps->kp, t[i]->bytes.data + t[i]->e[j].off,
                            t[i]->e[j].len) + 1]++;
  for (size_t p = 0; p < BP_COUNTPARTS; p++)
    ps->start[p + 1] += ps->start[p];
  size_t at[BP_COUNTPARTS];
  memcpy (at, ps->start, sizeof at);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < t[i]->n; j++)
      ps->ref[at[bp_countparts_of (&ps->kp, t[i]->bytes.data + t[i]->e[j].off,
                             t[i]->e[j].len)]++]
        = (struct ref) { (uint32_t) i, (uint32_t) j };

  size_t weight[BP_COUNTPARTS];
  for (size_t p = 0; p < BP_COUNTPARTS; p++)
    weight[p] = ps->start[p + 1] - ps->start[p];
  const struct bp_stage stage = { .kind = BP_STAGE_WRITE, .total = total };
  bp_stage_begin (progress, &stage);
  rc = bp_countparts_write (h, f, (int) n, make_part, ps, weight, progress,
                            err);
  bp_stage_end (progress);
  if (rc && rc != BP_EIO)
    rc = count_error (rc, err);
  free (ps->ref);
  free (ps);
  return rc;
}

int
bp_strcount_write (struct bp_strcount *const *t, size_t n,
                   const struct bp_counts_header *h, FILE *f,
                   const struct bp_stage_progress *progress,
                   struct bp_error *err)
{
  struct bp_strcount *dst = t[0];
  struct bp_spill *spill = dst->spill;
  struct bp_budget whole = bp_budget_of (0);   /* the shares together */
  const size_t own = dst->budget.limit;
  int rc;

  for (size_t i = 0; i < n; i++)
    {
      if (!t[i]->spill)
        spill = NULL;
      bp_budget_add (&whole, &t[i]->budget);
    }
  /* With several tables and nothing spilled, on as many threads, if the
     memory allows: the tables stay while each part is added up again,
     which takes as much again.  */
  if (n > 1 && (!spill || (bp_spill_runs (spill) == 0
                           && !bp_budget_over (&whole, whole.used))))
    return write_parts (t, n, h, f, progress, err);

  /* Add the others up in the first, which may use what they free: the
     budget of them all, less what the others still hold, and never less
     than its own share.  */
  size_t others = whole.used - dst->budget.used;
  struct bp_stage stage = { .kind = BP_STAGE_ADD, .items = n };
  for (size_t i = 1; i < n; i++)
    stage.total += t[i]->n;
  uint64_t added = 0;
  if (n > 1)
    bp_stage_begin (progress, &stage);
  for (size_t i = 1; i < n; i++)
    {
      if (spill)
        {
          struct bp_budget mine = bp_budget_of (
            whole.limit > others + own ? whole.limit - others : own);
          bp_strcount_budget (dst, &mine, spill);
        }
      for (size_t j = 0; j < t[i]->n; j++)
        {
          const struct sc_entry *e = &t[i]->e[j];
          if ((rc = bp_strcount_add (dst, t[i]->bytes.data + e->off, e->len,
                                     e->count, err)))
            {
              bp_stage_end (progress);
              return rc;
            }
          if (progress && ++added % REPORT_EVERY == 0)
            bp_stage_advance (progress, added);
        }
      others -= t[i]->budget.used;
      release (t[i]);
    }
  if (n > 1)
    bp_stage_end (progress);

  if (spill && bp_spill_runs (spill))
    {
      if (dst->n && (rc = spill_table (dst, err)))
        return rc;
      release (dst);
      return bp_spill_merge (spill, h, f, err);
    }

  struct bp_counts_writer w = { .f = f };
  const struct bp_stage writing = { .kind = BP_STAGE_WRITE, .items = dst->n,
                                    .total = dst->n };
  bp_stage_begin (progress, &writing);
  if ((rc = bp_counts_header_write (f, h, err)) == 0
      && (rc = write_records (dst, &w, progress, err)) == 0)
    rc = bp_counts_writer_flush (&w, err);
  bp_stage_end (progress);
  bp_counts_writer_free (&w);
  return rc;
}
