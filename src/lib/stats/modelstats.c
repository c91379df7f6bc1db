/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics of models and of the pieces their tokens use; see
   modelstats.h.  */
#include <config.h>
#include "modelstats.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "model.h"

int
bp_stats_model_init (struct bp_stats_model *s, const char *name,
                     const struct bp_model *m)
{
  memset (s, 0, sizeof *s);
  s->name = name;
  s->model = m;
  s->count = calloc (m->n ? m->n : 1, sizeof *s->count);
  if (!s->count)
    return BP_ENOMEM;
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      const uint8_t *p = bp_model_piece (m, i, &len);
      s->by_kind[bp_piece_classify (p, len)]++;
      if (bp_lenhist_add (&s->by_len, len, 1))
        {
          bp_stats_model_free (s);
          return BP_ENOMEM;
        }
    }
  return 0;
}

void
bp_stats_model_free (struct bp_stats_model *s)
{
  bp_lenhist_free (&s->by_len);
  bp_dochist_free (&s->per_doc);
  free (s->count);
  s->count = NULL;
}

size_t
bp_stats_model_used (const struct bp_stats_model *s)
{
  size_t used = 0;
  for (size_t i = 0; i < s->model->n; i++)
    used += s->count[i] != 0;
  return used;
}


uint64_t
bp_stats_model_single_byte (const struct bp_stats_model *s)
{
  const struct bp_model *m = s->model;
  uint64_t n = 0;
  for (size_t i = 0; i < m->n; i++)
    if (m->off[i + 1] - m->off[i] == 1)
      n += s->count[i];
  return n;
}

/* Most tokens first; then the lower id.  */
static int
by_count (const void *pa, const void *pb)
{
  const struct bp_stats_piece *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return (a->piece > b->piece) - (a->piece < b->piece);
}

/* Longest first; then the most tokens, then the lower id.  */
static int
by_length (const void *pa, const void *pb)
{
  const struct bp_stats_piece *a = pa, *b = pb;
  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;
  return by_count (pa, pb);
}

void
bp_stats_sort (struct bp_stats_piece *v, size_t n, enum bp_stats_order order)
{
  qsort (v, n, sizeof *v, order == BP_STATS_BY_LENGTH ? by_length : by_count);
}

struct bp_stats_piece *
bp_stats_model_select (const struct bp_stats_model *s,
                       enum bp_stats_order order, size_t *n)
{
  const struct bp_model *m = s->model;
  size_t used = bp_stats_model_used (s);
  struct bp_stats_piece *v = malloc ((used ? used : 1) * sizeof *v);
  if (!v)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < m->n; i++)
    if (s->count[i])
      {
        v[k].count = s->count[i];
        v[k].len = m->off[i + 1] - m->off[i];
        v[k].piece = (uint32_t) i;
        k++;
      }
  bp_stats_sort (v, k, order);
  *n = k;
  return v;
}
