/* SPDX-License-Identifier: Apache-2.0 */
/* Finding a repeated byte string; see dupcheck.h.  */
#include <config.h>
#include "dupcheck.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

int
bp_dupcheck (size_t n, bp_dupcheck_get *get, const void *ctx, size_t *first,
             size_t *second)
{
  size_t size = 16;
  while (size < n * 2)
    size *= 2;
  size_t *slot = calloc (size, sizeof *slot);   /* index + 1, or 0 */
  if (!slot)
    return BP_ENOMEM;
  for (size_t i = 0; i < n; i++)
    {
      size_t len, olen;
      const uint8_t *p = get (ctx, i, &len);
      uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a, 64 bits */
      for (size_t j = 0; j < len; j++)
        h = (h ^ p[j]) * 0x100000001b3u;
      size_t at = (size_t) (h ^ (h >> 32)) & (size - 1);
      for (; slot[at]; at = (at + 1) & (size - 1))
        {
          const uint8_t *o = get (ctx, slot[at] - 1, &olen);
          if (olen == len && memcmp (o, p, len) == 0)
            {
              *first = slot[at] - 1;
              *second = i;
              free (slot);
              return 1;
            }
        }
      slot[at] = i + 1;
    }
  free (slot);
  return 0;
}
