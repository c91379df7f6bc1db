/* SPDX-License-Identifier: Apache-2.0 */
/* Vocabulary pruning (DESIGN.md section 1.5); see prune.h.

   Every step is a "split": re-segment some pieces with the unigram model
   of a set of kept pieces (exactly what bp-encode does, unigram.h) and
   credit each kept piece with the counts of the pieces whose best
   segmentation uses it.  The kept set is held in (length, bytes) order,
   the order BytePiece's Trainer.dump gives the model it re-segments with;
   pieces only ever leave the set, so filtering keeps that order.  */
#include <config.h>
#include "prune.h"

#include <stdlib.h>
#include <string.h>

#include "dupcheck.h"
#include "error.h"
#include "model.h"
#include "pool.h"
#include "readprog.h"
#include "system.h"
#include "unigram.h"

/* A piece being pruned.  Its bytes are borrowed from the caller's records
   or from the table of the 256 single bytes.  */
struct item
{
  const uint8_t *p;
  size_t len;
  uint64_t count;
};

/* Below this many bytes to re-segment, a job on a thread of its own
   costs more than it saves.  */
enum { MIN_BYTES_PER_THREAD = 32 * 1024 };

static int
cmp_bytes (const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
  int c = memcmp (a, b, alen < blen ? alen : blen);
  if (c)
    return c;
  return alen < blen ? -1 : alen > blen;
}

/* (length, bytes): the order of a model's ids (DESIGN 1.5 step 5).  */
static int
cmp_len_bytes (const void *x, const void *y)
{
  const struct item *a = x, *b = y;
  if (a->len != b->len)
    return a->len < b->len ? -1 : 1;
  return memcmp (a->p, b->p, a->len);
}

/* The order in which pieces survive a vocabulary size (DESIGN 1.5 step 4,
   the sort key of Trainer.prune_pieces): single bytes first, then higher
   count, then longer, then bytes as Python compares them (a prefix
   first).  Pieces are distinct, so no two compare equal.  */
static int
cmp_survival (const void *x, const void *y)
{
  const struct item *a = x, *b = y;
  int ma = a->len > 1, mb = b->len > 1;
  if (ma != mb)
    return ma - mb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;
  return cmp_bytes (a->p, a->len, b->p, b->len);
}

/* A new model of the M items K, ids in the order given.  */
static int
make_model (const struct item *k, size_t m, struct bp_model **out,
            struct bp_error *err)
{
  const uint8_t **ptr = malloc ((m ? m : 1) * sizeof *ptr);
  size_t *len = malloc ((m ? m : 1) * sizeof *len);
  uint64_t *count = malloc ((m ? m : 1) * sizeof *count);
  uint64_t total = 0;
  int rc = 0;

  *out = NULL;
  if (!ptr || !len || !count)
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  for (size_t i = 0; !rc && i < m; i++)
    {
      ptr[i] = k[i].p;
      len[i] = k[i].len;
      count[i] = k[i].count;
      if (ckd_add (&total, total, k[i].count))
        rc = bp_error_set (err, BP_ERANGE, 0,
                           _("the piece counts add up to more than "
                             "64 bits hold"));
    }
  if (!rc)
    {
      *out = bp_model_new (m, (const uint8_t *const *) ptr, len, count, NULL);
      if (!*out)
        rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
    }
  free (ptr);
  free (len);
  free (count);
  return rc;
}

/* One job of a split: DROP[LO..HI) into its own counts.  */
struct job
{
  const struct item *drop;
  size_t lo, hi;
  uint64_t *add;
};

struct split_jobs
{
  const struct bp_unigram *u;
  struct job *job;
  const struct bp_stage_progress *progress;
  uint64_t done;            /* bytes re-segmented, over all jobs */
};

/* Pieces between two reports of how far a job got.  */
enum { REPORT_EVERY = 4096 };

