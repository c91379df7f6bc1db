/* SPDX-License-Identifier: Apache-2.0 */
/* Giving back bytes read from a stream; see unread.h.  A glibc cookie
   stream: the readers take a FILE, and this keeps them unaware of the
   bytes that were looked at first.  */
#include <config.h>
#include "unread.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct cookie
{
  FILE *rest;
  size_t n, pos;
  unsigned char bytes[];
};

static ssize_t
cookie_read (void *c, char *buf, size_t size)
{
  struct cookie *k = c;
  if (k->pos < k->n)
    {
      size_t m = k->n - k->pos < size ? k->n - k->pos : size;
      memcpy (buf, k->bytes + k->pos, m);
      k->pos += m;
      return (ssize_t) m;
    }
  size_t got = fread (buf, 1, size, k->rest);
  if (got == 0 && ferror (k->rest))
    {
      if (errno == 0)
        errno = EIO;
      return -1;
    }
  return (ssize_t) got;
}

static int
cookie_close (void *c)
{
  free (c);
  return 0;
}

FILE *
bp_unread_open (const void *bytes, size_t n, FILE *rest)
{
  struct cookie *k = malloc (sizeof *k + n);
  if (!k)
    return NULL;
  k->rest = rest;
  k->n = n;
  k->pos = 0;
  if (n)
    memcpy (k->bytes, bytes, n);
  cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
  FILE *f = fopencookie (k, "r", io);
  if (!f)
    free (k);
  return f;
}
