/* SPDX-License-Identifier: Apache-2.0 */
/* Sorting keys by their escaped form (DESIGN.md section 2), the order of
   the records of every count file, without storing the escaped keys: an
   8-byte slice of each escaped key is computed and the slices are
   radix-sorted; keys whose slices tie are sorted by the next slice, and
   past a few levels (long keys with long common prefixes) a comparison
   sort finishes.  The radix sort of integers beneath it is the one of
   every count table.

   Ownership: the keys are borrowed through the callback; the permutation
   returned is the caller's, freed with free.  */
#ifndef BP_KEYSORT_H
#define BP_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of key I of CTX, their number in *LEN.  It may return
   SCRATCH, which has room for the MAXLEN given to bp_keysort_escaped, or
   a pointer of its own.  */
typedef const uint8_t *(*bp_keysort_fn) (const void *ctx, size_t i,
                                         uint8_t *scratch, size_t *len);

/* Sort the N distinct keys of CTX (each at most MAXLEN bytes) by their
   escaped form compared as bytes, a prefix first (bp_counts_cmp).  On
   success *PERM is a new array of the N indices in that order.  Returns
   0, BP_ENOMEM, or BP_ERANGE (N above UINT32_MAX).  */
int bp_keysort_escaped (size_t n, size_t maxlen, bp_keysort_fn key,
                        const void *ctx, uint32_t **perm);

/* The most memory bp_keysort_escaped uses for N keys, *PERM included
   (and a few times MAXLEN bytes besides).  */
#define BP_KEYSORT_BYTES(n) ((n) * (size_t) 24)

/* Sort the N integers KEY (with VAL alongside, unless VAL is NULL), TK
   (and TV) scratch of N: LSD radix, a byte at a time, skipping the bytes
   in which all keys agree.  The sort of every table of counts: escaped
   slices here, packed n-gram windows in ngramcount.c.  */
void bp_keysort_radix (uint64_t *key, uint32_t *val, uint64_t *tk,
                       uint32_t *tv, size_t n);

#endif /* BP_KEYSORT_H */
