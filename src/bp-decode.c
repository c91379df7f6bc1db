/* SPDX-License-Identifier: Apache-2.0 */
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
#include "automaton.h"
#include "inputs.h"
#include "jsonout.h"
#include "jsonpath.h"
#include "megatron.h"
#include "tokmeta.h"
#include "model.h"
#include "outfile.h"
#include "progress.h"
#include "readprog.h"
#include "specials.h"
#include "system.h"
#include "tokens.h"
#include "wrongfile.h"

enum
{
  OPT_LINE_BUFFERED = BP_OPT_OWN,
  OPT_IGNORE_MODEL
};

static const struct option long_options[] = {
  { "model", required_argument, NULL, 'm' },
  { "format", required_argument, NULL, 'f' },
  { "lines", no_argument, NULL, 'l' },
  { "jsonl", optional_argument, NULL, BP_OPT_JSONL },
  { "line-buffered", no_argument, NULL, OPT_LINE_BUFFERED },
  { "ignore-model", no_argument, NULL, OPT_IGNORE_MODEL },
  BP_LONG_OPTIONS_FILES,
  BP_LONG_OPTIONS_NO_JSON,
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
           "                          space separates ids), pieces, u16, u32, or\n"
           "                          megatron (each FILE a PREFIX: PREFIX.bin and\n"
           "                          PREFIX.idx; a document a line)\n"
           "  -l, --lines           each input line is a document: its text is\n"
           "                          written followed by a LF (in u16 and u32,\n"
           "                          each <eos> ends a line)\n"), stdout);
  fputs (_("      --jsonl[=KEY]     as --lines, each document written as a JSON\n"
           "                          object on a line, its text the string member\n"
           "                          KEY (default: text); bytes that are not UTF-8\n"
           "                          as \\udc80..\\udcff, which bp-encode --jsonl\n"
           "                          reads back\n"), stdout);
  fputs (_("      --line-buffered   write out the text of each line of ids (each\n"
           "                          <eos> in u16 and u32) as soon as it is read\n"
           "                          (a co-process driven through a pipe); by\n"
           "                          default the output goes out in large blocks\n"),
         stdout);
  fputs (_("      --ignore-model    decode u16, u32 and megatron token files even\n"
           "                          when the metadata beside them (FILE.json,\n"
           "                          PREFIX.json) names another model\n"), stdout);
  bp_cli_help_files ();
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

/* What every input is decoded with.  */
struct decoder
{
  const struct bp_model *model;
  const struct bp_automaton *matcher;
  const struct bp_specials *specials;
  enum bp_tokfmt fmt;
  int lines;
  int line_buffered;        /* flush at the end of each line or <eos> */
  FILE *out;
  struct bp_jsonout *json;  /* --jsonl: the writer of the lines */
  struct bp_buf *jbuf;      /* and what it wrote, not yet in OUT */
};

/* Write the N bytes at P, text of the current line.  Returns 0 or
   BP_ENOMEM.  */
static int
put_text (const struct decoder *d, const void *p, size_t n)
{
  if (!d->json)
    {
      fwrite (p, 1, n, d->out);
      return 0;
    }
  int rc = bp_jsonout_text (d->json, p, n, d->jbuf);
  /* A long line goes out in pieces, so that memory stays bounded.  */
  if (rc == 0 && d->jbuf->len >= 1 << 16)
    {
      fwrite (d->jbuf->data, 1, d->jbuf->len, d->out);
      d->jbuf->len = 0;
    }
  return rc;
}

/* Write the bytes of the id ID (none for the specials 0, 1, 2).  Returns
   0 or BP_ENOMEM.  */
static int
put_id (const struct decoder *d, uint32_t id)
{
  if (id < BP_ID_FIRST_PIECE)
    return 0;
  size_t len;
  const uint8_t *p = bp_model_piece (d->model, id - BP_ID_FIRST_PIECE, &len);
  return put_text (d, p, len);
}

