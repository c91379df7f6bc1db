/* SPDX-License-Identifier: Apache-2.0 */
/* The Aho-Corasick automaton: double-array trie, failure links and
   candidate lists; see automaton.h.  */
#include <config.h>
#include "automaton.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "model.h"
#include "system.h"

/* The trie is built breadth first.  The keys below a node are a
   contiguous range of one array, and its children are the distinct bytes
   at the node's depth: placing a node sorts its range by that byte alone
   (a counting sort, or an insertion sort for a short range), so that the
   whole build sorts the keys once, byte by byte, as an MSD radix sort
   would, and no comparison sort of whole keys is needed.  Nodes are placed breadth first, so
   the shallow nodes, which every walk visits, end up together at the
   front of the array and stay in cache; the same order serves the
   failure links, since a node's suffixes are shallower than it.

   The free slots are a bit map, searched a word at a time; a second bit
   map tells the slots taken, so that testing a base reads bits near one
   another rather than a node each.  A node's children need a base such
   that every child's slot is free; the search tries the free slots in
   order as the place of the first child.  Slots near the front that
   keep failing (the array there is nearly full) are retired from the
   search after a few failures, as darts does with its "next check
   position", or every search would walk past them again and the build
   would grow with the square of the vocabulary.  A retired slot stays
   free and can still take a later child.  */
enum { RETIRE_AFTER = 8 };

/* A piece: its bytes are BYTES + OFF (struct build), 12 bytes rather
   than a pointer's 16, since the keys are a large part of the build's
   peak.  */
struct key
{
  uint32_t off;
  uint32_t len;
  uint32_t index;
};

/* The bits of a slot's FLAG: its number is some node's base (bases are
   never shared); and, from bit 2 on, the failed searches that tried the
   slot.  */
enum { BASE_USED = 2, FAIL_ONE = 4 };

struct pending
{
  int32_t node;
  uint32_t lo, hi, depth;   /* keys lo..hi-1 share their first DEPTH bytes */
};

struct build
{
  const struct bp_model *m;
  const uint8_t *bytes;         /* the model's bytes, keys' offsets in */
  struct key *key;              /* the pieces; a node's keys are a range */
  struct bp_ac_node *node;
  uint64_t *listed;             /* a bit a slot: free, not retired */
  uint64_t *taken;              /* a bit a slot: a node (the root too) */
  uint8_t *flag;                /* BASE_USED, failures */
  size_t head;                  /* no slot below it is listed */
  size_t size;
  size_t maxbase, last;         /* the highest base and node */
  struct pending *queue;        /* nodes placed, not yet expanded, in
                                   breadth-first order: QHEAD..QLEN */
  size_t qhead, qlen, qcap;
};

static inline int
bit (const uint64_t *map, size_t i)
{
  return (int) (map[i / 64] >> (i % 64)) & 1;
}

/* The first listed slot at or after I, or -1.  */
static int32_t
next_listed (const struct build *b, size_t i)
{
  size_t w = i / 64, nw = (b->size + 63) / 64;
  if (w >= nw)
    return -1;
  uint64_t x = b->listed[w] & (~(uint64_t) 0 << (i % 64));
  while (!x)
    {
      if (++w == nw)
        return -1;
      x = b->listed[w];
    }
  return (int32_t) (w * 64 + (size_t) __builtin_ctzll (x));
}

/* Take slot T off the search, and mark it a node if TAKE.  */
static void
unlist (struct build *b, int32_t t, int take)
{
  b->listed[t / 64] &= ~((uint64_t) 1 << (t % 64));
  if (take)
    b->taken[t / 64] |= (uint64_t) 1 << (t % 64);
}

/* Grow MAP (a bit a slot) from OLD to NEW slots, the new bits set to
   ONE.  The bits past NEW slots stay zero.  */
static uint64_t *
grow_map (uint64_t *map, size_t old, size_t new, int one)
{
  size_t ow = (old + 63) / 64, nw = (new + 63) / 64;
  uint64_t *m = realloc (map, nw * sizeof *m);
  if (!m)
    return NULL;
  memset (m + ow, 0, (nw - ow) * sizeof *m);
  if (one)
    for (size_t i = old; i < new; i++)
      m[i / 64] |= (uint64_t) 1 << (i % 64);
  return m;
}

