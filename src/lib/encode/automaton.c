/* The Aho-Corasick automaton: double-array trie, failure links and
   candidate lists; see automaton.h.  */
#include <config.h>
#include "automaton.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "system.h"

/* The trie is built from the pieces sorted by their bytes: the keys below
   a node are a contiguous range of that order, and its children are the
   distinct bytes at the node's depth.  Nodes are placed breadth first, so
   the shallow nodes, which every walk visits, end up together at the
   front of the array and stay in cache; the same order serves the
   failure links, since a node's suffixes are shallower than it.

   Free slots form a doubly linked list.  A node's children need a base
   such that every child's slot is free; the search tries the free slots in
   list order as the place of the first child.  Slots near the front that
   keep failing (the array there is nearly full) are retired from the list
   after a few failures, as darts does with its "next check position", or
   every search would walk past them again and the build would grow with
   the square of the vocabulary.  A retired slot stays free and can still
   take a later child.  */
enum { RETIRE_AFTER = 8 };

struct pending
{
  int32_t node;
  size_t lo, hi, depth;
};

struct build
{
  const struct bp_model *m;
  size_t *sorted;               /* piece indices sorted by bytes */
  struct bp_ac_node *node;
  int32_t *next, *prev;         /* the free list; -1 terminated */
  uint8_t *listed;              /* the slot is on the free list */
  uint8_t *fails;               /* failed searches that tried the slot */
  uint8_t *base_used;           /* a base is used by one node only */
  int32_t free_head;
  size_t size;
  struct pending *queue;        /* nodes in breadth-first order */
  size_t qlen, qcap;
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

/* Remove slot T from the free list (it keeps PREV of the head pointing at
   the tail, for appending in constant time).  */
static void
unlist (struct build *b, int32_t t)
{
  int32_t n = b->next[t], p = b->prev[t];
  if (!b->listed[t])
    return;
  b->listed[t] = 0;
  if (t == b->free_head)
    {
      b->free_head = n;
      if (n >= 0)
        b->prev[n] = p;
    }
  else
    {
      b->next[p] = n;
      if (n >= 0)
        b->prev[n] = p;
      else
        b->prev[b->free_head] = p;
    }
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
  if (size > INT32_MAX / 2)
    return BP_ENOMEM;
  struct bp_ac_node *node = realloc (b->node, size * sizeof *node);
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
  uint8_t *listed = realloc (b->listed, size);
  if (!listed)
    return BP_ENOMEM;
  b->listed = listed;
  uint8_t *fails = realloc (b->fails, size);
  if (!fails)
    return BP_ENOMEM;
  b->fails = fails;
  uint8_t *used = realloc (b->base_used, size);
  if (!used)
    return BP_ENOMEM;
  b->base_used = used;

  int32_t tail = b->free_head >= 0 ? prev[b->free_head] : -1;
  for (size_t i = b->size; i < size; i++)
    {
      node[i] = (struct bp_ac_node) { 0, -1, -1, -1 };
      used[i] = 0;
      fails[i] = 0;
      listed[i] = 1;
      next[i] = -1;
      prev[i] = tail;
      if (tail >= 0)
        next[tail] = (int32_t) i;
      else
        b->free_head = (int32_t) i;
      tail = (int32_t) i;
    }
  prev[b->free_head] = tail;
  b->size = size;
  return 0;
}

static int
enqueue (struct build *b, int32_t node, size_t lo, size_t hi, size_t depth)
{
  if (b->qlen == b->qcap)
    {
      size_t cap = b->qcap ? 2 * b->qcap : 1024;
      struct pending *q = realloc (b->queue, cap * sizeof *q);
      if (!q)
        return BP_ENOMEM;
      b->queue = q;
      b->qcap = cap;
    }
  b->queue[b->qlen++] = (struct pending) { node, lo, hi, depth };
  return 0;
}

/* Place the children of node S, which covers sorted[lo..hi) at DEPTH, and
   queue them.  */
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
      bp_model_piece (b->m, b->sorted[lo], &len);
      if (len == depth)
        {
          b->node[s].out = (int32_t) b->sorted[lo];   /* the piece, for now */
          lo++;
        }
    }
  if (lo == hi)
    return 0;
  for (size_t i = lo; i < hi; i++)
    {
      const uint8_t *p = bp_model_piece (b->m, b->sorted[i], &len);
      if (len == depth)
        return BP_EFORMAT;  /* the same piece twice */
      if (nl == 0 || p[depth] != labels[nl - 1])
        {
          labels[nl] = p[depth];
          starts[nl++] = i;
        }
    }
  starts[nl] = hi;

  int32_t base = -1;
  for (int32_t f = b->free_head;;)
    {
      if (f < 0)
        {
          size_t old = b->size;
          if ((rc = ensure_size (b, b->size * 2)))
            return rc;
          f = (int32_t) old;
        }
      int32_t cand = f - labels[0];
      int ok = cand >= 1 && !b->base_used[cand];
      if (ok && (size_t) cand + 256 > b->size
          && (rc = ensure_size (b, (size_t) cand + 257)))
        return rc;
      for (int k = 1; k < nl && ok; k++)
        ok = b->node[cand + labels[k]].check < 0;
      if (ok)
        {
          base = cand;
          break;
        }
      int32_t next = b->next[f];
      if (++b->fails[f] >= RETIRE_AFTER)
        unlist (b, f);
      f = next;
    }

  b->base_used[base] = 1;
  b->node[s].base = base;
  for (int k = 0; k < nl; k++)
    {
      int32_t t = base + labels[k];
      unlist (b, t);
      b->node[t].check = s;
    }
  for (int k = 0; k < nl; k++)
    if ((rc = enqueue (b, base + labels[k], starts[k], starts[k + 1],
                       depth + 1)))
      return rc;
  return 0;
}

