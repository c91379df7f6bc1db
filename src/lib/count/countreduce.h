/* SPDX-License-Identifier: Apache-2.0 */
/* Summing one sorted stream of count records in which a key may repeat
   (bp-count --reduce): what the reducer of a MapReduce job (Hadoop
   Streaming) receives after the shuffle, or what LC_ALL=C sort makes of
   the records of several count files.  The output is the count file
   that bp-count --merge would make of the same files.

   The stream is lines of two kinds:
   - records "ESCAPED-KEY TAB COUNT", as a count file holds them
     (counts.h), sorted by escaped key as bytes (a prefix first: the
     order of LC_ALL=C sort, and of Hadoop's keys); equal keys are
     adjacent and their counts are added up;
   - header lines "#bytepiece-counts 1 ...", anywhere: sorting puts
     them among the records, and Hadoop Streaming gives a line without
     a TAB back with one at its end, which is allowed.  They must agree
     as merged files' headers must (bp_counts_header_differ); their
     totals are added up.  At least one is needed, since the header
     cannot be made up (nothing else says the order or the total).
   Lines out of order are refused, naming the line: summing an unsorted
   stream would need memory that grows with it, and would hide a shuffle
   that went wrong.

   Memory: a line and a key, whatever the stream's length.  The header
   is known only at the end, so the records go to a temporary file,
   made through the caller's struct bp_tempfiles (spill.h), and are
   copied after it.

   Ownership: bp_countreduce_new returns a new reducer, freed with
   bp_countreduce_free (which removes its temporary file); arguments are
   borrowed, and the struct bp_tempfiles must outlive the reducer.  */
#ifndef BP_COUNTREDUCE_H
#define BP_COUNTREDUCE_H

#include <stddef.h>
#include <stdio.h>

struct bp_countreduce;
struct bp_error;
struct bp_tempfiles;

/* A reducer whose records wait in a temporary file made by T.  Returns
   NULL if out of memory.  */
struct bp_countreduce *bp_countreduce_new (const struct bp_tempfiles *t);

void bp_countreduce_free (struct bp_countreduce *r);

/* Read the lines of IN, the next part of the stream (several inputs are
   one stream, in the order given; ERR's line counts from 1 in each).
   Returns 0, or BP_EFORMAT (a bad line, a line out of order, headers
   that disagree, an n-gram model: ERR's line and detail), BP_ERANGE (a
   count or the total overflows), BP_EIO (reading IN: ERR has the errno;
   or the temporary file, ERR about it), BP_ENOMEM.  */
int bp_countreduce_read (struct bp_countreduce *r, FILE *in,
                         struct bp_error *err);

/* Write the count file: the common header, the totals added up, then
   the sums.  Returns 0, or BP_EFORMAT (no header was read, or a key is
   longer than the order; ERR's line says where, and its input is the
   index of the bp_countreduce_read call that read it), BP_EIO (ERR about
   the output, or about the temporary file), BP_ENOMEM.  */
int bp_countreduce_write (struct bp_countreduce *r, FILE *out,
                          struct bp_error *err);

#endif /* BP_COUNTREDUCE_H */
