/* SPDX-License-Identifier: Apache-2.0 */
/* The parts of a count file, for writing one on several threads (the
   n-gram and the piece counts of bp-count -j N).

   Records are sorted by escaped key (DESIGN.md section 2).  The escaped
   form of a key begins with that of its first byte B: B itself when it
   is a printable ASCII byte, or when B leads a whole UTF-8 sequence of
   the key; a backslash escape of B otherwise.  These beginnings are
   prefix-free, so the records that share one are contiguous: a part.
   Parts are numbered in the order they come in the file; each can be
   sorted and formatted on its own, and the parts written in order.  A
   byte below 0x80 gives one part; one from 0x80 gives two, the key
   leading a whole sequence with it or not.

   Ownership: struct bp_countparts is the caller's, filled by
   bp_countparts_init and read-only after (threads may share it).  */
#ifndef BP_COUNTPARTS_H
#define BP_COUNTPARTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "utf8.h"

struct bp_buf;
struct bp_counts_header;
struct bp_error;
struct bp_stage_progress;

/* How many parts there are.  */
#define BP_COUNTPARTS 384

struct bp_countparts
{
  uint16_t rank[256][2];        /* [B][leads a whole sequence] */
  uint8_t byte[BP_COUNTPARTS];  /* the first byte of part P's keys */
  uint8_t whole[BP_COUNTPARTS]; /* they lead a whole sequence with it */
};

void bp_countparts_init (struct bp_countparts *kp);

/* The part of KEY (LEN >= 1 bytes).  */
static inline unsigned
bp_countparts_of (const struct bp_countparts *kp, const uint8_t *key,
                  size_t len)
{
  return kp->rank[key[0]][key[0] >= 0x80 && bp_utf8_seqlen (key, len) != 0];
}

/* Append the records of part PART to OUT.  Returns 0 or a negative BP_E*
   code.  */
typedef int (*bp_countparts_fn) (void *ctx, size_t part, struct bp_buf *out);

/* Write a count file to F: the header H, then the records of every part
   as MAKE makes them with CTX, on NTHREADS threads (several parts at
   once, each called once), in the order of the parts.  With WEIGHT
   and PROGRESS (readprog.h), each part written adds WEIGHT[P] (its
   records, or what the caller measures) to the work done in the stage
   the caller began, and PROGRESS is told.  Returns 0, BP_EIO (writing F
   failed: ERR about the output) or BP_ENOMEM with ERR filled, or the
   first other failure of MAKE, which ERR does not describe (the caller
   knows what MAKE does).  */
int bp_countparts_write (const struct bp_counts_header *h, FILE *f,
                         int nthreads, bp_countparts_fn make, void *ctx,
                         const size_t *weight,
                         const struct bp_stage_progress *progress,
                         struct bp_error *err);

#endif /* BP_COUNTPARTS_H */
