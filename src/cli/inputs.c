/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the FILE operands; see inputs.h.  */
#include <config.h>
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "chunkrun.h"
#include "cli.h"
#include "error.h"
#include "progress.h"
#include "readprog.h"
#include "wrongfile.h"
#include "system.h"

static void
out_of_memory (void)
{
  bp_diag ("%s", _("memory exhausted"));
  exit (BP_EXIT_FAILURE);
}

/* Read all of FD into IN->text, NUL-terminated; LEN its length.  */
static int
slurp (int fd, struct bp_inputs *in, size_t *len)
{
  size_t cap = 0, n = 0;
  char *buf = NULL;
  for (;;)
    {
      if (BP_ARRAY_RESERVE (buf, cap, n + 2, 4096))
        out_of_memory ();
      ssize_t r = read (fd, buf + n, cap - n - 1);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          int e = errno;
          free (buf);
          return e;
        }
      if (r == 0)
        break;
      n += (size_t) r;
    }
  buf[n] = '\0';
  in->text = buf;
  *len = n;
  return 0;
}

/* Split the list LIST (its name), of LEN bytes in IN->text, into
   IN->names at DELIM, leaving out and reporting the names that cannot
   be.  */
static void
split_list (struct bp_inputs *in, const char *list, size_t len, char delim,
            int from_stdin)
{
  size_t max = 1;
  for (size_t i = 0; i < len; i++)
    max += in->text[i] == delim;
  in->names = calloc (max, sizeof *in->names);
  if (!in->names)
    out_of_memory ();
  uint64_t line = 0;
  for (char *p = in->text, *end = in->text + len; p < end;)
    {
      char *e = memchr (p, delim, (size_t) (end - p));
      if (!e)
        e = end;
      *e = '\0';
      line++;
      /* TRANSLATORS: a file name in --files-from or --files0-from is
         empty; the first %s is the list, %llu its line or name number.  */
      if (p == e)
        bp_diag (_("%s:%llu: invalid zero-length file name"), list,
                 (unsigned long long) line);
      else if (delim != '\0' && memchr (p, '\0', (size_t) (e - p)))
        /* TRANSLATORS: a name in --files-from holds a NUL byte, which no
           file name can; the first %s is the list, %llu its line.  */
        bp_diag (_("%s:%llu: a file name cannot hold a NUL byte "
                   "(use --files0-from for a list of NUL-terminated "
                   "names)"), list, (unsigned long long) line);
      else if (from_stdin && strcmp (p, "-") == 0)
        bp_diag (_("%s:%llu: '-' cannot stand for standard input when "
                   "the names are read from it"), list,
                 (unsigned long long) line);
      else
        {
          in->names[in->n++] = p;
          p = e + 1;
          continue;
        }
      in->bad = 1;
      p = e + 1;
    }
}

void
bp_inputs_init (struct bp_inputs *in, const struct bp_cli_options *o,
                int argc, char **argv, int first)
{
  memset (in, 0, sizeof *in);
  if (!o->files_from)
    {
      in->names = argv + first;
      in->n = first < argc ? (size_t) (argc - first) : 0;
      return;
    }
  const char *opt = o->files_from_nul ? "--files0-from" : "--files-from";
  if (first < argc)
    bp_cli_usage_error (_("extra operand '%s'\n"
                          "file operands cannot be combined with %s"),
                        argv[first], opt);
  const char *list = o->files_from;
  int from_stdin = strcmp (list, "-") == 0;
  int fd = from_stdin ? STDIN_FILENO : open (list, O_RDONLY | O_CLOEXEC);
  size_t len = 0;
  int e = fd < 0 ? errno : slurp (fd, in, &len);
  if (fd >= 0 && !from_stdin)
    close (fd);
  if (e)
    {
      bp_diag (_("cannot read the file names in %s: %s"),
               from_stdin ? _("(standard input)") : list, strerror (e));
      exit (BP_EXIT_FAILURE);
    }
  in->listed = 1;
  in->list = list;
  split_list (in, list, len, o->files_from_nul ? '\0' : '\n', from_stdin);
}

