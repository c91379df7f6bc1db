/* SPDX-License-Identifier: Apache-2.0 */
/* The header line of bytepiece's text files; see header.h.  */
#include <config.h>
#include "header.h"

#include <string.h>

#include "system.h"

int
bp_header_tok_is (const char *s, size_t n, const char *lit)
{
  return strlen (lit) == n && memcmp (s, lit, n) == 0;
}

int
bp_header_is (const char *line, size_t len, const char *magic)
{
  size_t m = strlen (magic);
  return len >= m && memcmp (line, magic, m) == 0
         && (len == m || line[m] == ' ');
}

void
bp_header_start (struct bp_header *h, const char *line, size_t len,
                 const char *magic)
{
  h->line = line;
  h->len = len;
  h->pos = strlen (magic);
}

int
bp_header_token (struct bp_header *h, const char **tok, size_t *n)
{
  while (h->pos < h->len && h->line[h->pos] == ' ')
    h->pos++;
  if (h->pos == h->len)
    return 0;
  size_t start = h->pos;
  while (h->pos < h->len && h->line[h->pos] != ' ')
    h->pos++;
  *tok = h->line + start;
  *n = h->pos - start;
  return 1;
}

int
bp_header_field (const char *tok, size_t n, struct bp_header_field *f)
{
  const char *eq = memchr (tok, '=', n);
  if (!eq)
    return -1;
  f->key = tok;
  f->klen = (size_t) (eq - tok);
  f->val = eq + 1;
  f->vlen = n - f->klen - 1;
  return 0;
}

int
bp_header_u64 (const char *s, size_t n, uint64_t *v)
{
  uint64_t x = 0;
  if (n == 0 || (s[0] == '0' && n > 1))
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return -1;
      if (ckd_mul (&x, x, 10) || ckd_add (&x, x, (uint64_t) (s[i] - '0')))
        return -1;
    }
  *v = x;
  return 0;
}