static void
build_free (struct build *b)
{
  free (b->sorted);
  free (b->node);
  free (b->next);
  free (b->prev);
  free (b->listed);
  free (b->fails);
  free (b->base_used);
  free (b->queue);
}

/* The failure links and candidate lists, over the nodes in breadth-first
   order (QUEUE), so that a node's suffixes, which are shallower, are done
   before it.  On entry each node's OUT is the piece that ends there, or
   -1.  */
static int
link (struct bp_automaton *a, const struct pending *queue, size_t nq)
{
  struct bp_ac_node *node = a->node;
  size_t npieces = a->npieces;
  int32_t *outp = malloc ((a->size ? a->size : 1) * sizeof *outp);
  int32_t *next = malloc ((npieces ? npieces : 1) * sizeof *next);
  size_t *depth = malloc ((npieces ? npieces : 1) * sizeof *depth);
  size_t *first = malloc ((npieces ? npieces : 1) * sizeof *first);
  int rc = BP_ENOMEM;
  if (!outp || !next || !depth || !first)
    goto out;

  /* OUTP: the longest piece that is a suffix of the node; NEXT: the next
     shorter piece that is a suffix of a piece.  */
  node[BP_AC_ROOT].fail = BP_AC_ROOT;
  outp[BP_AC_ROOT] = -1;
  size_t total = 1;   /* the empty list of the root */
  for (size_t i = 1; i < nq; i++)
    {
      int32_t v = queue[i].node;
      int32_t parent = node[v].check;
      uint8_t c = (uint8_t) (v - node[parent].base);
      int32_t f = BP_AC_ROOT;
      if (parent != BP_AC_ROOT)
        for (f = node[parent].fail;;)
          {
            int32_t t = bp_automaton_child (a, f, c);
            if (t >= 0)
              {
                f = t;
                break;
              }
            if (f == BP_AC_ROOT)
              break;
            f = node[f].fail;
          }
      node[v].fail = f;
      int32_t p = node[v].out;
      if (p >= 0)
        {
          next[p] = outp[f];
          depth[p] = next[p] >= 0 ? depth[next[p]] + 1 : 1;
          total += depth[p] + 1;
          outp[v] = p;
        }
      else
        outp[v] = outp[f];
    }

  a->cand = malloc (total * sizeof *a->cand);
  if (!a->cand)
    goto out;
  a->ncand = total;
  a->cand[0] = -1;
  size_t k = 1;
  for (size_t i = 1; i < nq; i++)
    {
      int32_t p = node[queue[i].node].out;
      if (p < 0)
        continue;
      first[p] = k;
      for (int32_t q = p; q >= 0; q = next[q])
        a->cand[k++] = q;
      a->cand[k++] = -1;
    }
  node[BP_AC_ROOT].out = 0;
  for (size_t i = 1; i < nq; i++)
    {
      int32_t v = queue[i].node;
      node[v].out = outp[v] >= 0 ? (int32_t) first[outp[v]] : 0;
    }
  rc = 0;
out:
  free (outp);
  free (next);
  free (depth);
  free (first);
  return rc;
}

