/* The Aho-Corasick automaton over all pieces of a model (DESIGN.md
   section 1.6): a double-array trie whose nodes also carry their failure
   link and the list of the pieces that end there.  It serves the
   segmenters (unigram.c walks it one byte at a time and reads the
   candidates of each state) and the token reader (looking up a piece).

   The node layout is built for the walk: a transition reads one 16-byte
   node (base, check) and the state it reaches holds its failure link and
   its first candidate in the same node, so a step without failure costs
   one cache line.  Nodes are placed breadth first, so the shallow ones,
   which every walk visits, are together at the front of the array.

   The candidates of a state, the pieces that are suffixes of its bytes,
   longest first, are a chain: OUT names the longest, NEXT[r] the next
   shorter one.  The automaton numbers the pieces by rank, in the order
   of their nodes, so that the short pieces, which end almost every
   chain, are together at the front of the per-piece tables and stay in
   cache; PIECE maps a rank back to the model's index.  (Lists of the
   candidates of each state, stored contiguously, were measured too:
   they take five times the memory, and the walk was slower.)

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
  int32_t base;    /* children of this node are at base + byte */
  int32_t check;   /* the parent of this slot, or -1 if the slot is free */
  int32_t fail;    /* the node of the longest proper suffix in the trie */
  int32_t out;     /* the rank of the longest piece that is a suffix of
                      the node, or -1 */
};

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
  int32_t t = a->node[s].base + c;
  return a->node[t].check == s ? t : -1;
}

/* The automaton's transition from state S by byte C, following failure
   links.  The root must have every byte as a child (a model with all 256
   single bytes); use bp_automaton_complete to know.  */
static inline int32_t
bp_automaton_next (const struct bp_ac_node *node, int32_t s, uint8_t c)
{
  for (;;)
    {
      int32_t t = node[s].base + c;
      if (node[t].check == s)
        return t;
      s = node[s].fail;
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

/* The same for N independent texts, each from the root: TEXT[i] of LEN[i]
   bytes into RANK[i].  A walk alone waits for each node it reads before
   it knows the next one; several texts are walked at once, a byte of
   each in turn, so that the waits overlap.  */
void bp_automaton_walk_many (const struct bp_automaton *a, size_t n,
                             const uint8_t *const *text, const size_t *len,
                             int32_t *const *rank);

/* Whether every single byte is a piece; if not, *MISSING is the first
   byte that is not.  */
int bp_automaton_complete (const struct bp_automaton *a, uint8_t *missing);

/* The piece (0-based index) of the bytes P[0..N), or -1 if none.  */
int32_t bp_automaton_find (const struct bp_automaton *a, const uint8_t *p,
                           size_t n);

#endif /* BP_AUTOMATON_H */
