/* SPDX-License-Identifier: Apache-2.0 */
/* A histogram by length (of pieces, keys or tokens), grown as longer
   lengths come.

   Ownership: struct bp_lenhist is the caller's; bp_lenhist_free releases
   its array (and accepts a zeroed or freed struct).  */
#ifndef BP_LENHIST_H
#define BP_LENHIST_H

#include <stddef.h>
#include <stdint.h>

/* COUNT[L] for L = 1..MAX (COUNT[0] unused).  A zeroed struct is
   empty.  */
struct bp_lenhist
{
  uint64_t *count;
  size_t max;
};

/* Add K to the count of length LEN >= 1.  Returns 0 or BP_ENOMEM.  */
int bp_lenhist_add (struct bp_lenhist *h, size_t len, uint64_t k);

void bp_lenhist_free (struct bp_lenhist *h);

/* The longest length with a nonzero count, or 0.  */
size_t bp_lenhist_longest (const struct bp_lenhist *h);

/* The count of length LEN (0 beyond the array).  */
uint64_t bp_lenhist_get (const struct bp_lenhist *h, size_t len);

#endif /* BP_LENHIST_H */
