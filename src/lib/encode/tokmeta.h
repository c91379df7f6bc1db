/* SPDX-License-Identifier: Apache-2.0 */
/* The metadata of a binary token file (u16, u32, Megatron's dataset):
   a small JSON file beside it, OUTPUT.json for bp-encode -o OUTPUT,
   that names the model the ids belong to, so that bp-decode can refuse
   ids decoded with another model, which would give text that looks
   plausible and is wrong.  The model is named by its fingerprint
   (model.h: bp_model_fingerprint) and its number of ids.  The layout
   (bytepiece-formats(5)):

     {
       "format": "bytepiece-tokens",
       "version": 1,
       "layout": "u16" | "u32" | "megatron",
       "dtype": "uint16" | "uint32" | "int32",
       "byte_order": "little",
       "model": { "fingerprint": "sha256:<64 hex digits>", "vocab": N },
       "documents": N,
       "ids": N
     }

   A reader takes members it does not know (later versions may add
   some).

   Ownership: struct bp_tokmeta is a plain value of the caller's; the
   streams are borrowed.  */
#ifndef BP_TOKMETA_H
#define BP_TOKMETA_H

#include <stdint.h>
#include <stdio.h>

#include "sha256.h"
#include "tokens.h"

struct bp_error;
struct bp_model;

struct bp_tokmeta
{
  enum bp_tokfmt layout;   /* BP_FMT_U16, BP_FMT_U32 or BP_FMT_MEGATRON */
  int int32;               /* the ids are int32 (Megatron above 65500) */
  uint8_t fingerprint[BP_SHA256_SIZE];
  uint64_t vocab;
  uint64_t documents;
  uint64_t ids;
};

/* Write META to F.  Returns 0 or BP_EIO.  */
int bp_tokmeta_write (FILE *f, const struct bp_tokmeta *meta);

/* Read the metadata in F into META.  Returns 0, or BP_EFORMAT with ERR's
   detail (not JSON, not this format, a version it does not know, a
   member missing or of the wrong kind), BP_EIO, BP_ENOMEM.  */
int bp_tokmeta_read (FILE *f, struct bp_tokmeta *meta, struct bp_error *err);

/* Do the ids that META describes belong to the model M, in the form
   FMT?  Returns 0, or BP_EFORMAT with ERR's detail saying what differs:
   the layout, or the model (both fingerprints, cut short, and both
   sizes).  */
int bp_tokmeta_check (const struct bp_tokmeta *meta,
                      const struct bp_model *m, enum bp_tokfmt fmt,
                      struct bp_error *err);

#endif /* BP_TOKMETA_H */
