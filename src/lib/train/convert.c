/* SPDX-License-Identifier: Apache-2.0 */
/* Models from models; see convert.h.  */
#include <config.h>
#include "convert.h"

#include <stdlib.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "model.h"
#include "prune.h"
#include "readprog.h"
#include "system.h"

/* The smallest vocabulary: the 256 bytes and the 3 fixed ids.  */
enum { MIN_VOCAB = 256 + BP_ID_FIRST_PIECE };

/* Add to M the special tokens of IN (if not NULL), then those of P.  */
static int
add_specials (struct bp_model *m, const struct bp_model *in,
              const struct bp_convert_params *p, struct bp_error *err)
{
  size_t have = in ? in->nspecial : 0;
  int rc = 0;
  if (have)
    {
      const uint8_t **s = malloc (have * sizeof *s);
      size_t *len = malloc (have * sizeof *len);
      if (!s || !len)
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      for (size_t i = 0; rc == 0 && i < have; i++)
        s[i] = bp_model_piece (in, in->n + i, &len[i]);
      if (rc == 0)
        rc = bp_model_add_specials (m, have, s, len, err);
      free (s);
      free (len);
    }
  if (rc == 0)
    rc = bp_model_add_specials (m, p->nspecial, p->special, p->special_len,
                                err);
  return rc;
}

/* The progress of pruning as the caller sees it: the vocabulary sizes
   its own, special tokens included.  */
struct sized
{
  const struct bp_stage_progress *to;
  size_t nspecial;
};

static void
sized_begin (void *ctx, const struct bp_stage *s)
{
  const struct sized *z = ctx;
  struct bp_stage t = *s;
  if (t.size)
    t.size += z->nspecial;
  bp_stage_begin (z->to, &t);
}

static void
sized_advance (void *ctx, uint64_t done)
{
  bp_stage_advance (((const struct sized *) ctx)->to, done);
}

static void
sized_end (void *ctx)
{
  bp_stage_end (((const struct sized *) ctx)->to);
}

int
bp_convert (const struct bp_model *in, const struct bp_piece_count *pieces,
            size_t n, const struct bp_convert_params *p,
            struct bp_model **models, struct bp_error *err)
{
  size_t nspecial = p->nspecial + (in ? in->nspecial : 0);
  size_t kept = 0, target[64];
  int rc = 0;

  if (p->nsizes > BP_ARRAY_SIZE (target))
    return bp_error_set (err, BP_EINVAL, 0, "%s", "too many sizes");
  for (size_t k = 0; k < p->nsizes; k++)
    {
      models[k] = NULL;
      if (p->sizes[k] < MIN_VOCAB + nspecial)
        return bp_error_set (err, BP_EINVAL, 0,
                             _("a vocabulary size must be at least %zu with "
                               "%zu special tokens"), MIN_VOCAB + nspecial,
                             nspecial);
      target[k] = p->sizes[k] - nspecial;
    }
  /* The sizes the model fits in come first (the sizes are in decreasing
     order).  */
  if (in)
    for (; kept < p->nsizes && target[kept] >= bp_model_vocab (in)
                                                - in->nspecial; kept++)
      if (!(models[kept] = bp_model_dup (in)))
        {
          rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
          break;
        }
  if (rc == 0 && kept < p->nsizes)
    {
      struct sized z = { p->progress, nspecial };
      const struct bp_stage_progress fwd = { sized_begin, sized_advance,
                                             sized_end, &z };
      struct bp_prune_params pp = {
        .min_count = p->min_count,
        .max_piece_length = p->max_piece_length,
        .threads = p->threads,
        .distinct = 1,  /* a model's, a vocabulary's, a count file's */
        .progress = p->progress ? &fwd : NULL
      };
      rc = bp_prune_vocab (pieces, n, &pp, target + kept, p->nsizes - kept,
                           models + kept, err);
      for (size_t k = kept; rc == 0 && k < p->nsizes; k++)
        if (in)
          models[k]->params = in->params;
    }
  /* A model kept as it is has its special tokens already.  */
  for (size_t k = 0; rc == 0 && k < p->nsizes; k++)
    rc = add_specials (models[k], k < kept ? NULL : in, p, err);
  if (rc)
    for (size_t k = 0; k < p->nsizes; k++)
      {
        bp_model_free (models[k]);
        models[k] = NULL;
      }
  return rc;
}

/* The pieces of M, as pruning takes them (pointing into M).  */
struct bp_piece_count *
bp_convert_pieces (const struct bp_model *m)
{
  struct bp_piece_count *pc = malloc ((m->n ? m->n : 1) * sizeof *pc);
  for (size_t i = 0; pc && i < m->n; i++)
    {
      pc[i].bytes = bp_model_piece (m, i, &pc[i].len);
      pc[i].count = m->count[i];
    }
  return pc;
}

/* Read the piece counts of R into *PC (their bytes in ARENA).  Returns
   their number, or (size_t) -1 with ERR filled.  */
size_t
bp_convert_read_counts (struct bp_counts_reader *r,
                        struct bp_piece_count **pc, struct bp_buf *arena,
                        struct bp_error *err)
{
  struct bp_counts_record rec;
  size_t n = 0, cap = 0;
  int rc;

  /* The pieces' bytes go into one arena; their pointers are set once it
     stops moving.  */
  *pc = NULL;
  while ((rc = bp_counts_reader_next (r, &rec, err)) > 0)
    {
      if (BP_ARRAY_RESERVE (*pc, cap, n + 1, 4096))
        return bp_error_set (err, BP_ENOMEM, 0, "%s", ""), (size_t) -1;
      (*pc)[n].bytes = (const uint8_t *) (uintptr_t) arena->len;
      (*pc)[n].len = rec.len;
      (*pc)[n].count = rec.count;
      n++;
      if (bp_buf_append (arena, rec.key, rec.len))
        return bp_error_set (err, BP_ENOMEM, 0, "%s", ""), (size_t) -1;
    }
  if (rc < 0)
    return (size_t) -1;
  for (size_t i = 0; i < n; i++)
    (*pc)[i].bytes = arena->data + (uintptr_t) (*pc)[i].bytes;
  return n;
}