/* Make sure slots below NEED exist; new slots are free and listed.  */
static int
ensure_size (struct build *b, size_t need)
{
  if (need <= b->size)
    return 0;
  /* Grow by an eighth: the arrays of a large model are tens of
     megabytes, and what they hold past the last node is waste at the
     build's peak (realloc moves pages rather than bytes).  */
  size_t size = b->size ? b->size : 1024;
  while (size < need)
    size += size / 8;
  if (size > INT32_MAX / 2)
    return BP_ENOMEM;
  struct bp_ac_node *node = realloc (b->node, size * sizeof *node);
  if (!node)
    return BP_ENOMEM;
  b->node = node;
  uint8_t *flag = realloc (b->flag, size);
  if (!flag)
    return BP_ENOMEM;
  b->flag = flag;
  uint64_t *map = grow_map (b->listed, b->size, size, 1);
  if (!map)
    return BP_ENOMEM;
  b->listed = map;
  if (!(map = grow_map (b->taken, b->size, size, 0)))
    return BP_ENOMEM;
  b->taken = map;

  for (size_t i = b->size; i < size; i++)
    node[i] = (struct bp_ac_node) { 0, -1, -1 };
  memset (flag + b->size, 0, size - b->size);
  b->size = size;
  return 0;
}

static int
enqueue (struct build *b, int32_t node, uint32_t lo, uint32_t hi,
         uint32_t depth)
{
  if (b->qlen == b->qcap && b->qhead > 0 && b->qhead >= b->qcap / 4)
    {
      /* The expanded nodes are done with: the queue holds the frontier
         (90k nodes of the 240k model's 490k), not the whole trie.  */
      memmove (b->queue, b->queue + b->qhead,
               (b->qlen - b->qhead) * sizeof *b->queue);
      b->qlen -= b->qhead;
      b->qhead = 0;
    }
  if (BP_ARRAY_RESERVE (b->queue, b->qcap, b->qlen + 1, 1024))
    return BP_ENOMEM;
  b->queue[b->qlen++] = (struct pending) { node, lo, hi, depth };
  return 0;
}

/* Where key X goes among the keys of a node at DEPTH: first (0) if it
   ends there, else 1 + its byte at DEPTH (AT is the bytes plus DEPTH).  */
static inline unsigned
bucket (const uint8_t *at, struct key x, uint32_t depth)
{
  return x.len == depth ? 0 : 1 + (unsigned) at[x.off];
}

/* Partition the keys K[0..N) of a node at DEPTH, which share their first
   DEPTH bytes: the key that ends there first, if any (*ENDED is then
   1), then the others by their byte at DEPTH.  The distinct bytes, the
   node's children, go to LABELS[0..*NL), and child j's keys are
   K[STARTS[j]..STARTS[j + 1]).  One pass finds all of it: an insertion
   sort of a copy for a few keys, else a counting sort in place (each
   key swapped straight into its bucket), which needs no second array
   of keys.  Returns 0, or BP_EFORMAT if two keys end there (the same
   piece twice).  */
static int
partition (const uint8_t *at, struct key *k, size_t n, uint32_t depth,
           uint8_t *labels, uint32_t *starts, int *nl, int *ended)
{
  enum { FEW = 32 };
  int m = 0;
  *ended = 0;
  *nl = 0;
  starts[0] = 0;
  if (n == 0)
    return 0;
  if (n <= FEW)
    {
      struct key x[FEW];
      uint16_t g[FEW];
      for (size_t i = 0; i < n; i++)
        {
          struct key y = k[i];
          unsigned c = bucket (at, y, depth);
          size_t j = i;
          for (; j > 0 && g[j - 1] > c; j--)
            {
              x[j] = x[j - 1];
              g[j] = g[j - 1];
            }
          x[j] = y;
          g[j] = (uint16_t) c;
        }
      memcpy (k, x, n * sizeof *k);
      size_t i;
      *ended = g[0] == 0;
      if (*ended && n > 1 && g[1] == 0)
        return BP_EFORMAT;
      for (i = (size_t) *ended; i < n; i++)
        if (i == (size_t) *ended || g[i] != g[i - 1])
          {
            labels[m] = (uint8_t) (g[i] - 1);
            starts[m++] = (uint32_t) i;
          }
      starts[m] = (uint32_t) n;
      *nl = m;
      return 0;
    }

  size_t next[257] = { 0 }, end[257];
  uint16_t used[257];
  int nused = 0;
  for (size_t i = 0; i < n; i++)
    next[bucket (at, k[i], depth)]++;
  if (next[0] > 1)
    return BP_EFORMAT;
  *ended = next[0] == 1;
  size_t pos = 0;
  for (unsigned c = 0; c < 257; c++)
    if (next[c])
      {
        if (c)
          {
            labels[m] = (uint8_t) (c - 1);
            starts[m++] = (uint32_t) pos;
          }
        used[nused++] = (uint16_t) c;
        size_t x = next[c];
        next[c] = pos;
        pos += x;
        end[c] = pos;
      }
  starts[m] = (uint32_t) n;
  *nl = m;
  for (int u = 0; u < nused; u++)
    {
      unsigned c = used[u];
      while (next[c] < end[c])
        {
          struct key x = k[next[c]];
          unsigned d = bucket (at, x, depth);
          if (d == c)
            next[c]++;
          else
            {
              /* Put X where its bucket goes on; take what was there.  */
              k[next[c]] = k[next[d]];
              k[next[d]++] = x;
            }
        }
    }
  return 0;
}

