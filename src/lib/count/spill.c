/* SPDX-License-Identifier: Apache-2.0 */
/* Sorted runs in temporary files, merged at the end; see spill.h.  */
#include <config.h>
#include "spill.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "countmerge.h"
#include "counts.h"
#include "error.h"
#include "readprog.h"

/* Runs are merged in tiers, as in a log-structured merge: a run written
   by a table is of level 0, and whenever FANIN runs of one level exist
   they are merged into one run of the next level.  Every record is so
   rewritten about log_FANIN (runs) times, and at most about FANIN runs
   per level are open; past MAX_OPEN (a huge number of levels) all runs
   are merged into one.  */
enum { FANIN = 16, MAX_OPEN = 96 };

struct run
{
  char *path;
  FILE *f;
  int level;
  uint64_t size;             /* bytes, once written */
};

struct bp_spill
{
  struct bp_tempfiles tf;
  struct bp_counts_header h;
  pthread_mutex_t lock;
  struct run *runs;          /* finished runs */
  size_t n, cap;
  struct run *pending;       /* runs being written */
  size_t npending, pcap;
  uint64_t written;
  const struct bp_stage_progress *progress;
};

struct bp_spill *
bp_spill_new (const struct bp_tempfiles *t, const struct bp_counts_header *h)
{
  struct bp_spill *s = calloc (1, sizeof *s);
  if (!s)
    return NULL;
  s->tf = *t;
  s->h = *h;
  s->h.total = 0;
  pthread_mutex_init (&s->lock, NULL);
  return s;
}

static void
drop_run (const struct bp_spill *s, struct run *r)
{
  if (r->f)
    fclose (r->f);
  if (r->path)
    s->tf.remove (r->path);
  free (r->path);
  r->f = NULL;
  r->path = NULL;
}

void
bp_spill_free (struct bp_spill *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++)
    drop_run (s, &s->runs[i]);
  for (size_t i = 0; i < s->npending; i++)
    drop_run (s, &s->pending[i]);
  free (s->runs);
  free (s->pending);
  pthread_mutex_destroy (&s->lock);
  free (s);
}

void
bp_spill_progress (struct bp_spill *s, const struct bp_stage_progress *p)
{
  s->progress = p;
}

uint64_t
bp_spill_runs (const struct bp_spill *s)
{
  return __atomic_load_n (&s->written, __ATOMIC_RELAXED);
}

/* An I/O error about the file PATH (or the directory).  */
static int
io_error (struct bp_error *err, int errnum, const char *path)
{
  int rc = bp_error_errno (err, errnum ? errnum : EIO);
  if (rc == BP_EIO)
    bp_error_at_temp (err, path);
  return rc;
}

static int
push (struct run **v, size_t *n, size_t *cap, struct run r)
{
  if (BP_ARRAY_RESERVE (*v, *cap, *n + 1, 16))
    return BP_ENOMEM;
  (*v)[(*n)++] = r;
  return 0;
}

/* Make a run file and its header; *R gets it.  */
static int
make_run (struct bp_spill *s, struct run *r, struct bp_error *err)
{
  memset (r, 0, sizeof *r);
  int fd = s->tf.create (s->tf.dir, "bytepiece.", &r->path);
  if (fd < 0)
    return io_error (err, errno, s->tf.dir);
  r->f = fdopen (fd, "w+");
  if (!r->f)
    {
      int e = errno;
      close (fd);
      drop_run (s, r);
      return io_error (err, e, s->tf.dir);
    }
  int rc = bp_counts_header_write (r->f, &s->h, err);
  if (rc)
    {
      bp_error_at_temp (err, r->path);
      drop_run (s, r);
    }
  return rc;
}

/* ERR, of a merge of the runs FROM into the run OUT (or into the output
   if OUT is NULL): a failure to read a run or to write OUT is about that
   temporary file.  */
