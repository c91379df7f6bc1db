/* bp-prune: the pruning steps of training.  N-gram counts become the
   n-gram model (DESIGN.md section 1.3); piece counts become tokenizer
   models of the requested sizes (section 1.5).  */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "counts.h"
#include "error.h"
#include "model.h"
#include "ngram.h"
#include "outfile.h"
#include "progress.h"
#include "prune.h"
#include "system.h"

enum
{
  OPT_MAX_PIECE_LENGTH = BP_OPT_OWN,
  OPT_JSON
};

static const struct option long_options[] = {
  { "min-count", required_argument, NULL, 'k' },
  { "vocab-size", required_argument, NULL, 'v' },
  { "max-piece-length", required_argument, NULL, OPT_MAX_PIECE_LENGTH },
  { "json", no_argument, NULL, OPT_JSON },
  BP_LONG_OPTIONS_THREADS,
  BP_LONG_OPTIONS_COMMON,
  { NULL, 0, NULL, 0 }
};

/* The smallest vocabulary: the 256 bytes and the 3 special ids.  */
enum { MIN_VOCAB = 259, MAX_SIZES = 64 };

static void
usage (void)
{
  printf (_("Usage: %s [OPTION]... [FILE]\n"), bp_program_name);
  fputs (_("Prune count files: n-gram counts (from bp-count -n) to the "
           "n-gram model,\n"
           "piece counts (from bp-count -m) to tokenizer models.\n"
           "With no FILE, or when FILE is -, read standard input.\n"),
         stdout);
  fputs (_("\n"
           "  -k, --min-count=K     drop n-grams of 2 or more bytes, and "
           "pieces, seen\n"
           "                          fewer than K times (default 2)\n"
           "  -o, --output=FILE     write FILE, replacing it only on "
           "success\n"), stdout);
  fputs (_("\n"
           "Piece counts only:\n"
           "  -v, --vocab-size=SIZE[,SIZE]...  the vocabulary size, the 3 "
           "special\n"
           "                          ids included (at least 259); "
           "repeatable\n"
           "      --max-piece-length=L  drop pieces longer than L bytes "
           "(default 36)\n"
           "      --json            write BytePiece's JSON model instead of "
           "the text\n"
           "                          form\n"
           "  -j, --threads=N       use N threads (0: one per processor; the "
           "default);\n"
           "                          the models are the same for every N\n"
           "With one size the model goes to standard output or -o FILE; with "
           "several,\n"
           "-o FILE is required and the model of size V is written to FILE.V "
           "(the\n"
           "names BytePiece's Trainer.save gives).  Every file is written, "
           "or none.\n"), stdout);
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

static int
cmp_size_desc (const void *a, const void *b)
{
  size_t x = *(const size_t *) a, y = *(const size_t *) b;
  return x < y ? 1 : x > y ? -1 : 0;
}

struct options
{
  uint64_t min_count;
  size_t sizes[MAX_SIZES];
  size_t nsizes;
  size_t max_piece_length;
  int have_max_piece_length;
  int json;
  int threads;
  const char *output;
  const char *input;
  struct bp_progress progress;
};

/* Read the piece counts and write one model per size.  Returns the exit
   status.  */
static int
prune_pieces (struct bp_counts_reader *r, struct options *opt)
{
  const struct bp_counts_header *h = bp_counts_reader_header (r);
  const char *name = opt->input;
  struct bp_error err = { 0 };
  struct bp_buf arena = { 0 };
  struct bp_piece_count *pc = NULL;
  struct bp_model *models[MAX_SIZES] = { 0 };
  struct bp_outfile out[MAX_SIZES];
  size_t n = 0, cap = 0, nout = 0;
  int status = BP_EXIT_FAILURE, rc;
  struct bp_counts_record rec;
  char what[100];

  /* The pieces' bytes go into one arena; their pointers are set once it
     stops moving.  */
  bp_progress_stage (&opt->progress, _("reading the piece counts"));
  while ((rc = bp_counts_reader_next (r, &rec, &err)) > 0)
    {
      if (n == cap)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct bp_piece_count *p = realloc (pc, ncap * sizeof *p);
          if (!p)
            goto nomem;
          pc = p;
          cap = ncap;
        }
      pc[n].bytes = (const uint8_t *) (uintptr_t) arena.len;
      pc[n].len = rec.len;
      pc[n].count = rec.count;
      n++;
      if (bp_buf_append (&arena, rec.key, rec.len))
        goto nomem;
    }
  if (rc < 0)
    goto bad_input;
  for (size_t i = 0; i < n; i++)
    pc[i].bytes = arena.data + (uintptr_t) pc[i].bytes;

  /* TRANSLATORS: a progress stage; %zu is the largest -v size.  */
  snprintf (what, sizeof what, _("pruning to %zu pieces"), opt->sizes[0]);
  bp_progress_stage (&opt->progress, what);
  struct bp_prune_params pp = {
    .min_count = opt->min_count,
    .max_piece_length = opt->max_piece_length,
    .threads = opt->threads,
    .distinct = 1        /* the reader checked that the keys increase */
  };
  if ((rc = bp_prune_vocab (pc, n, &pp, opt->sizes, opt->nsizes, models,
                            &err)))
    {
      if (rc == BP_ENOMEM)
        goto nomem;
      goto bad_input;
    }

  /* Write every model to its temporary file, then commit them all.  */
  bp_progress_stage (&opt->progress, ngettext ("writing the model",
                                               "writing the models",
                                               opt->nsizes));
  for (size_t k = 0; k < opt->nsizes; k++)
    {
      struct bp_model *m = models[k];
      m->params.order = h->order;
      m->params.min_count = (long long) opt->min_count;
      m->params.max_piece_length = (int) opt->max_piece_length;
      m->params.ensure_unicode = h->ensure_unicode;
      m->params.isolate_digits = h->isolate_digits;
      m->params.normalize = h->normalize;

      char *path = NULL;
      if (opt->nsizes > 1
          && asprintf (&path, "%s.%zu", opt->output, opt->sizes[k]) < 0)
        goto nomem;
      const char *target = opt->nsizes > 1 ? path : opt->output;
      rc = bp_outfile_open (&out[k], target, &err);
      if (rc)
        {
          bp_progress_end (&opt->progress);
          bp_diag_error (target, &err);
          free (path);
          goto done;
        }
      nout++;
      rc = opt->json ? bp_model_write_json (out[k].f, m)
                     : bp_model_write_text (out[k].f, m);
      if (rc == 0 && out[k].f != stdout && fflush (out[k].f) != 0)
        rc = BP_EIO;
      if (rc)
        {
          bp_progress_end (&opt->progress);
          bp_error_errno (&err, rc == BP_ENOMEM ? ENOMEM
                                                : errno ? errno : EIO);
          for (size_t i = 0; i < nout; i++)
            bp_outfile_abort (&out[i]);
          nout = 0;
          bp_cli_output_failed (target, &err);
        }
      free (path);
    }
  bp_progress_end (&opt->progress);
  /* The temporary files of any not yet committed are removed at exit.  */
  for (size_t k = 0; k < nout; k++)
    bp_cli_commit_output (&out[k]);
  nout = 0;
  status = BP_EXIT_OK;
  goto done;

bad_input:
  bp_progress_end (&opt->progress);
  bp_diag_error (name, &err);
  goto done;
nomem:
  bp_progress_end (&opt->progress);
  bp_diag ("%s", _("memory exhausted"));
done:
  bp_progress_end (&opt->progress);
  for (size_t i = 0; i < nout; i++)
    bp_outfile_abort (&out[i]);
  for (size_t k = 0; k < opt->nsizes; k++)
    bp_model_free (models[k]);
  free (pc);
  bp_buf_free (&arena);
  return status;
}

