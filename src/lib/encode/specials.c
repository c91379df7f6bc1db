/* SPDX-License-Identifier: Apache-2.0 */
/* Special tokens in text; see specials.h.  The tokens are few and short:
   a trie with sibling lists, and a table of the bytes they start with so
   that most positions cost one lookup.  */
#include <config.h>
#include "specials.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "model.h"
#include "unigram.h"

struct node
{
  int32_t child;     /* first child, or -1 */
  int32_t sibling;   /* next child of the same parent, or -1 */
  int32_t special;   /* the piece index of the token ending here, or -1 */
  uint8_t byte;      /* the label of the edge into this node */
};

struct bp_specials
{
  struct node *node;   /* node 0 is the root */
  size_t n;
  size_t max_len;
  unsigned char starts[256];   /* some token starts with this byte */
};

static int32_t
child (const struct bp_specials *s, int32_t at, uint8_t b)
{
  for (int32_t c = s->node[at].child; c >= 0; c = s->node[c].sibling)
    if (s->node[c].byte == b)
      return c;
  return -1;
}

struct bp_specials *
bp_specials_new (const struct bp_model *m)
{
  struct bp_specials *s = calloc (1, sizeof *s);
  size_t cap = 1 + m->off[m->n + m->nspecial] - m->off[m->n];
  if (s)
    s->node = malloc (cap * sizeof *s->node);
  if (!s || !s->node)
    {
      bp_specials_free (s);
      return NULL;
    }
  s->node[0] = (struct node) { -1, -1, -1, 0 };
  s->n = 1;
  for (size_t i = m->n; i < m->n + m->nspecial; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      int32_t at = 0;
      s->starts[p[0]] = 1;
      if (len > s->max_len)
        s->max_len = len;
      for (size_t k = 0; k < len; k++)
        {
          int32_t c = child (s, at, p[k]);
          if (c < 0)
            {
              c = (int32_t) s->n++;
              s->node[c] = (struct node) { -1, s->node[at].child, -1, p[k] };
              s->node[at].child = c;
            }
          at = c;
        }
      s->node[at].special = (int32_t) i;
    }
  return s;
}

void
bp_specials_free (struct bp_specials *s)
{
  if (s)
    free (s->node);
  free (s);
}

size_t
bp_specials_max_len (const struct bp_specials *s)
{
  return s->max_len;
}

long
bp_specials_lookup (const struct bp_specials *s, const uint8_t *p, size_t n)
{
  int32_t at = 0;
  for (size_t k = 0; k < n && at >= 0; k++)
    at = child (s, at, p[k]);
  return at > 0 ? s->node[at].special : -1;
}

/* The first position of TEXT (N bytes) where a special token starts: its
   offset, with *LEN and *INDEX the longest token there; or where the
   rest of TEXT may begin one that the next bytes would complete or
   lengthen (unless LAST), with *LEN 0.  N if neither.  */
static size_t
scan (const struct bp_specials *s, const uint8_t *text, size_t n, int last,
      size_t *len, uint32_t *index)
{
  for (size_t i = 0; i < n; i++)
    {
      if (!s->starts[text[i]])
        continue;
      int32_t at = 0;
      size_t best = 0, k;
      for (k = i; k < n; k++)
        {
          at = child (s, at, text[k]);
          if (at < 0)
            break;
          if (s->node[at].special >= 0)
            {
              best = k - i + 1;
              *index = (uint32_t) s->node[at].special;
            }
        }
      if (k == n && !last && s->node[at].child >= 0)
        {
          *len = 0;
          return i;
        }
      if (best)
        {
          *len = best;
          return i;
        }
    }
  return n;
}

struct bp_specials_seg
{
  const struct bp_specials *s;
  struct bp_segmenter *seg;
  double alpha;
  struct bp_rng *rng;
  struct bp_buf carry;   /* bytes that may begin a special token */
  struct bp_buf tmp;     /* the carry and the next span together */
};

struct bp_specials_seg *
bp_specials_seg_new (const struct bp_specials *s, struct bp_segmenter *seg)
{
  struct bp_specials_seg *x = calloc (1, sizeof *x);
  if (x)
    {
      x->s = s;
      x->seg = seg;
    }
  return x;
}

void
bp_specials_seg_free (struct bp_specials_seg *x)
{
  if (!x)
    return;
  bp_buf_free (&x->carry);
  bp_buf_free (&x->tmp);
  free (x);
}

void
bp_specials_seg_start (struct bp_specials_seg *x, double alpha,
                       struct bp_rng *rng)
{
  x->alpha = alpha;
  x->rng = rng;
  x->carry.len = 0;
  bp_segmenter_start (x->seg, alpha, rng);
}

static int
push (struct bp_pieces *out, uint32_t index)
{
  if (BP_ARRAY_RESERVE (out->v, out->cap, out->len + 1, 64))
    return BP_ENOMEM;
  out->v[out->len++] = index;
  return 0;
}

int
bp_specials_seg_feed (struct bp_specials_seg *x, const uint8_t *text,
                      size_t n, int last, struct bp_pieces *out)
{
  const uint8_t *p = text;
  size_t len = n, pos = 0;
  int rc;

  /* Bytes kept from the last call come first: put both together (rare:
     a long line cut into spans just inside a special token).  */
  if (x->carry.len)
    {
      x->tmp.len = 0;
      if (bp_buf_append (&x->tmp, x->carry.data, x->carry.len)
          || bp_buf_append (&x->tmp, text, n))
        return BP_ENOMEM;
      x->carry.len = 0;
      p = x->tmp.data;
      len = x->tmp.len;
    }
  for (;;)
    {
      size_t mlen = 0;
      uint32_t index = 0;
      size_t i = pos + scan (x->s, p + pos, len - pos, last, &mlen, &index);
      int match = i < len && mlen, wait = i < len && !mlen;
      /* The text before it is a stretch of its own when a token follows;
         before bytes that wait, it may go on.  */
      if ((rc = bp_segmenter_feed (x->seg, p + pos, i - pos,
                                   match || (last && !wait), out)))
        return rc;
      if (match)
        {
          if ((rc = push (out, index)))
            return rc;
          pos = i + mlen;
          bp_segmenter_start (x->seg, x->alpha, x->rng);
          continue;
        }
      if (wait && bp_buf_append (&x->carry, p + i, len - i))
        return BP_ENOMEM;
      return 0;
    }
}
