/* SPDX-License-Identifier: Apache-2.0 */
/* Finding a byte string that occurs twice in a list: the one check behind
   "a piece occurs twice" wherever pieces come in (models read in either
   form, special tokens, the pieces given to pruning).  The strings are
   hashed rather than sorted: sorting 10^5 pieces by their bytes costs as
   much as the first step of pruning.

   Ownership: the strings are borrowed for the call.  */
#ifndef BP_DUPCHECK_H
#define BP_DUPCHECK_H

#include <stddef.h>
#include <stdint.h>

/* String I of the list: its bytes, and its length in *LEN.  */
typedef const uint8_t *bp_dupcheck_get (const void *ctx, size_t i,
                                        size_t *len);

/* Look for a string that occurs twice among the N strings GET (CTX, i).
   Returns 0 if they are all distinct; 1 if not, with *SECOND the smallest
   index whose string occurs at a smaller index and *FIRST that index; or
   BP_ENOMEM.  */
int bp_dupcheck (size_t n, bp_dupcheck_get *get, const void *ctx,
                 size_t *first, size_t *second);

#endif /* BP_DUPCHECK_H */
