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
#include "modelbuild.h"
#include "system.h"

/* Piece I of the model being built (a bp_dupcheck callback).  */
static const uint8_t *
built_piece (const void *ctx, size_t i, size_t *len)
{
  const struct bp_model_builder *b = ctx;
  *len = b->off[i + 1] - b->off[i];
  return b->bytes.data + b->off[i];
}

int
bp_vocab_read (FILE *f, struct bp_model **out, struct bp_error *err)
{
  struct bp_model_builder b = { 0 };
  struct bp_buf piece = { 0 };
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  uint64_t lineno = 0;
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
      uint64_t count;
      if ((rc = bp_model_parse_record (line, 0, (size_t) (tab - line), n, 0,
                                       &piece, &count, lineno, err)))
        goto done;
      rc = bp_model_builder_add (&b, piece.data, piece.len, count, 0);
      if (rc == BP_ERANGE)
        {
          rc = bp_error_set (err, BP_EFORMAT, lineno,
                             _("counts add up to more than 64 bits hold"));
          goto done;
        }
      if (rc)
        {
          rc = bp_error_set (err, BP_ENOMEM, lineno, "%s", "");
          goto done;
        }
    }
  if (ferror (f))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      goto done;
    }

  size_t first, second;
  int d = bp_dupcheck (b.n, built_piece, &b, &first, &second);
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
  if (!(*out = bp_model_builder_finish (&b, &bp_model_params_unknown, 0)))
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");

done:
  bp_buf_free (&piece);
  bp_model_builder_free (&b);
  free (line);
  return rc;
}
