/* SPDX-License-Identifier: Apache-2.0 */
/* bp-prune: the pruning steps of training, and models in other forms.
   N-gram counts become the n-gram model (DESIGN.md section 1.3); piece
   counts become tokenizer models of the requested sizes (section 1.5); a
   model, or a plain vocabulary, is converted to another form or pruned to
   a smaller size (BytePiece's convert_to_bytepiece), with special tokens
   added if asked.  */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "convert.h"
#include "counts.h"
#include "error.h"
#include "export.h"
#include "model.h"
#include "ngrammodel.h"
#include "outfile.h"
#include "progress.h"
#include "prune.h"
#include "source.h"
#include "system.h"
#include "vocab.h"
#include "wrongfile.h"

enum
{
  OPT_MAX_PIECE_LENGTH = BP_OPT_OWN,
  OPT_JSON,
  OPT_FORMAT,
  OPT_SPECIAL,
  OPT_SPECIAL_FILE
};

static const struct option long_options[] = {
  { "min-count", required_argument, NULL, 'k' },
  { "vocab-size", required_argument, NULL, 'v' },
  { "max-piece-length", required_argument, NULL, OPT_MAX_PIECE_LENGTH },
  { "json", no_argument, NULL, OPT_JSON },
  { "format", required_argument, NULL, OPT_FORMAT },
  { "special", required_argument, NULL, OPT_SPECIAL },
  { "special-file", required_argument, NULL, OPT_SPECIAL_FILE },
  BP_LONG_OPTIONS_THREADS,
  BP_LONG_OPTIONS_COMMON,
  { NULL, 0, NULL, 0 }
};

/* The smallest vocabulary: the 256 bytes and the 3 fixed ids.  The
   largest: every id fits in 32 bits (bp-encode --format=u32).  */
enum { MIN_VOCAB = 259, MAX_SIZES = 64 };
#define MAX_VOCAB 4294967296ULL

static void
usage (void)
{
  printf (_("Usage: %s [OPTION]... [FILE]\n"), bp_program_name);
  fputs (_("Prune count files: n-gram counts (from bp-count -n) to the "
           "n-gram model,\n"
           "piece counts (from bp-count -m) to tokenizer models.\n"
           "With no FILE, or when FILE is -, read standard input.\n"),
         stdout);
  fputs (_("Convert a tokenizer model (text or BytePiece JSON) or a plain "
           "vocabulary\n"
           "(PIECE<TAB>COUNT lines) to a model in any form, pruned to -v "
           "SIZE if\n"
           "smaller.\n"), stdout);
  fputs (_("\n"
           "  -k, --min-count=K     drop n-grams of 2 or more bytes, and "
           "pieces, seen\n"
           "                          fewer than K times (default 2; 1 for "
           "a model\n"
           "                          or a vocabulary)\n"
           "  -o, --output=FILE     write FILE, replacing it only on "
           "success\n"), stdout);
  fputs (_("\n"
           "Piece counts, models and vocabularies:\n"
           "  -v, --vocab-size=SIZE[,SIZE]...  the vocabulary size, every "
           "id included\n"
           "                          (the 3 fixed ones and the special "
           "tokens; at\n"
           "                          least 259 more than the special "
           "tokens);\n"
           "                          repeatable\n"
           "      --max-piece-length=L  drop pieces longer than L bytes "
           "(default 36;\n"
           "                          no limit for a model or a "
           "vocabulary)\n"
           "      --format=FORMAT   write the model as text (the default), "
           "json\n"
           "                          (BytePiece's), hf (a HuggingFace "
           "tokenizer.json)\n"
           "                          or spm (a SentencePiece model)\n"
           "      --json            the same as --format=json\n"
           "      --special=TOKEN   add the special token TOKEN (such as "
           "<|endoftext|>)\n"
           "                          after the pieces; repeatable\n"
           "      --special-file=FILE  add the special tokens of FILE, one "
           "a line\n"
           "  -j, --threads=N       use N threads (0: one per processor; the "
           "default);\n"
           "                          the models are the same for every N\n"
           "With one size the model goes to standard output or -o FILE; with "
           "several,\n"
           "-o FILE is required and the model of size V is written to FILE.V "
           "(the\n"
           "names BytePiece's Trainer.save gives).  Every file is written, "
           "or none.\n"), stdout);
  fputs (_("A size the input cannot reach gives a smaller model, and "
           "standard error\n"
           "says what each size asked for and what it got.\n"), stdout);
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
  int have_min_count;
  size_t sizes[MAX_SIZES];
  size_t nsizes;
  size_t max_piece_length;
  int have_max_piece_length;
  enum bp_export_format format;
  int have_format;
  struct bp_buf special;     /* the special tokens to add, one after the
                                other */
  size_t *special_end;       /* where each ends in SPECIAL */
  size_t nspecial;
  int threads;
  const char *output;
  const char *input;
  struct bp_progress progress;
  int sizes_given;           /* -v was given (else SIZES is the input's) */
  struct bp_read_progress reading;   /* of the input, to PROGRESS */
};