struct bp_automaton *
bp_automaton_new (const struct bp_model *m, struct bp_error *err)
{
  struct build b = { 0 };
  struct bp_automaton *a = NULL;
  int rc;

  if (m->n > INT32_MAX / 4)
    goto nomem;
  b.m = m;
  b.free_head = -1;
  b.sorted = malloc ((m->n ? m->n : 1) * sizeof *b.sorted);
  struct key *keys = malloc ((m->n ? m->n : 1) * sizeof *keys);
  if (!b.sorted || !keys)
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
    b.sorted[i] = keys[i].index;
  free (keys);

  if ((rc = ensure_size (&b, (size_t) m->n * 2 + 1024)))
    goto nomem;
  unlist (&b, 0);
  b.node[0].check = 0;   /* the root is its own parent, never free */
  rc = enqueue (&b, 0, 0, m->n, 0);
  for (size_t qi = 0; rc == 0 && qi < b.qlen; qi++)
    {
      struct pending p = b.queue[qi];
      rc = place (&b, p.node, p.lo, p.hi, p.depth);
    }
  if (rc == BP_EFORMAT)
    {
      bp_error_set (err, BP_EFORMAT, 0, _("a piece occurs twice"));
      goto fail;
    }
  if (rc)
    goto nomem;

  /* Trim to the last used slot plus room for any base + byte.  */
  size_t last = 0, maxbase = 0;
  for (size_t i = 0; i < b.size; i++)
    if (b.node[i].check >= 0)
      {
        last = i;
        if ((size_t) b.node[i].base > maxbase)
          maxbase = (size_t) b.node[i].base;
      }
  size_t size = (last > maxbase ? last : maxbase) + 257;
  if ((rc = ensure_size (&b, size)))
    goto nomem;

  a = calloc (1, sizeof *a);
  if (!a)
    goto nomem;
  a->node = realloc (b.node, size * sizeof *b.node);
  if (!a->node)
    a->node = b.node;
  b.node = NULL;
  a->size = size;
  a->nnodes = b.qlen;
  a->npieces = m->n;
  a->len = malloc ((m->n ? m->n : 1) * sizeof *a->len);
  if (!a->len)
    goto nomem;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      bp_model_piece (m, i, &len);
      a->len[i] = (uint32_t) len;
      if (len > a->max_len)
        a->max_len = len;
    }
  if (link (a, b.queue, b.qlen))
    goto nomem;
  build_free (&b);
  return a;

nomem:
  bp_error_set (err, BP_ENOMEM, 0, "%s", "");
fail:
  build_free (&b);
  bp_automaton_free (a);
  return NULL;
}

void
bp_automaton_free (struct bp_automaton *a)
{
  if (!a)
    return;
  free (a->node);
  free (a->cand);
  free (a->len);
  free (a);
}

int
bp_automaton_complete (const struct bp_automaton *a, uint8_t *missing)
{
  for (int c = 0; c < 256; c++)
    {
      uint8_t b = (uint8_t) c;
      if (bp_automaton_find (a, &b, 1) < 0)
        {
          *missing = b;
          return 0;
        }
    }
  return 1;
}

int32_t
bp_automaton_find (const struct bp_automaton *a, const uint8_t *p, size_t n)
{
  int32_t s = BP_AC_ROOT;
  for (size_t i = 0; i < n; i++)
    if ((s = bp_automaton_child (a, s, p[i])) < 0)
      return -1;
  /* The longest piece that ends at S is S's own piece if it has one.  */
  int32_t q = a->cand[a->node[s].out];
  return q >= 0 && a->len[q] == n ? q : -1;
}
