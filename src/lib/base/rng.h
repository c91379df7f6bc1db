/* SPDX-License-Identifier: Apache-2.0 */
/* A small, fast, seedable random number generator (xoshiro256**, seeded
   through splitmix64) for sampling segmentations.  Its streams are
   derived from a seed and a chunk number, so that sampling gives the same
   output whatever the number of threads.

   Ownership: a plain value type.  */
#ifndef BP_RNG_H
#define BP_RNG_H

#include <stdint.h>

struct bp_rng
{
  uint64_t s[4];
};

/* Seed R for stream STREAM of SEED.  */
void bp_rng_seed (struct bp_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits.  */
static inline uint64_t
bp_rng_next (struct bp_rng *r)
{
  uint64_t *s = r->s;
  uint64_t x = s[1] * 5;
  uint64_t result = ((x << 7) | (x >> 57)) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return result;
}

/* A uniform double in [0, 1), with 53 random bits.  */
static inline double
bp_rng_uniform (struct bp_rng *r)
{
  return (double) (bp_rng_next (r) >> 11) * 0x1.0p-53;
}

#endif /* BP_RNG_H */
