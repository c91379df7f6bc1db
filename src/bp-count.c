/* SPDX-License-Identifier: Apache-2.0 */
/* bp-count: the counting steps of training (DESIGN.md sections 1.2 and
   1.4): byte n-gram counts of a corpus, piece counts under an n-gram
   model, and the sum of count files (sorted files, or one sorted stream
   of records as a MapReduce reducer receives it).  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif

#include "budget.h"
#include "chunk.h"
#include "cli.h"
#include "countmerge.h"
#include "countreduce.h"
#include "counts.h"
#include "error.h"
#include "inputs.h"
#include "ngrammodel.h"
#include "outfile.h"
#include "progress.h"
#include "spill.h"
#include "system.h"
#include "corpuscount.h"
#include "tempfile.h"
#include "wrongfile.h"

enum
{
  OPT_ISOLATE_DIGITS = BP_OPT_OWN,
  OPT_NO_ENSURE_UNICODE,
  OPT_MERGE,
  OPT_REDUCE
};

static const struct option long_options[] = {
  { "order", required_argument, NULL, 'n' },
  { "model", required_argument, NULL, 'm' },
  { "merge", no_argument, NULL, OPT_MERGE },
  { "reduce", no_argument, NULL, OPT_REDUCE },
  { "isolate-digits", no_argument, NULL, OPT_ISOLATE_DIGITS },
  { "no-ensure-unicode", no_argument, NULL, OPT_NO_ENSURE_UNICODE },
  { "buffer-size", required_argument, NULL, 'S' },
  { "temporary-directory", required_argument, NULL, 'T' },
  BP_LONG_OPTIONS_DOCUMENTS,
  BP_LONG_OPTIONS_NO_JSON,
  BP_LONG_OPTIONS_THREADS,
  BP_LONG_OPTIONS_FILES,
  BP_LONG_OPTIONS_COMMON,
  { NULL, 0, NULL, 0 }
};

static void
usage (void)
{
  printf (_("Usage: %s [-n N] [OPTION]... [FILE]...\n"
            "  or:  %s -m NGRAM_MODEL [OPTION]... [FILE]...\n"
            "  or:  %s --merge [OPTION]... [FILE]...\n"),
          bp_program_name, bp_program_name, bp_program_name);
  printf (_("  or:  %s --reduce [OPTION]... [FILE]...\n"), bp_program_name);
  fputs (_("Count byte n-grams of a corpus (the first training step), the "
           "pieces an\n"
           "n-gram model cuts it into (the third), or add up count files.\n"
           "With no FILE, or when FILE is -, read standard input.\n"),
         stdout);
  fputs (_("\n"
           "  -n, --order=N         count n-grams of lengths 1 to N (1..255, "
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
  fputs (_("      --reduce          add up one stream of records sorted by "
           "key\n"
           "                          (LC_ALL=C sort), in which a key may "
           "repeat and\n"
           "                          header lines may be anywhere: what a "
           "MapReduce\n"
           "                          reducer receives\n"), stdout);
  bp_cli_help_files ();
  fputs (_("\n"
           "Documents (the units chunks never cross):\n"
           "  (default)             each FILE is one document\n"
           "  -l, --lines           each line is a document, its LF not "
           "part of it\n"
           "      --jsonl[=KEY]     each line is a JSON object, the document "
           "its\n"
           "                          string member KEY (default: text)\n"),
         stdout);
  fputs (_("      --skip-invalid    with --jsonl, pass over a line that is not "
           "JSON or\n"
           "                          has no string member KEY (they are "
           "counted)\n"
           "                          instead of failing\n"), stdout);
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
  fputs (_("  -S, --buffer-size=SIZE  memory for the count tables: a number and a\n"
           "                          unit, b, K (the default), M, G, T or % (percent\n"
           "                          of the memory; default 50%); past it, sorted\n"
           "                          runs go to temporary files and are merged; the\n"
           "                          output is the same for every SIZE\n"
           "  -T, --temporary-directory=DIR  put the runs in DIR (default: $TMPDIR,\n"
           "                          else /tmp)\n"), stdout);
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
read_input (void *counter, size_t input, int fd,
            const struct bp_read_progress *progress, struct bp_error *err)
{
  (void) input;
  return bp_corpuscount_read (counter, fd, progress, err);
}

/* The count files of a merge, all open at once.  */
struct merge_inputs
{
  FILE **f;
  const char **name;
  size_t n;
  const struct bp_inputs *inputs;
};