static int
about_runs (int rc, struct bp_error *err, const struct run *from,
            const struct run *out)
{
  if (rc != BP_EIO && rc != BP_EFORMAT)
    return rc;
  if (err->where == BP_AT_INPUT)
    bp_error_at_temp (err, from[err->input].path);
  else if (err->where == BP_AT_OUTPUT && out)
    bp_error_at_temp (err, out->path);
  return rc;
}

/* Flush W into its run R, free W, and make the run readable.  */
static int
close_writer (struct run *r, struct bp_counts_writer *w,
              struct bp_error *err)
{
  int rc = bp_counts_writer_flush (w, err);
  bp_counts_writer_free (w);
  if (rc == 0 && fflush (r->f) != 0)
    rc = bp_error_errno (err, errno);
  off_t size = rc == 0 ? ftello (r->f) : 0;
  r->size = size > 0 ? (uint64_t) size : 0;
  if (rc == BP_EIO)
    bp_error_at_temp (err, r->path);
  return rc;
}

/* Open a reader on each of the N runs FROM, from their start, into R.  */
static int
open_runs (struct run *from, size_t n, struct bp_counts_reader **r,
           struct bp_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      int rc;
      if (fseek (from[i].f, 0, SEEK_SET) != 0)
        return io_error (err, errno, from[i].path);
      if ((rc = bp_counts_reader_open (from[i].f, &r[i], err)))
        {
          bp_error_at_input (err, i);
          return about_runs (rc, err, from, NULL);
        }
    }
  return 0;
}

/* Begin the stage KIND of S's progress: a merge of the N runs FROM.  */
static void
begin_merge (const struct bp_spill *s, enum bp_stage_kind kind,
             const struct run *from, size_t n)
{
  struct bp_stage st = { .kind = kind, .items = n, .bytes = 1 };
  for (size_t i = 0; i < n; i++)
    st.total += from[i].size;
  bp_stage_begin (s->progress, &st);
}

/* Merge the runs FROM[0..N) into the new run *OUT.  The inputs stay.  */
static int
merge_into (struct bp_spill *s, struct run *from, size_t n, struct run *out,
            struct bp_error *err)
{
  struct bp_counts_reader **r = calloc (n ? n : 1, sizeof *r);
  struct bp_counts_writer w = { 0 };
  int rc;

  if (!r)
    return bp_error_errno (err, ENOMEM);
  if ((rc = make_run (s, out, err)))
    goto done;
  w.f = out->f;
  if ((rc = open_runs (from, n, r, err)))
    goto done;
  begin_merge (s, BP_STAGE_COMBINE, from, n);
  rc = bp_countmerge_records (r, n, &w, s->progress, err);
  bp_stage_end (s->progress);
  if (rc)
    {
      about_runs (rc, err, from, out);
      goto done;
    }
  rc = close_writer (out, &w, err);

done:
  bp_counts_writer_free (&w);
  if (rc)
    drop_run (s, out);
  for (size_t i = 0; i < n; i++)
    bp_counts_reader_free (r[i]);
  free (r);
  return rc;
}

/* Merge the runs of level LEVEL (all runs if LEVEL < 0) into one.
   Called with the lock held.  */
static int
merge_level (struct bp_spill *s, int level, struct bp_error *err)
{
  struct run *sel = malloc (s->n * sizeof *sel), merged;
  size_t k = 0, keep = 0;
  int rc, top = 0;

  if (!sel)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < s->n; i++)
    {
      if (s->runs[i].level > top)
        top = s->runs[i].level;
      if (level < 0 || s->runs[i].level == level)
        sel[k++] = s->runs[i];
    }
  if ((rc = merge_into (s, sel, k, &merged, err)))
    {
      free (sel);
      return rc;
    }
  merged.level = level < 0 ? top + 1 : level + 1;
  for (size_t i = 0; i < s->n; i++)
    if (level < 0 || s->runs[i].level == level)
      drop_run (s, &s->runs[i]);
    else
      s->runs[keep++] = s->runs[i];
  s->n = keep;
  s->runs[s->n++] = merged;
  free (sel);
  return 0;
}

