/* SPDX-License-Identifier: Apache-2.0 */
/* Histograms by length; see lenhist.h.  */
#include <config.h>
#include "lenhist.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

int
bp_lenhist_add (struct bp_lenhist *h, size_t len, uint64_t k)
{
  if (!h->count || len > h->max)
    {
      size_t max = h->count && h->max * 2 > len ? h->max * 2 : len + 8;
      uint64_t *c = realloc (h->count, (max + 1) * sizeof *c);
      if (!c)
        return BP_ENOMEM;
      size_t from = h->count ? h->max + 1 : 0;
      memset (c + from, 0, (max + 1 - from) * sizeof *c);
      h->count = c;
      h->max = max;
    }
  h->count[len] += k;
  return 0;
}

void
bp_lenhist_free (struct bp_lenhist *h)
{
  free (h->count);
  h->count = NULL;
  h->max = 0;
}

size_t
bp_lenhist_longest (const struct bp_lenhist *h)
{
  size_t l = h->count ? h->max : 0;
  while (l > 0 && h->count[l] == 0)
    l--;
  return l;
}

uint64_t
bp_lenhist_get (const struct bp_lenhist *h, size_t len)
{
  return h->count && len <= h->max ? h->count[len] : 0;
}

