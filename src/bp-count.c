/* bp-count: the counting steps of training (DESIGN.md sections 1.2 and
   1.4): byte n-gram counts of a corpus, piece counts under an n-gram
   model, and the sum of count files.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "chunk.h"
#include "cli.h"
#include "counts.h"
#include "countmerge.h"
#include "error.h"
#include "ngram.h"
#include "ngramcount.h"
#include "outfile.h"
#include "strcount.h"
#include "system.h"

enum
{
  OPT_JSONL = 256,
  OPT_ISOLATE_DIGITS,
  OPT_NO_NORMALIZE,
  OPT_NO_ENSURE_UNICODE,
  OPT_MERGE,
  OPT_HELP,
  OPT_VERSION
};

static const struct option long_options[] = {
  { "order", required_argument, NULL, 'n' },
  { "model", required_argument, NULL, 'm' },
  { "merge", no_argument, NULL, OPT_MERGE },
  { "output", required_argument, NULL, 'o' },
  { "lines", no_argument, NULL, 'l' },
  { "jsonl", optional_argument, NULL, OPT_JSONL },
  { "isolate-digits", no_argument, NULL, OPT_ISOLATE_DIGITS },
  { "no-normalize", no_argument, NULL, OPT_NO_NORMALIZE },
  { "no-ensure-unicode", no_argument, NULL, OPT_NO_ENSURE_UNICODE },
  { "threads", required_argument, NULL, 'j' },
  { "help", no_argument, NULL, OPT_HELP },
  { "version", no_argument, NULL, OPT_VERSION },
  { NULL, 0, NULL, 0 }
};

static void
usage (void)
{
  printf (_("Usage: %s [-n N] [OPTION]... [FILE]...\n"
            "  or:  %s -m NGRAM_MODEL [OPTION]... [FILE]...\n"
            "  or:  %s --merge [OPTION]... [FILE]...\n"),
          bp_program_name, bp_program_name, bp_program_name);
  fputs (_("Count byte n-grams of a corpus (the first training step), the "
           "pieces an\n"
           "n-gram model cuts it into (the third), or add up count files.\n"
           "With no FILE, or when FILE is -, read standard input.\n"),
         stdout);
  fputs (_("\n"
           "  -n, --order=N         count n-grams of lengths 1 to N (1..7, "
           "default 6)\n"
           "  -m, --model=FILE      count the pieces the n-gram model FILE "
           "(from\n"
           "                          bp-prune) cuts each chunk into\n"
           "      --merge           add up the count files FILE... (sorted "
           "merge in\n"
           "                          constant memory; their headers must "
           "agree)\n"
           "  -o, --output=FILE     write FILE, replacing it only on "
           "success\n"), stdout);
  fputs (_("\n"
           "Documents (the units chunks never cross):\n"
           "  (default)             each FILE is one document\n"
           "  -l, --lines           each line is a document, its LF not "
           "part of it\n"
           "      --jsonl[=KEY]     each line is a JSON object, the document "
           "its\n"
           "                          string member KEY (default: text)\n"),
         stdout);
  fputs (_("\n"
           "      --isolate-digits  make every decimal digit a chunk of its "
           "own\n"
           "      --no-normalize    keep the input bytes as they are (no "
           "NFC)\n"
           "      --no-ensure-unicode  with -m, let pieces start inside a "
           "UTF-8\n"
           "                          character\n"
           "With -m, normalization and --isolate-digits default to what the "
           "model's\n"
           "header records.\n"), stdout);
  fputs (_("\n"
           "  -j, --threads=N       use N threads (0: one per processor; the\n"
           "                          default); the output is the same for every N\n"),
         stdout);
  fputs (_("\n"
           "      --help            display this help and exit\n"
           "      --version         output version information and exit\n"),
         stdout);
  bp_cli_help_footer ();
}

/* Report a failure to write the output (-o FILE or standard output) the
   way every program does, and end the program.  */