/* Add the special token P (LEN bytes) to OPT; the model checks it.  */
static void
add_special (struct options *opt, const void *p, size_t len)
{
  size_t *e = realloc (opt->special_end,
                       (opt->nspecial + 1) * sizeof *opt->special_end);
  if (!e || bp_buf_append (&opt->special, p, len))
    {
      bp_diag ("%s", _("memory exhausted"));
      exit (BP_EXIT_FAILURE);
    }
  opt->special_end = e;
  e[opt->nspecial++] = opt->special.len;
}

/* Add the special tokens of the file PATH, one a line (its LF removed).  */
static void
read_special_file (struct options *opt, const char *path)
{
  FILE *f = strcmp (path, "-") == 0 ? stdin : fopen (path, "r");
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  if (!f)
    {
      bp_diag ("%s: %s", path, strerror (errno));
      exit (BP_EXIT_FAILURE);
    }
  errno = 0;
  while ((len = getline (&line, &cap, f)) >= 0)
    add_special (opt, line, (size_t) len - (len && line[len - 1] == '\n'));
  if (ferror (f))
    {
      bp_diag ("%s: %s", path, strerror (errno ? errno : EIO));
      exit (BP_EXIT_FAILURE);
    }
  free (line);
  if (f != stdin)
    fclose (f);
}

/* The file size V goes to: OPT's -o FILE, FILE.V with several sizes.  */
static char *
target_of (const struct options *opt, size_t v)
{
  char *path = NULL;
  if (opt->nsizes <= 1)
    return opt->output ? strdup (opt->output) : NULL;
  if (asprintf (&path, "%s.%zu", opt->output, v) < 0)
    return NULL;
  return path;
}

/* Can every output be written?  A directory in the way, or a directory
   that does not exist or cannot be written, would be found only when the
   first files are already committed (every file or none), or after all
   the work: look first.  Returns 0, or -1 after reporting it.  */
static int
check_targets (const struct options *opt, size_t n)
{
  for (size_t k = 0; k < n; k++)
    {
      struct bp_error err = { 0 };
      char *path = target_of (opt, opt->sizes[k]);
      int rc = path || opt->nsizes <= 1 ? bp_outfile_check (path, &err)
                                        : bp_error_errno (&err, ENOMEM);
      if (rc)
        bp_cli_open_failed (path, &err);
      free (path);
      if (rc)
        return -1;
    }
  return 0;
}

/* Write the N models MODELS, the k-th to the file of size OPT->sizes[k]
   (or -o FILE, or standard output), in OPT's format; commit them all or
   none.  Returns the exit status.  */
