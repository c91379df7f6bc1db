/* SPDX-License-Identifier: Apache-2.0 */
/* The Aho-Corasick automaton over all pieces of a model (DESIGN.md
   section 1.6): a double-array trie whose nodes also carry their failure
   link and the list of the pieces that end there.  It serves the
   segmenters (unigram.c walks it one byte at a time and reads the
   candidates of each state) and the token reader (looking up a piece).

   The node layout is built for the walk: a transition reads one 16-byte
   node, the state it reaches holds its failure link and its first
   candidate in the same node, so a step without failure costs one cache
   line.  Bases are never shared, so a slot's label (the byte that leads
   to it) identifies its parent as well as its number would: the check
   compares the label with the byte, and the walk's lanes need no state
   but their text position and the base and failure link of their state
   (one 64-bit word, LINK).  Nodes are placed breadth first, so the
   shallow ones, which every walk visits, are together at the front of
   the array.

   The candidates of a state, the pieces that are suffixes of its bytes,
   longest first, are a chain: OUT names the longest, NEXT[r] the next
   shorter one.  The automaton numbers the pieces by rank, in the order
   of their nodes, so that the short pieces, which end almost every
   chain, are together at the front of the per-piece tables and stay in
   cache; PIECE maps a rank back to the model's index.  The segmenter
   reads the chains as lists that it builds from NEXT, shared by the
   pieces with the same next one (unigram.h); lists for each state, with
   scores and lengths inline, were measured too: five times the memory,
   and slower.

   Ownership: bp_automaton_new returns a new automaton, freed with
   bp_automaton_free; it copies what it needs and does not keep the
   model.  An automaton is immutable, so threads may share it.  */
#ifndef BP_AUTOMATON_H
#define BP_AUTOMATON_H

#include <stddef.h>
#include <stdint.h>

struct bp_model;
struct bp_error;

struct bp_ac_node
{
  uint64_t link;   /* base | fail << 32: the children of this node are at
                      base + byte; FAIL is the node of its longest proper
                      suffix in the trie */
  int32_t label;   /* the byte by which the parent reaches this slot, or
                      -1 for a free slot and the root */
  int32_t out;     /* the rank of the longest piece that is a suffix of
                      the node, or -1 */
};

/* The parts of a node's LINK.  */
static inline int32_t
bp_ac_base (const struct bp_ac_node *n)
{
  return (int32_t) (uint32_t) n->link;
}

static inline int32_t
bp_ac_fail (const struct bp_ac_node *n)
{
  return (int32_t) (n->link >> 32);
}

struct bp_automaton
{
  struct bp_ac_node *node;
  size_t size;       /* slots; base + 255 is always below it */
  int32_t *piece;    /* by rank: the model's index of the piece */
  int32_t *next;     /* by rank: the next shorter suffix piece, or -1 */
  uint32_t *len;     /* by rank: the length of the piece */
  size_t npieces;
  size_t nnodes;     /* nodes in use, the root included */
  size_t max_len;    /* the longest piece */
};

/* The root node.  */
#define BP_AC_ROOT 0

/* Build the automaton of M's pieces.  Returns NULL and sets ERR
   (BP_ENOMEM, or BP_EFORMAT for a duplicate piece) on failure.  */
struct bp_automaton *bp_automaton_new (const struct bp_model *m,
                                       struct bp_error *err);

void bp_automaton_free (struct bp_automaton *a);

/* The trie node reached from node S by byte C, or -1 if no piece
   continues that way.  */
static inline int32_t
bp_automaton_child (const struct bp_automaton *a, int32_t s, uint8_t c)
{
  int32_t t = bp_ac_base (&a->node[s]) + c;
  return a->node[t].label == c ? t : -1;
}

/* The automaton's transition from state S by byte C, following failure
   links.  The root must have every byte as a child (a model with all 256
   single bytes); use bp_automaton_complete to know.  */
static inline int32_t
bp_automaton_next (const struct bp_ac_node *node, int32_t s, uint8_t c)
{
  for (;;)
    {
      int32_t t = bp_ac_base (&node[s]) + c;
      if (node[t].label == c)
        return t;
      s = bp_ac_fail (&node[s]);
    }
}

/* Walk the N bytes T from state S, writing into RANK[k] the output of the
   state after byte k (the rank of the longest piece that ends there, or
   -1).  Returns the state after the last byte.  */
static inline int32_t
bp_automaton_walk (const struct bp_automaton *a, int32_t s, const uint8_t *t,
                   size_t n, int32_t *rank)
{
  const struct bp_ac_node *node = a->node;
  for (size_t k = 0; k < n; k++)
    {
      s = bp_automaton_next (node, s, t[k]);
      rank[k] = node[s].out;
    }
  return s;
}

/* The same for N independent texts, each from the root: text i is
   TEXT[OFF[i]..OFF[i]+LEN[i]), and its walk goes to RANK[OFF[i]..].  A
   walk alone waits for each node it reads before it knows the next one,
   and a failure link taken at random defeats the branch predictor:
   several texts are walked at once, a step of each in turn, and a step
   either takes the byte or follows the failure link without a branch,
   so that the waits overlap.  */
void bp_automaton_walk_many (const struct bp_automaton *a, size_t n,
                             const uint8_t *text, int32_t *rank,
                             const size_t *off, const size_t *len);

/* Whether every single byte is a piece; if not, *MISSING is the first
   byte that is not.  */
int bp_automaton_complete (const struct bp_automaton *a, uint8_t *missing);

/* The piece (0-based index) of the bytes P[0..N), or -1 if none.  */
int32_t bp_automaton_find (const struct bp_automaton *a, const uint8_t *p,
                           size_t n);

#endif /* BP_AUTOMATON_H */
