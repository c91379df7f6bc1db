/* SPDX-License-Identifier: Apache-2.0 */
/* A tokenizer model built one entry at a time; see modelbuild.h.  */
#include <config.h>
#include "modelbuild.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "system.h"

const struct bp_model_params bp_model_params_unknown
  = { -1, -1, -1, -1, -1, -1 };

int
bp_model_builder_reserve (struct bp_model_builder *b)
{
  /* The two arrays grow alike from the same room: OFF needs one entry
     more than COUNT.  */
  size_t off_cap = b->cap, count_cap = b->cap;
  if (BP_ARRAY_RESERVE (b->off, off_cap, b->n + 2, 1024)
      || BP_ARRAY_RESERVE (b->count, count_cap, b->n + 2, 1024))
    return BP_ENOMEM;
  b->cap = count_cap;
  b->off[0] = 0;
  return 0;
}

int
bp_model_builder_close (struct bp_model_builder *b, size_t len,
                        uint64_t count, int special)
{
  if (ckd_add (&b->total, b->total, count))
    return BP_ERANGE;
  b->bytes.len += len;
  b->count[b->n] = count;
  b->off[++b->n] = b->bytes.len;
  if (!special && len > b->max_len)
    b->max_len = len;
  return 0;
}

int
bp_model_builder_add (struct bp_model_builder *b, const uint8_t *p,
                      size_t len, uint64_t count, int special)
{
  if (bp_model_builder_reserve (b) || bp_buf_grow (&b->bytes, len))
    return BP_ENOMEM;
  if (len)
    memcpy (b->bytes.data + b->bytes.len, p, len);
  return bp_model_builder_close (b, len, count, special);
}

struct bp_model *
bp_model_builder_finish (struct bp_model_builder *b,
                         const struct bp_model_params *params,
                         size_t nspecial)
{
  struct bp_model *m = calloc (1, sizeof *m);
  if (!m)
    return NULL;
  if (b->n == 0)
    {
      free (b->off);
      if (!(b->off = calloc (1, sizeof *b->off)))
        {
          free (m);
          return NULL;
        }
    }
  else
    {
      /* Give back what the doubling left unused; a failure to shrink
         leaves an array as it is.  */
      size_t *off = realloc (b->off, (b->n + 1) * sizeof *off);
      uint64_t *count = realloc (b->count, b->n * sizeof *count);
      uint8_t *bytes = realloc (b->bytes.data,
                                b->bytes.len ? b->bytes.len : 1);
      if (off)
        b->off = off;
      if (count)
        b->count = count;
      if (bytes)
        {
          b->bytes.data = bytes;
          b->bytes.cap = b->bytes.len ? b->bytes.len : 1;
        }
    }
  m->n = b->n - nspecial;
  m->nspecial = nspecial;
  m->bytes = b->bytes.data;
  m->off = b->off;
  m->count = b->count;
  m->total = b->total;
  m->max_len = b->max_len;
  m->params = *params;
  memset (b, 0, sizeof *b);
  return m;
}

void
bp_model_builder_free (struct bp_model_builder *b)
{
  bp_buf_free (&b->bytes);
  free (b->off);
  free (b->count);
  memset (b, 0, sizeof *b);
}
