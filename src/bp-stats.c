/* SPDX-License-Identifier: Apache-2.0 */
/* bp-stats: what a model holds, how it compresses a text (and how two
   models compare on the same text), and what a count file holds.  The
   statistics live in lib/stats; the two report forms are bp-stats' own
   (stats-text.c, stats-json.c).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "chunk.h"
#include "chunkrun.h"
#include "cli.h"
#include "countstats.h"
#include "error.h"
#include "inputs.h"
#include "model.h"
#include "modelstats.h"
#include "outfile.h"
#include "progress.h"
#include "stats-report.h"
#include "system.h"
#include "tokenstats.h"
#include "unigram.h"
#include "wrongfile.h"

enum
{
  OPT_JSON = BP_OPT_OWN,
  OPT_PLOT
};

static const struct option long_options[] = {
  { "model", required_argument, NULL, 'm' },
  { "top", required_argument, NULL, 'n' },
  { "json", no_argument, NULL, OPT_JSON },
  { "plot", required_argument, NULL, OPT_PLOT },
  BP_LONG_OPTIONS_DOCUMENTS,
  BP_LONG_OPTIONS_THREADS,
  BP_LONG_OPTIONS_FILES,
  BP_LONG_OPTIONS_COMMON,
  { NULL, 0, NULL, 0 }
};

static void
usage (void)
{
  printf (_("Usage: %s [OPTION]... -m MODEL [-m MODEL]... [FILE]...\n"
            "  or:  %s [OPTION]... COUNTS...\n"),
          bp_program_name, bp_program_name);
  fputs (_("Report on BytePiece models, on the tokens they cut text into, or "
           "on count\n"
           "files.  With -m and no FILE, describe the models; with FILEs "
           "(- is standard\n"
           "input), encode them as bp-encode does and report on the tokens, "
           "one column\n"
           "per model.  Without -m, each operand is a count file of "
           "bp-count or bp-prune.\n"), stdout);
  fputs (_("\n"
           "  -m, --model=FILE      a model (text or BytePiece JSON); give it "
           "twice to\n"
           "                          compare two models on the same text\n"
           "  -o, --output=FILE     write FILE, replacing it only on success\n"
           "  -n, --top=N           list the N most frequent and the N longest"
           "\n"
           "                          pieces or keys (default 20)\n"
           "      --json            write the report as one JSON object\n"),
         stdout);
  bp_cli_help_files ();
  fputs (_("      --plot=FILE       also write FILE, a gnuplot script that "
           "draws tokens\n"
           "                          per document, and bytes per token and "
           "single-byte\n"
           "                          tokens against vocabulary size "
           "(needs -m and text)\n"),
         stdout);
  fputs (_("\n"
           "Text, as for bp-encode:\n"
           "  -l, --lines           each line is a document, its LF not part "
           "of it\n"
           "      --jsonl[=KEY]     each line is a JSON object, the document "
           "its\n"
           "                          string member KEY (default: text)\n"
           "      --no-normalize    keep the input bytes as they are (no NFC)\n"
           "  -j, --threads=N       use N threads (0: one per processor; the "
           "default)\n"
           "      --progress        report progress on standard error even "
           "when it\n"
           "                          is not a terminal\n"
           "  -q, --quiet           no progress report\n"), stdout);
  fputs (_("      --skip-invalid    with --jsonl, pass over a line that is not "
           "JSON or\n"
           "                          has no string member KEY (they are "
           "counted)\n"
           "                          instead of failing\n"), stdout);
  fputs (_("\n"
           "      --help            display this help and exit\n"
           "      --version         output version information and exit\n"),
         stdout);
  bp_cli_help_footer ();
}

/* The run's WORK: add a batch's spans to a thread's statistics.  */
static int
stats_batch (void *w, struct bp_batch *b)
{
  /* A batch of empty documents has no text: no offset may be added to
     its NULL.  */
  const uint8_t *text = b->text.data ? b->text.data : (const uint8_t *) "";
  for (size_t i = 0; i < b->nitems; i++)
    {
      const struct bp_batch_item *it = &b->item[i];
      int rc = bp_stats_acc_span (w, text + it->off, it->len, it->flags,
                                  it->chunk_start);
      if (rc)
        return bp_error_set (&b->err, rc, 0, "%s", "");
    }
  /* The tokens of the documents the batch holds, for stats_done.  */
  if (bp_stats_acc_take_docs (w, &b->out))
    return bp_error_set (&b->err, BP_ENOMEM, 0, "%s", "");
  return 0;
}