/* End the current line.  Returns 0 or BP_ENOMEM.  */
static int
end_line (const struct decoder *d)
{
  if (!d->json)
    {
      putc ('\n', d->out);
      return 0;
    }
  int rc = bp_jsonout_end (d->json, d->jbuf);
  if (rc == 0)
    fwrite (d->jbuf->data, 1, d->jbuf->len, d->out);
  d->jbuf->len = 0;
  return rc;
}

/* Decode the input on FD (a bp_input_reader).  Returns 0, or a negative
   code with ERR filled: bad data in the input, or a write error.  */
static int
decode_input (void *ctx, size_t input, int fd,
              const struct bp_read_progress *progress, struct bp_error *err)
{
  const struct decoder *d = ctx;
  const struct bp_model *m = d->model;
  FILE *out = d->out;
  (void) input;
  int binary = d->fmt == BP_FMT_U16 || d->fmt == BP_FMT_U32;
  int line_open = 0;  /* tokens seen since the last end of line */
  int werr = 0;       /* errno of a failed write */
  int mrc = 0;        /* BP_ENOMEM from the JSON writer */
  struct bp_tokreader r;
  int rc;

  bp_tokreader_init (&r, fd, d->fmt, m ? bp_model_vocab (m) : 0, d->matcher);
  if (d->specials)
    bp_tokreader_specials (&r, d->specials);
  while ((rc = bp_tokreader_next (&r, err)) > 0)
    {
      switch (rc)
        {
        case BP_TOK_ID:
          line_open = 1;
          if (r.id >= BP_ID_FIRST_PIECE)
            mrc = put_id (d, r.id);
          else if (binary && d->lines && r.id == BP_ID_EOS)
            {
              mrc = end_line (d);
              line_open = 0;
            }
          break;
        case BP_TOK_BYTES:
          line_open = 1;
          mrc = put_text (d, r.bytes.data, r.bytes.len);
          break;
        case BP_TOK_EOL:
          if (d->lines)
            mrc = end_line (d);
          line_open = 0;
          break;
        }
      if (mrc)
        break;
      /* A co-process waits for the line it sent: out with it before
         the next read, which may wait for the next line.  */
      if (d->line_buffered
          && (rc == BP_TOK_EOL
              || (binary && rc == BP_TOK_ID && r.id == BP_ID_EOS)))
        fflush (out);
      if (ferror (out))
        {
          werr = errno;
          break;
        }
      progress->fn (progress->ctx, r.offset + r.pos);
    }
  progress->fn (progress->ctx, r.offset + r.pos);
  /* A last line without its LF is still a document.  */
  if (rc == 0 && !mrc && d->lines && line_open)
    mrc = end_line (d);
  bp_tokreader_free (&r);
  if (mrc)
    return bp_error_errno (err, ENOMEM);
  if (werr || ferror (out))
    {
      bp_error_errno (err, werr);
      return bp_error_at_output (err);
    }
  return rc;
}

/* Decode the Megatron dataset open on IDX_FD (PREFIX.idx) and BIN_FD
   (PREFIX.bin), a line per document.  Returns as decode_input, ERR's
   input 0 for the index and 1 for the ids.  */
static int
decode_megatron (const struct decoder *d, int idx_fd, int bin_fd,
                 struct bp_progress *prog, struct bp_error *err)
{
  struct bp_mmidx_reader r;
  int mrc = 0, rc;
  if ((rc = bp_mmidx_open (&r, idx_fd, bin_fd, bp_model_vocab (d->model),
                           err)))
    return rc;
  while ((rc = bp_mmidx_next (&r, err)) > 0)
    {
      if (rc == BP_TOK_ID)
        mrc = put_id (d, r.id);
      else
        {
          mrc = end_line (d);
          if (d->line_buffered)
            fflush (d->out);
          bp_progress_update (prog, r.bin.off + r.bin.pos);
        }
      if (mrc || ferror (d->out))
        break;
    }
  if (mrc)
    return bp_error_errno (err, ENOMEM);
  if (ferror (d->out))
    {
      bp_error_errno (err, errno);
      return bp_error_at_output (err);
    }
  return rc;
}