static void __attribute__ ((noreturn))
output_failed (struct bp_outfile *o, const struct bp_error *err)
{
  bp_outfile_abort (o);
  if (err->code == BP_ENOMEM)
    {
      bp_diag ("%s", _("memory exhausted"));
      exit (BP_EXIT_FAILURE);
    }
  bp_cli_write_error (err->errnum ? err->errnum : EIO);
}

/* A worker's counting state: its own tables, added up at the end (counts
   add, so the result is the same however the chunks were shared out).  */
struct counting
{
  struct bp_ngram_counter *ngrams;   /* -n */
  struct bp_ngram_seg *seg;          /* -m */
  struct bp_strcount *pieces;
};

static int
count_chunk (struct counting *c, const uint8_t *text, size_t len)
{
  if (c->ngrams)
    return bp_ngram_counter_add (c->ngrams, text, len);

  const size_t *ends;
  size_t n, start = 0;
  int rc = bp_ngram_segment (c->seg, text, len, &ends, &n);
  for (size_t i = 0; !rc && i < n; i++)
    {
      rc = bp_strcount_add (c->pieces, text + start, ends[i] - start, 1);
      start = ends[i];
    }
  return rc;
}

/* Batches small enough that a few megabytes keep every thread busy; a
   batch costs a queue operation, nothing per chunk.  */
enum { BATCH_BYTES = 256 << 10 };

/* The runner's WORK: count every chunk of batch B.  The training cuts
   bound every chunk (BP_TRAIN_MAX_CHARS, BP_TRAIN_MAX_LFS), so each comes
   as one span and no chunk is split between batches.  */
static int
count_batch (void *w, struct bp_batch *b)
{
  for (size_t i = 0; i < b->nitems; i++)
    {
      const struct bp_batch_item *it = &b->item[i];
      int rc;
      if (it->len && (rc = count_chunk (w, b->text.data + it->off, it->len)))
        return bp_error_set (&b->err, rc, 0, "%s",
                             rc == BP_ENOMEM ? "" : _("a count overflows"));
    }
  return 0;
}

/* The runner's DONE: nothing to write until everything is counted.  */
static int
batch_done (void *ctx, struct bp_batch *b)
{
  (void) ctx;
  (void) b;
  return 0;
}

/* Count every chunk of the inputs with the workers' states W[0..NW).
   Returns 0, or 1 after reporting an error.  */
static int
count_inputs (struct counting *w, int nw, const struct bp_chunk_params *cp,
              char *const *files, int nfiles)
{
  static char *const stdin_only[] = { (char *) "-" };
  static const struct bp_runner_ops ops = { count_batch, batch_done };
  struct bp_error err = { 0 };
  struct bp_chunker *ch = bp_chunker_new (cp);
  void **states = calloc ((size_t) nw, sizeof *states);
  struct bp_runner *runner = NULL;
  int status = 0;

  for (int i = 0; states && i < nw; i++)
    states[i] = &w[i];
  if (!ch || !states
      || !(runner = bp_runner_new (nw, states, &ops, NULL, BATCH_BYTES)))
    {
      bp_diag ("%s", _("memory exhausted"));
      status = 1;
      goto done;
    }
  if (nfiles == 0)
    {
      files = stdin_only;
      nfiles = 1;
    }
  for (int i = 0; i < nfiles && !status; i++)
    {
      const char *name = files[i];
      int is_stdin = strcmp (name, "-") == 0;
      int fd = is_stdin ? STDIN_FILENO : open (name, O_RDONLY);
      if (fd < 0)
        {
          bp_diag ("%s: %s", name, strerror (errno));
          status = 1;
          break;
        }
      bp_chunker_open (ch, fd);
      struct bp_span span;
      int rc;
      while ((rc = bp_chunker_next (ch, &span, &err)) > 0)
        if ((rc = bp_runner_add (runner, &span)))
          {
            err = *bp_runner_error (runner);
            break;
          }
      /* Read errors belong to this file; a failed count is reported
         the same way (it can only be memory or an overflow).  */
      if (rc < 0)
        {
          bp_diag_error (name, &err);
          status = 1;
        }
      if (!is_stdin)
        close (fd);
    }
  if (!status && bp_runner_finish (runner))
    {
      bp_diag_error (NULL, bp_runner_error (runner));
      status = 1;
    }

  /* Everything into worker 0's tables.  */
  for (int i = 1; i < nw && !status; i++)
    {
      int rc = w[0].ngrams ? bp_ngram_counter_absorb (w[0].ngrams, w[i].ngrams)
                           : bp_strcount_absorb (w[0].pieces, w[i].pieces);
      if (rc)
        {
          bp_error_set (&err, rc, 0, "%s", _("a count overflows"));
          bp_diag_error (NULL, &err);
          status = 1;
        }
    }
done:
  bp_runner_free (runner);
  bp_chunker_free (ch);
  free (states);
  return status;
}