/* The run's DONE, in input order: join the batch's documents.  */
static int
stats_done (void *ctx, struct bp_batch *b)
{
  int rc = bp_stats_report_add_docs (ctx, b->out.data, b->out.len);
  if (rc)
    return bp_error_set (&b->err, rc, 0, "%s",
                         rc == BP_ERANGE ? _("a count overflows 64 bits")
                                         : "");
  return 0;
}

static void
out_of_memory (void)
{
  bp_diag ("%s", _("memory exhausted"));
  exit (BP_EXIT_FAILURE);
}

struct text_opts
{
  struct bp_chunk_params cp;
  int threads;
  enum bp_progress_mode progress;
};

/* Encode the inputs IN with every model of R and add up the statistics
   into R.  Returns an exit status.  */
static int
encode_files (struct bp_stats_report *r, const struct bp_unigram **u,
              const struct text_opts *o, struct bp_inputs *in)
{
  int threads = o->threads ? o->threads : bp_cli_default_threads ();
  struct bp_chunker *ch = bp_chunker_new (&o->cp);
  struct bp_stats_acc **acc = calloc ((size_t) threads, sizeof *acc);
  if (!ch || !acc)
    out_of_memory ();
  for (int i = 0; i < threads; i++)
    if (!(acc[i] = bp_stats_acc_new (r->nmodels, u)))
      out_of_memory ();
  /* Nothing is written until the end; DONE adds up documents, whose
     batches may have gone to different threads.  */
  static const struct bp_chunkrun_ops ops = { .work = stats_batch,
                                              .done = stats_done };
  struct bp_chunkrun *run = bp_chunkrun_new (threads, (void **) acc, &ops,
                                             r, 1 << 20);
  if (!run)
    out_of_memory ();

  struct bp_progress prog;
  struct bp_error err;
  bp_progress_init (&prog, o->progress);
  int rc = bp_inputs_chunkrun (in, &prog, run, ch, &err);
  int status = rc ? BP_EXIT_FAILURE : BP_EXIT_OK;
  if (rc >= 0)
    rc = bp_chunkrun_finish (run, &err);
  bp_progress_end (&prog);
  if (rc < 0)
    {
      bp_cli_error (NULL, NULL, &err);
      status = BP_EXIT_FAILURE;
    }
  for (int i = 0; i < threads && status == BP_EXIT_OK; i++)
    if (bp_stats_acc_add_to (acc[i], r))
      {
        bp_diag ("%s", _("a count overflows 64 bits"));
        status = BP_EXIT_FAILURE;
      }
  if (status == BP_EXIT_OK)
    {
      struct bp_error first;
      uint64_t skipped = bp_chunker_skipped (ch, &first);
      bp_inputs_report_skipped (in, skipped, &first);
      /* TRANSLATORS: the summary of a run: bytes, the time it took.  */
      bp_progress_summary (&prog, _("%s read in %s"), NULL);
    }
  bp_chunkrun_free (run);
  for (int i = 0; i < threads; i++)
    bp_stats_acc_free (acc[i]);
  free (acc);
  bp_chunker_free (ch);
  return status;
}

/* Where the summaries of count files go.  */
struct counts_input
{
  struct bp_stats_counts *cs;   /* one per input */
  const struct bp_inputs *in;
  size_t top;
};