/* Keep the count file on FD open for the merge.  */
static int
open_count_file (void *ctx, size_t input, int fd,
                 const struct bp_read_progress *progress,
                 struct bp_error *err)
{
  struct merge_inputs *m = ctx;
  struct stat st;
  (void) progress;
  /* Read only by the merge: a directory is refused now, with the files
     that cannot be opened.  */
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    return bp_error_errno (err, EISDIR);
  FILE *f = fd == STDIN_FILENO ? stdin : fdopen (fd, "r");
  if (!f)
    return bp_error_errno (err, errno);
  m->f[m->n] = f;
  m->name[m->n++] = bp_inputs_name (m->inputs, input);
  return 1;
}

/* The library's stages as bp-count says them (bp_progress_words).  */
static void
words (const struct bp_stage *s, char *buf, size_t size)
{
  unsigned long long n = s->items;
  switch (s->kind)
    {
    case BP_STAGE_COMBINE:
    case BP_STAGE_MERGE:
      /* TRANSLATORS: a progress stage; %llu counts temporary files.  */
      snprintf (buf, size, ngettext ("merging %llu sorted run",
                                     "merging %llu sorted runs", n), n);
      break;
    case BP_STAGE_SPILL:
      snprintf (buf, size, "%s", _("writing sorted runs"));
      break;
    case BP_STAGE_ADD:
      /* TRANSLATORS: a progress stage; %llu counts threads.  */
      snprintf (buf, size, ngettext ("adding up the counts of %llu thread",
                                     "adding up the counts of %llu threads",
                                     n), n);
      break;
    default:
      snprintf (buf, size, "%s", _("writing the counts"));
      break;
    }
}

/* The stages of --merge (bp_progress_words).  */
static void
merge_words (const struct bp_stage *s, char *buf, size_t size)
{
  unsigned long long n = s->items;
  /* TRANSLATORS: a progress stage; %llu counts the FILE operands.  */
  snprintf (buf, size, ngettext ("merging %llu count file",
                                 "merging %llu count files", n), n);
}

/* bp-count --merge of the inputs IN into OUTPUT.  The merge finds a bad
   record only when it reads it, perhaps at the end of the last input:
   standard output is spooled in a temporary file in TMPDIR and gets the
   counts only once every input was read (bp-count(1)); -o FILE is safe
   as it is.  Standard input is read once: "-" twice is a usage error.  */
static int
do_merge (struct bp_inputs *in, const char *output, const char *tmpdir,
          enum bp_progress_mode mode)
{
  struct bp_outfile o;
  struct bp_error err = { 0 };
  size_t n = in->n ? in->n : !in->listed;
  struct merge_inputs m = { calloc (n ? n : 1, sizeof *m.f),
                            calloc (n ? n : 1, sizeof *m.name), 0, in };
  struct bp_progress prog;
  int status = BP_EXIT_FAILURE;

  if (!m.f || !m.name)
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  int dashes = 0;
  for (size_t i = 0; i < in->n; i++)
    if (strcmp (in->names[i], "-") == 0 && dashes++)
      bp_cli_usage_error (_("'-' (standard input) given twice: it can be "
                            "read only once"));
  if (bp_outfile_open_spooled (&o, output, tmpdir, &err))
    {
      int to_file = output && strcmp (output, "-") != 0;
      bp_cli_open_failed (to_file ? output : tmpdir, &err);
      goto done;
    }
  /* Every file is opened, and the missing ones reported, before the
     merge; a merge that lacks one is not written.  */
  bp_progress_init (&prog, BP_PROGRESS_OFF);
  int rc = bp_inputs_read (in, &prog, open_count_file, &m, &err);
  if (rc == 0 && m.n == 0)
    {
      bp_diag (_("%s: no count files to merge"), in->list);
      rc = 1;
    }
  /* The merge's own report, from here.  */
  bp_progress_init (&prog, mode);
  if (rc == 0
      && bp_countmerge_files (m.f, m.name, m.n, o.f,
                              bp_progress_stages (&prog, merge_words), &err))
    {
      bp_progress_end (&prog);
      /* A write error on the spool is about that file.  */
      if (o.spool && err.where == BP_AT_OUTPUT && err.code == BP_EIO)
        bp_error_at_temp (&err, o.spool);
      if (err.where == BP_AT_INPUT)
        bp_cli_read_error (m.name[err.input], &err, BP_WANT_COUNTS);
      else
        bp_cli_error (m.name[err.input], output, &err);
      rc = 1;
    }
  if (rc < 0)
    bp_cli_error (NULL, output, &err);
  if (rc)
    bp_outfile_abort (&o);
  else
    {
      bp_cli_commit_output (&o);
      status = BP_EXIT_OK;
      char took[32], what[128];
      unsigned long long nm = (unsigned long long) m.n;
      /* TRANSLATORS: the summary of a run; %llu counts files, %s is the
         time it took.  */
      snprintf (what, sizeof what, ngettext ("%llu count file merged in %s",
                                             "%llu count files merged in %s",
                                             nm),
                nm, bp_progress_time (took, bp_progress_elapsed (&prog)));
      bp_progress_done (&prog, what, NULL, 0);
    }
done:
  for (size_t i = 0; i < m.n; i++)
    if (m.f[i] != stdin)
      fclose (m.f[i]);
  free (m.f);
  free (m.name);
  return status;
}

