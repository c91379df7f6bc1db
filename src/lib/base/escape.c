/* SPDX-License-Identifier: Apache-2.0 */
/* Byte escaping for bytepiece's text formats; see escape.h.  */
#include <config.h>
#include "escape.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

static const char hex[] = "0123456789abcdef";

/* The literal bytes of a well-formed sequence are safe unless the
   sequence is a single ASCII byte that needs an escape.  */
static inline int
ascii_literal (uint8_t c, int space)
{
  return c >= 0x20 && c != 0x7F && c != '\\' && !(space && c == ' ');
}

size_t
bp_escape (const uint8_t *src, size_t n, char *dst, int space)
{
  char *d = dst;
  size_t i = 0;

  while (i < n)
    {
      uint8_t c = src[i];
      if (c < 0x80)
        {
          if (ascii_literal (c, space))
            *d++ = (char) c;
          else
            {
              *d++ = '\\';
              switch (c)
                {
                case '\\': *d++ = '\\'; break;
                case '\t': *d++ = 't'; break;
                case '\n': *d++ = 'n'; break;
                case '\r': *d++ = 'r'; break;
                default:
                  *d++ = 'x';
                  *d++ = hex[c >> 4];
                  *d++ = hex[c & 15];
                }
            }
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (src + i, n - i);
      if (len)
        {
          for (size_t k = 0; k < len; k++)
            *d++ = (char) src[i + k];
          i += len;
        }
      else
        {
          *d++ = '\\';
          *d++ = 'x';
          *d++ = hex[c >> 4];
          *d++ = hex[c & 15];
          i++;
        }
    }
  return (size_t) (d - dst);
}

int
bp_escape_append (struct bp_buf *b, const uint8_t *src, size_t n, int space)
{
  int rc = bp_buf_grow (b, BP_ESCAPE_MAX (n));
  if (rc)
    return rc;
  b->len += bp_escape (src, n, (char *) b->data + b->len, space);
  return 0;
}

const char *
bp_escape_quote (char *dst, size_t max, const void *src, size_t n)
{
  const uint8_t *s = src;
  size_t take = 0;

  /* Whole characters only, so that the quote stays well-formed UTF-8.  */
  while (take < n)
    {
      size_t len = bp_utf8_seqlen (s + take, n - take);
      if (!len)
        len = 1;
      if (take + len > max)
        break;
      take += len;
    }
  size_t k = bp_escape (s, take, dst, 0);
  if (take < n)
    {
      memcpy (dst + k, "...", 3);
      k += 3;
    }
  dst[k] = '\0';
  return dst;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

long
bp_unescape (const char *src, size_t n, uint8_t *dst, size_t *bad)
{
  uint8_t *d = dst;
  size_t i = 0;

  while (i < n)
    {
      const char *bs = memchr (src + i, '\\', n - i);
      size_t lit = bs ? (size_t) (bs - (src + i)) : n - i;
      memcpy (d, src + i, lit);
      d += lit;
      i += lit;
      if (i == n)
        break;
      /* src[i] is a backslash.  */
      if (i + 1 >= n)
        goto malformed;
      switch (src[i + 1])
        {
        case '\\': *d++ = '\\'; i += 2; break;
        case 't': *d++ = '\t'; i += 2; break;
        case 'n': *d++ = '\n'; i += 2; break;
        case 'r': *d++ = '\r'; i += 2; break;
        case 'x':
          {
            int h, l;
            if (i + 3 >= n || (h = hexval (src[i + 2])) < 0
                || (l = hexval (src[i + 3])) < 0)
              goto malformed;
            *d++ = (uint8_t) (h << 4 | l);
            i += 4;
            break;
          }
        default:
          goto malformed;
        }
    }
  return (long) (d - dst);

malformed:
  if (bad)
    *bad = i;
  return -1;
}

int
bp_escape_is_canonical (const char *src, size_t n)
{
  /* Round trip through the bytes: simpler to trust than a second grammar,
     and count files only ever hold short keys.  */
  uint8_t small[256], *raw = small;
  char esmall[BP_ESCAPE_MAX (sizeof small)], *esc = esmall;
  int ok = 0;

  if (n > sizeof small)
    {
      raw = malloc (n);
      esc = malloc (BP_ESCAPE_MAX (n));
      if (!raw || !esc)
        goto done;
    }
  long len = bp_unescape (src, n, raw, NULL);
  if (len >= 0)
    {
      size_t elen = bp_escape (raw, (size_t) len, esc, 0);
      ok = elen == n && memcmp (esc, src, n) == 0;
    }
done:
  if (raw != small)
    {
      free (raw);
      free (esc);
    }
  return ok;
}