/* Set the base of node N, keeping the other half of its link.  */
static void
set_base (struct bp_ac_node *n, int32_t base)
{
  n->link = (n->link & ~(uint64_t) UINT32_MAX) | (uint32_t) base;
}

/* Place the children of node S, which covers key[lo..hi) at DEPTH, and
   queue them.  */
static int
place (struct build *b, int32_t s, uint32_t lo, uint32_t hi, uint32_t depth)
{
  uint8_t labels[256];
  uint32_t starts[257];
  int nl = 0;
  int rc;

  /* No keys: the root of a model without pieces, whose bytes may be a
     null pointer, to which not even DEPTH may be added.  */
  if (lo == hi)
    return 0;
  if (hi - lo == 1)
    {
      /* One key: a leaf, or a node of one child (most nodes of a large
         model are one or the other, on the way to a piece that no other
         piece extends).  */
      struct key k = b->key[lo];
      if (k.len == depth)
        {
          b->node[s].out = (int32_t) k.index;
          return 0;
        }
      labels[nl++] = b->bytes[k.off + depth];
      starts[0] = lo;
      starts[1] = hi;
      goto search;
    }

  int ended;
  if ((rc = partition (b->bytes + depth, b->key + lo, hi - lo, depth, labels,
                       starts, &nl, &ended)))
    return rc;
  if (ended)
    b->node[s].out = (int32_t) b->key[lo].index;  /* the piece, for now */
  if (nl == 0)
    return 0;
  for (int j = 0; j <= nl; j++)
    starts[j] += lo;

search:;
  int32_t base = -1;
  int32_t f = next_listed (b, b->head);
  if (f >= 0)
    b->head = (size_t) f;
  for (;;)
    {
      if (f < 0)
        {
          size_t old = b->size;
          if ((rc = ensure_size (b, b->size + b->size / 8)))
            return rc;
          f = (int32_t) old;
        }
      int32_t cand = f - labels[0];
      int ok = cand >= 1 && !(b->flag[cand] & BASE_USED);
      if (ok && (size_t) cand + 256 > b->size
          && (rc = ensure_size (b, (size_t) cand + 257)))
        return rc;
      for (int k = 1; k < nl && ok; k++)
        ok = !bit (b->taken, (size_t) (cand + labels[k]));
      if (ok)
        {
          base = cand;
          break;
        }
      b->flag[f] += FAIL_ONE;
      if (b->flag[f] / FAIL_ONE >= RETIRE_AFTER)
        unlist (b, f, 0);
      f = next_listed (b, (size_t) f + 1);
    }

  b->flag[base] |= BASE_USED;
  set_base (&b->node[s], base);
  if ((size_t) base > b->maxbase)
    b->maxbase = (size_t) base;
  if ((size_t) (base + labels[nl - 1]) > b->last)
    b->last = (size_t) (base + labels[nl - 1]);
  for (int k = 0; k < nl; k++)
    {
      int32_t t = base + labels[k];
      unlist (b, t, 1);
      b->node[t].label = labels[k];
      b->node[t].link = (uint64_t) (uint32_t) s << 32;  /* the parent, until
                                                          link () */
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
  free (b->key);
  free (b->node);
  free (b->listed);
  free (b->taken);
  free (b->flag);
  free (b->queue);
}

/* The failure link and output link of node V, whose children were just
   placed: nodes are linked in breadth-first order, as they are expanded,
   so that V's suffixes, which are shallower, are linked (and expanded)
   before it.  On entry V's OUT is the model's index of the piece that
   ends there, or -1, and the upper half of its LINK is its parent (see
   place ()); on return OUT is the rank of the longest piece that is a
   suffix of V (pieces ranked in the order of their nodes, so the short
   ones, which every walk meets, come first), or -1.  *RANK is the next
   rank to give.  */
static void
link_node (struct bp_automaton *a, struct bp_ac_node *node, int32_t v,
           int32_t *rank)
{
  if (v == BP_AC_ROOT)
    {
      node[v].link = (uint32_t) bp_ac_base (&node[v])
                     | (uint64_t) BP_AC_ROOT << 32;
      if (node[v].out >= 0)
        {
          /* The empty piece, which a model should not have: rank it,
             and keep the walk from reporting it.  */
          a->piece[*rank] = node[v].out;
          a->next[(*rank)++] = -1;
          node[v].out = -1;
        }
      return;
    }
  int32_t parent = bp_ac_fail (&node[v]);
  uint8_t c = (uint8_t) node[v].label;
  int32_t f = BP_AC_ROOT;
  if (parent != BP_AC_ROOT)
    for (f = bp_ac_fail (&node[parent]);;)
      {
        int32_t t = bp_ac_base (&node[f]) + c;
        if (node[t].label == c)
          {
            f = t;
            break;
          }
        if (f == BP_AC_ROOT)
          break;
        f = bp_ac_fail (&node[f]);
      }
  node[v].link = (uint32_t) bp_ac_base (&node[v])
                 | (uint64_t) (uint32_t) f << 32;
  int32_t p = node[v].out;
  if (p >= 0)
    {
      a->piece[*rank] = p;
      a->next[*rank] = node[f].out;
      node[v].out = (*rank)++;
    }
  else
    node[v].out = node[f].out;
}

/* The keys of B->m's pieces, in B->key, in the model's order.  Returns
   0 or BP_ENOMEM.  */
static int
make_keys (struct build *b)
{
  const struct bp_model *m = b->m;
  b->bytes = m->bytes;
  b->key = malloc ((m->n ? m->n : 1) * sizeof *b->key);
  if (!b->key)
    return BP_ENOMEM;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      size_t off = (size_t) (bp_model_piece (m, i, &len) - b->bytes);
      if (off + len > UINT32_MAX)
        return BP_ENOMEM;
      b->key[i] = (struct key) { (uint32_t) off, (uint32_t) len,
                                 (uint32_t) i };
    }
  return 0;
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
  if ((rc = make_keys (&b)))
    goto nomem;

  /* The per-piece tables first, since each node is linked as soon as
     it is expanded.  */
  a = calloc (1, sizeof *a);
  if (!a)
    goto nomem;
  a->npieces = m->n;
  a->piece = malloc ((m->n ? m->n : 1) * sizeof *a->piece);
  a->next = malloc ((m->n ? m->n : 1) * sizeof *a->next);
  if (!a->piece || !a->next)
    goto nomem;

  if ((rc = ensure_size (&b, (size_t) m->n * 2 + 1024)))
    goto nomem;
  unlist (&b, 0, 1);
  /* The root is never free: it is off the free list, and no base + byte
     reaches slot 0 (bases start at 1).  */
  rc = enqueue (&b, 0, 0, (uint32_t) m->n, 0);
  size_t nq = 0;
  int32_t rank = 0;
  while (rc == 0 && b.qhead < b.qlen)
    {
      /* The nodes that link_node will read for the next few nodes, a
         step of its chain per node ahead: the node, its parent, the
         parent's failure link and its child there.  The nodes are far
         apart in a large array, and each load needs the one before.  */
      const struct bp_ac_node *nd = b.node;
      size_t ahead = b.qlen - b.qhead;
      if (ahead > 4)
        __builtin_prefetch (&nd[b.queue[b.qhead + 4].node]);
      if (ahead > 3)
        __builtin_prefetch (&nd[bp_ac_fail (&nd[b.queue[b.qhead + 3].node])]);
      if (ahead > 2)
        {
          int32_t u = bp_ac_fail (&nd[b.queue[b.qhead + 2].node]);
          __builtin_prefetch (&nd[bp_ac_fail (&nd[u])]);
        }
      if (ahead > 1)
        {
          int32_t v = b.queue[b.qhead + 1].node;
          int32_t f = bp_ac_fail (&nd[bp_ac_fail (&nd[v])]);
          __builtin_prefetch (&nd[bp_ac_base (&nd[f]) + nd[v].label]);
        }
      struct pending p = b.queue[b.qhead++];
      rc = place (&b, p.node, p.lo, p.hi, p.depth);
      if (rc == 0)
        link_node (a, b.node, p.node, &rank);
      nq++;
    }
  if (rc == BP_EFORMAT)
    {
      bp_error_set (err, BP_EFORMAT, 0, _("a piece occurs twice"));
      goto fail;
    }
  if (rc)
    goto nomem;

  /* Trim to the last used slot plus room for any base + byte.  */
  size_t size = (b.last > b.maxbase ? b.last : b.maxbase) + 257;
  if ((rc = ensure_size (&b, size)))
    goto nomem;
  a->node = realloc (b.node, size * sizeof *a->node);
  if (!a->node)
    a->node = b.node;
  b.node = NULL;
  build_free (&b);
  a->size = size;
  a->nnodes = nq;
  a->len = malloc ((m->n ? m->n : 1) * sizeof *a->len);
  if (!a->len)
    goto nomem;
  for (size_t r = 0; r < m->n; r++)
    {
      size_t len;
      bp_model_piece (m, (size_t) a->piece[r], &len);
      a->len[r] = (uint32_t) len;
      if (len > a->max_len)
        a->max_len = len;
    }
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
  free (a->len);
  free (a->piece);
  free (a->next);
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
  int32_t r = a->node[s].out;
  return r >= 0 && a->len[r] == n ? a->piece[r] : -1;
}

