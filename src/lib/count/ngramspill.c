/* SPDX-License-Identifier: Apache-2.0 */
/* Spilling runs of n-gram windows: expanded into n-grams a slice at a
   time, each slice sorted by escaped key and written as a run of a spill
   (spill.h).  See ngramrun.h.  */
#include <config.h>
#include "ngramrun.h"

#include <errno.h>
#include <stdlib.h>

#include "counts.h"
#include "error.h"
#include "keysort.h"
#include "ngramkey.h"
#include "readprog.h"
#include "spill.h"
#include "system.h"

int
bp_ngramrun_error (int rc, struct bp_error *err)
{
  if (rc == BP_ENOMEM)
    return bp_error_errno (err, ENOMEM);
  /* More n-grams than the sort can index, or a count past 64 bits.  */
  return bp_error_set (err, rc, 0, "%s", _("too much input to count"));
}

int
bp_ngramrun_stream_new (struct stream *s, size_t n)
{
  s->n = 0;
  s->heap = malloc ((n ? n : 1) * sizeof *s->heap);
  return s->heap ? 0 : BP_ENOMEM;
}

void
bp_ngramrun_stream_free (struct stream *s)
{
  free (s->heap);
  s->heap = NULL;
  s->n = 0;
}

/* Sort the N n-grams of V by escaped key and write their records to W.
   Returns 0 or a negative code with ERR filled.  */
static int
write_sorted (const struct kc *v, size_t n, struct bp_counts_writer *w,
              struct bp_error *err)
{
  uint32_t *perm;
  int rc = bp_keysort_escaped (n, BP_PACKED_ORDER, kc_key, v, &perm);
  if (rc)
    return bp_ngramrun_error (rc, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    {
      uint8_t k[8];
      size_t len = bp_ngram_unpack (v[perm[i]].key, k);
      rc = bp_counts_writer_put (w, k, len, v[perm[i]].count, err);
    }
  free (perm);
  return rc;
}

/* Write the N n-grams of V as a run of SPILL.  */
static int
spill_slice (struct bp_spill *spill, const struct kc *v, size_t n,
             struct bp_error *err)
{
  struct bp_counts_writer w;
  int rc = bp_spill_begin (spill, &w, err);
  if (rc)
    return rc;
  if ((rc = write_sorted (v, n, &w, err)))
    return bp_spill_abandon (spill, &w, err);
  return bp_spill_end (spill, &w, err);
}

int
bp_ngramrun_spill (const struct run *r, size_t n, size_t order,
                   size_t slice, struct bp_spill *spill,
                   const struct bp_stage_progress *progress,
                   struct bp_error *err)
{
  struct stream st;
  struct expander x = { .open_to = 0 };
  struct kc *buf = malloc (slice * sizeof *buf), w;
  struct bp_stage stage = { .kind = BP_STAGE_SPILL };
  uint64_t done = 0;
  size_t nb = 0;
  int rc = 0;

  if (!buf || bp_ngramrun_stream_new (&st, n))
    {
      free (buf);
      return bp_error_errno (err, ENOMEM);
    }
  for (size_t i = 0; i < n; i++)
    {
      stream_add (&st, r[i].v, r[i].n);
      stage.total += r[i].n;
    }
  stage.items = stage.total;
  bp_stage_begin (progress, &stage);
  stream_start (&st);
  while (rc == 0 && stream_next (&st, &w))
    {
      if (progress && ++done % BP_NGRAM_REPORT_EVERY == 0)
        bp_stage_advance (progress, done);
      /* Room for what this window and the closing may emit.  */
      if (nb + 2 * order > slice)
        {
          expand_close (&x, buf, &nb);
          rc = spill_slice (spill, buf, nb, err);
          nb = 0;
        }
      expand_feed (&x, w.key, w.count, buf, &nb);
    }
  expand_close (&x, buf, &nb);
  if (rc == 0 && nb)
    rc = spill_slice (spill, buf, nb, err);
  bp_stage_end (progress);
  bp_ngramrun_stream_free (&st);
  free (buf);
  return rc;
}
