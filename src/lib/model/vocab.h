/* SPDX-License-Identifier: Apache-2.0 */
/* Plain vocabularies: a list of pieces with their counts, one per line,
   "ESCAPED-PIECE TAB COUNT LF" (the escaping of bytepiece(5)), no header,
   in any order.  What other tools or scripts make, and what BytePiece's
   convert_to_bytepiece(pieces, path) takes as a dict; bp-prune turns it
   into a model.

   Ownership: bp_vocab_read returns a new model, freed with
   bp_model_free.  */
#ifndef BP_VOCAB_H
#define BP_VOCAB_H

#include <stdio.h>

struct bp_model;
struct bp_error;

/* Read the plain vocabulary F into a new model in *OUT, the pieces in the
   order of the lines (ids from 3), params unknown.  Returns 0, or
   BP_EFORMAT with ERR's line and detail (a line without one TAB or
   without its LF, a bad escape, an empty piece, a count that is not a
   positive decimal integer, a piece given twice, counts that add up to
   more than 64 bits), BP_EIO (errno), BP_ENOMEM.  */
int bp_vocab_read (FILE *f, struct bp_model **out, struct bp_error *err);

#endif /* BP_VOCAB_H */