/* Add the BYTES a job has done since it last said so, and tell.  */
static void
report (struct split_jobs *sj, uint64_t *bytes)
{
  if (!sj->progress)
    return;
  uint64_t all = __atomic_add_fetch (&sj->done, *bytes, __ATOMIC_RELAXED);
  *bytes = 0;
  bp_stage_advance (sj->progress, all);
}

/* A job of the pool (bp_pool_run): job I of a split.  */
static int
work (void *ctx, size_t job)
{
  struct split_jobs *sj = ctx;
  const struct job *j = &sj->job[job];
  struct bp_segmenter *s = bp_segmenter_new (sj->u);
  struct bp_pieces out = { 0 };
  uint64_t bytes = 0;
  int rc = s ? 0 : BP_ENOMEM;

  for (size_t i = j->lo; !rc && i < j->hi; i++)
    {
      bytes += j->drop[i].len;
      if ((i - j->lo + 1) % REPORT_EVERY == 0)
        report (sj, &bytes);
      out.len = 0;
      if (bp_segment_best (s, j->drop[i].p, j->drop[i].len, &out))
        {
          rc = BP_ENOMEM;
          break;
        }
      /* A piece used twice is credited twice, as the reference's
         counter[p] += v in a loop over the segmentation.  */
      for (size_t k = 0; k < out.len; k++)
        if (ckd_add (&j->add[out.v[k]], j->add[out.v[k]], j->drop[i].count))
          {
            rc = BP_ERANGE;
            break;
          }
    }
  report (sj, &bytes);
  bp_pieces_free (&out);
  bp_segmenter_free (s);
  return rc;
}

/* Re-segment each of the N items DROP with the unigram model of the M
   items KEEP (in (length, bytes) order, with their counts as they are)
   and set ADD[j] to the sum of the counts of the items whose segmentation
   uses KEEP[j], once per use: Trainer.split_pieces.  The jobs' sums
   are integers, so their order cannot change the result.  The work is
   the stage STAGE (its kind, size and pass) of P->progress.  */
static int
split (const struct item *keep, size_t m, const struct item *drop, size_t n,
       uint64_t *add, const struct bp_prune_params *p, struct bp_stage stage,
       struct bp_error *err)
{
  struct bp_model *model = NULL;
  struct split_jobs sj = { NULL, NULL, p->progress, 0 };
  int threads = p->threads;
  int rc, nj = 0;

  memset (add, 0, (m ? m : 1) * sizeof *add);
  if ((rc = make_model (keep, m, &model, err)))
    return rc;
  struct bp_unigram *u = bp_unigram_new (model, err);
  if (!u)
    {
      rc = err->code;
      goto done;
    }
  sj.u = u;

  /* Share the work by bytes: the dropped pieces of the first split range
     from one byte to whole 10000-character chunks.  */
  size_t bytes = 0;
  for (size_t i = 0; i < n; i++)
    bytes += drop[i].len;
  stage.items = n;
  stage.total = bytes;
  stage.bytes = 1;
  size_t most = bytes / MIN_BYTES_PER_THREAD;
  nj = threads < 1 ? 1 : threads;
  if ((size_t) nj > most)
    nj = most > 1 ? (int) most : 1;
  sj.job = calloc ((size_t) nj, sizeof *sj.job);
  if (!sj.job)
    {
      rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
      goto done;
    }
  size_t lo = 0, seen = 0;
  for (int t = 0; t < nj; t++)
    {
      size_t hi = lo;
      size_t goal = bytes / (size_t) nj * (size_t) (t + 1);
      if (t == nj - 1)
        hi = n;
      else
        while (hi < n && seen < goal)
          seen += drop[hi++].len;
      sj.job[t] = (struct job) { .drop = drop, .lo = lo, .hi = hi,
                                 .add = add };
      lo = hi;
      if (t > 0)
        {
          sj.job[t].add = calloc (m ? m : 1, sizeof *sj.job[t].add);
          if (!sj.job[t].add)
            {
              nj = t;
              rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
              goto done;
            }
        }
    }

