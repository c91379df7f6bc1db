/* SPDX-License-Identifier: Apache-2.0 */
/* Documents as JSON Lines; see jsonout.h.  */
#include <config.h>
#include "jsonout.h"

#include <string.h>

#include "buf.h"
#include "error.h"
#include "jsonpath.h"
#include "utf8.h"

void
bp_jsonout_init (struct bp_jsonout *w, const struct bp_jsonpath *path)
{
  memset (w, 0, sizeof *w);
  w->path = path;
}

/* Append the escape of the byte B: a control character's JSON escape,
   or (NOT_UTF8) the lone surrogate that stands for a byte outside
   well-formed UTF-8.  */
static int
escape_byte (struct bp_buf *out, uint8_t b, int not_utf8)
{
  static const char hex[] = "0123456789abcdef";
  char e[6] = { '\\', 'u', '0', '0', hex[b >> 4], hex[b & 15] };
  if (not_utf8)
    {
      e[2] = 'd';
      e[3] = 'c';
    }
  else
    switch (b)
      {
      case '"':
      case '\\':
        e[1] = (char) b;
        return bp_buf_append (out, e, 2);
      case '\b':
        return bp_buf_append (out, "\\b", 2);
      case '\f':
        return bp_buf_append (out, "\\f", 2);
      case '\n':
        return bp_buf_append (out, "\\n", 2);
      case '\r':
        return bp_buf_append (out, "\\r", 2);
      case '\t':
        return bp_buf_append (out, "\\t", 2);
      }
  return bp_buf_append (out, e, sizeof e);
}

/* Does the ASCII byte B need an escape?  */
static inline int
special (uint8_t b)
{
  return b < 0x20 || b == '"' || b == '\\';
}

/* Append S[0..N) escaped; with HOLD, an incomplete character at the end
   is left out, and *USED says how much was written.  */
static int
escape (struct bp_buf *out, const uint8_t *s, size_t n, int hold,
        size_t *used)
{
  size_t i = 0;
  int rc;
  while (i < n)
    {
      size_t k = i;
      while (k < n && s[k] < 0x80 && !special (s[k]))
        k++;
      if (k > i)
        {
          if ((rc = bp_buf_append (out, s + i, k - i)))
            return rc;
          i = k;
          continue;
        }
      if (s[i] < 0x80)
        {
          if ((rc = escape_byte (out, s[i], 0)))
            return rc;
          i++;
          continue;
        }
      size_t len = bp_utf8_seqlen (s + i, n - i);
      if (len)
        rc = bp_buf_append (out, s + i, len);
      else if (hold && bp_utf8_is_partial (s + i, n - i))
        break;
      else
        {
          len = 1;
          rc = escape_byte (out, s[i], 1);
        }
      if (rc)
        return rc;
      i += len;
    }
  if (used)
    *used = i;
  return 0;
}

/* Begin the document's line: {"NAME":{"NAME":"...  */
static int
begin (struct bp_jsonout *w, struct bp_buf *out)
{
  int rc;
  for (size_t i = 0; i < w->path->n; i++)
    if ((rc = bp_buf_append (out, "{\"", 2))
        || (rc = escape (out, w->path->name[i].data, w->path->name[i].len, 0,
                         NULL))
        || (rc = bp_buf_append (out, "\":", 2)))
      return rc;
  w->open = 1;
  w->npend = 0;
  return bp_buf_putc (out, '"');
}

int
bp_jsonout_text (struct bp_jsonout *w, const void *text, size_t n,
                 struct bp_buf *out)
{
  const uint8_t *s = text;
  size_t used;
  int rc;

  if (!w->open && (rc = begin (w, out)))
    return rc;
  if (w->npend)
    {
      /* The characters that begin in what was held: with 3 more bytes
         each is complete, or known not to be well formed.  */
      uint8_t t[8];
      size_t k = w->npend, add = n < 4 ? n : 4;
      memcpy (t, w->pend, k);
      memcpy (t + k, s, add);
      size_t j = 0;
      while (j < k)
        {
          size_t len = bp_utf8_seqlen (t + j, k + add - j);
          if (!len && add == n && bp_utf8_is_partial (t + j, k + add - j))
            {
              /* Still cut: hold it with the new bytes.  */
              w->npend = k + add - j;
              memmove (w->pend, t + j, w->npend);
              return 0;
            }
          if ((rc = escape (out, t + j, len ? len : 1, 0, NULL)))
            return rc;
          j += len ? len : 1;
        }
      w->npend = 0;
      s += j - k;
      n -= j - k;
    }
  if ((rc = escape (out, s, n, 1, &used)))
    return rc;
  w->npend = n - used;
  memcpy (w->pend, s + used, w->npend);
  return 0;
}

int
bp_jsonout_end (struct bp_jsonout *w, struct bp_buf *out)
{
  int rc;
  if (!w->open && (rc = begin (w, out)))
    return rc;
  /* A character cut short for good: its bytes are not UTF-8.  */
  for (size_t i = 0; i < w->npend; i++)
    if ((rc = escape_byte (out, w->pend[i], 1)))
      return rc;
  w->npend = 0;
  w->open = 0;
  if ((rc = bp_buf_putc (out, '"')))
    return rc;
  for (size_t i = 0; i < w->path->n; i++)
    if ((rc = bp_buf_putc (out, '}')))
      return rc;
  return bp_buf_putc (out, '\n');
}
