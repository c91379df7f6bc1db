/* The parts of a count file; see keypart.h.  */
#include <config.h>
#include "keypart.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

struct beginning
{
  uint8_t byte, whole, len;
  char esc[7];
};

static int
cmp_beginning (const void *a, const void *b)
{
  const struct beginning *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp (x->esc, y->esc, n);
  return c ? c : (int) x->len - (int) y->len;
}

void
bp_keyparts_init (struct bp_keyparts *kp)
{
  struct beginning b[BP_KEYPARTS];
  size_t n = 0;
  for (unsigned c = 0; c < 256; c++)
    for (int whole = 0; whole < 1 + (c >= 0x80); whole++)
      {
        struct beginning *p = &b[n++];
        p->byte = (uint8_t) c;
        p->whole = (uint8_t) whole;
        if (whole)
          {
            p->esc[0] = (char) c;
            p->len = 1;
          }
        else
          /* Alone, a byte from 0x80 is no whole sequence: escaped.  */
          p->len = (uint8_t) bp_escape (&p->byte, 1, p->esc, 0);
      }
  qsort (b, n, sizeof *b, cmp_beginning);
  memset (kp->rank, 0, sizeof kp->rank);
  for (size_t i = 0; i < n; i++)
    {
      kp->byte[i] = b[i].byte;
      kp->whole[i] = b[i].whole;
      kp->rank[b[i].byte][b[i].whole] = (uint16_t) i;
      if (b[i].byte < 0x80)
        kp->rank[b[i].byte][1] = (uint16_t) i;
    }
}