static int
prune_ngrams (struct bp_counts_reader *r, struct options *opt)
{
  struct bp_outfile o;
  struct bp_error err = { 0 };

  if (bp_outfile_open (&o, opt->output, &err))
    {
      bp_diag_error (opt->output, &err);
      return BP_EXIT_FAILURE;
    }
  bp_progress_stage (&opt->progress, _("building the n-gram model"));
  int rc = bp_ngram_prune (r, opt->min_count, o.f, &err);
  bp_progress_end (&opt->progress);
  if (rc)
    {
      bp_outfile_abort (&o);
      bp_cli_error (opt->input, opt->output, &err);
      return BP_EXIT_FAILURE;
    }
  bp_cli_commit_output (&o);
  return BP_EXIT_OK;
}

/* Add the comma-separated sizes in ARG to OPT.  */
static void
parse_sizes (struct options *opt, const char *arg)
{
  const char *p = arg;
  for (;;)
    {
      const char *comma = strchr (p, ',');
      size_t len = comma ? (size_t) (comma - p) : strlen (p);
      char buf[32];
      if (len == 0 || len >= sizeof buf)
        bp_cli_usage_error (_("invalid argument '%s' for '%s'"), arg,
                            "--vocab-size");
      memcpy (buf, p, len);
      buf[len] = '\0';
      unsigned long long v = bp_cli_parse_ull ("--vocab-size", buf);
      if (v < MIN_VOCAB || v > SIZE_MAX / 2)
        bp_cli_usage_error (_("a vocabulary size must be at least %d"),
                            MIN_VOCAB);
      for (size_t i = 0; i < opt->nsizes; i++)
        if (opt->sizes[i] == v)
          bp_cli_usage_error (_("vocabulary size %llu given twice"), v);
      if (opt->nsizes == MAX_SIZES)
        bp_cli_usage_error (_("at most %d vocabulary sizes"), MAX_SIZES);
      opt->sizes[opt->nsizes++] = (size_t) v;
      if (!comma)
        break;
      p = comma + 1;
    }
}

