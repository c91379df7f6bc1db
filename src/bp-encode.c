/* SPDX-License-Identifier: Apache-2.0 */
/* bp-encode: text to token ids with a BytePiece model.  */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "chunk.h"
#include "chunkrun.h"
#include "cli.h"
#include "encoder.h"
#include "error.h"
#include "inputs.h"
#include "megatron.h"
#include "tokmeta.h"
#include "model.h"
#include "outfile.h"
#include "progress.h"
#include "specials.h"
#include "system.h"
#include "tokens.h"
#include "unigram.h"
#include "wrongfile.h"

enum
{
  OPT_BOS = BP_OPT_OWN,
  OPT_EOS,
  OPT_ALPHA,
  OPT_SEED,
  OPT_SPECIALS,
  OPT_LINE_BUFFERED
};

static const struct option long_options[] = {
  { "model", required_argument, NULL, 'm' },
  { "format", required_argument, NULL, 'f' },
  { "bos", no_argument, NULL, OPT_BOS },
  { "eos", no_argument, NULL, OPT_EOS },
  { "alpha", required_argument, NULL, OPT_ALPHA },
  { "seed", required_argument, NULL, OPT_SEED },
  { "specials", no_argument, NULL, OPT_SPECIALS },
  { "line-buffered", no_argument, NULL, OPT_LINE_BUFFERED },
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
  printf (_("Usage: %s [OPTION]... -m MODEL [FILE]...\n"), bp_program_name);
  fputs (_("Encode text as token ids with a BytePiece model.\n"
           "With no FILE, or when FILE is -, read standard input.\n"), stdout);
  fputs (_("\n"
           "  -m, --model=FILE      the model (bytepiece text or BytePiece JSON)\n"
           "  -o, --output=FILE     write FILE, replacing it only on success\n"
           "  -f, --format=FORMAT   ids (default), pieces, u16, u32, or megatron\n"
           "                          (-o PREFIX: PREFIX.bin and PREFIX.idx, the\n"
           "                          indexed dataset of Megatron-LM, a document\n"
           "                          a sequence)\n"), stdout);
  bp_cli_help_files ();
  fputs (_("\n"
           "Documents (the units chunks never cross):\n"
           "  (default)             each FILE is one document; a line of output\n"
           "                          per chunk of text\n"
           "  -l, --lines           each line is a document, its LF not part of it;\n"
           "                          a line of output per line of input\n"
           "      --jsonl[=KEY]     each line is a JSON object, the document its\n"
           "                          string member KEY (default: text)\n"), stdout);
  fputs (_("      --skip-invalid    with --jsonl, a line that is not JSON or has no\n"
           "                          string member KEY gives an empty line of\n"
           "                          output (they are counted) instead of an error\n"),
         stdout);
  fputs (_("\n"
           "      --bos             put <bos> (id 1) before each document\n"
           "      --eos             put <eos> (id 2) after each document\n"
           "      --no-normalize    keep the input bytes as they are (no NFC); the\n"
           "                          default follows the model's header (NFC for\n"
           "                          JSON models)\n"), stdout);
  fputs (_("      --specials        encode each special token of the model (such as\n"
           "                          <|endoftext|>) in the text as its id; by\n"
           "                          default they are ordinary text\n"), stdout);
  fputs (_("\n"
           "Sampling (subword regularization):\n"
           "      --alpha=A         draw each segmentation with probability\n"
           "                          proportional to the product of p(piece)^A\n"
           "                          (A >= 0; 0 is uniform) instead of the best one\n"
           "      --seed=N          seed for --alpha (default: a random seed); the\n"
           "                          same seed gives the same output\n"), stdout);
  fputs (_("      --line-buffered   write each document's line as soon as it is\n"
           "                          encoded (a co-process driven through a pipe;\n"
           "                          use with --lines or --jsonl); by default the\n"
           "                          output goes out in large blocks\n"), stdout);
  fputs (_("\n"
           "  -j, --threads=N       use N threads (0: one per processor; the\n"
           "                          default); the output is the same for every N\n"), stdout);
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

/* One thread's encoder and the output it writes.  */
struct worker
{
  struct bp_encoder *enc;
  struct bp_tokwriter out;
};

/* The run's WORK: encode a batch into its OUT.  */
static int
encode_batch (void *w, struct bp_batch *b)
{
  struct worker *e = w;
  int rc = bp_encoder_batch (e->enc, b->text.data, b->item, b->nitems);
  if (rc == BP_ERANGE)
    return bp_error_set (&b->err, rc, 0,
                         _("--alpha=%g is too large: the weights of the "
                           "segmentations overflow"), e->enc->opt.alpha);
  if (rc)
    return bp_error_set (&b->err, rc, 0, "%s", "");
  /* Hand the bytes over without copying them, and where the documents
     end in them.  */
  struct bp_buf t = b->out;
  b->out = e->out.buf;
  e->out.buf = t;
  e->out.buf.len = 0;
  t = b->aux;
  b->aux = e->out.ends;
  e->out.ends = t;
  e->out.ends.len = 0;
  return 0;
}

/* Where the batches go.  */
struct output
{
  FILE *f;
  int line_buffered;       /* flush after each batch (each chunk) */
  struct bp_mmidx_writer *idx;  /* -f megatron: the index */
  unsigned itemsize;       /* binary forms: the bytes of an id */
  uint64_t bytes;          /* binary forms: the bytes written so far */
  uint64_t doc_start;      /* and where the current document began */
  uint64_t docs;           /* the documents ended so far */
  int idx_failed;          /* writing the index failed (ERR says why) */
};

/* The run's DONE: write a batch's output, in order.  */
static int
write_batch (void *ctx, struct bp_batch *b)
{
  struct output *o = ctx;
  if ((b->out.len && fwrite (b->out.data, 1, b->out.len, o->f) != b->out.len)
      || (o->line_buffered && fflush (o->f) != 0))
    {
      bp_error_errno (&b->err, errno);
      return bp_error_at_output (&b->err);
    }
  /* The documents that ended in the batch, for the index.  */
  const uint64_t *end = (const uint64_t *) (const void *) b->aux.data;
  for (size_t i = 0; i < b->aux.len / sizeof *end; i++)
    {
      uint64_t at = o->bytes + end[i];
      if (o->idx)
        {
          int rc = bp_mmidx_add (o->idx, (at - o->doc_start) / o->itemsize,
                                 &b->err);
          if (rc)
            {
              o->idx_failed = 1;
              return bp_error_at_output (&b->err);
            }
        }
      o->doc_start = at;
      o->docs++;
    }
  o->bytes += b->out.len;
  return 0;
}

/* The files a run writes: the output (standard output if its name is
   NULL), for -f megatron the index, and for a binary form written to a
   file its metadata (none on standard output, a device or a FIFO: there
   is no file to put beside it).  */
enum { OUT_MAIN, OUT_IDX, OUT_META, NOUT };
struct files
{
  struct bp_outfile f[NOUT];
  char *name[NOUT];        /* NULL: not written (but OUT_MAIN) */
};

/* S followed by SUFFIX, in new memory.  */
static char *
suffixed (const char *s, const char *suffix)
{
  char *r = malloc (strlen (s) + strlen (suffix) + 1);
  if (!r)
    {
      bp_diag ("%s", _("memory exhausted"));
      exit (BP_EXIT_FAILURE);
    }
  return strcat (strcpy (r, s), suffix);
}

static void
abort_files (struct files *fs)
{
  for (int i = 0; i < NOUT; i++)
    bp_outfile_abort (&fs->f[i]);
}

/* Open the files of the output OUTPUT (NULL or "-": standard output) in
   the form FMT, or say why not and exit.  */
static void
open_files (struct files *fs, const char *output, enum bp_tokfmt fmt)
{
  struct bp_error err = { 0 };
  memset (fs, 0, sizeof *fs);
  if (output && strcmp (output, "-") == 0)
    output = NULL;
  if (fmt == BP_FMT_MEGATRON)
    {
      fs->name[OUT_MAIN] = suffixed (output, ".bin");
      fs->name[OUT_IDX] = suffixed (output, ".idx");
    }
  else if (output)
    fs->name[OUT_MAIN] = suffixed (output, "");
  for (int i = 0; i < NOUT; i++)
    {
      if (i == OUT_META && output && fs->f[OUT_MAIN].tmp
          && (fmt == BP_FMT_U16 || fmt == BP_FMT_U32
              || fmt == BP_FMT_MEGATRON))
        fs->name[OUT_META] = suffixed (output, ".json");
      if (i != OUT_MAIN && !fs->name[i])
        continue;
      if (bp_outfile_open (&fs->f[i], fs->name[i], &err))
        {
          bp_cli_open_failed (fs->name[i], &err);
          abort_files (fs);
          exit (BP_EXIT_FAILURE);
        }
      /* The index is made from what it holds, read back at the end.  */
      if (i == OUT_IDX && !fs->f[i].tmp)
        {
          bp_diag (_("%s: not a regular file"), fs->name[i]);
          abort_files (fs);
          exit (BP_EXIT_FAILURE);
        }
    }
}

/* Put the files in place, all or none, or say why not and exit.  */
static void
commit_files (struct files *fs)
{
  struct bp_error err = { 0 };
  struct bp_outfile *o[NOUT];
  const char *name[NOUT];
  size_t n = 0, which;
  for (int i = 0; i < NOUT; i++)
    if (i == OUT_MAIN || fs->name[i])
      {
        o[n] = &fs->f[i];
        name[n++] = fs->name[i];
      }
  if (bp_outfile_commit_all (o, n, &which, &err))
    bp_cli_output_failed (name[which], &err);
}

int
main (int argc, char **argv)
{
  const char *model_path = NULL;
  struct bp_cli_options cli = { .documents = 1 };
  enum bp_tokfmt fmt = BP_FMT_IDS;
  int bos = 0, eos = 0, have_seed = 0, specials = 0, line_buffered = 0, c;
  double alpha = -1;
  uint64_t seed = 0;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "m:o:f:lj:q", long_options, NULL)) != -1)
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
        case OPT_BOS:
          bos = 1;
          break;
        case OPT_EOS:
          eos = 1;
          break;
        case OPT_ALPHA:
          alpha = bp_cli_parse_double ("--alpha", optarg);
          if (alpha < 0)
            bp_cli_usage_error (_("--alpha must be at least 0"));
          break;
        case OPT_SPECIALS:
          specials = 1;
          break;
        case OPT_LINE_BUFFERED:
          line_buffered = 1;
          break;
        case OPT_SEED:
          seed = bp_cli_parse_ull ("--seed", optarg);
          have_seed = 1;
          break;
        default:
          bp_cli_try_help ();
        }
    }
  const char *output = cli.output;
  enum bp_doc_mode mode = cli.mode;
  int threads = cli.threads;
  if (!model_path)
    bp_cli_usage_error (_("no model given (use -m MODEL)"));
  if (have_seed && alpha < 0)
    bp_cli_usage_error (_("--seed needs --alpha"));
  if (fmt == BP_FMT_MEGATRON && (!output || strcmp (output, "-") == 0))
    bp_cli_usage_error (_("--format=megatron writes two files: give their "
                          "prefix with -o PREFIX"));
  struct bp_chunk_params cp = { 0 };
  bp_cli_chunk_params (&cli, &cp);
  struct bp_inputs in;
  bp_inputs_init (&in, &cli, argc, argv, optind);
  if (alpha >= 0 && !have_seed)
    {
      /* Different samples each run unless asked otherwise, like the
         reference and SentencePiece.  */
      if (getrandom (&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed)
        seed = (uint64_t) time (NULL) ^ ((uint64_t) getpid () << 32);
    }

  struct bp_error err = { 0 };
  struct bp_model *model;
  if (bp_model_load (model_path, &model, &err))
    {
      bp_cli_read_error (model_path, &err, BP_WANT_MODEL);
      bp_inputs_free (&in);
      return BP_EXIT_FAILURE;
    }
  if (fmt == BP_FMT_U16 && bp_model_vocab (model) > 65536)
    {
      bp_diag (_("--format=u16 cannot hold the ids of a vocabulary of %zu"),
               bp_model_vocab (model));
      bp_model_free (model);
      bp_cli_try_help ();
    }
  int mcode = 0;
  enum bp_tokfmt bfmt;
  if (fmt == BP_FMT_MEGATRON
      && bp_mmidx_dtype (bp_model_vocab (model), &mcode, &bfmt))
    {
      bp_diag (_("--format=megatron cannot hold the ids of a vocabulary of "
                 "%zu"), bp_model_vocab (model));
      bp_model_free (model);
      bp_cli_try_help ();
    }
  struct bp_unigram *unigram = bp_unigram_new (model, &err);
  if (!unigram)
    {
      bp_diag_error (model_path, &err);
      bp_model_free (model);
      return BP_EXIT_FAILURE;
    }
  /* The output before the input: one that cannot be written fails the
     run at once.  */
  struct files fs;
  open_files (&fs, output, fmt);
  output = fs.name[OUT_MAIN];
  const char *idx_name = fs.name[OUT_IDX];
  struct bp_outfile *out = &fs.f[OUT_MAIN];
  struct bp_mmidx_writer mw;
  if (idx_name && bp_mmidx_begin (&mw, fs.f[OUT_IDX].f, mcode))
    bp_cli_output_failed (idx_name, &(struct bp_error) { .errnum = errno });

  if (threads == 0)
    threads = bp_cli_default_threads ();

  cp.normalize = cli.no_normalize ? 0 : model->params.normalize != 0;
  struct bp_chunker *ch = bp_chunker_new (&cp);

  /* --specials with a model that has none changes nothing.  */
  struct bp_specials *sp = NULL;
  if (specials && model->nspecial && !(sp = bp_specials_new (model)))
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  struct bp_encoder_opts opt = { bos, eos, alpha, seed, sp };
  struct worker *enc = calloc ((size_t) threads, sizeof *enc);
  void **workers = calloc ((size_t) threads, sizeof *workers);
  if (!ch || !enc || !workers)
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }
  for (int i = 0; i < threads; i++)
    {
      bp_tokwriter_init (&enc[i].out, NULL, fmt, model);
      bp_tokwriter_layout (&enc[i].out, mode == BP_DOC_FILE);
      enc[i].enc = bp_encoder_new (unigram, &opt, &enc[i].out);
      if (!enc[i].enc)
        {
          bp_diag ("%s", _("memory exhausted"));
          return BP_EXIT_FAILURE;
        }
      workers[i] = &enc[i];
    }

  static const struct bp_chunkrun_ops ops = { .work = encode_batch,
                                              .done = write_batch };
  struct output dest = { out->f, line_buffered, idx_name ? &mw : NULL,
                         fmt == BP_FMT_U16 || mcode == BP_MMIDX_UINT16 ? 2 : 4,
                         0, 0, 0, 0 };
  struct bp_chunkrun *run = bp_chunkrun_new (threads, workers, &ops, &dest,
                                             1 << 20);
  if (!run)
    {
      bp_diag ("%s", _("memory exhausted"));
      abort_files (&fs);
      return BP_EXIT_FAILURE;
    }
  if (line_buffered)
    bp_chunkrun_eager (run);

  struct bp_progress prog;
  bp_progress_init (&prog, cli.progress);
  int rc = bp_inputs_chunkrun (&in, &prog, run, ch, &err);
  int status = rc ? BP_EXIT_FAILURE : BP_EXIT_OK;
  /* What was read before an input failed is still written out.  */
  if (rc >= 0)
    rc = bp_chunkrun_finish (run, &err);
  bp_progress_end (&prog);
  if (rc < 0)
    {
      /* Stop the workers before a report that may end the program (a
         write error, memory): no thread may still be encoding, or
         holding the run, while exit runs.  */
      bp_chunkrun_free (run);
      run = NULL;
      if (dest.idx_failed)
        bp_diag ("%s: %s", idx_name, err.code == BP_EIO
                                     ? strerror (err.errnum) : err.detail);
      else
        bp_cli_error (NULL, output, &err);
      status = BP_EXIT_FAILURE;
    }
  if (status == BP_EXIT_OK && idx_name && bp_mmidx_finish (&mw, &err))
    {
      bp_diag ("%s: %s", idx_name, strerror (err.errnum));
      status = BP_EXIT_FAILURE;
    }

  if (rc >= 0)
    {
      /* The lines skipped were skipped in the output written, even
         after a file that could not be read.  */
      struct bp_error first;
      uint64_t skipped = bp_chunker_skipped (ch, &first);
      bp_inputs_report_skipped (&in, skipped, &first);
    }
  if (status == BP_EXIT_OK)
    {
      if (fs.name[OUT_META])
        {
          struct bp_tokmeta meta = {
            fmt, mcode == BP_MMIDX_INT32, { 0 }, bp_model_vocab (model),
            dest.docs, dest.bytes / dest.itemsize
          };
          if (bp_model_fingerprint (model, meta.fingerprint))
            {
              bp_diag ("%s", _("memory exhausted"));
              abort_files (&fs);
              return BP_EXIT_FAILURE;
            }
          bp_tokmeta_write (fs.f[OUT_META].f, &meta);
        }
      commit_files (&fs);
      /* TRANSLATORS: the summary of a run: bytes, the time it took.  */
      bp_progress_summary (&prog, _("%s encoded in %s"), NULL);
    }
  else
    abort_files (&fs);

  bp_chunkrun_free (run);
  for (int i = 0; i < threads; i++)
    {
      bp_encoder_free (enc[i].enc);
      bp_tokwriter_free (&enc[i].out);
    }
  free (enc);
  free (workers);
  for (int i = 0; i < NOUT; i++)
    free (fs.name[i]);
  bp_chunker_free (ch);
  bp_specials_free (sp);
  bp_unigram_free (unigram);
  bp_model_free (model);
  bp_inputs_free (&in);
  return status;
}
