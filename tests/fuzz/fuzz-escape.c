/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: byte escaping and un-escaping (escape.h, DESIGN.md
   section 2).  Oracles: un-escaping fails exactly at a backslash; a text
   is canonical exactly when escaping what it stands for gives it back;
   escaping any bytes gives one field (no TAB, LF, CR, control byte or,
   with SPACE, space; well-formed UTF-8) that un-escapes to them.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fuzz.h"
#include "utf8.h"

/* Is the escaped text E (N bytes) one field of a text file?  */
static void
check_field (const char *e, size_t n, int space)
{
  const uint8_t *p = (const uint8_t *) e;
  for (size_t i = 0; i < n;)
    {
      FUZZ_CHECK (p[i] >= 0x20 && p[i] != 0x7F);
      FUZZ_CHECK (!(space && p[i] == ' '));
      size_t len = bp_utf8_seqlen (p + i, n - i);
      FUZZ_CHECK (len > 0);
      i += len;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  uint8_t *raw = malloc (size + 1);
  char *esc = malloc (BP_ESCAPE_MAX (size) + 1);
  uint8_t *back = malloc (BP_ESCAPE_MAX (size) + 1);
  FUZZ_CHECK (raw && esc && back);

  /* The input as escaped text.  */
  size_t bad = (size_t) -1;
  long n = bp_unescape (text, size, raw, &bad);
  int canonical = bp_escape_is_canonical (text, size);
  if (n < 0)
    {
      FUZZ_CHECK (n == -1);
      FUZZ_CHECK (bad < size && text[bad] == '\\');
      FUZZ_CHECK (!canonical);
    }
  else
    {
      FUZZ_CHECK ((size_t) n <= size);
      size_t e = bp_escape (raw, (size_t) n, esc, 0);
      FUZZ_CHECK (canonical == (e == size && memcmp (esc, text, size) == 0));
    }

  /* The input as bytes, escaped both ways.  */
  for (int space = 0; space <= 1; space++)
    {
      size_t e = bp_escape (data, size, esc, space);
      FUZZ_CHECK (e <= BP_ESCAPE_MAX (size));
      check_field (esc, e, space);
      long b = bp_unescape (esc, e, back, NULL);
      FUZZ_CHECK (b >= 0 && (size_t) b == size);
      FUZZ_CHECK (memcmp (back, data, size) == 0);
      FUZZ_CHECK (bp_escape_is_canonical (esc, e) == !space
                  || memchr (data, ' ', size) == NULL);
    }

  free (raw);
  free (esc);
  free (back);
  return 0;
}