  static const struct bp_pool_jobs ops = { .work = work };
  bp_stage_begin (p->progress, &stage);
  rc = bp_pool_run ((size_t) nj, nj, (size_t) nj, &ops, &sj);
  bp_stage_end (p->progress);
  for (int t = 1; t < nj && !rc; t++)
    for (size_t j = 0; j < m; j++)
      if (ckd_add (&add[j], add[j], sj.job[t].add[j]))
        {
          rc = BP_ERANGE;
          break;
        }
  if (rc == BP_ERANGE)
    bp_error_set (err, rc, 0,
                  _("the piece counts add up to more than 64 bits hold"));
  else if (rc)
    bp_error_set (err, rc, 0, "%s", "");

done:
  if (sj.job)
    for (int t = 1; t < nj; t++)
      free (sj.job[t].add);
  free (sj.job);
  bp_unigram_free (u);
  bp_model_free (model);
  return rc;
}

/* Add ADD[j] to the count of each of the M items K.  */
static int
credit (struct item *k, size_t m, const uint64_t *add, struct bp_error *err)
{
  for (size_t j = 0; j < m; j++)
    if (ckd_add (&k[j].count, k[j].count, add[j]))
      return bp_error_set (err, BP_ERANGE, 0,
                           _("the piece counts add up to more than "
                             "64 bits hold"));
  return 0;
}

/* DESIGN 1.5 step 3: recount the *N items K by re-segmenting each of them
   with the model of them all, from zero, dropping the pieces no
   segmentation uses, until a round drops none.  SIZE is the vocabulary
   size it is for (0 before the sizes), for P->progress.  */
static int
settle (struct item *k, size_t *n, uint64_t *add,
        const struct bp_prune_params *p, size_t size, struct bp_error *err)
{
  for (unsigned pass = 1;; pass++)
    {
      size_t n0 = *n, w = 0;
      const struct bp_stage stage = { .kind = BP_STAGE_SETTLE, .size = size,
                                      .pass = pass };
      int rc = split (k, n0, k, n0, add, p, stage, err);
      if (rc)
        return rc;
      for (size_t j = 0; j < n0; j++)
        if (add[j])
          {
            k[w] = k[j];
            k[w++].count = add[j];
          }
      *n = w;
      if (w == n0)
        return 0;
    }
}

static const uint8_t *
item_piece (const void *k, size_t i, size_t *len)
{
  const struct item *it = (const struct item *) k + i;
  *len = it->len;
  return it->p;
}

/* Fail with BP_EINVAL if any piece of the N items K occurs twice.  */
static int
check_distinct (const struct item *k, size_t n, struct bp_error *err)
{
  size_t first, second;
  int rc = bp_dupcheck (n, item_piece, k, &first, &second);
  if (rc < 0)
    return bp_error_set (err, rc, 0, "%s", "");
  if (rc)
    return bp_error_set (err, BP_EINVAL, 0, _("a piece occurs twice"));
  return 0;
}

static int
cmp_size_desc (const void *x, const void *y)
{
  size_t a = *(const size_t *) x, b = *(const size_t *) y;
  return a > b ? -1 : a < b;
}

