/* bp-decode: token ids back to the exact bytes they stand for.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "error.h"
#include "matcher.h"
#include "model.h"
#include "outfile.h"
#include "progress.h"
#include "system.h"
#include "tokens.h"

static const struct option long_options[] = {
  { "model", required_argument, NULL, 'm' },
  { "format", required_argument, NULL, 'f' },
  { "lines", no_argument, NULL, 'l' },
  BP_LONG_OPTIONS_COMMON,
  { NULL, 0, NULL, 0 }
};

static void
usage (void)
{
  printf (_("Usage: %s [OPTION]... -m MODEL [FILE]...\n"), bp_program_name);
  fputs (_("Decode token ids back to the exact bytes of the text.\n"
           "With no FILE, or when FILE is -, read standard input.\n"), stdout);
  fputs (_("\n"
           "  -m, --model=FILE      the model (bytepiece text or BytePiece JSON);\n"
           "                          optional with --format=pieces, which then\n"
           "                          is not checked against a vocabulary\n"
           "  -o, --output=FILE     write FILE, replacing it only on success\n"
           "  -f, --format=FORMAT   what bp-encode wrote: ids (default; any white\n"
           "                          space separates ids), pieces, u16 or u32\n"
           "  -l, --lines           each input line is a document: its text is\n"
           "                          written followed by a LF (in u16 and u32,\n"
           "                          each <eos> ends a line)\n"), stdout);
  fputs (_("\n"
           "Ids 0, 1 and 2 (<pad>, <bos>, <eos>) stand for no bytes.\n"), stdout);
  fputs (_("\n"
           "      --progress        report progress on standard error even when it\n"
           "                          is not a terminal\n"
           "  -q, --quiet           no progress report (by default there is one\n"
           "                          when standard error is a terminal)\n"), stdout);
  fputs (_("\n"
           "      --help            display this help and exit\n"
           "      --version         output version information and exit\n"),
         stdout);
  bp_cli_help_footer ();
}

/* Decode one input.  Returns 0, or -1 after reporting an error.  */
static int
decode_input (struct bp_tokreader *r, const struct bp_model *m, FILE *out,
              int lines, const char *name, struct bp_progress *prog)
{
  struct bp_error err = { 0 };
  int binary = r->fmt == BP_FMT_U16 || r->fmt == BP_FMT_U32;
  int line_open = 0;  /* tokens seen since the last end of line */
  int rc;

  while ((rc = bp_tokreader_next (r, &err)) > 0)
    {
      switch (rc)
        {
        case BP_TOK_ID:
          line_open = 1;
          if (r->id >= BP_ID_FIRST_PIECE)
            {
              size_t len;
              const uint8_t *p = bp_model_piece (m, r->id - BP_ID_FIRST_PIECE,
                                                 &len);
              fwrite (p, 1, len, out);
            }
          else if (binary && lines && r->id == BP_ID_EOS)
            {
              putc ('\n', out);
              line_open = 0;
            }
          break;
        case BP_TOK_BYTES:
          line_open = 1;
          fwrite (r->bytes.data, 1, r->bytes.len, out);
          break;
        case BP_TOK_EOL:
          if (lines)
            putc ('\n', out);
          line_open = 0;
          break;
        }
      if (ferror (out))
        return -2;
      bp_progress_update (prog, name, r->offset + r->pos);
    }
  bp_progress_next_input (prog, r->offset + r->pos);
  if (rc < 0)
    {
      bp_progress_end (prog);
      bp_diag_error (name, &err);
      return -1;
    }
  /* A last line without its LF is still a document.  */
  if (lines && line_open)
    putc ('\n', out);
  return ferror (out) ? -2 : 0;
}

int
main (int argc, char **argv)
{
  const char *model_path = NULL;
  struct bp_cli_options cli = { 0 };
  enum bp_tokfmt fmt = BP_FMT_IDS;
  int lines = 0, c;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "m:o:f:lq", long_options, NULL)) != -1)
    {
      if (bp_cli_option (c, optarg, &cli, usage))
        continue;
      switch (c)
        {
        case 'm':
          model_path = optarg;
          break;
        case 'f':
          if (bp_tokfmt_parse (optarg, &fmt))
            bp_cli_usage_error (_("invalid format '%s' (ids, pieces, u16 or "
                                  "u32)"), optarg);
          break;
        case 'l':
          lines = 1;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  const char *output = cli.output;
  if (!model_path && fmt != BP_FMT_PIECES)
    bp_cli_usage_error (_("no model given (use -m MODEL)"));

  struct bp_error err = { 0 };
  struct bp_model *model = NULL;
  struct bp_matcher *matcher = NULL;
  if (model_path)
    {
      if (bp_model_load (model_path, &model, &err))
        {
          bp_diag_error (model_path, &err);
          return BP_EXIT_FAILURE;
        }
      if (fmt == BP_FMT_PIECES && !(matcher = bp_matcher_new (model, &err)))
        {
          bp_diag_error (model_path, &err);
          bp_model_free (model);
          return BP_EXIT_FAILURE;
        }
    }

  struct bp_outfile out;
  if (bp_outfile_open (&out, output, &err))
    {
      bp_diag_error (output, &err);
      return BP_EXIT_FAILURE;
    }

  int status = BP_EXIT_OK;
  int nfiles = argc - optind;
  struct bp_progress prog;
  bp_progress_init (&prog, cli.progress);
  for (int i = optind; i < argc; i++)
    bp_progress_expect (&prog, bp_progress_path_size (argv[i]));
  for (int i = 0; i < (nfiles ? nfiles : 1) && status == BP_EXIT_OK; i++)
    {
      const char *name = nfiles ? argv[optind + i] : "-";
      int fd = strcmp (name, "-") == 0 ? STDIN_FILENO
                                       : open (name, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          bp_diag ("%s: %s", name, strerror (errno));
          status = BP_EXIT_FAILURE;
          break;
        }
      struct bp_tokreader r;
      bp_tokreader_init (&r, fd, fmt, model ? bp_model_vocab (model) : 0,
                         matcher);
      int rc = decode_input (&r, model, out.f, lines, name, &prog);
      bp_tokreader_free (&r);
      if (fd != STDIN_FILENO)
        close (fd);
      if (rc == -2)
        bp_cli_write_error (errno);
      if (rc)
        status = BP_EXIT_FAILURE;
    }

  bp_progress_end (&prog);
  if (status == BP_EXIT_OK)
    bp_cli_commit_output (&out);
  else
    bp_outfile_abort (&out);

  bp_matcher_free (matcher);
  bp_model_free (model);
  return status;
}