/* Summarise the count file on FD, the INPUT-th.  */
static int
read_counts (void *ctx, size_t input, int fd,
             const struct bp_read_progress *progress, struct bp_error *err)
{
  struct counts_input *ci = ctx;
  /* A stream of its own, closed here; FD is the caller's to close.  */
  int own = fd == STDIN_FILENO ? -1 : dup (fd);
  FILE *f = own < 0 ? stdin : fdopen (own, "r");
  (void) progress;
  if (fd != STDIN_FILENO && (own < 0 || !f))
    {
      int e = errno;
      if (own >= 0)
        close (own);
      return bp_error_errno (err, e);
    }
  int rc = bp_stats_counts_read (&ci->cs[input],
                                 bp_inputs_name (ci->in, input), f, ci->top,
                                 err);
  if (rc)
    bp_cli_explain_kind (fd, err, BP_WANT_STATS_COUNTS);
  if (f != stdin)
    fclose (f);
  return rc;
}

/* The longest bar of a chart: to the terminal's width, or 40 columns
   shared by the NCOLS columns.  */
static size_t
bar_width (size_t ncols, int to_terminal)
{
  size_t budget = 40;
  struct winsize ws;
  if (to_terminal && isatty (STDOUT_FILENO)
      && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 40)
    /* The labels take 22 columns, a count about 10.  */
    budget = ws.ws_col > 24 + 12 * ncols ? ws.ws_col - 24 - 12 * ncols : 0;
  size_t w = budget / ncols;
  return w < 10 ? 10 : w;
}

