/* The Aho-Corasick automaton over all pieces of a model (DESIGN.md
   section 1.6): a double-array trie whose nodes also carry their failure
   link and the list of the pieces that end there.  It serves the
   segmenters (unigram.c walks it one byte at a time and reads the
   candidates of each state) and the token reader (looking up a piece).

   The node layout is built for the walk: a transition reads one 16-byte
   node (base, check) and the state it reaches holds its failure link and
   its candidate list in the same node, so a step without failure costs
   one cache line.  Nodes are placed breadth first, so the shallow ones,
   which every walk visits, are together at the front of the array.  The
   candidates of a state are contiguous in CAND: the pieces that are
   suffixes of the state's bytes, longest first, ended by -1.

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
  int32_t out;     /* the state's candidates: an offset into CAND */
};

struct bp_automaton
{
  struct bp_ac_node *node;
  size_t size;       /* slots; base + 255 is always below it */
  int32_t *cand;     /* candidate lists, each ended by -1 */
  size_t ncand;      /* entries of CAND, the ends included */
  uint32_t *len;     /* the length of each piece */
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

/* Whether every single byte is a piece; if not, *MISSING is the first
   byte that is not.  */
int bp_automaton_complete (const struct bp_automaton *a, uint8_t *missing);

/* The piece (0-based index) of the bytes P[0..N), or -1 if none.  */
int32_t bp_automaton_find (const struct bp_automaton *a, const uint8_t *p,
                           size_t n);

#endif /* BP_AUTOMATON_H */
