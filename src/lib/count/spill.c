/* Sorted runs in temporary files, merged at the end; see spill.h.  */
#include <config.h>
#include "spill.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "countmerge.h"
#include "counts.h"
#include "error.h"

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
  if (*n == *cap)
    {
      size_t nc = *cap ? 2 * *cap : 16;
      struct run *p = realloc (*v, nc * sizeof *p);
      if (!p)
        return BP_ENOMEM;
      *v = p;
      *cap = nc;
    }
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
  if (bp_counts_header_write (r->f, &s->h))
    {
      int rc = io_error (err, errno, r->path);
      drop_run (s, r);
      return rc;
    }
  return 0;
}

/* Flush W into its run R, free W, and make the run readable.  */
static int
close_writer (struct run *r, struct bp_counts_writer *w,
              struct bp_error *err)
{
  int rc = bp_counts_writer_flush (w);
  int e = errno;
  bp_counts_writer_free (w);
  if (rc == 0 && fflush (r->f) != 0)
    {
      rc = BP_EIO;
      e = errno;
    }
  if (rc)
    return io_error (err, e, r->path);
  return 0;
}

/* Merge the runs FROM[0..N) into the new run *OUT.  The inputs stay.  */
static int
merge_into (struct bp_spill *s, struct run *from, size_t n, struct run *out,
            struct bp_error *err)
{
  struct bp_counts_reader **r = calloc (n ? n : 1, sizeof *r);
  struct bp_counts_writer w = { 0 };
  size_t bad = 0;
  int rc;

  if (!r)
    return bp_error_errno (err, ENOMEM);
  if ((rc = make_run (s, out, err)))
    goto done;
  w.f = out->f;
  for (size_t i = 0; i < n; i++)
    {
      if (fseek (from[i].f, 0, SEEK_SET) != 0)
        {
          rc = io_error (err, errno, from[i].path);
          goto done;
        }
      if ((rc = bp_counts_reader_open (from[i].f, &r[i], err)))
        {
          if (rc == BP_EIO)
            io_error (err, err->errnum, from[i].path);
          goto done;
        }
    }
  if ((rc = bp_countmerge_records (r, n, &w, &bad, err)))
    {
      if (rc == BP_EIO)
        io_error (err, err->errnum, bad < n ? from[bad].path : out->path);
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
                  int errnum, struct bp_error *err)
{
  int rc = 0;
  pthread_mutex_lock (&s->lock);
  struct run r = take_pending (s, w);
  pthread_mutex_unlock (&s->lock);
  bp_counts_writer_free (w);
  if (errnum)
    rc = io_error (err, errnum, r.path ? r.path : s->tf.dir);
  drop_run (s, &r);
  return rc;
}

int
bp_spill_merge (struct bp_spill *s, const struct bp_counts_header *h,
                FILE *f, int *out_failed, struct bp_error *err)
{
  struct bp_counts_reader **r = calloc (s->n ? s->n : 1, sizeof *r);
  struct bp_counts_writer w = { .f = f };
  size_t bad = 0;
  int rc = 0;

  *out_failed = 0;
  if (!r)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < s->n; i++)
    {
      if (fseek (s->runs[i].f, 0, SEEK_SET) != 0)
        {
          rc = io_error (err, errno, s->runs[i].path);
          goto done;
        }
      if ((rc = bp_counts_reader_open (s->runs[i].f, &r[i], err)))
        {
          if (rc == BP_EIO)
            io_error (err, err->errnum, s->runs[i].path);
          goto done;
        }
    }
  if (bp_counts_header_write (f, h))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      *out_failed = 1;
      goto done;
    }
  rc = bp_countmerge_records (r, s->n, &w, &bad, err);
  if (rc == 0 && bp_counts_writer_flush (&w))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      bad = s->n;
    }
  if (rc == BP_EIO)
    {
      if (bad < s->n)
        io_error (err, err->errnum, s->runs[bad].path);
      else
        *out_failed = 1;
    }

done:
  for (size_t i = 0; i < s->n; i++)
    bp_counts_reader_free (r[i]);
  free (r);
  bp_counts_writer_free (&w);
  return rc;
}
