/* SPDX-License-Identifier: Apache-2.0 */
/* Growable memory: a byte buffer, the one way the library accumulates
   bytes of unknown length (data is (ptr, len); NUL is an ordinary byte),
   and the growth of any array that is appended to one element at a time.

   Ownership: a struct bp_buf owns its data; bp_buf_free releases it and
   leaves an empty buffer.  A zero-initialised struct is a valid empty
   buffer.  bp_array_reserve reallocates the caller's array and leaves it
   the caller's.  */
#ifndef BP_BUF_H
#define BP_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct bp_buf
{
  uint8_t *data;
  size_t len;
  size_t cap;
};

/* Make room for NEED elements of SIZE bytes in the array whose address
   is ARRAYP (a T **, T of SIZE bytes; NULL when *CAP is 0) and which has
   room for *CAP: the room doubles, from FIRST for an empty array, so that
   appending one element at a time costs amortised constant time.
   Returns 0, or BP_ENOMEM (the array and *CAP unchanged) if memory is
   short or the size passes PTRDIFF_MAX bytes.  */
int bp_array_grow (void *arrayp, size_t *cap, size_t need, size_t size,
                   size_t first);

static inline int
bp_array_reserve (void *arrayp, size_t *cap, size_t need, size_t size,
                  size_t first)
{
  /* Inline, since it is called for every element appended.  */
  return need <= *cap ? 0 : bp_array_grow (arrayp, cap, need, size, first);
}

/* The same for the array A (any object pointer), its room CAP (a
   size_t) and NEED elements.  */
#define BP_ARRAY_RESERVE(a, cap, need, first) \
  bp_array_reserve (&(a), &(cap), (need), sizeof *(a), (first))

/* Make room for at least EXTRA more bytes after LEN.  Returns 0, or
   BP_ENOMEM (and leaves the buffer unchanged).  */
int bp_buf_grow (struct bp_buf *b, size_t extra);

/* Append N bytes from P.  Returns 0 or BP_ENOMEM.  */
static inline int
bp_buf_append (struct bp_buf *b, const void *p, size_t n)
{
  if (b->cap - b->len < n)
    {
      int rc = bp_buf_grow (b, n);
      if (rc)
        return rc;
    }
  if (n)
    memcpy (b->data + b->len, p, n);
  b->len += n;
  return 0;
}

/* Append one byte.  Returns 0 or BP_ENOMEM.  */
static inline int
bp_buf_putc (struct bp_buf *b, uint8_t c)
{
  if (b->len == b->cap)
    {
      int rc = bp_buf_grow (b, 1);
      if (rc)
        return rc;
    }
  b->data[b->len++] = c;
  return 0;
}

/* Drop the first N bytes, moving the rest to the front.  */
void bp_buf_consume (struct bp_buf *b, size_t n);

void bp_buf_free (struct bp_buf *b);

#endif /* BP_BUF_H */
