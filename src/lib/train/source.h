/* SPDX-License-Identifier: Apache-2.0 */
/* What bp-prune reads, told apart by the start of the input (bp-prune(1)),
   in this order: a count file (its first line a "#bytepiece-counts"
   header), a model in the text form (a "#bytepiece-model" header), a
   plain vocabulary (its first line "PIECE TAB COUNT", vocab.h), a model in
   BytePiece's JSON form (its first non-blank byte '{').  Anything else is
   taken for a vocabulary if its first line has a TAB, for a count file
   otherwise, so that the reader of what it looks most like says what is
   wrong.  The input is read once from start to end: it may be a pipe.

   Ownership: bp_source_open returns the stream it reads if that can seek
   back, or else a new stream, closed with fclose, that does not close the
   stream it reads.  */
#ifndef BP_SOURCE_H
#define BP_SOURCE_H

#include <stdio.h>

struct bp_error;

enum bp_source_kind
{
  BP_SOURCE_COUNTS,   /* a count file, or nothing that is anything else */
  BP_SOURCE_MODEL,    /* a model, in either form */
  BP_SOURCE_VOCAB     /* a plain vocabulary */
};

/* Look at the start of F: *KIND is what it holds, *G a stream that reads
   all of F from its start, what was looked at included: F itself if it
   could seek back, else a new one (close it if it is not F).  Returns 0,
   BP_EIO (errno in ERR) or BP_ENOMEM.  */
int bp_source_open (FILE *f, enum bp_source_kind *kind, FILE **g,
                    struct bp_error *err);

#endif /* BP_SOURCE_H */
