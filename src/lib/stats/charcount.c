/* SPDX-License-Identifier: Apache-2.0 */
/* Counting characters over parts of a text; see charcount.h.  */
#include <config.h>
#include "charcount.h"

#include <string.h>

#include "utf8.h"

void
bp_charcount_feed (struct bp_charcount *c, const uint8_t *p, size_t n,
                   int last)
{
  size_t i = 0;

  if (c->npend)
    {
      /* The start of a sequence the previous part cut: complete it with
         the first bytes of this one.  */
      uint8_t tmp[4];
      size_t m = c->npend, k = 0;
      memcpy (tmp, c->pend, m);
      while (m < sizeof tmp && k < n)
        tmp[m++] = p[k++];
      size_t len = bp_utf8_seqlen (tmp, m);
      if (len)
        {
          c->chars++;
          i = len - c->npend;
          c->npend = 0;
        }
      else if (!last && bp_utf8_is_partial (tmp, m))
        {
          /* Still incomplete (M < 4, so all of P was taken).  */
          memcpy (c->pend, tmp, m);
          c->npend = (unsigned) m;
          return;
        }
      else
        {
          /* The lead byte and the continuation bytes after it are each a
             byte outside any well-formed sequence: a character each.  P
             is then read from its start.  */
          c->chars += c->npend;
          c->npend = 0;
        }
    }

  while (i < n)
    {
      if (p[i] < 0x80)
        {
          c->chars++;
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (p + i, n - i);
      if (len)
        i += len;
      else if (!last && bp_utf8_is_partial (p + i, n - i))
        {
          c->npend = (unsigned) (n - i);
          memcpy (c->pend, p + i, n - i);
          return;
        }
      else
        i++;
      c->chars++;
    }
}