static int
write_models (struct bp_model **models, size_t n, struct options *opt)
{
  struct bp_outfile out[MAX_SIZES];
  struct bp_error err = { 0 };
  size_t nout = 0;
  int rc = 0;

  bp_progress_push (&opt->progress, ngettext ("writing the model",
                                              "writing the models", n), 0, 0);
  for (size_t k = 0; k < n && rc == 0; k++)
    {
      char *target = target_of (opt, opt->sizes[k]);
      if (opt->nsizes > 1 && !target)
        {
          rc = bp_error_set (&err, BP_ENOMEM, 0, "%s", "");
          break;
        }
      if (bp_outfile_open (&out[k], target, &err))
        {
          bp_progress_end (&opt->progress);
          bp_cli_open_failed (target, &err);
          free (target);
          rc = -1;
          break;
        }
      nout++;
      FILE *f = out[k].f;
      rc = bp_export (f, models[k], opt->format, &err);
      if (rc == 0 && f != stdout && fflush (f) != 0)
        rc = BP_EIO;
      if (rc == BP_EINVAL)
        {
          /* The model cannot be written in that form: one line.  */
          bp_progress_end (&opt->progress);
          bp_diag ("%s", err.detail);
        }
      else if (rc)
        {
          bp_progress_end (&opt->progress);
          if (rc != BP_ENOMEM && !err.errnum)
            bp_error_errno (&err, errno ? errno : EIO);
          for (size_t i = 0; i < nout; i++)
            bp_outfile_abort (&out[i]);
          bp_cli_output_failed (target, &err);
        }
      free (target);
    }
  bp_progress_pop (&opt->progress);
  bp_progress_end (&opt->progress);
  if (rc)
    {
      for (size_t i = 0; i < nout; i++)
        bp_outfile_abort (&out[i]);
      if (rc == BP_ENOMEM)
        bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  for (size_t k = 0; k < nout; k++)
    bp_cli_commit_output (&out[k]);
  char took[32], what[128];
  bp_progress_time (took, bp_progress_elapsed (&opt->progress));
  /* TRANSLATORS: the summary of a run; %zu counts models, %s is the time
     it took.  */
  snprintf (what, sizeof what, ngettext ("%zu model made in %s",
                                         "%zu models made in %s", n), n, took);
  bp_progress_done (&opt->progress, what, NULL, 0);
  return BP_EXIT_OK;
}

/* Say on stderr what each -v size got, when one of them got fewer ids
   than asked (issue 14): the pruning keeps only pieces seen -k times
   that some segmentation uses (DESIGN.md 1.5 steps 2 and 3), so the
   counts may not hold enough of them, and a model or a vocabulary is
   pruned, never grown.  Every size is listed, so that the whole run is
   in view; nothing is said when every size was reached.  COUNTS: the
   models come from piece counts.  */
static void
report_sizes (struct bp_model *const *models, const struct options *opt,
              int counts)
{
  size_t k, short_of = 0;
  if (!opt->sizes_given)
    return;
  for (k = 0; k < opt->nsizes; k++)
    short_of += bp_model_vocab (models[k]) < opt->sizes[k];
  if (!short_of)
    return;
  for (k = 0; k < opt->nsizes; k++)
    /* TRANSLATORS: -v SIZE asked for a vocabulary of the first number
       of ids; the model made has the second.  */
    bp_diag (_("asked for a vocabulary of %zu, got %zu"), opt->sizes[k],
             bp_model_vocab (models[k]));
  if (counts)
    bp_diag (_("the counts hold no more pieces with a count of at least %" PRIu64 " (-k) "
               "that a segmentation uses; for a larger vocabulary, lower -k "
               "or count more text (see bp-prune(1))"), opt->min_count);
  else
    bp_diag ("%s", _("a model or a vocabulary is pruned, never grown"));
}

/* The library's stages of pruning as bp-prune says them
   (bp_progress_words).  */
static void
prune_words (const struct bp_stage *s, char *buf, size_t size)
{
  unsigned long long n = s->items;
  if (s->kind == BP_STAGE_DROP && !s->size)
    /* TRANSLATORS: a progress stage; %llu counts pieces.  */
    snprintf (buf, size, ngettext ("pruning %llu rare piece",
                                   "pruning %llu rare pieces", n), n);
  else if (s->kind == BP_STAGE_DROP)
    /* TRANSLATORS: a progress stage; %zu is a vocabulary size, %llu
       counts pieces.  */
    snprintf (buf, size, ngettext ("size %zu: pruning %llu piece",
                                   "size %zu: pruning %llu pieces", n),
              s->size, n);
  else if (!s->size)
    /* TRANSLATORS: a progress stage; %u counts the rounds.  */
    snprintf (buf, size, _("recounting the pieces, round %u"), s->pass);
  else
    /* TRANSLATORS: a progress stage; %zu is a vocabulary size, %u counts
       the rounds.  */
    snprintf (buf, size, _("size %zu: recounting, round %u"), s->size,
              s->pass);
}

/* Show the stage WHAT until bp_progress_pop: how far reading the count
   file R gets, in bytes of OPT's input, or (R NULL) the time it takes.  */
static void
show_reading (struct options *opt, struct bp_counts_reader *r,
              const char *what)
{
  bp_progress_push (&opt->progress, what,
                    r ? bp_progress_path_size (opt->input) : 0, r != NULL);
  if (r)
    bp_counts_reader_progress (r, &opt->reading);
}

/* Make the models of the input, the piece counts of R or the model or
   vocabulary SRC (of kind KIND), into MODELS, one per size of OPT (one if
   there is no size).  Returns 0, or 1 after reporting an error.  */
static int
make_models (struct bp_counts_reader *r, FILE *src, enum bp_source_kind kind,
             struct options *opt, struct bp_model **models)
{
  struct bp_error err = { 0 };
  struct bp_model *in = NULL;
  struct bp_piece_count *pc = NULL;
  struct bp_buf arena = { 0 };
  struct bp_model_params params = { -1, -1, -1, -1, -1, -1 };
  const uint8_t **special = NULL;
  size_t *special_len = NULL;
  size_t n = 0;
  int rc;

  show_reading (opt, r, r ? _("reading the piece counts")
                        : kind == BP_SOURCE_MODEL ? _("reading the model")
                        : _("reading the vocabulary"));
  if (r)
    {
      const struct bp_counts_header *h = bp_counts_reader_header (r);
      params.order = h->order;
      params.ensure_unicode = h->ensure_unicode;
      params.isolate_digits = h->isolate_digits;
      params.normalize = h->normalize;
      n = bp_convert_read_counts (r, &pc, &arena, &err);
      rc = n == (size_t) -1 ? -1 : 0;
    }
  else
    {
      rc = kind == BP_SOURCE_MODEL ? bp_model_read (src, &in, &err)
                                   : bp_vocab_read (src, &in, &err);
      if (rc == 0)
        {
          params = in->params;
          n = in->n;
          if (!(pc = bp_convert_pieces (in)))
            rc = bp_error_set (&err, BP_ENOMEM, 0, "%s", "");
        }
    }
  bp_progress_pop (&opt->progress);
  if (rc)
    {
      bp_progress_end (&opt->progress);
      if (err.code == BP_ENOMEM)
        bp_diag ("%s", _("memory exhausted"));
      else
        bp_cli_read_error (opt->input, &err, BP_WANT_PRUNABLE);
      goto done;
    }

  /* Without -v a vocabulary becomes a model of all its pieces (what
     convert_to_bytepiece does: room for them and the 256 bytes), and a
     model stays as it is.  */
  if (opt->nsizes == 0)
    opt->sizes[opt->nsizes++] = in->nspecial + opt->nspecial
      + (kind == BP_SOURCE_VOCAB ? n + MIN_VOCAB : bp_model_vocab (in));
  special = malloc ((opt->nspecial + 1) * sizeof *special);
  special_len = malloc ((opt->nspecial + 1) * sizeof *special_len);
  if (!special || !special_len)
    {
      rc = bp_error_set (&err, BP_ENOMEM, 0, "%s", "");
      goto report;
    }
  for (size_t i = 0, at = 0; i < opt->nspecial; i++)
    {
      special[i] = opt->special.data + at;
      special_len[i] = opt->special_end[i] - at;
      at = opt->special_end[i];
    }
  struct bp_convert_params cp = {
    .min_count = opt->min_count,
    .max_piece_length = opt->max_piece_length,
    .threads = opt->threads,
    .sizes = opt->sizes,
    .nsizes = opt->nsizes,
    .special = special,
    .special_len = special_len,
    .nspecial = opt->nspecial,
    .progress = bp_progress_stages (&opt->progress, prune_words)
  };
  rc = bp_convert (kind == BP_SOURCE_MODEL ? in : NULL, pc, n, &cp, models,
                   &err);

report:
  bp_progress_end (&opt->progress);
  if (rc == BP_ENOMEM)
    bp_diag ("%s", _("memory exhausted"));
  else if (rc == BP_EINVAL && err.line == 0)
    bp_diag ("%s", err.detail);
  else if (rc)
    bp_diag_error (opt->input, &err);
  /* The header records the options that made a model.  */
  if (r || opt->have_min_count)
    params.min_count = (long long) opt->min_count;
  if (r || opt->have_max_piece_length)
    params.max_piece_length = (int) opt->max_piece_length;
  for (size_t k = 0; rc == 0 && k < opt->nsizes; k++)
    models[k]->params = params;

done:
  bp_model_free (in);
  free (pc);
  free (special);
  free (special_len);
  bp_buf_free (&arena);
  return rc ? 1 : 0;
}

/* Free the reader R and close the stream SRC bp_source_open gave (if it is
   not IN) and the input IN (if it is not standard input); before any
   exit, so that nothing is left open.  */
static void
close_input (struct bp_counts_reader *r, FILE *src, FILE *in)
{
  bp_counts_reader_free (r);
  if (src && src != in)
    fclose (src);
  if (in != stdin)
    fclose (in);
}

/* The n-gram model of the counts R (read from SRC, from IN: closed here,
   see close_input).  Returns the exit status.  */
static int
prune_ngrams (struct bp_counts_reader *r, FILE *src, FILE *in,
              struct options *opt)
{
  struct bp_outfile o;
  struct bp_error err = { 0 };

  if (bp_outfile_open (&o, opt->output, &err))
    {
      close_input (r, src, in);
      bp_cli_open_failed (opt->output, &err);
      return BP_EXIT_FAILURE;
    }
  show_reading (opt, r, _("building the n-gram model"));
  int rc = bp_ngram_model_build (r, opt->min_count, o.f, &err);
  bp_progress_pop (&opt->progress);
  bp_progress_end (&opt->progress);
  /* The input is done with; a failure below may end the program.  */
  close_input (r, src, in);
  if (rc)
    {
      bp_outfile_abort (&o);
      bp_cli_error (opt->input, opt->output, &err);
      return BP_EXIT_FAILURE;
    }
  bp_cli_commit_output (&o);
  char took[32], what[128];
  bp_progress_time (took, bp_progress_elapsed (&opt->progress));
  /* TRANSLATORS: the summary of a run; %s is the time it took.  */
  snprintf (what, sizeof what, _("the n-gram model made in %s"), took);
  bp_progress_done (&opt->progress, what, NULL, 0);
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
      if (len == 0 || strspn (p, "0123456789") < len)
        bp_cli_usage_error (_("invalid argument '%s' for '%s'"), arg,
                            "--vocab-size");
      /* Digits, however many: a number too large for 64 bits is out of
         range like any other above the limit, not malformed.  */
      unsigned long long v = 0;
      for (size_t i = 0; i < len; i++)
        if (ckd_mul (&v, v, 10) || ckd_add (&v, v, (unsigned) (p[i] - '0')))
          {
            v = ULLONG_MAX;
            break;
          }
      if (v < MIN_VOCAB)
        bp_cli_usage_error (_("a vocabulary size must be at least %d"),
                            MIN_VOCAB);
      if (v > MAX_VOCAB || v > SIZE_MAX / 2)
        bp_cli_usage_error (_("a vocabulary size must be at most %llu (ids "
                              "are 32-bit numbers)"), MAX_VOCAB);
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

static void
set_format (struct options *opt, const char *name)
{
  if (bp_export_format (name, &opt->format))
    bp_cli_usage_error (_("invalid format '%s' (text, json, hf or spm)"),
                        name);
  opt->have_format = 1;
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
          opt.have_min_count = 1;
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
          set_format (&opt, "json");
          break;
        case OPT_FORMAT:
          set_format (&opt, optarg);
          break;
        case OPT_SPECIAL:
          add_special (&opt, optarg, strlen (optarg));
          break;
        case OPT_SPECIAL_FILE:
          read_special_file (&opt, optarg);
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
  for (size_t k = 0; k < opt.nsizes; k++)
    if (opt.sizes[k] < MIN_VOCAB + opt.nspecial)
      bp_cli_usage_error (_("a vocabulary size must be at least %zu with "
                            "%zu special tokens"), MIN_VOCAB + opt.nspecial,
                          opt.nspecial);
  qsort (opt.sizes, opt.nsizes, sizeof *opt.sizes, cmp_size_desc);
  opt.sizes_given = opt.nsizes > 0;
  if (opt.threads == 0)
    opt.threads = bp_cli_default_threads ();
  opt.input = optind < argc ? argv[optind] : "-";
  bp_progress_init (&opt.progress, progress_mode);
  opt.reading = (struct bp_read_progress) { bp_progress_advance_bytes,
                                            &opt.progress };
  /* An output that cannot be written fails the run before the input is
     read.  */
  if (check_targets (&opt, opt.nsizes ? opt.nsizes : 1))
    {
      bp_buf_free (&opt.special);
      free (opt.special_end);
      return BP_EXIT_FAILURE;
    }

  FILE *in = strcmp (opt.input, "-") == 0 ? stdin : fopen (opt.input, "r");
  if (!in)
    {
      bp_diag ("%s: %s", opt.input, strerror (errno));
      return BP_EXIT_FAILURE;
    }
  struct bp_error err = { 0 };
  enum bp_source_kind kind;
  FILE *src;
  int status = BP_EXIT_FAILURE;
  if (bp_source_open (in, &kind, &src, &err))
    {
      bp_diag_error (opt.input, &err);
      close_input (NULL, NULL, in);
      goto done;
    }
  struct bp_counts_reader *r = NULL;
  if (kind == BP_SOURCE_COUNTS)
    {
      /* The kind of counts is in the header.  */
      if (bp_counts_reader_open (src, &r, &err))
        {
          bp_cli_read_error (opt.input, &err, BP_WANT_PRUNABLE);
          close_input (NULL, src, in);
          goto done;
        }
      enum bp_counts_kind ck = bp_counts_reader_header (r)->kind;
      if (ck == BP_COUNTS_NGRAMS && opt.nsizes)
        {
          close_input (r, src, in);
          /* The usual slip: the counts of a first bp-count, without -m,
             given to the second step (bytepiece(7)).  */
          bp_cli_usage_error (_("%s holds n-gram counts, and -v prunes "
                                "piece counts: forgot -m?  bp-prune -k K "
                                "makes the n-gram model of these counts, "
                                "bp-count -m MODEL counts the pieces"),
                              opt.input);
        }
      if (ck == BP_COUNTS_NGRAMS
          && (opt.have_format || opt.have_max_piece_length || opt.nspecial))
        {
          close_input (r, src, in);
          bp_cli_usage_error (_("-v, --format, --special and "
                                "--max-piece-length apply to piece "
                                "counts, models and vocabularies, and %s "
                                "holds n-gram counts"), opt.input);
        }
      if (ck == BP_COUNTS_PIECES && opt.nsizes == 0)
        {
          close_input (r, src, in);
          bp_cli_usage_error (_("piece counts need -v SIZE"));
        }
      if (ck == BP_COUNTS_NGRAMS)
        {
          status = prune_ngrams (r, src, in, &opt);
          goto done;
        }
      if (ck == BP_COUNTS_NGRAM_MODEL)
        {
          bp_error_set (&err, BP_EFORMAT, 1, "%s",
                        _("an n-gram model (kind=ngram-model) cannot be "
                          "pruned again"));
          bp_diag_error (opt.input, &err);
          close_input (r, src, in);
          goto done;
        }
    }
  else if (!opt.have_min_count)
    opt.min_count = 1;   /* convert_to_bytepiece's */
  if (kind != BP_SOURCE_COUNTS && !opt.have_max_piece_length)
    opt.max_piece_length = SIZE_MAX;

  /* The input is read whole before anything is written: closed then.  */
  struct bp_model *models[MAX_SIZES] = { 0 };
  int ok = make_models (r, src, kind, &opt, models) == 0;
  close_input (r, src, in);
  if (ok)
    status = write_models (models, opt.nsizes, &opt);
  if (ok && status == BP_EXIT_OK)
    report_sizes (models, &opt, kind == BP_SOURCE_COUNTS);
  for (size_t k = 0; k < MAX_SIZES; k++)
    bp_model_free (models[k]);

done:
  bp_buf_free (&opt.special);
  free (opt.special_end);
  return status;
}