static int
do_merge (char *const *files, int nfiles, const char *output)
{
  static char *const stdin_only[] = { (char *) "-" };
  struct bp_outfile o;
  struct bp_error err = { 0 };
  int status = BP_EXIT_OK;

  if (nfiles == 0)
    {
      files = stdin_only;
      nfiles = 1;
    }
  FILE **in = calloc ((size_t) nfiles, sizeof *in);
  if (!in)
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  for (int i = 0; i < nfiles; i++)
    {
      in[i] = strcmp (files[i], "-") == 0 ? stdin : fopen (files[i], "r");
      if (!in[i])
        {
          bp_diag ("%s: %s", files[i], strerror (errno));
          status = BP_EXIT_FAILURE;
          goto done;
        }
    }
  if (bp_outfile_open (&o, output, &err))
    {
      bp_diag_error (output, &err);
      status = BP_EXIT_FAILURE;
      goto done;
    }
  size_t bad;
  if (bp_countmerge_files (in, (const char *const *) files, (size_t) nfiles,
                           o.f, &bad, &err))
    {
      if (bad == (size_t) nfiles)
        output_failed (&o, &err);
      bp_outfile_abort (&o);
      bp_diag_error (files[bad], &err);
      status = BP_EXIT_FAILURE;
      goto done;
    }
  if (bp_outfile_commit (&o, &err))
    output_failed (&o, &err);

done:
  for (int i = 0; i < nfiles; i++)
    if (in[i] && in[i] != stdin)
      fclose (in[i]);
  free (in);
  return status;
}

