/* SPDX-License-Identifier: Apache-2.0 */
/* A summary of a count file (bytepiece-formats(5)), made in one pass: its header,
   its keys by length and kind, the sum of its counts and its largest
   counts.

   Ownership: bp_stats_counts_read fills a caller's struct whose
   allocations bp_stats_counts_free releases (it accepts a zeroed
   struct); the struct keeps a pointer to the file's name, which must
   outlive it.  The file is borrowed.  */
#ifndef BP_COUNTSTATS_H
#define BP_COUNTSTATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counts.h"
#include "lenhist.h"
#include "piecekind.h"

struct bp_error;

/* One of the largest counts.  */
struct bp_stats_key
{
  uint8_t *key;
  size_t len;
  uint64_t count;
  uint64_t seq;         /* its place in the file */
};

struct bp_stats_counts
{
  const char *name;               /* as given on the command line */
  struct bp_counts_header h;
  uint64_t keys;                  /* records */
  uint64_t sum;                   /* of their counts */
  struct bp_lenhist by_len;
  uint64_t by_kind[BP_NKINDS];
  struct bp_stats_key *top;       /* the largest counts, largest first */
  size_t ntop;
  size_t topcap;                  /* entries allocated at TOP */
};

/* Read the count file F (read to its end), named NAME, into S, keeping
   the TOP largest counts (ties: the earlier record first); the list
   takes memory for at most as many keys as the file has, whatever TOP
   is.  Returns 0,
   or what bp_counts_reader_next returns on bad data (ERR says where), or
   BP_ERANGE if the sum overflows 64 bits, BP_ENOMEM.  */
int bp_stats_counts_read (struct bp_stats_counts *s, const char *name,
                          FILE *f, size_t top, struct bp_error *err);

void bp_stats_counts_free (struct bp_stats_counts *s);

#endif /* BP_COUNTSTATS_H */
