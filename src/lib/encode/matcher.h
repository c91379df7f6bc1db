/* A double-array trie over all pieces of a model: the matcher that finds
   every piece starting at a position of a chunk (DESIGN.md section 1.6).
   A step is two loads from one array, so walking a chunk stays in cache.

   Ownership: bp_matcher_new returns a new matcher, freed with
   bp_matcher_free; it copies what it needs and does not keep the model.
   A matcher is immutable, so threads may share it.  */
#ifndef BP_MATCHER_H
#define BP_MATCHER_H

#include <stddef.h>
#include <stdint.h>

struct bp_model;
struct bp_error;

struct bp_da_node
{
  int32_t base;    /* children of this node are at base + byte */
  int32_t check;   /* the parent of this slot, or -1 if the slot is free */
  int32_t piece;   /* the piece that ends here (0-based), or -1 */
  int32_t unused;  /* pads a node to 16 bytes: four nodes a cache line */
};

struct bp_matcher
{
  struct bp_da_node *node;
  size_t size;     /* slots; base + 255 is always below it */
  int32_t *order;  /* the nodes breadth first, the root first */
  size_t nnodes;   /* entries of ORDER */
};

/* The root node.  */
#define BP_MATCHER_ROOT 0

/* Build the trie of M's pieces.  Returns NULL and sets ERR (BP_ENOMEM, or
   BP_EFORMAT for a duplicate piece) on failure.  */
struct bp_matcher *bp_matcher_new (const struct bp_model *m,
                                   struct bp_error *err);

void bp_matcher_free (struct bp_matcher *mt);

/* The node reached from node S by byte C, or -1 if no piece continues
   that way.  */
static inline int32_t
bp_matcher_step (const struct bp_matcher *mt, int32_t s, uint8_t c)
{
  int32_t t = mt->node[s].base + c;
  return mt->node[t].check == s ? t : -1;
}

/* The piece (0-based index) of the bytes P[0..N), or -1 if none.  */
int32_t bp_matcher_find (const struct bp_matcher *mt, const uint8_t *p,
                         size_t n);

#endif /* BP_MATCHER_H */
