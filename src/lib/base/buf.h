/* SPDX-License-Identifier: Apache-2.0 */
/* A growable byte buffer: the one way the library accumulates bytes of
   unknown length.  Data is (ptr, len); NUL is an ordinary byte.

   Ownership: a struct bp_buf owns its data; bp_buf_free releases it and
   leaves an empty buffer.  A zero-initialised struct is a valid empty buffer.  */
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