void
bp_inputs_free (struct bp_inputs *in)
{
  if (in->listed)
    free (in->names);
  free (in->text);
  free (in->unopened);
  memset (in, 0, sizeof *in);
}

const char *
bp_inputs_name (const struct bp_inputs *in, size_t i)
{
  return i < in->n ? in->names[i] : "-";
}

int
bp_inputs_read (struct bp_inputs *in, struct bp_progress *prog,
                bp_input_reader read, void *ctx, struct bp_error *err)
{
  /* No operand and no list: standard input.  */
  size_t n = in->n || in->listed ? in->n : 1;
  const struct bp_read_progress progress = { bp_progress_bytes, prog };
  int status = in->bad;

  free (in->unopened);
  in->unopened = calloc (n ? n : 1, 1);
  if (!in->unopened)
    out_of_memory ();
  for (size_t i = 0; i < n; i++)
    bp_progress_expect (prog, bp_progress_path_size (bp_inputs_name (in, i)));

  for (size_t i = 0; i < n; i++)
    {
      const char *name = bp_inputs_name (in, i);
      int is_stdin = strcmp (name, "-") == 0;
      int rc;
      bp_progress_begin (prog, name);
      int fd = is_stdin ? STDIN_FILENO : open (name, O_RDONLY | O_CLOEXEC);
      int open_errno = fd < 0 ? errno : 0;
      if (fd < 0)
        {
          rc = bp_error_errno (err, open_errno);
          in->unopened[i] = 1;
        }
      else
        {
          if (in->of_text)
            bp_cli_warn_compressed (name, fd);
          rc = read (ctx, i, fd, &progress, err);
          if (rc > 0)
            rc = 0;   /* READ took FD over */
          else if (!is_stdin)
            close (fd);
        }
      if (rc == 0)
        continue;
      if (err->where != BP_AT_INPUT || err->code == BP_ENOMEM)
        return rc;   /* not the input's fault: the caller's to say */
      bp_progress_end (prog);
      bp_diag_error (name, err);
      status = 1;
      if (err->code != BP_EIO)
        break;   /* bad data: the run stops at it */
      if (open_errno == EMFILE || open_errno == ENFILE)
        break;   /* not this file's fault: every next one would fail too */
    }
  return status;
}

struct chunkrun_input
{
  struct bp_chunkrun *r;
  struct bp_chunker *ch;
};

static int
read_chunks (void *ctx, size_t input, int fd,
             const struct bp_read_progress *progress, struct bp_error *err)
{
  struct chunkrun_input *in = ctx;
  (void) input;
  return bp_chunkrun_read (in->r, in->ch, fd, progress, err);
}

int
bp_inputs_chunkrun (struct bp_inputs *in, struct bp_progress *prog,
                    struct bp_chunkrun *r, struct bp_chunker *ch,
                    struct bp_error *err)
{
  struct chunkrun_input ci = { r, ch };
  in->of_text = 1;
  return bp_inputs_read (in, prog, read_chunks, &ci, err);
}

void
bp_inputs_report_skipped (const struct bp_inputs *in, uint64_t n,
                          const struct bp_error *first)
{
  if (!n)
    return;
  /* FIRST's input counts the inputs that were opened.  */
  size_t i = 0;
  for (size_t k = 0; in->unopened && i < in->n; i++)
    if (!in->unopened[i] && k++ == first->input)
      break;
  const char *name = bp_inputs_name (in, i);
  if (strcmp (name, "-") == 0)
    name = _("(standard input)");
  /* TRANSLATORS: the count of lines, then the first line skipped as
     "FILE:LINE: why".  */
  bp_diag (ngettext ("--skip-invalid skipped %" PRIu64 " line: %s:%" PRIu64
                     ": %s",
                     "--skip-invalid skipped %" PRIu64 " lines; the first, "
                     "%s:%" PRIu64 ": %s", n),
           n, name, first->line, first->detail);
}
