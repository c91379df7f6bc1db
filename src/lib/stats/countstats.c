/* SPDX-License-Identifier: Apache-2.0 */
/* Summaries of count files; see countstats.h.  */
#include <config.h>
#include "countstats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "heap.h"
#include "system.h"

/* Is A a worse entry of a top list than B: a smaller count, or the same
   count later in the file?  */
static int
key_worse (const struct bp_stats_key *a, const struct bp_stats_key *b)
{
  return a->count < b->count || (a->count == b->count && a->seq > b->seq);
}

/* The order of the heap of a top list (heap.h): the worst entry at the
   root, the one a better key replaces.  */
static int
heap_worse (const void *a, const void *b)
{
  return key_worse (a, b);
}

static int
key_cmp_best (const void *pa, const void *pb)
{
  const struct bp_stats_key *a = pa, *b = pb;
  return key_worse (a, b) ? 1 : key_worse (b, a) ? -1 : 0;
}

static int
set_key (struct bp_stats_key *e, const uint8_t *key, size_t len,
         uint64_t count, uint64_t seq)
{
  uint8_t *k = realloc (e->key, len ? len : 1);
  if (!k)
    return BP_ENOMEM;
  if (len)
    memcpy (k, key, len);
  e->key = k;
  e->len = len;
  e->count = count;
  e->seq = seq;
  return 0;
}

/* Make room in S's top list for more entries, never more than TOP in
   all: the list grows with the keys read, so a large -n costs no more
   than the file's keys.  Returns 0 or BP_ENOMEM.  */
static int
grow_top (struct bp_stats_counts *s, size_t top)
{
  size_t cap = s->topcap ? s->topcap : 64;
  if (s->topcap && ckd_mul (&cap, s->topcap, 2))
    cap = top;
  if (cap > top)
    cap = top;
  struct bp_stats_key *t = NULL;
  size_t bytes;
  if (!ckd_mul (&bytes, cap, sizeof *t))
    t = realloc (s->top, bytes);
  if (!t)
    return BP_ENOMEM;
  s->top = t;
  s->topcap = cap;
  return 0;
}

int
bp_stats_counts_read (struct bp_stats_counts *s, const char *name, FILE *f,
                      size_t top, struct bp_error *err)
{
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  int rc;

  memset (s, 0, sizeof *s);
  s->name = name;
  if ((rc = bp_counts_reader_open (f, &r, err)))
    return rc;
  s->h = *bp_counts_reader_header (r);
  while ((rc = bp_counts_reader_next (r, &rec, err)) == 1)
    {
      if (ckd_add (&s->sum, s->sum, rec.count))
        {
          rc = bp_error_set (err, BP_ERANGE, rec.line, "%s",
                             _("the sum of the counts overflows 64 bits"));
          break;
        }
      if (bp_lenhist_add (&s->by_len, rec.len, 1))
        {
          rc = bp_error_errno (err, ENOMEM);
          break;
        }
      s->by_kind[bp_piece_classify (rec.key, rec.len)]++;
      uint64_t seq = s->keys++;
      if (s->ntop < top)
        {
          if (s->ntop == s->topcap && grow_top (s, top))
            {
              rc = bp_error_errno (err, ENOMEM);
              break;
            }
          s->top[s->ntop].key = NULL;
          if (set_key (&s->top[s->ntop], rec.key, rec.len, rec.count, seq))
            {
              rc = bp_error_errno (err, ENOMEM);
              break;
            }
          s->ntop++;
          bp_heap_up (s->top, sizeof *s->top, s->ntop - 1, heap_worse);
        }
      else if (top && rec.count > s->top[0].count)
        {
          /* Better than the worst kept; an equal count is not, since it
             comes later.  */
          if (set_key (&s->top[0], rec.key, rec.len, rec.count, seq))
            {
              rc = bp_error_errno (err, ENOMEM);
              break;
            }
          bp_heap_down (s->top, s->ntop, sizeof *s->top, 0, heap_worse);
        }
    }
  bp_counts_reader_free (r);
  if (rc < 0)
    return rc;
  if (s->ntop)
    qsort (s->top, s->ntop, sizeof *s->top, key_cmp_best);
  return 0;
}

void
bp_stats_counts_free (struct bp_stats_counts *s)
{
  for (size_t i = 0; i < s->ntop; i++)
    free (s->top[i].key);
  free (s->top);
  s->top = NULL;
  s->ntop = s->topcap = 0;
  bp_lenhist_free (&s->by_len);
}

