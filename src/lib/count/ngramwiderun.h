/* SPDX-License-Identifier: Apache-2.0 */
/* Sorted runs of windows of several words, for the general path of the
   n-gram counter (ngramwide.c): what ngramrun.h is to the fast path.  A
   run (ngramcore.h) holds distinct packed windows (ngramkey.h) in
   increasing order, each followed by its count, KW + 1 words; the stream merges several runs (a heap,
   heap.h); the expander turns sorted windows into the n-grams they
   start with.

   Internal to the n-gram counter.  Ownership: a run's array is the
   owner's; a stream, an expander and the n-grams it makes borrow the
   runs they point into.  */
#ifndef BP_NGRAMWIDERUN_H
#define BP_NGRAMWIDERUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "counts.h"
#include "error.h"
#include "heap.h"
#include "ngramkey.h"

/* An n-gram expanded from the windows: the first LEN bytes of the window
   KEY points to (in a run), and its count.  */
struct wgram
{
  const uint64_t *key;
  uint64_t count;
  size_t len;
};

/* ------------------------------------------------------------------ */
/* The windows of several runs in order: a heap of cursors.  */

struct wcursor
{
  const uint64_t *p, *end;
  size_t kw;
};

struct wstream
{
  struct wcursor *heap;
  size_t n;
};

static inline int
wcursor_less (const void *a, const void *b)
{
  const struct wcursor *x = a, *y = b;
  return bp_ngram_words_cmp (x->p, y->p, x->kw) < 0;
}

static inline int
wstream_new (struct wstream *s, size_t n)
{
  s->n = 0;
  s->heap = malloc ((n ? n : 1) * sizeof *s->heap);
  return s->heap ? 0 : BP_ENOMEM;
}

/* Walk the N elements V too, of KW + 1 words each.  */
static inline void
wstream_add (struct wstream *s, const uint64_t *v, size_t n, size_t kw)
{
  if (n)
    s->heap[s->n++] = (struct wcursor) { v, v + n * (kw + 1), kw };
}

static inline void
wstream_start (struct wstream *s)
{
  bp_heap_make (s->heap, s->n, sizeof *s->heap, wcursor_less);
}

/* The next element (the window, then its count), or NULL at the end.  */
static inline const uint64_t *
wstream_next (struct wstream *s)
{
  if (s->n == 0)
    return NULL;
  struct wcursor *top = &s->heap[0];
  const uint64_t *e = top->p;
  top->p += top->kw + 1;
  if (top->p == top->end)
    bp_heap_pop (s->heap, &s->n, sizeof *s->heap, wcursor_less);
  else
    bp_heap_down (s->heap, s->n, sizeof *s->heap, 0, wcursor_less);
  return e;
}

/* ------------------------------------------------------------------ */
/* Expanding sorted windows into n-grams (ngramrun.h's expander, on
   packed words: group J is the first J bytes of the windows fed since
   it opened, the previous window's among them).  */

struct wexpander
{
  size_t kw;
  size_t open_to;
  const uint64_t *prev;
  const uint64_t *key[BP_MAX_ORDER + 1];
  uint64_t count[BP_MAX_ORDER + 1];
};

/* The bytes the packed keys A and B have in common from the start.  */
static inline size_t
common_bytes (const uint64_t *a, const uint64_t *b, size_t kw)
{
  for (size_t i = 0; i < kw; i++)
    {
      uint64_t x = a[i] ^ b[i];
      if (x)
        return 8 * i + (size_t) __builtin_clzll (x) / 8;
    }
  return 8 * kw;
}

static inline void
wemit (struct wexpander *x, size_t j, struct wgram *out, size_t *n)
{
  if (out)
    out[*n] = (struct wgram) { x->key[j], x->count[j], j };
  ++*n;
}

/* Feed the element E (a window and its count).  */
static inline void
wexpand_feed (struct wexpander *x, const uint64_t *e, struct wgram *out,
              size_t *n)
{
  size_t len = bp_ngram_words_len (e, x->kw), d = 0;
  uint64_t cnt = e[x->kw];
  if (x->open_to)
    {
      d = common_bytes (x->prev, e, x->kw);
      if (d > x->open_to)
        d = x->open_to;
      if (d > len)
        d = len;
    }
  for (size_t j = x->open_to; j > d; j--)
    wemit (x, j, out, n);
  for (size_t j = 1; j <= d; j++)
    x->count[j] += cnt;
  for (size_t j = d + 1; j <= len; j++)
    {
      x->key[j] = e;
      x->count[j] = cnt;
    }
  x->open_to = len;
  x->prev = e;
}

static inline void
wexpand_close (struct wexpander *x, struct wgram *out, size_t *n)
{
  for (size_t j = x->open_to; j >= 1; j--)
    wemit (x, j, out, n);
  x->open_to = 0;
}

static inline const uint8_t *
wgram_key (const void *ctx, size_t i, uint8_t *scratch, size_t *len)
{
  const struct wgram *v = ctx;
  *len = v[i].len;
  bp_ngram_unpack_words (v[i].key, v[i].len, scratch);
  return scratch;
}

#endif /* BP_NGRAMWIDERUN_H */
