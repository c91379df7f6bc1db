/* Double-array trie construction; see matcher.h.  */
#include <config.h>
#include "matcher.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "system.h"

/* The trie is built from the pieces sorted by their bytes, depth first:
   the keys below a node are a contiguous range of that order, and its
   children are the distinct bytes at the node's depth.  Free slots form
   a doubly linked list so that finding a base that fits all children
   costs little more than the number of free slots tried.  */
struct build
{
  const struct bp_model *m;
  size_t *order;                /* piece indices sorted by bytes */
  struct bp_da_node *node;
  int32_t *next, *prev;         /* free list, -1 terminated; head is FREE */
  int32_t free_head;
  size_t size;
  uint8_t *base_used;           /* a base is used by one node only */
};

struct key
{
  const uint8_t *p;
  size_t len;
  size_t index;
};

static int
cmp_keys (const void *a, const void *b)
{
  const struct key *x = a, *y = b;
  int c = memcmp (x->p, y->p, x->len < y->len ? x->len : y->len);
  if (c)
    return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

/* Make sure slots below NEED exist; new slots go on the free list.  */
static int
ensure_size (struct build *b, size_t need)
{
  if (need <= b->size)
    return 0;
  size_t size = b->size ? b->size : 1024;
  while (size < need)
    size *= 2;
  if (size > INT32_MAX)
    return BP_ENOMEM;
  struct bp_da_node *node = realloc (b->node, size * sizeof *node);
  if (!node)
    return BP_ENOMEM;
  b->node = node;
  int32_t *next = realloc (b->next, size * sizeof *next);
  if (!next)
    return BP_ENOMEM;
  b->next = next;
  int32_t *prev = realloc (b->prev, size * sizeof *prev);
  if (!prev)
    return BP_ENOMEM;
  b->prev = prev;
  uint8_t *used = realloc (b->base_used, size);
  if (!used)
    return BP_ENOMEM;
  b->base_used = used;

  /* Append the new slots to the end of the free list.  */
  int32_t tail = -1;
  if (b->free_head >= 0)
    tail = b->prev[b->free_head];
  for (size_t i = b->size; i < size; i++)
    {
      node[i].base = 0;
      node[i].check = -1;
      node[i].piece = -1;
      node[i].unused = 0;
      used[i] = 0;
      next[i] = -1;
      prev[i] = tail;
      if (tail >= 0)
        next[tail] = (int32_t) i;
      else
        b->free_head = (int32_t) i;
      tail = (int32_t) i;
    }
  /* Keep the list circular through prev of the head, for O(1) append.  */
  b->prev[b->free_head] = tail;
  b->size = size;
  return 0;
}

static void
take_slot (struct build *b, int32_t t)
{
  int32_t n = b->next[t], p = b->prev[t];
  if (t == b->free_head)
    {
      b->free_head = n;
      if (n >= 0)
        b->prev[n] = p;   /* P is the tail */
    }
  else
    {
      b->next[p] = n;
      if (n >= 0)
        b->prev[n] = p;
      else
        b->prev[b->free_head] = p;   /* T was the tail */
    }
}

/* Place the children of node S, which covers order[lo..hi) at DEPTH.  */
static int
place (struct build *b, int32_t s, size_t lo, size_t hi, size_t depth)
{
  uint8_t labels[256];
  size_t starts[257];
  int nl = 0;
  size_t len;
  int rc;

  /* A key that ends here is first in the sorted range.  */
  if (lo < hi)
    {
      bp_model_piece (b->m, b->order[lo], &len);
      if (len == depth)
        {
          b->node[s].piece = (int32_t) b->order[lo];
          lo++;
        }
    }
  if (lo == hi)
    return 0;
  for (size_t i = lo; i < hi; i++)
    {
      const uint8_t *p = bp_model_piece (b->m, b->order[i], &len);
      if (len == depth)
        return BP_EFORMAT;  /* the same piece twice */
      if (nl == 0 || p[depth] != labels[nl - 1])
        {
          labels[nl] = p[depth];
          starts[nl++] = i;
        }
    }
  starts[nl] = hi;

  /* Find a base: try the free slots in list order for the first child.  */
  int32_t base = -1;
  for (int32_t f = b->free_head;; f = b->next[f])
    {
      if (f < 0)
        {
          /* No free slot fits: grow and carry on from the new slots.  */
          size_t old = b->size;
          if ((rc = ensure_size (b, b->size * 2)))
            return rc;
          f = (int32_t) old;
        }
      int32_t cand = f - labels[0];
      if (cand < 1 || b->base_used[cand])
        continue;
      if ((size_t) cand + 256 > b->size
          && (rc = ensure_size (b, (size_t) cand + 257)))
        return rc;
      int ok = 1;
      for (int k = 1; k < nl && ok; k++)
        ok = b->node[cand + labels[k]].check < 0;
      if (ok)
        {
          base = cand;
          break;
        }
    }

  b->base_used[base] = 1;
  b->node[s].base = base;
  for (int k = 0; k < nl; k++)
    {
      int32_t t = base + labels[k];
      take_slot (b, t);
      b->node[t].check = s;
    }
  for (int k = 0; k < nl; k++)
    if ((rc = place (b, base + labels[k], starts[k], starts[k + 1],
                     depth + 1)))
      return rc;
  return 0;
}

struct bp_matcher *
bp_matcher_new (const struct bp_model *m, struct bp_error *err)
{
  struct build b = { 0 };
  struct bp_matcher *mt = NULL;
  int rc;

  b.m = m;
  b.free_head = -1;
  b.order = malloc ((m->n ? m->n : 1) * sizeof *b.order);
  struct key *keys = malloc ((m->n ? m->n : 1) * sizeof *keys);
  if (!b.order || !keys)
    {
      free (keys);
      goto nomem;
    }
  for (size_t i = 0; i < m->n; i++)
    {
      keys[i].p = bp_model_piece (m, i, &keys[i].len);
      keys[i].index = i;
    }
  qsort (keys, m->n, sizeof *keys, cmp_keys);
  for (size_t i = 0; i < m->n; i++)
    b.order[i] = keys[i].index;
  free (keys);

  if ((rc = ensure_size (&b, (size_t) m->n * 2 + 1024)))
    goto nomem;
  take_slot (&b, 0);
  b.node[0].check = 0;   /* the root is its own parent, never free */
  rc = place (&b, 0, 0, m->n, 0);
  if (rc == BP_EFORMAT)
    {
      bp_error_set (err, BP_EFORMAT, 0, _("a piece occurs twice"));
      goto fail;
    }
  if (rc)
    goto nomem;

  /* Trim to the last used slot plus room for any base + byte.  */
  size_t last = 0;
  for (size_t i = 0; i < b.size; i++)
    if (b.node[i].check >= 0)
      last = i;
  size_t maxbase = 0;
  for (size_t i = 0; i <= last; i++)
    if (b.node[i].check >= 0 && (size_t) b.node[i].base > maxbase)
      maxbase = (size_t) b.node[i].base;
  size_t size = (last > maxbase ? last : maxbase) + 257;
  if ((rc = ensure_size (&b, size)))
    goto nomem;

  mt = malloc (sizeof *mt);
  if (!mt)
    goto nomem;
  mt->node = realloc (b.node, size * sizeof *b.node);
  if (!mt->node)
    mt->node = b.node;
  mt->size = size;
  b.node = NULL;
  /* A free slot's check must never equal a real node: -1 is safe, but
     the root checks itself as 0, so slot 0 + c never aliases it.  */
  free (b.order);
  free (b.next);
  free (b.prev);
  free (b.base_used);
  return mt;

nomem:
  bp_error_set (err, BP_ENOMEM, 0, "%s", "");
fail:
  free (b.order);
  free (b.node);
  free (b.next);
  free (b.prev);
  free (b.base_used);
  free (mt);
  return NULL;
}

void
bp_matcher_free (struct bp_matcher *mt)
{
  if (!mt)
    return;
  free (mt->node);
  free (mt);
}

int32_t
bp_matcher_find (const struct bp_matcher *mt, const uint8_t *p, size_t n)
{
  int32_t s = BP_MATCHER_ROOT;
  for (size_t i = 0; i < n; i++)
    if ((s = bp_matcher_step (mt, s, p[i])) < 0)
      return -1;
  return mt->node[s].piece;
}