int
main (int argc, char **argv)
{
  const char *output = NULL, *model_path = NULL, *jsonl_key = NULL;
  enum bp_doc_mode mode = BP_DOC_FILE;
  int order = 6, have_order = 0, merge = 0, isolate_digits = 0;
  int no_normalize = 0, no_ensure_unicode = 0, doc_opts = 0, c;
  int threads = 0;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "n:m:o:lj:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'n':
        {
          unsigned long long v = bp_cli_parse_ull ("--order", optarg);
          if (v < 1 || v > BP_MAX_ORDER)
            bp_cli_usage_error (_("the order must be from 1 to %d"),
                                BP_MAX_ORDER);
          order = (int) v;
          have_order = 1;
          break;
        }
      case 'm':
        model_path = optarg;
        break;
      case OPT_MERGE:
        merge = 1;
        break;
      case 'o':
        output = optarg;
        break;
      case 'l':
        mode = BP_DOC_LINES;
        doc_opts = 1;
        break;
      case OPT_JSONL:
        mode = BP_DOC_JSONL;
        jsonl_key = optarg;
        doc_opts = 1;
        break;
      case OPT_ISOLATE_DIGITS:
        isolate_digits = 1;
        doc_opts = 1;
        break;
      case OPT_NO_NORMALIZE:
        no_normalize = 1;
        doc_opts = 1;
        break;
      case OPT_NO_ENSURE_UNICODE:
        no_ensure_unicode = 1;
        break;
      case 'j':
        threads = bp_cli_parse_threads (optarg);
        break;
      case OPT_HELP:
        usage ();
        return BP_EXIT_OK;
      case OPT_VERSION:
        bp_cli_version ();
      default:
        bp_cli_try_help ();
      }
  if (merge + (model_path != NULL) + have_order > 1)
    bp_cli_usage_error (_("-n, -m and --merge exclude each other"));
  if (merge && (doc_opts || no_ensure_unicode))
    bp_cli_usage_error (_("--merge takes no document or normalization "
                          "options"));
  if (no_ensure_unicode && !model_path)
    bp_cli_usage_error (_("--no-ensure-unicode needs -m"));

  char *const *files = argv + optind;
  int nfiles = argc - optind;
  if (merge)
    return do_merge (files, nfiles, output);

  struct bp_error err = { 0 };
  struct bp_ngram_model *model = NULL;
  struct bp_counts_header h = { 0 };
  struct bp_chunk_params cp = {
    .mode = mode,
    .jsonl_key = jsonl_key,
    .normalize = !no_normalize,
    .max_chars = BP_TRAIN_MAX_CHARS,
    .max_lfs = BP_TRAIN_MAX_LFS,
    .isolate_digits = isolate_digits
  };

  if (model_path)
    {
      FILE *mf = fopen (model_path, "r");
      if (!mf)
        {
          bp_diag ("%s: %s", model_path, strerror (errno));
          return BP_EXIT_FAILURE;
        }
      int rc = bp_ngram_model_read (mf, &model, &err);
      fclose (mf);
      if (rc)
        {
          bp_diag_error (model_path, &err);
          return BP_EXIT_FAILURE;
        }
      const struct bp_counts_header *mh = bp_ngram_model_header (model);
      /* Segment the text as it was counted, unless told otherwise.  */
      cp.normalize = mh->normalize && !no_normalize;
      cp.isolate_digits = mh->isolate_digits || isolate_digits;
      h.kind = BP_COUNTS_PIECES;
      h.order = mh->order;
      h.min_count = mh->min_count;
      h.ensure_unicode = !no_ensure_unicode;
    }
  else
    {
      h.kind = BP_COUNTS_NGRAMS;
      h.order = order;
    }
  h.normalize = cp.normalize;
  h.isolate_digits = cp.isolate_digits;

  /* The output first: a directory that cannot take it fails the run
     before the counting, not after.  */
  struct bp_outfile o;
  if (bp_outfile_open (&o, output, &err))
    {
      bp_diag_error (output, &err);
      bp_ngram_model_free (model);
      return BP_EXIT_FAILURE;
    }

  if (threads == 0)
    threads = bp_cli_default_threads ();
  struct counting *w = calloc ((size_t) threads, sizeof *w);
  int status = !w;
  for (int i = 0; i < threads && !status; i++)
    {
      if (model)
        {
          w[i].seg = bp_ngram_seg_new (model, h.ensure_unicode);
          w[i].pieces = bp_strcount_new ();
          status = !w[i].seg || !w[i].pieces;
        }
      else
        status = !(w[i].ngrams = bp_ngram_counter_new (order, 0));
    }
  if (status)
    bp_diag ("%s", _("memory exhausted"));
  else
    status = count_inputs (w, threads, &cp, files, nfiles);
  /* The other workers' tables were absorbed: give their memory back
     before the output needs its own.  */
  for (int i = 1; w && i < threads; i++)
    {
      bp_ngram_counter_free (w[i].ngrams);
      bp_ngram_seg_free (w[i].seg);
      bp_strcount_free (w[i].pieces);
      memset (&w[i], 0, sizeof w[i]);
    }
  if (status == 0)
    {
      int rc = w[0].ngrams ? bp_ngram_counter_write (w[0].ngrams, &h, o.f,
                                                     &err)
                           : bp_strcount_write (w[0].pieces, &h, o.f, &err);
      if (rc == BP_ERANGE)
        {
          bp_diag ("%s", err.detail);
          status = BP_EXIT_FAILURE;
        }
      else if (rc || bp_outfile_commit (&o, &err))
        output_failed (&o, &err);
    }
  if (status)
    bp_outfile_abort (&o);
  if (w)
    {
      bp_ngram_counter_free (w[0].ngrams);
      bp_ngram_seg_free (w[0].seg);
      bp_strcount_free (w[0].pieces);
    }
  free (w);
  bp_ngram_model_free (model);
  return status ? BP_EXIT_FAILURE : BP_EXIT_OK;
}
