/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 (FIPS 180-4), for fingerprints: the name of a model that a
   token file carries (model.h: bp_model_fingerprint), which anybody can
   recompute with sha256sum.  Not for secrets: nothing here is constant
   time.  Written from the standard, so that no crypto library becomes a
   dependency for one digest.

   Ownership: struct bp_sha256 is a plain value of the caller's.  */
#ifndef BP_SHA256_H
#define BP_SHA256_H

#include <stddef.h>
#include <stdint.h>

enum { BP_SHA256_SIZE = 32 };

struct bp_sha256
{
  uint32_t h[8];
  uint64_t bytes;          /* message bytes so far */
  uint8_t block[64];       /* the bytes of the block not yet compressed */
  size_t fill;
};

void bp_sha256_init (struct bp_sha256 *s);
void bp_sha256_update (struct bp_sha256 *s, const void *data, size_t n);
/* The digest of everything given to update, into OUT.  S must be
   initialised again before further use.  */
void bp_sha256_final (struct bp_sha256 *s, uint8_t out[BP_SHA256_SIZE]);

#endif /* BP_SHA256_H */