int
main (int argc, char **argv)
{
  struct options opt = { .min_count = 2, .max_piece_length = 36 };
  struct bp_cli_options cli = { 0 };
  int c;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "k:v:j:o:q", long_options, NULL))
         != -1)
    {
      if (bp_cli_option (c, optarg, &cli, usage))
        continue;
      switch (c)
        {
        case 'k':
          opt.min_count = bp_cli_parse_ull ("--min-count", optarg);
          break;
        case 'v':
          parse_sizes (&opt, optarg);
          break;
        case OPT_MAX_PIECE_LENGTH:
          {
            unsigned long long v = bp_cli_parse_ull ("--max-piece-length",
                                                     optarg);
            if (v < 1 || v > 1000000)
              bp_cli_usage_error (_("invalid argument '%s' for '%s'"),
                                  optarg, "--max-piece-length");
            opt.max_piece_length = (size_t) v;
            opt.have_max_piece_length = 1;
            break;
          }
        case OPT_JSON:
          opt.json = 1;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  opt.threads = cli.threads;
  opt.output = cli.output;
  enum bp_progress_mode progress_mode = cli.progress;
  if (argc - optind > 1)
    bp_cli_usage_error (_("extra operand '%s'"), argv[optind + 1]);
  if (opt.nsizes > 1 && (!opt.output || strcmp (opt.output, "-") == 0))
    bp_cli_usage_error (_("several vocabulary sizes need -o FILE (size V "
                          "goes to FILE.V)"));
  qsort (opt.sizes, opt.nsizes, sizeof *opt.sizes, cmp_size_desc);
  if (opt.threads == 0)
    opt.threads = bp_cli_default_threads ();
  opt.input = optind < argc ? argv[optind] : "-";
  bp_progress_init (&opt.progress, progress_mode);

  FILE *in = strcmp (opt.input, "-") == 0 ? stdin : fopen (opt.input, "r");
  if (!in)
    {
      bp_diag ("%s: %s", opt.input, strerror (errno));
      return BP_EXIT_FAILURE;
    }
  struct bp_counts_reader *r;
  struct bp_error err = { 0 };
  int status;
  if (bp_counts_reader_open (in, &r, &err))
    {
      bp_diag_error (opt.input, &err);
      status = BP_EXIT_FAILURE;
    }
  else
    {
      enum bp_counts_kind kind = bp_counts_reader_header (r)->kind;
      if (kind == BP_COUNTS_PIECES)
        {
          if (opt.nsizes == 0)
            bp_cli_usage_error (_("piece counts need -v SIZE"));
          status = prune_pieces (r, &opt);
        }
      else if (kind == BP_COUNTS_NGRAMS)
        {
          if (opt.nsizes || opt.json || opt.have_max_piece_length)
            bp_cli_usage_error (_("-v, --json and --max-piece-length apply "
                                  "to piece counts, and %s holds n-gram "
                                  "counts"), opt.input);
          status = prune_ngrams (r, &opt);
        }
      else
        {
          bp_error_set (&err, BP_EFORMAT, 1, "%s",
                        _("an n-gram model (kind=ngram-model) cannot be "
                          "pruned again"));
          bp_diag_error (opt.input, &err);
          status = BP_EXIT_FAILURE;
        }
      bp_counts_reader_free (r);
    }
  if (in != stdin)
    fclose (in);
  return status;
}
