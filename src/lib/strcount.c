/* Counting byte strings; see strcount.h.  */
#include <config.h>
#include "strcount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "keysort.h"
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

struct bp_strcount *
bp_strcount_new (void)
{
  struct bp_strcount *t = calloc (1, sizeof *t);
  if (!t)
    return NULL;
  t->mask = 1023;
  t->slot = calloc (t->mask + 1, sizeof *t->slot);
  if (!t->slot)
    {
      free (t);
      return NULL;
    }
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

size_t
bp_strcount_size (const struct bp_strcount *t)
{
  return t->n;
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

int
bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                 uint64_t count)
{
  uint64_t h = hash_bytes (key, len);
  size_t s = h & t->mask;
  for (uint32_t x; (x = t->slot[s]); s = (s + 1) & t->mask)
    {
      struct sc_entry *e = &t->e[x - 1];
      if (e->hash == h && e->len == len
          && memcmp (t->bytes.data + e->off, key, len) == 0)
        return ckd_add (&e->count, e->count, count) ? BP_ERANGE : 0;
    }
  if (t->n >= UINT32_MAX - 1)
    return BP_ERANGE;
  if (t->n == t->ecap)
    {
      size_t cap = t->ecap ? 2 * t->ecap : 1024;
      struct sc_entry *e = realloc (t->e, cap * sizeof *e);
      if (!e)
        return BP_ENOMEM;
      t->e = e;
      t->ecap = cap;
    }
  size_t off = t->bytes.len;
  if (bp_buf_append (&t->bytes, key, len))
    return BP_ENOMEM;
  t->e[t->n] = (struct sc_entry) { h, off, len, count };
  t->slot[s] = (uint32_t) ++t->n;
  if (len > t->maxlen)
    t->maxlen = len;
  /* Keep the load under a half: probes stay short.  */
  if (2 * t->n > t->mask + 1 && rehash (t))
    return BP_ENOMEM;
  return 0;
}

int
bp_strcount_absorb (struct bp_strcount *dst, struct bp_strcount *src)
{
  for (size_t i = 0; i < src->n; i++)
    {
      const struct sc_entry *e = &src->e[i];
      int rc = bp_strcount_add (dst, src->bytes.data + e->off, e->len,
                                e->count);
      if (rc)
        return rc;
    }
  src->n = 0;
  src->bytes.len = 0;
  memset (src->slot, 0, (src->mask + 1) * sizeof *src->slot);
  return 0;
}

static const uint8_t *
str_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct bp_strcount *t = ctx;
  (void) scratch;
  *len = t->e[i].len;
  return t->bytes.data + t->e[i].off;
}

int
bp_strcount_write (const struct bp_strcount *t,
                   const struct bp_counts_header *h, FILE *f,
                   struct bp_error *err)
{
  struct bp_counts_writer w = { .f = f };
  uint32_t *perm;
  int rc = bp_keysort_escaped (t->n, t->maxlen, str_key, t, &perm);
  if (rc)
    return rc == BP_ENOMEM ? bp_error_errno (err, ENOMEM)
                           : bp_error_set (err, rc, 0, "%s",
                                           _("too many distinct keys"));
  if (bp_counts_header_write (f, h))
    goto write_error;
  for (size_t i = 0; i < t->n; i++)
    {
      const struct sc_entry *e = &t->e[perm[i]];
      if ((rc = bp_counts_writer_put (&w, t->bytes.data + e->off, e->len,
                                      e->count)))
        {
          if (rc != BP_ENOMEM)
            goto write_error;
          free (perm);
          bp_counts_writer_free (&w);
          return bp_error_errno (err, ENOMEM);
        }
    }
  if (bp_counts_writer_flush (&w))
    goto write_error;
  free (perm);
  bp_counts_writer_free (&w);
  return 0;

write_error:
  rc = bp_error_errno (err, errno ? errno : EIO);
  free (perm);
  bp_counts_writer_free (&w);
  return rc;
}
