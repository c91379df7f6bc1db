/* SPDX-License-Identifier: Apache-2.0 */
/* Shared command-line behaviour; see cli.h.  */
#include <config.h>
#include "cli.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "jsonpath.h"
#include "outfile.h"
#include "system.h"
#include "tempfile.h"

const char *bp_program_name = PACKAGE;

/* Set once bp_cli_write_error has reported the failure, so that
   close_stdout, run again by exit, stays quiet.  */
static int write_error_reported;

static void
close_stdout (void)
{
  if (write_error_reported)
    return;
  /* A write error on stdout must not pass silently (coreutils'
     close_stdout): flush and close it, and make the status 1.  */
  if (fclose (stdout) != 0)
    {
      int e = errno;
      if (e == EPIPE)
        {
          /* SIGPIPE was ignored for the temporary files' sake.  */
          bp_tempfile_epipe ();
          _exit (BP_EXIT_FAILURE);
        }
      bp_progress_hide ();
      fprintf (stderr, "%s: %s: %s\n", bp_program_name, _("write error"),
               strerror (e));
      _exit (BP_EXIT_FAILURE);
    }
  if (fclose (stderr) != 0)
    _exit (BP_EXIT_FAILURE);
}

void
bp_cli_init (const char *argv0)
{
  const char *slash = argv0 ? strrchr (argv0, '/') : NULL;
  if (argv0)
    bp_program_name = slash ? slash + 1 : argv0;
  setlocale (LC_ALL, "");
  /* Numbers in our files never depend on the locale.  */
  setlocale (LC_NUMERIC, "C");
  /* BP_LOCALEDIR (in the man pages' ENVIRONMENT) lets tests/i18n.sh use
     the catalogue just built instead of an installed one.  */
  const char *localedir = getenv ("BP_LOCALEDIR");
  bindtextdomain (PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  textdomain (PACKAGE);
  atexit (close_stdout);
}

void
bp_cli_try_help (void)
{
  fprintf (stderr, _("Try '%s --help' for more information.\n"),
           bp_program_name);
  exit (BP_EXIT_USAGE);
}

void
bp_cli_usage_error (const char *fmt, ...)
{
  va_list ap;
  fprintf (stderr, "%s: ", bp_program_name);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  putc ('\n', stderr);
  bp_cli_try_help ();
}

void
bp_cli_version (void)
{
  printf ("%s (%s) %s\n", bp_program_name, PACKAGE_NAME, PACKAGE_VERSION);
  /* TRANSLATORS: %d is the year.  */
  printf (_("Copyright (C) %d The bytepiece authors.\n"), 2026);
  fputs (_("License Apache-2.0: Apache License, version 2.0 "
           "<https://www.apache.org/licenses/LICENSE-2.0>.\n"
           "This is free software: you are free to change and redistribute "
           "it.\nThere is NO WARRANTY, to the extent permitted by law.\n"),
         stdout);
  putchar ('\n');
  fputs (_("Written by the bytepiece developers, after BytePiece by "
           "Su Jianlin.\n"), stdout);
  exit (BP_EXIT_OK);
}

void
bp_cli_help_footer (void)
{
  fputs (_("\nExit status: 0 success, 1 bad input or I/O error, "
           "2 usage error.\n"), stdout);
  /* configure.ac gives no address until the project has a public one.  */
  if (PACKAGE_BUGREPORT[0])
    printf (_("Report bugs to: <%s>\n"), PACKAGE_BUGREPORT);
}

void
bp_cli_help_files (void)
{
  fputs (_("      --files-from=FILE  read the names of the input files from "
           "FILE, one a\n"
           "                          line (FILE - is standard input), "
           "instead of\n"
           "                          FILE operands\n"
           "      --files0-from=FILE  the same with each name ended by a NUL "
           "(as\n"
           "                          find -print0 writes them)\n"), stdout);
}

void
bp_diag (const char *fmt, ...)
{
  va_list ap;
  fflush (stdout);
  bp_progress_hide ();
  fprintf (stderr, "%s: ", bp_program_name);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  putc ('\n', stderr);
}

void
bp_diag_error (const char *file, const struct bp_error *err)
{
  const char *name = err->where == BP_AT_TEMP ? err->file
                     : !file || strcmp (file, "-") == 0 ? _("(standard input)")
                     : file;
  switch (err->code)
    {
    case BP_ENOMEM:
      bp_diag ("%s", _("memory exhausted"));
      break;
    case BP_EIO:
      bp_diag ("%s: %s", name, strerror (err->errnum));
      break;
    default:
      if (err->line)
        bp_diag ("%s:%llu: %s", name, (unsigned long long) err->line,
                 err->detail);
      else
        bp_diag ("%s: %s", name, err->detail);
    }
}

void
bp_cli_error (const char *input, const char *output,
              const struct bp_error *err)
{
  if (err->where == BP_AT_OUTPUT || err->code == BP_ENOMEM)
    bp_cli_output_failed (output, err);
  if (err->where == BP_AT_INPUT && !input)
    /* About no file in particular ("too much input to count").  */
    bp_diag ("%s", err->code == BP_EIO ? strerror (err->errnum)
                                       : err->detail);
  else
    bp_diag_error (input, err);
}

void
bp_cli_write_error (int errnum)
{
  write_error_reported = 1;
  if (errnum == EPIPE)
    bp_tempfile_epipe ();
  else
    bp_diag ("%s: %s", _("write error"), strerror (errnum));
  /* exit, not _exit: the atexit handler of tempfile.c must still remove
     the temporary file of -o FILE.  */
  exit (BP_EXIT_FAILURE);
}

void
bp_cli_output_failed (const char *output, const struct bp_error *err)
{
  int errnum = err->errnum ? err->errnum : EIO;
  if (err->code == BP_ENOMEM)
    bp_diag ("%s", _("memory exhausted"));
  else if (!output || strcmp (output, "-") == 0)
    bp_cli_write_error (errnum);
  else
    bp_diag ("%s: %s: %s", _("write error"), output, strerror (errnum));
  exit (BP_EXIT_FAILURE);
}

void
bp_cli_open_failed (const char *output, const struct bp_error *err)
{
  if (err->code == BP_ENOMEM)
    bp_diag ("%s", _("memory exhausted"));
  else
    bp_diag (_("cannot write %s: %s"), output,
             strerror (err->errnum ? err->errnum : EIO));
}

void
bp_cli_commit_output (struct bp_outfile *o)
{
  struct bp_error err = { 0 };
  /* A failed commit forgets the path.  */
  char *name = o->path ? strdup (o->path) : NULL;
  if (bp_outfile_commit (o, &err))
    bp_cli_output_failed (name, &err);
  free (name);
}

int
bp_cli_end_output (struct bp_outfile *o, int rc, const char *output,
                   const struct bp_error *err)
{
  if (rc < 0)
    bp_cli_error (NULL, output, err);
  if (rc)
    {
      bp_outfile_abort (o);
      return BP_EXIT_FAILURE;
    }
  bp_cli_commit_output (o);
  return BP_EXIT_OK;
}

unsigned long long
bp_cli_parse_ull (const char *option, const char *arg)
{
  char *end;
  errno = 0;
  unsigned long long v = strtoull (arg, &end, 10);
  if (errno || end == arg || *end || arg[0] == '-' || arg[0] == '+'
      || arg[0] == ' ')
    bp_cli_usage_error (_("invalid argument '%s' for '%s'"), arg, option);
  return v;
}

double
bp_cli_parse_double (const char *option, const char *arg)
{
  char *end;
  errno = 0;
  double v = strtod (arg, &end);
  if (errno || end == arg || *end || !isfinite (v))
    bp_cli_usage_error (_("invalid argument '%s' for '%s'"), arg, option);
  return v;
}

int
bp_cli_default_threads (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 16 ? 16 : (int) n;
}

int
bp_cli_parse_threads (const char *arg)
{
  unsigned long long n = bp_cli_parse_ull ("--threads", arg);
  if (n > BP_MAX_THREADS)
    bp_cli_usage_error (_("--threads must be at most %d"), BP_MAX_THREADS);
  return n == 0 ? bp_cli_default_threads () : (int) n;
}

int
bp_cli_option (int c, const char *arg, struct bp_cli_options *o,
               void (*usage) (void))
{
  switch (c)
    {
    case 'o':
      o->output = arg;
      return 1;
    case 'j':
      o->threads = bp_cli_parse_threads (arg);
      return 1;
    case BP_OPT_PROGRESS:
      o->progress = BP_PROGRESS_ON;
      return 1;
    case 'q':
      o->progress = BP_PROGRESS_OFF;
      return 1;
    case BP_OPT_HELP:
      usage ();
      exit (BP_EXIT_OK);
    case BP_OPT_VERSION:
      bp_cli_version ();
    case BP_OPT_FILES_FROM:
    case BP_OPT_FILES0_FROM:
      o->files_from = arg;
      o->files_from_nul = c == BP_OPT_FILES0_FROM;
      return 1;
    case BP_OPT_NO_JSON:
      if (o->documents)
        bp_cli_usage_error ("%s", _("there is no option --json: --jsonl[=KEY] "
                                    "reads JSON Lines, a JSON object a line"));
      bp_cli_usage_error ("%s", _("there is no option --json: --jsonl[=KEY] "
                                  "writes JSON Lines, a JSON object a line"));
    }
  if (!o->documents)
    return 0;
  switch (c)
    {
    case 'l':
      o->mode = BP_DOC_LINES;
      break;
    case BP_OPT_JSONL:
      {
        /* A bad path is the user's to fix before anything is read.  */
        struct bp_jsonpath path;
        bp_cli_jsonl_path (arg, &path);
        bp_jsonpath_free (&path);
      }
      o->mode = BP_DOC_JSONL;
      o->jsonl_key = arg;
      break;
    case BP_OPT_NO_NORMALIZE:
      o->no_normalize = 1;
      break;
    case BP_OPT_SKIP_INVALID:
      o->skip_invalid = 1;
      break;
    default:
      return 0;
    }
  o->doc_options++;
  return 1;
}

void
bp_cli_jsonl_path (const char *key, struct bp_jsonpath *path)
{
  struct bp_error err = { 0 };
  if (!bp_jsonpath_parse (key ? key : "text", path, &err))
    return;
  if (err.code == BP_ENOMEM)
    {
      bp_diag ("%s", _("memory exhausted"));
      exit (BP_EXIT_FAILURE);
    }
  bp_cli_usage_error (_("invalid member path '%s' for '--jsonl': %s"), key,
                      err.detail);
}

void
bp_cli_chunk_params (const struct bp_cli_options *o,
                     struct bp_chunk_params *cp)
{
  if (o->skip_invalid && o->mode != BP_DOC_JSONL)
    bp_cli_usage_error (_("--skip-invalid needs --jsonl"));
  cp->mode = o->mode;
  cp->jsonl_key = o->jsonl_key;
  cp->skip_invalid = o->skip_invalid;
}