/* Read the records on FD into the reducer CTX (bp_input_reader).  */
static int
reduce_input (void *ctx, size_t input, int fd,
              const struct bp_read_progress *progress, struct bp_error *err)
{
  (void) input;
  (void) progress;
  FILE *f = fd == STDIN_FILENO ? stdin : fdopen (fd, "r");
  if (!f)
    return bp_error_errno (err, errno);
  int rc = bp_countreduce_read (ctx, f, err);
  if (f != stdin)
    fclose (f);
  return rc ? rc : 1;
}

/* --reduce: the inputs are one sorted stream of records and headers.  */
static int
do_reduce (struct bp_inputs *in, const char *output,
           const struct bp_tempfiles *temp)
{
  struct bp_outfile o;
  struct bp_error err = { 0 };
  struct bp_progress prog;
  struct bp_countreduce *r = bp_countreduce_new (temp);

  if (!r)
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  if (bp_outfile_open (&o, output, &err))
    {
      bp_cli_open_failed (output, &err);
      bp_countreduce_free (r);
      return BP_EXIT_FAILURE;
    }
  /* A stream that lacks an input is not summed.  */
  bp_progress_init (&prog, BP_PROGRESS_OFF);
  int rc = bp_inputs_read (in, &prog, reduce_input, r, &err);
  if (rc == 0 && bp_countreduce_write (r, o.f, &err))
    {
      bp_cli_error (err.where == BP_AT_INPUT
                    ? bp_inputs_name (in, err.input) : NULL, output, &err);
      rc = 1;
    }
  int status = bp_cli_end_output (&o, rc, output, &err);
  bp_countreduce_free (r);
  return status;
}

/* The last line of the progress report: how much was counted, how fast,
   and into how many runs.  */
static void
summary (struct bp_progress *prog, uint64_t runs)
{
  char more[64];
  /* TRANSLATORS: a figure of the summary: the temporary files of -S.  */
  snprintf (more, sizeof more, ngettext ("%llu sorted run", "%llu sorted runs",
                                         runs), (unsigned long long) runs);
  /* TRANSLATORS: the summary of a run: bytes, the time it took.  */
  bp_progress_summary (prog, _("%s counted in %s"), runs ? more : NULL);
}

