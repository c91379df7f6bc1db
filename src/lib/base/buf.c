/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffers; see buf.h.  */
#include <config.h>
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "system.h"

int
bp_array_grow (void *arrayp, size_t *cap, size_t need, size_t size,
               size_t first)
{
  size_t n, bytes;
  void *a;

  if (need <= *cap)
    return 0;
  n = *cap ? *cap : first ? first : 1;
  while (n < need)
    if (ckd_mul (&n, n, 2))
      {
        n = need;
        break;
      }
  /* No object is larger than PTRDIFF_MAX bytes (pointer differences
     within it must fit), and asking realloc for one is a bug.  */
  if (ckd_mul (&bytes, n, size) || bytes > PTRDIFF_MAX)
    return BP_ENOMEM;
  /* The caller's pointer is a T *, read and written as the bytes of a
     void *, which has the same representation on every POSIX system.  */
  memcpy (&a, arrayp, sizeof a);
  a = realloc (a, bytes ? bytes : 1);
  if (!a)
    return BP_ENOMEM;
  memcpy (arrayp, &a, sizeof a);
  *cap = n;
  return 0;
}

int
bp_buf_grow (struct bp_buf *b, size_t extra)
{
  size_t need;

  if (ckd_add (&need, b->len, extra))
    return BP_ENOMEM;
  return BP_ARRAY_RESERVE (b->data, b->cap, need, 256);
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