int
bp_spill_begin (struct bp_spill *s, struct bp_counts_writer *w,
                struct bp_error *err)
{
  struct run r;
  int rc = make_run (s, &r, err);
  if (rc)
    return rc;
  pthread_mutex_lock (&s->lock);
  rc = push (&s->pending, &s->npending, &s->pcap, r);
  pthread_mutex_unlock (&s->lock);
  if (rc)
    {
      drop_run (s, &r);
      return bp_error_errno (err, ENOMEM);
    }
  memset (w, 0, sizeof *w);
  w->f = r.f;
  return 0;
}

/* Take the pending run written through W out of the pending list.
   Called with the lock held.  */
static struct run
take_pending (struct bp_spill *s, const struct bp_counts_writer *w)
{
  struct run r = { 0 };
  for (size_t i = 0; i < s->npending; i++)
    if (s->pending[i].f == w->f)
      {
        r = s->pending[i];
        s->pending[i] = s->pending[--s->npending];
        break;
      }
  return r;
}

int
bp_spill_end (struct bp_spill *s, struct bp_counts_writer *w,
              struct bp_error *err)
{
  pthread_mutex_lock (&s->lock);
  struct run r = take_pending (s, w);
  pthread_mutex_unlock (&s->lock);
  int rc = close_writer (&r, w, err);
  if (rc)
    {
      drop_run (s, &r);
      return rc;
    }

  pthread_mutex_lock (&s->lock);
  rc = push (&s->runs, &s->n, &s->cap, r);
  if (rc)
    {
      drop_run (s, &r);
      rc = bp_error_errno (err, ENOMEM);
    }
  else
    __atomic_add_fetch (&s->written, 1, __ATOMIC_RELAXED);
  /* Merge a full tier into the next, which may fill it in turn.  */
  for (int level = 0; rc == 0; level++)
    {
      size_t k = 0;
      for (size_t i = 0; i < s->n; i++)
        k += s->runs[i].level == level;
      if (k < FANIN)
        break;
      rc = merge_level (s, level, err);
    }
  if (rc == 0 && s->n > MAX_OPEN)
    rc = merge_level (s, -1, err);
  pthread_mutex_unlock (&s->lock);
  return rc;
}

int
bp_spill_abandon (struct bp_spill *s, struct bp_counts_writer *w,
                  struct bp_error *err)
{
  pthread_mutex_lock (&s->lock);
  struct run r = take_pending (s, w);
  pthread_mutex_unlock (&s->lock);
  bp_counts_writer_free (w);
  if (err->code == BP_EIO && err->where == BP_AT_OUTPUT)
    bp_error_at_temp (err, r.path ? r.path : s->tf.dir);
  drop_run (s, &r);
  return err->code;
}

int
bp_spill_merge (struct bp_spill *s, const struct bp_counts_header *h,
                FILE *f, struct bp_error *err)
{
  struct bp_counts_reader **r = calloc (s->n ? s->n : 1, sizeof *r);
  struct bp_counts_writer w = { .f = f };
  int rc = 0;

  if (!r)
    return bp_error_errno (err, ENOMEM);
  if ((rc = open_runs (s->runs, s->n, r, err))
      || (rc = bp_counts_header_write (f, h, err)))
    goto done;
  begin_merge (s, BP_STAGE_MERGE, s->runs, s->n);
  if ((rc = bp_countmerge_records (r, s->n, &w, s->progress, err)))
    about_runs (rc, err, s->runs, NULL);
  else
    rc = bp_counts_writer_flush (&w, err);
  bp_stage_end (s->progress);

done:
  for (size_t i = 0; i < s->n; i++)
    bp_counts_reader_free (r[i]);
  free (r);
  bp_counts_writer_free (&w);
  return rc;
}