int
main (int argc, char **argv)
{
  const char *model_path = NULL;
  struct bp_cli_options cli = { .documents = 1 };
  int order = 6, have_order = 0, merge = 0, reduce = 0, isolate_digits = 0;
  int no_ensure_unicode = 0, c;
  size_t budget = 0;
  const char *tmpdir = NULL, *size_arg = NULL;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "n:m:o:lj:S:T:q", long_options, NULL))
         != -1)
    {
      if (bp_cli_option (c, optarg, &cli, usage))
        continue;
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
        case OPT_REDUCE:
          reduce = 1;
          break;
        case OPT_ISOLATE_DIGITS:
          isolate_digits = 1;
          break;
        case OPT_NO_ENSURE_UNICODE:
          no_ensure_unicode = 1;
          break;
        case 'S':
          if (bp_budget_parse (optarg, &budget) || budget == 0)
            bp_cli_usage_error (_("invalid argument '%s' for '%s'"), optarg,
                                "--buffer-size");
          size_arg = optarg;
          break;
        case 'T':
          tmpdir = optarg;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  const char *output = cli.output;
  int no_normalize = cli.no_normalize, threads = cli.threads;
  int doc_opts = cli.doc_options || isolate_digits;
  enum bp_progress_mode progress_mode = cli.progress;
  if (merge + (model_path != NULL) + have_order > 1)
    bp_cli_usage_error (_("-n, -m and --merge exclude each other"));
  if (merge && (doc_opts || no_ensure_unicode))
    bp_cli_usage_error (_("--merge takes no document or normalization "
                          "options"));
  if (reduce && (merge || model_path || have_order))
    bp_cli_usage_error (_("--reduce excludes -n, -m and --merge"));
  if (reduce && (doc_opts || no_ensure_unicode))
    bp_cli_usage_error (_("--reduce takes no document or normalization "
                          "options"));
  if (no_ensure_unicode && !model_path)
    bp_cli_usage_error (_("--no-ensure-unicode needs -m"));
  if (!size_arg)
    budget = bp_budget_default ();

  struct bp_inputs in;
  bp_inputs_init (&in, &cli, argc, argv, optind);
  if (merge)
    {
      int st = do_merge (&in, output, tmpdir ? tmpdir : bp_tempfile_dir (),
                         progress_mode);
      bp_inputs_free (&in);
      return st;
    }
  /* The runs of -S, and the sums of --reduce, go where -T says,
     registered for removal.  */
  const struct bp_tempfiles temp = { tmpdir ? tmpdir : bp_tempfile_dir (),
                                     bp_tempfile_create, bp_tempfile_remove };
  if (reduce)
    {
      int st = do_reduce (&in, output, &temp);
      bp_inputs_free (&in);
      return st;
    }

  struct bp_error err = { 0 };
  struct bp_ngram_model *model = NULL;
  struct bp_counts_header h = { 0 };
  struct bp_chunk_params cp = {
    .normalize = !no_normalize,
    .max_chars = BP_TRAIN_MAX_CHARS,
    .max_lfs = BP_TRAIN_MAX_LFS,
    .isolate_digits = isolate_digits
  };
  bp_cli_chunk_params (&cli, &cp);

  if (model_path)
    {
      if (bp_ngram_model_load (model_path, &model, &err))
        {
          bp_cli_read_error (model_path, &err, BP_WANT_NGRAM_MODEL);
          bp_inputs_free (&in);
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
      bp_cli_open_failed (output, &err);
      bp_ngram_model_free (model);
      bp_inputs_free (&in);
      return BP_EXIT_FAILURE;
    }

#ifdef M_MMAP_THRESHOLD
  /* Large blocks (runs, slices) in mappings of their own, which go back
     to the system when freed: glibc's heaps would keep the memory of
     freed runs, and the peak would pass the budget.  */
  mallopt (M_MMAP_THRESHOLD, 256 << 10);
#endif
  if (threads == 0)
    threads = bp_cli_default_threads ();
  struct bp_corpuscount_params tp = { &h, model, &cp, threads, budget, &temp,
                                      NULL };
  struct bp_corpuscount *t;
  struct bp_progress prog;
  int status = 1;
  bp_progress_init (&prog, progress_mode);
  tp.progress = bp_progress_stages (&prog, words);
  if (bp_corpuscount_new (&tp, &t))
    bp_diag ("%s", _("memory exhausted"));
  else
    {
      /* The counts need every input: after one that cannot be read, the
         others are still read (and reported) but nothing is written.  */
      in.of_text = 1;
      int rc = bp_inputs_read (&in, &prog, read_input, t, &err);
      if (rc == 0)
        rc = bp_corpuscount_finish (t, &err);
      if (rc == 0)
        {
          struct bp_error first;
          uint64_t skipped = bp_corpuscount_skipped (t, &first);
          bp_inputs_report_skipped (&in, skipped, &first);
          rc = bp_corpuscount_write (t, o.f, &err);
        }
      bp_progress_end (&prog);
      if (rc < 0)
        bp_cli_error (NULL, output, &err);
      else if (rc == 0)
        {
          bp_cli_commit_output (&o);
          summary (&prog, bp_corpuscount_runs (t));
        }
      status = rc != 0;
    }
  if (status)
    bp_outfile_abort (&o);
  bp_corpuscount_free (t);
  bp_ngram_model_free (model);
  bp_inputs_free (&in);
  return status ? BP_EXIT_FAILURE : BP_EXIT_OK;
}
