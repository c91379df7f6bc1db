/* Counting byte strings of any length in a hash table: the pieces that
   the n-gram model cuts a corpus into (DESIGN.md section 1.4), the third
   step of training.

   Ownership: bp_strcount_new returns a new table, freed with
   bp_strcount_free (which accepts NULL); arguments are borrowed.  */
#ifndef BP_STRCOUNT_H
#define BP_STRCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_counts_header;
struct bp_error;

struct bp_strcount;

struct bp_strcount *bp_strcount_new (void);
void bp_strcount_free (struct bp_strcount *t);

/* Add COUNT to the count of KEY (LEN >= 1 bytes).  Returns 0, BP_ENOMEM
   or BP_ERANGE (the count overflowed).  */
int bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                     uint64_t count);

/* Add everything in SRC to DST and empty SRC.  Returns as above.  */
int bp_strcount_absorb (struct bp_strcount *dst, struct bp_strcount *src);

/* The number of distinct keys.  */
size_t bp_strcount_size (const struct bp_strcount *t);

/* Write the table as a count file with header H to F, sorted as the
   format requires.  Returns 0, BP_EIO or BP_ENOMEM.  */
int bp_strcount_write (const struct bp_strcount *t,
                       const struct bp_counts_header *h, FILE *f,
                       struct bp_error *err);

#endif /* BP_STRCOUNT_H */