/* Decode the datasets whose prefixes are the inputs of IN, one after
   the other, as bp_inputs_read does with files: a dataset that cannot
   be opened or read is reported and the next follows; bad data stops
   the run.  Returns as bp_inputs_read.  */
static int
decode_megatrons (const struct decoder *d, const struct bp_inputs *in,
                  struct bp_progress *prog, struct bp_error *err)
{
  int status = in->bad;
  for (size_t i = 0; i < in->n; i++)
    {
      const char *prefix = bp_inputs_name (in, i);
      size_t len = strlen (prefix);
      char *name[2] = { malloc (len + 5), malloc (len + 5) };
      if (!name[0] || !name[1])
        {
          free (name[0]);
          free (name[1]);
          return bp_error_errno (err, ENOMEM);
        }
      sprintf (name[0], "%s.idx", prefix);
      sprintf (name[1], "%s.bin", prefix);
      bp_progress_expect (prog, bp_progress_path_size (name[1]));
      bp_progress_begin (prog, name[1]);
      int fd[2] = { -1, -1 };
      int rc = 0;
      for (int k = 0; k < 2 && !rc; k++)
        if ((fd[k] = open (name[k], O_RDONLY | O_CLOEXEC)) < 0)
          {
            bp_error_errno (err, errno);
            rc = bp_error_at_input (err, (size_t) k);
          }
      if (!rc)
        rc = decode_megatron (d, fd[0], fd[1], prog, err);
      for (int k = 0; k < 2; k++)
        if (fd[k] >= 0)
          close (fd[k]);
      if (rc && err->where == BP_AT_INPUT && err->code != BP_ENOMEM)
        {
          bp_progress_end (prog);
          bp_diag_error (name[err->input], err);
          status = 1;
        }
      free (name[0]);
      free (name[1]);
      if (rc && (err->where != BP_AT_INPUT || err->code == BP_ENOMEM))
        return rc;   /* not the input's fault: the caller's to say */
      if (rc && err->code != BP_EIO)
        break;
    }
  return status;
}

/* Check the metadata of the token files of IN in the form FMT (u16, u32
   or megatron; the file of each is FILE.json), where there is some,
   against the model M: say which do not match.  Returns 0 if none was
   refused, else 1.  */
static int
check_metadata (const struct bp_inputs *in, enum bp_tokfmt fmt,
                const struct bp_model *m)
{
  int status = 0;
  for (size_t i = 0; i < in->n; i++)
    {
      const char *file = bp_inputs_name (in, i);
      if (strcmp (file, "-") == 0)
        continue;
      size_t len = strlen (file);
      char *name = malloc (len + 6);
      if (!name)
        {
          bp_diag ("%s", _("memory exhausted"));
          return 1;
        }
      sprintf (name, "%s.json", file);
      FILE *f = fopen (name, "r");
      if (!f && errno == ENOENT)
        {
          /* Standard output, a device or another program wrote it:
             nothing to check.  */
          free (name);
          continue;
        }
      struct bp_error err = { 0 };
      struct bp_tokmeta meta;
      int rc = f ? bp_tokmeta_read (f, &meta, &err) : bp_error_errno (&err,
                                                                     errno);
      if (f)
        fclose (f);
      if (rc)
        bp_diag_error (name, &err);
      else if ((rc = bp_tokmeta_check (&meta, m, fmt, &err)))
        {
          if (err.code == BP_ENOMEM)
            bp_diag ("%s", _("memory exhausted"));
          else
            bp_diag (_("%s: %s, says %s; --ignore-model decodes it anyway"),
                     file, err.detail, name);
        }
      status |= rc != 0;
      free (name);
    }
  return status;
}

