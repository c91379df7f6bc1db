/* SPDX-License-Identifier: Apache-2.0 */
/* Plain vocabularies; see vocab.h.  */
#include <config.h>
#include "vocab.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dupcheck.h"
#include "error.h"
#include "header.h"
#include "model.h"
#include "system.h"

/* The pieces read so far: their bytes one after the other.  */
struct list
{
  struct bp_buf bytes;
  size_t *off;
  uint64_t *count;
  size_t n, cap;
};

static const uint8_t *
list_piece (const void *ctx, size_t i, size_t *len)
{
  const struct list *l = ctx;
  *len = l->off[i + 1] - l->off[i];
  return l->bytes.data + l->off[i];
}

int
bp_vocab_read (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct list l = { { 0 }, NULL, NULL, 0, 0 };
  struct bp_buf piece = { 0 };
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  uint64_t lineno = 0, total = 0;
  int rc = 0;

  *out = NULL;
  errno = 0;
  while ((len = getline (&line, &cap, f)) >= 0)
    {
      lineno++;
      if (len == 0 || line[len - 1] != '\n')
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("truncated line (no newline at the end)"));
          goto done;
        }
      size_t n = (size_t) len - 1;
      char *tab = memchr (line, '\t', n);
      if (!tab || memchr (tab + 1, '\t', n - (size_t) (tab + 1 - line)))
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("expected 'piece<TAB>count'"));
          goto done;
        }
      if (l.n + 1 >= l.cap)
        {
          size_t ncap = l.cap ? 2 * l.cap : 4096;
          size_t *off = realloc (l.off, ncap * sizeof *off);
          uint64_t *cnt = off ? realloc (l.count, ncap * sizeof *cnt) : NULL;
          if (off)
            l.off = off;
          if (!cnt)
            {
              rc = bp_error_set (err, BP_ENOMEM, lineno, "%s", "");
              goto done;
            }
          l.count = cnt;
          l.cap = ncap;
        }
      uint64_t count;
      if ((rc = bp_model_parse_record (line, 0, (size_t) (tab - line), n, 0,
                                       &piece, &count, lineno, err)))
        goto done;
      if (bp_buf_append (&l.bytes, piece.data, piece.len))
        {
          rc = bp_error_set (err, BP_ENOMEM, lineno, "%s", "");
          goto done;
        }
      if (ckd_add (&total, total, count))
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("counts add up to more than 64 bits hold"));
          goto done;
        }
      if (l.n == 0)
        l.off[0] = 0;
      l.count[l.n] = count;
      l.off[++l.n] = l.bytes.len;
    }
  if (ferror (f))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      goto done;
    }

  size_t first, second;
  int d = bp_dupcheck (l.n, list_piece, &l, &first, &second);
  if (d < 0)
    {
      rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      goto done;
    }
  if (d)
    {
      rc = bp_error_set (err, BP_EFORMAT, second + 1,
                         _("the piece of line %zu again"), first + 1);
      goto done;
    }

  const uint8_t **ptr = malloc ((l.n ? l.n : 1) * sizeof *ptr);
  size_t *lens = malloc ((l.n ? l.n : 1) * sizeof *lens);
  if (ptr && lens)
    for (size_t i = 0; i < l.n; i++)
      ptr[i] = list_piece (&l, i, &lens[i]);
  *out = ptr && lens ? bp_model_new (l.n, ptr, lens, l.count, NULL) : NULL;
  free (ptr);
  free (lens);
  if (!*out)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");

done:
  bp_buf_free (&piece);
  bp_buf_free (&l.bytes);
  free (l.off);
  free (l.count);
  free (line);
  return rc;
}
