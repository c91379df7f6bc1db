/* SPDX-License-Identifier: Apache-2.0 */
/* The fast reader of BytePiece's JSON models, which model_json.c tries
   first: the layout Trainer.save writes, and any JSON of the same shape,
   an object whose members are "BASE64": [ID, "TEXT", COUNT] with the ids
   3, 4, 5... in the order of the members.  jansson builds a tree of the
   whole file first (18 MB for a 240k model), which took longer than
   encoding a few megabytes with the model; this reads the pieces
   straight out of the text into the model, a block of the file at a
   time, so that the file is never held whole.  It accepts only what
   jansson would accept with the same meaning, and gives up on anything
   else - an error, a duplicate piece, a number it cannot read exactly,
   a bad escape, ids in another order - so that model_json.c reads the
   file again with jansson, which handles it and words the message.

   Ownership: a struct bp_jsonin owns BUF (free it when done); F is
   borrowed.  The model of bp_model_read_json_fast is the caller's.  */
#ifndef BP_MODEL_JSONFAST_H
#define BP_MODEL_JSONFAST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_model;

/* What is read of a file: BUF[POS..LEN) is yet to be parsed; EOF once
   the file ended.  A zero-initialised struct with F set reads F from
   where it is.  */
struct bp_jsonin
{
  FILE *f;
  char *buf;
  size_t pos, len, cap;
  int eof;
};

/* Drop the bytes before IN->POS and read more after the rest, making
   room if the buffer is full.  Returns 0 (EOF set at the end of the
   file), or BP_EIO (errno says why) or BP_ENOMEM.  */
int bp_jsonin_fill (struct bp_jsonin *in);

/* Read the model of IN, from IN->POS to the end of the file.  Returns 0
   and a new model in *OUT (its pieces all different), 1 if the file is
   not in the layout this reader knows or is wrong (read it again with
   jansson), or BP_EIO or BP_ENOMEM.  */
int bp_model_read_json_fast (struct bp_jsonin *in, struct bp_model **out);

/* Decode the padded base64 text S (N bytes) into OUT (room for N bytes).
   Returns the length, or -1 if S is not canonical padded base64.  */
long bp_base64_decode (const char *s, size_t n, uint8_t *out);

#endif /* BP_MODEL_JSONFAST_H */
