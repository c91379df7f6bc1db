/* SPDX-License-Identifier: Apache-2.0 */
/* The k-way merge of sorted count files; see countmerge.h.  */
#include <config.h>
#include "countmerge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "heap.h"
#include "readprog.h"
#include "system.h"

struct src
{
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  size_t index;
};

/* The order of the heap of sources (heap.h): by their current key.  */
static inline int
src_less (const void *pa, const void *pb)
{
  const struct src *a = *(struct src *const *) pa;
  const struct src *b = *(struct src *const *) pb;
  return bp_counts_cmp (a->rec.esc, a->rec.esc_len, b->rec.esc,
                        b->rec.esc_len) < 0;
}

/* Records between two reports of how far a merge got.  */
enum { REPORT_EVERY = 1 << 16 };

/* The bytes the N readers R have read.  */
static uint64_t
bytes_read (struct bp_counts_reader *const *r, size_t n)
{
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += bp_counts_reader_offset (r[i]);
  return sum;
}

int
bp_countmerge_records (struct bp_counts_reader *const *r, size_t n,
                       struct bp_counts_writer *w,
                       const struct bp_stage_progress *progress,
                       struct bp_error *err)
{
  struct src *src = calloc (n ? n : 1, sizeof *src);
  struct src **heap = calloc (n ? n : 1, sizeof *heap);
  struct bp_buf cur = { 0 };
  size_t nheap = 0;
  uint64_t count = 0, records = 0;
  int have = 0, rc = 0;

  if (!src || !heap)
    goto nomem;
  for (size_t i = 0; i < n; i++)
    {
      src[i].r = r[i];
      src[i].index = i;
      rc = bp_counts_reader_next (r[i], &src[i].rec, err);
      if (rc < 0)
        {
          bp_error_at_input (err, i);
          goto done;
        }
      if (rc > 0)
        heap[nheap++] = &src[i];
    }
  rc = 0;
  bp_heap_make (heap, nheap, sizeof *heap, src_less);

  while (nheap)
    {
      struct src *s = heap[0];
      if (have && s->rec.esc_len == cur.len
          && memcmp (s->rec.esc, cur.data, cur.len) == 0)
        {
          if (ckd_add (&count, count, s->rec.count))
            {
              rc = bp_error_set (err, BP_ERANGE, s->rec.line, "%s",
                                 _("count overflows 64 bits"));
              bp_error_at_input (err, s->index);
              goto done;
            }
        }
      else
        {
          if (have && (rc = bp_counts_writer_put_escaped (
                         w, (const char *) cur.data, cur.len, count, err)))
            goto done;
          cur.len = 0;
          if (bp_buf_append (&cur, s->rec.esc, s->rec.esc_len))
            goto nomem;
          count = s->rec.count;
          have = 1;
        }
      rc = bp_counts_reader_next (s->r, &s->rec, err);
      if (rc < 0)
        {
          bp_error_at_input (err, s->index);
          goto done;
        }
      if (progress && ++records % REPORT_EVERY == 0)
        bp_stage_advance (progress, bytes_read (r, n));
      if (rc == 0)
        bp_heap_pop (heap, &nheap, sizeof *heap, src_less);
      else
        bp_heap_down (heap, nheap, sizeof *heap, 0, src_less);
      rc = 0;
    }
  if (have)
    rc = bp_counts_writer_put_escaped (w, (const char *) cur.data, cur.len,
                                       count, err);
  bp_stage_advance (progress, bytes_read (r, n));
  goto done;

nomem:
  rc = bp_error_errno (err, ENOMEM);
done:
  free (src);
  free (heap);
  bp_buf_free (&cur);
  return rc;
}

/* The bytes left in the N streams IN if all are regular files, else 0:
   what a merge of them has to read.  */
static uint64_t
bytes_left (FILE *const *in, size_t n)
{
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++)
    {
      struct stat st;
      off_t at = ftello (in[i]);
      if (fstat (fileno (in[i]), &st) != 0 || !S_ISREG (st.st_mode)
          || at < 0 || st.st_size < at)
        return 0;
      sum += (uint64_t) (st.st_size - at);
    }
  return sum;
}

int
bp_countmerge_files (FILE *const *in, const char *const *names, size_t nin,
                     FILE *out, const struct bp_stage_progress *progress,
                     struct bp_error *err)
{
  struct bp_counts_reader **r = calloc (nin ? nin : 1, sizeof *r);
  struct bp_counts_writer w = { .f = out };
  struct bp_counts_header h;
  struct bp_stage stage = { .kind = BP_STAGE_MERGE, .items = nin,
                            .bytes = 1 };
  int rc = 0;

  if (!r)
    {
      rc = bp_error_errno (err, ENOMEM);
      goto done;
    }
  if (nin == 0)
    {
      rc = bp_error_set (err, BP_EINVAL, 0, "%s", _("nothing to merge"));
      goto done;
    }
  stage.total = bytes_left (in, nin);

  for (size_t i = 0; i < nin; i++)
    {
      if ((rc = bp_counts_reader_open (in[i], &r[i], err)))
        {
          bp_error_at_input (err, i);
          goto done;
        }
      const struct bp_counts_header *hi = bp_counts_reader_header (r[i]);
      if (hi->kind == BP_COUNTS_NGRAM_MODEL)
        {
          rc = bp_error_set (err, BP_EFORMAT, 1, "%s",
                             _("an n-gram model (kind=ngram-model) cannot be "
                               "merged"));
          bp_error_at_input (err, i);
          goto done;
        }
      if (i == 0)
        h = *hi;
      else
        {
          char a[64], b[64];
          if (bp_counts_header_differ (hi, &h, a, b, sizeof a))
            {
              rc = bp_error_set (err, BP_EFORMAT, 1,
                                 _("%s disagrees with %s in %s"), a, b,
                                 names[0]);
              bp_error_at_input (err, i);
              goto done;
            }
          if (ckd_add (&h.total, h.total, hi->total))
            {
              rc = bp_error_set (err, BP_ERANGE, 1, "%s",
                                 _("the total overflows 64 bits"));
              bp_error_at_input (err, i);
              goto done;
            }
        }
    }

  bp_stage_begin (progress, &stage);
  if ((rc = bp_counts_header_write (out, &h, err)) == 0
      && (rc = bp_countmerge_records (r, nin, &w, progress, err)) == 0)
    rc = bp_counts_writer_flush (&w, err);
  bp_stage_end (progress);

done:
  if (r)
    for (size_t i = 0; i < nin; i++)
      bp_counts_reader_free (r[i]);
  free (r);
  bp_counts_writer_free (&w);
  return rc;
}
