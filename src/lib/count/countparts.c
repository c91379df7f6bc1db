/* SPDX-License-Identifier: Apache-2.0 */
/* The parts of a count file; see countparts.h.  */
#include <config.h>
#include "countparts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "escape.h"
#include "pool.h"
#include "readprog.h"

struct beginning
{
  uint8_t byte, whole, len;
  char esc[7];
};

static int
cmp_beginning (const void *a, const void *b)
{
  const struct beginning *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp (x->esc, y->esc, n);
  return c ? c : (int) x->len - (int) y->len;
}

void
bp_countparts_init (struct bp_countparts *kp)
{
  struct beginning b[BP_COUNTPARTS];
  size_t n = 0;
  for (unsigned c = 0; c < 256; c++)
    for (int whole = 0; whole < 1 + (c >= 0x80); whole++)
      {
        struct beginning *p = &b[n++];
        p->byte = (uint8_t) c;
        p->whole = (uint8_t) whole;
        if (whole)
          {
            p->esc[0] = (char) c;
            p->len = 1;
          }
        else
          /* Alone, a byte from 0x80 is no whole sequence: escaped.  */
          p->len = (uint8_t) bp_escape (&p->byte, 1, p->esc, 0);
      }
  qsort (b, n, sizeof *b, cmp_beginning);
  memset (kp->rank, 0, sizeof kp->rank);
  for (size_t i = 0; i < n; i++)
    {
      kp->byte[i] = b[i].byte;
      kp->whole[i] = b[i].whole;
      kp->rank[b[i].byte][b[i].whole] = (uint16_t) i;
      if (b[i].byte < 0x80)
        kp->rank[b[i].byte][1] = (uint16_t) i;
    }
}

struct kp_write
{
  bp_countparts_fn make;
  void *ctx;
  FILE *f;
  int werr;                      /* errno of a failed write */
  const size_t *weight;
  const struct bp_stage_progress *progress;
  uint64_t done;                 /* the weight of the parts written */
  struct bp_buf out[BP_COUNTPARTS];
};

static int
kp_work (void *ctx, size_t i)
{
  struct kp_write *w = ctx;
  return w->make (w->ctx, i, &w->out[i]);
}

static int
kp_take (void *ctx, size_t i)
{
  struct kp_write *w = ctx;
  struct bp_buf *out = &w->out[i];
  int rc = 0;
  errno = 0;
  if (out->len && fwrite (out->data, 1, out->len, w->f) != out->len)
    {
      w->werr = errno ? errno : EIO;
      rc = BP_EIO;
    }
  if (w->weight)
    {
      w->done += w->weight[i];
      bp_stage_advance (w->progress, w->done);
    }
  bp_buf_free (out);
  return rc;
}

int
bp_countparts_write (const struct bp_counts_header *h, FILE *f,
                     int nthreads, bp_countparts_fn make, void *ctx,
                     const size_t *weight,
                     const struct bp_stage_progress *progress,
                     struct bp_error *err)
{
  static const struct bp_pool_jobs ops = { kp_work, kp_take };
  struct kp_write *w = calloc (1, sizeof *w);
  int rc;

  if (!w)
    return bp_error_errno (err, ENOMEM);
  w->make = make;
  w->ctx = ctx;
  w->f = f;
  w->weight = progress ? weight : NULL;
  w->progress = progress;
  if ((rc = bp_counts_header_write (f, h, err)))
    goto done;
  /* A few parts ahead of the writing keep every thread busy; the
     window bounds the records waiting in memory.  */
  rc = bp_pool_run (BP_COUNTPARTS, nthreads, 2 * (size_t) nthreads + 2, &ops,
                    w);
  if (rc == 0 && fflush (f) != 0)
    {
      w->werr = errno ? errno : EIO;
      rc = BP_EIO;
    }
  if (rc == BP_EIO)
    {
      bp_error_errno (err, w->werr);
      bp_error_at_output (err);
    }
  else if (rc == BP_ENOMEM)
    bp_error_errno (err, ENOMEM);
done:
  for (size_t i = 0; i < BP_COUNTPARTS; i++)
    bp_buf_free (&w->out[i]);
  free (w);
  return rc;
}