int
main (int argc, char **argv)
{
  struct bp_cli_options cli = { .documents = 1 };
  const char **model_path = NULL;
  size_t nmodels = 0;
  int json = 0, c;
  const char *plot_path = NULL;
  struct text_opts to = { 0 };
  struct bp_stats_layout layout = { 20, 40 };

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "m:o:n:lj:q", long_options, NULL))
         != -1)
    {
      if (bp_cli_option (c, optarg, &cli, usage))
        continue;
      switch (c)
        {
        case 'm':
          model_path = realloc (model_path,
                                (nmodels + 1) * sizeof *model_path);
          if (!model_path)
            out_of_memory ();
          model_path[nmodels++] = optarg;
          break;
        case 'n':
          layout.top = bp_cli_parse_ull ("--top", optarg);
          break;
        case OPT_JSON:
          json = 1;
          break;
        case OPT_PLOT:
          plot_path = optarg;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  const char *output = cli.output;
  int no_normalize = cli.no_normalize;
  int text_opt = cli.doc_options || cli.threads;
  bp_cli_chunk_params (&cli, &to.cp);
  to.threads = cli.threads;
  to.progress = cli.progress;
  struct bp_inputs in;
  bp_inputs_init (&in, &cli, argc, argv, optind);
  int nfiles = (int) in.n;
  if (!nmodels && !nfiles)
    bp_cli_usage_error (_("no model and no count file given"));
  if (!nmodels && text_opt)
    bp_cli_usage_error (_("-l, --jsonl, --no-normalize, --skip-invalid and "
                          "-j need -m"));
  if (plot_path && (!nmodels || !nfiles))
    bp_cli_usage_error (_("--plot needs -m and text to encode"));
  if (plot_path && strcmp (plot_path, "-") == 0
      && (!output || strcmp (output, "-") == 0))
    bp_cli_usage_error (_("--plot=- needs the report in -o FILE"));

  struct bp_error err = { 0 };
  struct bp_outfile out;
  /* Open the output first: a directory that cannot be written fails
     before any work.  */
  if (bp_outfile_open (&out, output, &err))
    {
      bp_cli_open_failed (output, &err);
      free (model_path);
      return BP_EXIT_FAILURE;
    }
  struct bp_outfile plot = { 0 };
  if (plot_path && bp_outfile_open (&plot, plot_path, &err))
    {
      bp_cli_open_failed (plot_path, &err);
      bp_outfile_abort (&out);
      free (model_path);
      return BP_EXIT_FAILURE;
    }
  layout.bar_width = bar_width (nmodels ? nmodels : (size_t) nfiles,
                                output == NULL);

  int status = BP_EXIT_OK, rc = 0, werr = 0, plot_rc = 0, plot_werr = 0;
  struct bp_stats_report r = { 0 };
  struct bp_stats_counts *cs = NULL;
  struct bp_model **models = NULL;
  const struct bp_unigram **u = NULL;

  if (!nmodels)
    {
      /* Count files, each summarised in one pass.  */
      cs = calloc ((size_t) nfiles, sizeof *cs);
      if (!cs)
        out_of_memory ();
      struct counts_input ci = { cs, &in, layout.top };
      struct bp_progress prog;
      bp_progress_init (&prog, BP_PROGRESS_OFF);
      if (bp_inputs_read (&in, &prog, read_counts, &ci, &err))
        status = BP_EXIT_FAILURE;
      if (status == BP_EXIT_OK)
        rc = json ? bp_stats_write_counts_json (out.f, cs, (size_t) nfiles)
                  : bp_stats_write_counts_text (out.f, cs, (size_t) nfiles,
                                                &layout);
      werr = errno;
    }
  else
    {
      models = calloc (nmodels, sizeof *models);
      u = calloc (nmodels, sizeof *u);
      r.model = calloc (nmodels, sizeof *r.model);
      if (!models || !u || !r.model)
        out_of_memory ();
      r.nmodels = nmodels;
      for (size_t i = 0; i < nmodels && status == BP_EXIT_OK; i++)
        {
          if (bp_model_load (model_path[i], &models[i], &err)
              || (nfiles && !(u[i] = bp_unigram_new (models[i], &err))))
            {
              bp_cli_read_error (model_path[i], &err, BP_WANT_MODEL);
              status = BP_EXIT_FAILURE;
            }
          else if (bp_stats_model_init (&r.model[i], model_path[i],
                                        models[i]))
            out_of_memory ();
        }
      /* The text is read once for all models, so they must agree on
         normalising it, as bp-encode would for each (DESIGN.md 1.1).  */
      to.cp.normalize = 1;
      for (size_t i = 0; i < nmodels && status == BP_EXIT_OK; i++)
        {
          int norm = models[i]->params.normalize != 0;
          if (i == 0)
            to.cp.normalize = norm;
          else if (norm != to.cp.normalize && !no_normalize && nfiles)
            {
              bp_diag (_("%s and %s differ in normalize; compare them with "
                         "--no-normalize"), model_path[0], model_path[i]);
              status = BP_EXIT_FAILURE;
            }
        }
      if (no_normalize)
        to.cp.normalize = 0;
      if (status == BP_EXIT_OK && nfiles)
        status = encode_files (&r, u, &to, &in);
      if (status == BP_EXIT_OK)
        rc = json ? bp_stats_write_json (out.f, &r, &layout)
                  : bp_stats_write_text (out.f, &r, &layout);
      werr = errno;
      if (status == BP_EXIT_OK && plot_path)
        {
          plot_rc = bp_stats_write_plot (plot.f, &r);
          plot_werr = errno;
        }
    }

  if (status == BP_EXIT_OK)
    {
      if (rc)
        {
          /* errno is still that of the write that failed.  */
          bp_error_errno (&err, rc == BP_ENOMEM ? ENOMEM : werr);
          bp_cli_output_failed (output, &err);
        }
      if (plot_rc)
        {
          bp_error_errno (&err, plot_rc == BP_ENOMEM ? ENOMEM : plot_werr);
          bp_cli_output_failed (plot_path, &err);
        }
      if (plot_path)
        bp_cli_commit_output (&plot);
      bp_cli_commit_output (&out);
    }
  if (status != BP_EXIT_OK)
    {
      bp_outfile_abort (&out);
      if (plot_path)
        bp_outfile_abort (&plot);
    }

  for (int i = 0; cs && i < nfiles; i++)
    bp_stats_counts_free (&cs[i]);
  free (cs);
  for (size_t i = 0; i < nmodels; i++)
    {
      if (r.model)
        bp_stats_model_free (&r.model[i]);
      if (u)
        bp_unigram_free ((struct bp_unigram *) u[i]);
      if (models)
        bp_model_free (models[i]);
    }
  free (r.model);
  free (u);
  free (models);
  free (model_path);
  bp_inputs_free (&in);
  return status;
}