int
main (int argc, char **argv)
{
  const char *model_path = NULL;
  struct bp_cli_options cli = { 0 };
  enum bp_tokfmt fmt = BP_FMT_IDS;
  int lines = 0, jsonl = 0, line_buffered = 0, ignore_model = 0, c;
  const char *jsonl_key = NULL;

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
            bp_cli_usage_error (_("invalid format '%s' (ids, pieces, u16, u32 "
                                  "or megatron)"), optarg);
          break;
        case 'l':
          lines = 1;
          break;
        case BP_OPT_JSONL:
          jsonl = 1;
          jsonl_key = optarg;
          break;
        case OPT_LINE_BUFFERED:
          line_buffered = 1;
          break;
        case OPT_IGNORE_MODEL:
          ignore_model = 1;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  const char *output = cli.output;
  if (!model_path && fmt != BP_FMT_PIECES)
    bp_cli_usage_error (_("no model given (use -m MODEL)"));
  struct bp_inputs in;
  bp_inputs_init (&in, &cli, argc, argv, optind);
  if (fmt == BP_FMT_MEGATRON)
    {
      /* A dataset is two files, and a document a line.  */
      int dash = in.n == 0 && !in.listed;
      for (size_t i = 0; i < in.n; i++)
        dash |= strcmp (bp_inputs_name (&in, i), "-") == 0;
      if (dash)
        bp_cli_usage_error (_("--format=megatron reads two files: give their "
                              "prefix (PREFIX for PREFIX.bin and "
                              "PREFIX.idx)"));
      lines = 1;
    }
  struct bp_jsonpath path = { 0 };
  struct bp_jsonout jw;
  struct bp_buf jbuf = { 0 };
  if (jsonl)
    {
      bp_cli_jsonl_path (jsonl_key, &path);
      bp_jsonout_init (&jw, &path);
      lines = 1;
    }

  struct bp_error err = { 0 };
  struct bp_model *model = NULL;
  struct bp_automaton *matcher = NULL;
  struct bp_specials *specials = NULL;
  int rc = 1;
  if (model_path)
    {
      if (bp_model_load (model_path, &model, &err))
        {
          bp_cli_read_error (model_path, &err, BP_WANT_MODEL);
          goto done;
        }
      if (fmt == BP_FMT_PIECES && !(matcher = bp_automaton_new (model, &err)))
        {
          bp_diag_error (model_path, &err);
          goto done;
        }
      /* A special token is a piece of the pieces form too.  */
      if (matcher && model->nspecial && !(specials = bp_specials_new (model)))
        {
          bp_diag ("%s", _("memory exhausted"));
          goto done;
        }
    }

  /* A token file made with another model is refused before anything is
     written.  */
  if (!ignore_model && model
      && (fmt == BP_FMT_U16 || fmt == BP_FMT_U32 || fmt == BP_FMT_MEGATRON)
      && check_metadata (&in, fmt, model))
    goto done;

  struct bp_outfile out;
  if (bp_outfile_open (&out, output, &err))
    {
      bp_cli_open_failed (output, &err);
      goto done;
    }

  struct decoder d = { model, matcher, specials, fmt, lines, line_buffered,
                      out.f, jsonl ? &jw : NULL, &jbuf };
  struct bp_progress prog;
  bp_progress_init (&prog, cli.progress);
  rc = fmt == BP_FMT_MEGATRON
       ? decode_megatrons (&d, &in, &prog, &err)
       : bp_inputs_read (&in, &prog, decode_input, &d, &err);
  bp_progress_end (&prog);
  rc = bp_cli_end_output (&out, rc, output, &err);
  if (rc == BP_EXIT_OK)
    /* TRANSLATORS: the summary of a run: bytes, the time it took.  */
    bp_progress_summary (&prog, _("%s decoded in %s"), NULL);

done:
  bp_automaton_free (matcher);
  bp_specials_free (specials);
  bp_model_free (model);
  bp_jsonpath_free (&path);
  bp_buf_free (&jbuf);
  bp_inputs_free (&in);
  return rc ? BP_EXIT_FAILURE : BP_EXIT_OK;
}