int
bp_prune_vocab (const struct bp_piece_count *pieces, size_t n,
                const struct bp_prune_params *p, const size_t *sizes,
                size_t nsizes, struct bp_model **models, struct bp_error *err)
{
  struct bp_error e;
  uint8_t single[256];
  unsigned char have[256] = { 0 };
  struct item *keep = NULL, *drop = NULL;
  size_t *order = NULL;
  uint64_t *add = NULL;
  size_t nk = 0, nd = 0, cap;
  int rc = 0;

  bp_error_clear (&e);
  for (size_t k = 0; k < nsizes; k++)
    models[k] = NULL;
  if (nsizes == 0)
    {
      rc = bp_error_set (&e, BP_EINVAL, 0, _("no vocabulary size"));
      goto done;
    }
  for (size_t k = 0; k < nsizes; k++)
    if (sizes[k] < 256 + BP_ID_FIRST_PIECE)
      {
        rc = bp_error_set (&e, BP_EINVAL, 0,
                           _("vocabulary size %zu is below %d (the 256 "
                             "single bytes and 3 special ids)"),
                           sizes[k], 256 + BP_ID_FIRST_PIECE);
        goto done;
      }
  for (size_t i = 0; i < n; i++)
    if (pieces[i].len == 0 || pieces[i].count == 0)
      {
        rc = bp_error_set (&e, BP_EINVAL, 0,
                           pieces[i].len ? _("a piece with count 0")
                                         : _("an empty piece"));
        goto done;
      }

  size_t bytes;
  if (ckd_add (&cap, n, (size_t) 256)
      || ckd_mul (&bytes, cap, sizeof *keep))
    {
      rc = bp_error_set (&e, BP_ENOMEM, 0, "%s", "");
      goto done;
    }
  keep = malloc (cap * sizeof *keep);
  drop = malloc (cap * sizeof *drop);
  add = malloc (cap * sizeof *add);
  order = malloc (nsizes * sizeof *order);
  if (!keep || !drop || !add || !order)
    {
      rc = bp_error_set (&e, BP_ENOMEM, 0, "%s", "");
      goto done;
    }

  /* Step 1: every byte is a piece; a missing one counts 1.  */
  for (size_t i = 0; i < n; i++)
    {
      keep[i] = (struct item) { pieces[i].bytes, pieces[i].len,
                                pieces[i].count };
      if (pieces[i].len == 1)
        have[pieces[i].bytes[0]] = 1;
    }
  nk = n;
  for (int c = 0; c < 256; c++)
    {
      single[c] = (uint8_t) c;
      if (!have[c])
        keep[nk++] = (struct item) { &single[c], 1, 1 };
    }
  if (!p->distinct && (rc = check_distinct (keep, nk, &e)))
    goto done;

  /* Step 2: drop the rare and the long pieces into the others.  */
  size_t w = 0;
  for (size_t i = 0; i < nk; i++)
    if (keep[i].len == 1
        || (keep[i].len <= p->max_piece_length
            && keep[i].count >= p->min_count))
      keep[w++] = keep[i];
    else
      drop[nd++] = keep[i];
  nk = w;
  qsort (keep, nk, sizeof *keep, cmp_len_bytes);
  const struct bp_stage rare = { .kind = BP_STAGE_DROP };
  if ((rc = split (keep, nk, drop, nd, add, p, rare, &e))
      || (rc = credit (keep, nk, add, &e))
      || (rc = settle (keep, &nk, add, p, 0, &e)))
    goto done;

  /* Step 4: each size, largest first, from where the last one ended.  */
  for (size_t k = 0; k < nsizes; k++)
    order[k] = sizes[k];
  qsort (order, nsizes, sizeof *order, cmp_size_desc);
  for (size_t k = 0; k < nsizes; k++)
    {
      size_t room = order[k] - BP_ID_FIRST_PIECE;
      if (nk > room)
        {
          qsort (keep, nk, sizeof *keep, cmp_survival);
          nd = nk - room;
          memcpy (drop, keep + room, nd * sizeof *drop);
          nk = room;
          qsort (keep, nk, sizeof *keep, cmp_len_bytes);
          const struct bp_stage cut = { .kind = BP_STAGE_DROP,
                                        .size = order[k] };
          if ((rc = split (keep, nk, drop, nd, add, p, cut, &e))
              || (rc = credit (keep, nk, add, &e))
              || (rc = settle (keep, &nk, add, p, order[k], &e)))
            goto done;
        }
      if ((rc = make_model (keep, nk, &models[k], &e)))
        goto done;
    }

done:
  if (rc)
    for (size_t k = 0; k < nsizes; k++)
      {
        bp_model_free (models[k]);
        models[k] = NULL;
      }
  free (keep);
  free (drop);
  free (add);
  free (order);
  if (err)
    *err = e;
  return rc;
}
