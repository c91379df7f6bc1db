/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers; see buf.h.  */
#include <config.h>
#include "buf.h"

#include <stdlib.h>

#include "error.h"
#include "system.h"

int
bp_buf_grow (struct bp_buf *b, size_t extra)
{
  size_t need, cap;
  uint8_t *p;

  if (ckd_add (&need, b->len, extra))
    return BP_ENOMEM;
  if (need <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 256;
  while (cap < need)
    if (ckd_mul (&cap, cap, 2))
      {
        cap = need;
        break;
      }
  p = realloc (b->data, cap);
  if (!p)
    return BP_ENOMEM;
  b->data = p;
  b->cap = cap;
  return 0;
}

void
bp_buf_consume (struct bp_buf *b, size_t n)
{
  if (n >= b->len)
    b->len = 0;
  else
    {
      memmove (b->data, b->data + n, b->len - n);
      b->len -= n;
    }
}

void
bp_buf_free (struct bp_buf *b)
{
  free (b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
