/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte strings of any length in a hash table: the pieces that
   the n-gram model cuts a corpus into (DESIGN.md section 1.4), the third
   step of training.  Separate tables (threads) are written out together,
   because counts simply add.

   With a memory budget (DESIGN.md section 4), a table that would pass it
   is sorted by escaped key, written as a run of a spill (spill.h) and
   emptied; the output is the merge of the runs, the same for every
   limit.

   Ownership: bp_strcount_new returns a new table, freed with
   bp_strcount_free (which accepts NULL); arguments are borrowed, and the
   spill given to bp_strcount_budget must outlive the table.  */
#ifndef BP_STRCOUNT_H
#define BP_STRCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_budget;
struct bp_counts_header;
struct bp_error;
struct bp_spill;
struct bp_stage_progress;

struct bp_strcount;

struct bp_strcount *bp_strcount_new (void);
void bp_strcount_free (struct bp_strcount *t);

/* Keep the memory of T within about the budget SHARE (the table, and
   the sort that spilling it needs), spilling to SPILL, whose header is
   that of the counts to write.  A share without a limit, or SPILL NULL:
   no limit.  */
void bp_strcount_budget (struct bp_strcount *t,
                         const struct bp_budget *share,
                         struct bp_spill *spill);

/* Add COUNT to the count of KEY (LEN >= 1 bytes).  Returns 0, or
   BP_ENOMEM, BP_ERANGE (the count overflowed, or more than 2^32 - 2 keys
   in memory), BP_EIO (spilling failed: ERR about the temporary file).  */
int bp_strcount_add (struct bp_strcount *t, const uint8_t *key, size_t len,
                     uint64_t count, struct bp_error *err);

/* The number of distinct keys in memory.  */
size_t bp_strcount_size (const struct bp_strcount *t);

/* The memory the table takes, in bytes.  */
size_t bp_strcount_bytes (const struct bp_strcount *t);

/* Write what the N tables T[0..N) counted (with the same spill if any) as
   one count file with header H to F, sorted as the format requires.  The
   tables are added up in T[0], within their budgets together; if
   anything was spilled, the rest is spilled too and the runs are merged
   into F.  PROGRESS (if not NULL; readprog.h) is told how far that
   goes: stages BP_STAGE_ADD (the tables added up), BP_STAGE_WRITE, and
   the spill's merge (bp_spill_progress tells the spill's).  The tables
   are consumed (they can only be freed afterwards).  Returns 0, or
   BP_ENOMEM, BP_ERANGE (ERR's detail says what), BP_EIO (ERR about the
   output, or the temporary file that failed).  */
int bp_strcount_write (struct bp_strcount *const *t, size_t n,
                       const struct bp_counts_header *h, FILE *f,
                       const struct bp_stage_progress *progress,
                       struct bp_error *err);

#endif /* BP_STRCOUNT_H */