/* Walks that advance together in bp_automaton_walk_many: enough that
   their loads overlap the latency of the cache (or memory, for a large
   model), few enough that their state stays close.  */
enum { LANES = 8 };

void
bp_automaton_walk_many (const struct bp_automaton *a, size_t n,
                        const uint8_t *text, int32_t *rank,
                        const size_t *off, const size_t *len)
{
  const struct bp_ac_node *node = a->node;
  const uint64_t root = node[BP_AC_ROOT].link;
  size_t at[LANES], end[LANES];   /* a lane's position and end in TEXT */
  uint64_t link[LANES];           /* the link of a lane's state */
  size_t next = 0;
  int active = LANES;

  /* A lane takes the next text that is not empty, or goes idle.  */
#define TAKE(j)                                                            \
  do                                                                       \
    {                                                                      \
      while (next < n && len[next] == 0)                                   \
        next++;                                                            \
      if (next < n)                                                        \
        {                                                                  \
          at[j] = off[next];                                               \
          end[j] = off[next] + len[next];                                  \
          link[j] = root;                                                  \
          next++;                                                          \
        }                                                                  \
      else                                                                 \
        {                                                                  \
          at[j] = end[j] = 0;                                              \
          active--;                                                        \
        }                                                                  \
    }                                                                      \
  while (0)

  /* One step of lane J: the transition by its byte if the state has it,
     else the failure link, chosen without a branch (a failure is taken
     at random, which the branch predictor cannot learn).  The state's
     output is written either way: a failure is followed by a step that
     writes the same place again.  The root has every byte, so a lane
     always gets on.  */
#define STEP(j)                                                            \
  do                                                                       \
    {                                                                      \
      uint32_t c = text[at[j]];                                            \
      uint64_t l = link[j];                                                \
      const struct bp_ac_node *t = &node[(uint32_t) l + c];                \
      uint64_t tl = t->link, fl = node[l >> 32].link;                      \
      int ok = t->label == (int32_t) c;                                    \
      rank[at[j]] = t->out;                                                \
      link[j] = ok ? tl : fl;                                              \
      at[j] += ok;                                                         \
    }                                                                      \
  while (0)

  for (int j = 0; j < LANES; j++)
    TAKE (j);
  while (active == LANES)
    {
      /* Every step takes at most a byte: as many rounds as the shortest
         rest of a text need no test of the ends.  */
      size_t rounds = SIZE_MAX;
      for (int j = 0; j < LANES; j++)
        if (end[j] - at[j] < rounds)
          rounds = end[j] - at[j];
      for (size_t k = 0; k < rounds; k++)
        for (int j = 0; j < LANES; j++)
          STEP (j);
      for (int j = 0; j < LANES; j++)
        if (at[j] == end[j])
          TAKE (j);
    }
  /* Fewer texts than lanes are left: finish them one by one.  */
  for (int j = 0; j < LANES; j++)
    while (at[j] < end[j])
      {
        STEP (j);
        if (at[j] == end[j])
          TAKE (j);
      }
#undef STEP
#undef TAKE
}
