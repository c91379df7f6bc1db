/* SPDX-License-Identifier: Apache-2.0 */
/* Sorted runs of n-gram windows: what the parts of the n-gram counter
   share (ngramcount.c counts windows into runs, ngramspill.c spills
   them, ngramparts.c writes them on threads; ngramcount.h says how).
   A window is the longest substring at a position, packed in a uint64
   (ngramkey.h); a run (ngramcore.h) holds distinct windows in
   increasing order with their counts, as struct kc.  The stream merges
   several runs (a heap, heap.h); the expander turns sorted windows into
   the n-grams they start with.

   Internal to the n-gram counter.  Ownership: a run's array is the
   owner's; a stream borrows the runs it walks.  */
#ifndef BP_NGRAMRUN_H
#define BP_NGRAMRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counts.h"
#include "heap.h"
#include "keysort.h"
#include "ngramcore.h"
#include "ngramkey.h"

struct bp_buf;
struct bp_error;
struct bp_spill;
struct bp_stage_progress;

/* A window or an n-gram, packed, and its count.  */
struct kc
{
  uint64_t key, count;
};

/* The bytes of n-gram I of the array of struct kc CTX, for
   bp_keysort_escaped.  */
static inline const uint8_t *
kc_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct kc *v = ctx;
  *len = bp_ngram_unpack (v[i].key, scratch);
  return scratch;
}

/* The failure RC of a count (BP_ENOMEM, or BP_ERANGE, which needs inputs
   of many terabytes) in ERR.  */
int bp_ngramrun_error (int rc, struct bp_error *err);

/* ------------------------------------------------------------------ */
/* Expanding sorted windows into n-grams.  */

/* The windows that start with an n-gram g are adjacent in sorted order,
   so walking them with one open group per length finds every g once,
   with the sum of their counts.  Fed a part of the windows, it gives
   the part of each count that those windows make.  */
struct expander
{
  uint64_t key[BP_PACKED_ORDER + 1];
  uint64_t count[BP_PACKED_ORDER + 1];
  int open_to;              /* groups 1..OPEN_TO are open */
};

/* The most n-grams one call of expand_feed or expand_close emits.  */
#define EXPAND_MAX BP_PACKED_ORDER

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
static inline void
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

/* ------------------------------------------------------------------ */
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

static inline int
cursor_less (const void *a, const void *b)
{
  return ((const struct cursor *) a)->p->key
         < ((const struct cursor *) b)->p->key;
}

/* Room for the cursors of N runs.  Returns 0 or BP_ENOMEM.  */
int bp_ngramrun_stream_new (struct stream *s, size_t n);

/* Walk the windows V[0..N) too (before the first stream_next).  */
static inline void
stream_add (struct stream *s, const struct kc *v, size_t n)
{
  if (n)
    s->heap[s->n++] = (struct cursor) { v, v + n };
}

/* Start walking.  */
static inline void
stream_start (struct stream *s)
{
  bp_heap_make (s->heap, s->n, sizeof *s->heap, cursor_less);
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
    bp_heap_pop (s->heap, &s->n, sizeof *s->heap, cursor_less);
  else
    bp_heap_down (s->heap, s->n, sizeof *s->heap, 0, cursor_less);
  return 1;
}

void bp_ngramrun_stream_free (struct stream *s);

/* ------------------------------------------------------------------ */
/* Spilling and writing runs (ngramspill.c, ngramparts.c): the fast
   path's operations of ngramcore.h, on runs of struct kc.  */

int bp_ngramrun_spill (const struct run *r, size_t n, size_t order,
                       size_t slice, struct bp_spill *spill,
                       const struct bp_stage_progress *progress,
                       struct bp_error *err);
int bp_ngramparts_count (const struct bp_ngramparts *ps, size_t p,
                         size_t *n);
int bp_ngramparts_make (void *ctx, size_t p, struct bp_buf *out);

#endif /* BP_NGRAMRUN_H */
