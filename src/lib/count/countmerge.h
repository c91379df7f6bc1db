/* SPDX-License-Identifier: Apache-2.0 */
/* Merging sorted count files in one pass (DESIGN.md section 2): the
   records of any number of count files, each sorted by escaped key and
   each key once, are added up with a heap over the files' current
   records, in memory independent of the files' sizes.  bp-count --merge
   adds up shards this way, and the runs a memory budget spills to
   temporary files (spill.h) are put together by it too.

   Ownership: arguments are borrowed; streams and readers are neither
   closed nor freed.  */
#ifndef BP_COUNTMERGE_H
#define BP_COUNTMERGE_H

#include <stddef.h>
#include <stdio.h>

struct bp_counts_reader;
struct bp_counts_writer;
struct bp_error;
struct bp_stage_progress;

/* Merge the NIN count files IN[i] (named NAMES[i], for messages) into OUT:
   records with the same key have their counts added, and the header is
   the inputs' common header with the totals added.  Headers must agree
   (bp_counts_header_differ); kind=ngram-model files cannot be merged
   (their counts were pruned).  Returns 0, or a negative BP_E* code with
   ERR filled and about the input at fault (ERR's input its index) or
   the output (BP_EIO, writing OUT failed): BP_EFORMAT, BP_EIO,
   BP_ENOMEM, BP_ERANGE if a count or the total overflows 64 bits;
   BP_EINVAL if NIN is 0.  The merge is a stage of PROGRESS (readprog.h;
   if not NULL): BP_STAGE_MERGE, in bytes of the inputs if all are
   regular files.  */
int bp_countmerge_files (FILE *const *in, const char *const *names,
                         size_t nin, FILE *out,
                         const struct bp_stage_progress *progress,
                         struct bp_error *err);

/* Merge the records that the N readers R[i] (their headers read, checked
   and compatible) have left into W, adding the counts of equal keys; no
   header is written and W is not flushed.  Returns 0 or a negative code
   as bp_countmerge_files: about the reader at fault (ERR's input its
   index), or about the output for W.  Tells PROGRESS (if not NULL) now
   and then of the bytes the readers have read, in the stage the caller
   began.  */
int bp_countmerge_records (struct bp_counts_reader *const *r, size_t n,
                           struct bp_counts_writer *w,
                           const struct bp_stage_progress *progress,
                           struct bp_error *err);

#endif /* BP_COUNTMERGE_H */
