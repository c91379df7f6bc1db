/* SPDX-License-Identifier: Apache-2.0 */
/* A tokenizer model built one entry at a time, as the readers of both
   model forms (model.c, model_jsonfast.c) and bp_model_new do: the pieces'
   bytes end to end, their offsets and counts in parallel arrays that
   double as they fill, and the running total and longest piece.

   Ownership: a struct bp_model_builder owns its arrays until
   bp_model_builder_finish hands them to the model it makes; free it with
   bp_model_builder_free in any case (nothing is left to free after a
   finish).  A zero-initialised builder is empty.  */
#ifndef BP_MODELBUILD_H
#define BP_MODELBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "model.h"

struct bp_model_builder
{
  struct bp_buf bytes;    /* entry i is BYTES[OFF[i]..OFF[i+1]) */
  size_t *off;            /* N + 1 offsets once N > 0 */
  uint64_t *count;
  size_t n, cap;
  uint64_t total;         /* the sum of the counts */
  size_t max_len;         /* the longest piece, special tokens aside */
};

/* The parameters of a model whose file does not record them (JSON, a
   plain vocabulary): every one unknown.  */
extern const struct bp_model_params bp_model_params_unknown;

/* Make room in B's arrays for one more entry.  Returns 0 or BP_ENOMEM.  */
int bp_model_builder_reserve (struct bp_model_builder *b);

/* Close the entry of LEN bytes that the caller wrote at the end of
   B->bytes (after bp_buf_grow), with COUNT; SPECIAL if it is a special
   token (not a piece of the unigram model, so not the longest piece).
   bp_model_builder_reserve must have made room.  Returns 0, or BP_ERANGE
   if the total overflows.  */
int bp_model_builder_close (struct bp_model_builder *b, size_t len,
                            uint64_t count, int special);

/* Add the entry P (LEN bytes) with COUNT, as above.  Returns 0, BP_ENOMEM
   or BP_ERANGE.  */
int bp_model_builder_add (struct bp_model_builder *b, const uint8_t *p,
                          size_t len, uint64_t count, int special);

/* Turn B into a model with PARAMS whose last NSPECIAL entries are special
   tokens; the arrays are shrunk to their size (a model stays loaded
   while its automaton is built, bp-encode's peak of memory).  B is
   emptied.  Returns the model, or NULL if out of memory (B unchanged).  */
struct bp_model *bp_model_builder_finish (struct bp_model_builder *b,
                                          const struct bp_model_params *params,
                                          size_t nspecial);

void bp_model_builder_free (struct bp_model_builder *b);

#endif /* BP_MODELBUILD_H */
