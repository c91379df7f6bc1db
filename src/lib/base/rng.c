/* SPDX-License-Identifier: Apache-2.0 */
/* Seeding the generator; see rng.h.  */
#include <config.h>
#include "rng.h"

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void
bp_rng_seed (struct bp_rng *r, uint64_t seed, uint64_t stream)
{
  /* Mix the stream number in before expanding, so that neighbouring
     streams share no state.  */
  uint64_t x = seed;
  uint64_t k = splitmix64 (&x) ^ stream;
  x = k;
  splitmix64 (&x);
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64 (&x);
}
