/* bp-encode: text to token ids with a BytePiece model.  */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "chunk.h"
#include "cli.h"
#include "error.h"
#include "model.h"
#include "outfile.h"
#include "rng.h"
#include "system.h"
#include "tokens.h"
#include "unigram.h"

enum
{
  OPT_BOS = 256,
  OPT_EOS,
  OPT_JSONL,
  OPT_NO_NORMALIZE,
  OPT_ALPHA,
  OPT_SEED,
  OPT_HELP,
  OPT_VERSION
};

static const struct option long_options[] = {
  { "model", required_argument, NULL, 'm' },
  { "output", required_argument, NULL, 'o' },
  { "format", required_argument, NULL, 'f' },
  { "bos", no_argument, NULL, OPT_BOS },
  { "eos", no_argument, NULL, OPT_EOS },
  { "lines", no_argument, NULL, 'l' },
  { "jsonl", optional_argument, NULL, OPT_JSONL },
  { "no-normalize", no_argument, NULL, OPT_NO_NORMALIZE },
  { "alpha", required_argument, NULL, OPT_ALPHA },
  { "seed", required_argument, NULL, OPT_SEED },
  { "help", no_argument, NULL, OPT_HELP },
  { "version", no_argument, NULL, OPT_VERSION },
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
           "  -f, --format=FORMAT   ids (default), pieces, u16 or u32\n"), stdout);
  fputs (_("\n"
           "Documents (the units chunks never cross):\n"
           "  (default)             each FILE is one document; a line of output\n"
           "                          per chunk of text\n"
           "  -l, --lines           each line is a document, its LF not part of it;\n"
           "                          a line of output per line of input\n"
           "      --jsonl[=KEY]     each line is a JSON object, the document its\n"
           "                          string member KEY (default: text)\n"), stdout);
  fputs (_("\n"
           "      --bos             put <bos> (id 1) before each document\n"
           "      --eos             put <eos> (id 2) after each document\n"
           "      --no-normalize    keep the input bytes as they are (no NFC); the\n"
           "                          default follows the model's header (NFC for\n"
           "                          JSON models)\n"), stdout);
  fputs (_("\n"
           "Sampling (subword regularization):\n"
           "      --alpha=A         draw each segmentation with probability\n"
           "                          proportional to the product of p(piece)^A\n"
           "                          (A >= 0; 0 is uniform) instead of the best one\n"
           "      --seed=N          seed for --alpha (default: a random seed); the\n"
           "                          same seed gives the same output\n"), stdout);
  fputs (_("\n"
           "      --help            display this help and exit\n"
           "      --version         output version information and exit\n"),
         stdout);
  bp_cli_help_footer ();
}

struct encode_state
{
  const struct bp_unigram *unigram;
  struct bp_segmenter *seg;
  struct bp_tokwriter out;
  struct bp_pieces pieces;
  enum bp_doc_mode mode;
  int bos, eos;
  double alpha;
  uint64_t seed;
  uint64_t chunk_no;       /* chunks so far: the sampling stream */
  struct bp_rng rng;
};

/* Encode one input.  Returns 0, or -1 after reporting an error.  */
static int
encode_input (struct encode_state *st, struct bp_chunker *ch,
              const char *name)
{
  struct bp_error err = { 0 };
  struct bp_span span;
  int in_chunk = 0, doc_start = 1;
  int rc;

  while ((rc = bp_chunker_next (ch, &span, &err)) > 0)
    {
      if (doc_start && st->bos && (rc = bp_tokwriter_id (&st->out, BP_ID_BOS)))
        break;
      doc_start = 0;
      if (span.len || (span.flags & BP_SPAN_CHUNK_END))
        {
          if (!in_chunk)
            {
              if (st->alpha >= 0)
                bp_rng_seed (&st->rng, st->seed, st->chunk_no);
              st->chunk_no++;
              bp_segmenter_start (st->seg, st->alpha, &st->rng);
              in_chunk = 1;
            }
          int last = (span.flags & BP_SPAN_CHUNK_END) != 0;
          st->pieces.len = 0;
          if ((rc = bp_segmenter_feed (st->seg, span.data, span.len, last,
                                       &st->pieces)))
            break;
          if ((rc = bp_tokwriter_pieces (&st->out, st->pieces.v,
                                         st->pieces.len)))
            break;
          if (last)
            {
              in_chunk = 0;
              /* In file mode a line of output per chunk; the document's
                 <eos> belongs on its last line.  */
              if (st->mode == BP_DOC_FILE && !(span.flags & BP_SPAN_DOC_END)
                  && (rc = bp_tokwriter_eol (&st->out)))
                break;
            }
        }
      if (span.flags & BP_SPAN_DOC_END)
        {
          int wrote = !st->out.line_start;
          if (st->eos && (rc = bp_tokwriter_id (&st->out, BP_ID_EOS)))
            break;
          wrote |= st->eos;
          /* In --lines and --jsonl modes every document is a line, even an
             empty one; in file mode a document with no chunk and no
             specials writes nothing.  */
          if ((st->mode != BP_DOC_FILE || wrote)
              && (rc = bp_tokwriter_eol (&st->out)))
            break;
          doc_start = 1;
        }
    }
  if (rc == 0)
    return 0;
  if (rc == BP_EIO && errno && err.code == 0)
    bp_cli_write_error (errno);
  if (err.code == 0)
    bp_error_set (&err, rc, 0, "%s", "");
  bp_diag_error (name, &err);
  return -1;
}

int
main (int argc, char **argv)
{
  const char *model_path = NULL, *output = NULL, *jsonl_key = NULL;
  enum bp_tokfmt fmt = BP_FMT_IDS;
  enum bp_doc_mode mode = BP_DOC_FILE;
  int bos = 0, eos = 0, no_normalize = 0, have_seed = 0, c;
  double alpha = -1;
  uint64_t seed = 0;

  bp_cli_init (argv[0]);
  while ((c = getopt_long (argc, argv, "m:o:f:l", long_options, NULL)) != -1)
    switch (c)
      {
      case 'm':
        model_path = optarg;
        break;
      case 'o':
        output = optarg;
        break;
      case 'f':
        if (bp_tokfmt_parse (optarg, &fmt))
          bp_cli_usage_error (_("invalid format '%s' (ids, pieces, u16 or "
                                "u32)"), optarg);
        break;
      case 'l':
        mode = BP_DOC_LINES;
        break;
      case OPT_JSONL:
        mode = BP_DOC_JSONL;
        jsonl_key = optarg;
        break;
      case OPT_BOS:
        bos = 1;
        break;
      case OPT_EOS:
        eos = 1;
        break;
      case OPT_NO_NORMALIZE:
        no_normalize = 1;
        break;
      case OPT_ALPHA:
        alpha = bp_cli_parse_double ("--alpha", optarg);
        if (alpha < 0)
          bp_cli_usage_error (_("--alpha must be at least 0"));
        break;
      case OPT_SEED:
        seed = bp_cli_parse_ull ("--seed", optarg);
        have_seed = 1;
        break;
      case OPT_HELP:
        usage ();
        return BP_EXIT_OK;
      case OPT_VERSION:
        bp_cli_version ();
      default:
        bp_cli_try_help ();
      }
  if (!model_path)
    bp_cli_usage_error (_("no model given (use -m MODEL)"));
  if (have_seed && alpha < 0)
    bp_cli_usage_error (_("--seed needs --alpha"));
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
      bp_diag_error (model_path, &err);
      return BP_EXIT_FAILURE;
    }
  if (fmt == BP_FMT_U16 && bp_model_vocab (model) > 65536)
    {
      bp_diag (_("--format=u16 cannot hold the ids of a vocabulary of %zu"),
               bp_model_vocab (model));
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

  struct bp_chunk_params cp = { 0 };
  cp.mode = mode;
  cp.jsonl_key = jsonl_key;
  cp.normalize = no_normalize ? 0 : model->params.normalize != 0;
  struct bp_chunker *ch = bp_chunker_new (&cp);

  struct encode_state st = { 0 };
  st.unigram = unigram;
  st.seg = bp_segmenter_new (unigram);
  st.mode = mode;
  st.bos = bos;
  st.eos = eos;
  st.alpha = alpha;
  st.seed = seed;
  if (!ch || !st.seg)
    {
      bp_diag ("%s", _("memory exhausted"));
      return BP_EXIT_FAILURE;
    }

  struct bp_outfile out;
  if (bp_outfile_open (&out, output, &err))
    {
      bp_diag_error (output, &err);
      return BP_EXIT_FAILURE;
    }
  bp_tokwriter_init (&st.out, out.f, fmt, model);

  int status = BP_EXIT_OK;
  int nfiles = argc - optind;
  for (int i = 0; i < (nfiles ? nfiles : 1); i++)
    {
      const char *name = nfiles ? argv[optind + i] : "-";
      int fd = strcmp (name, "-") == 0 ? STDIN_FILENO
                                       : open (name, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        {
          bp_diag ("%s: %s", name, strerror (errno));
          status = BP_EXIT_FAILURE;
          continue;
        }
      bp_chunker_open (ch, fd);
      if (encode_input (&st, ch, name))
        status = BP_EXIT_FAILURE;
      if (fd != STDIN_FILENO)
        close (fd);
      if (st.out.line_start == 0 && bp_tokwriter_eol (&st.out))
        status = BP_EXIT_FAILURE;
    }

  if (bp_tokwriter_flush (&st.out))
    bp_cli_write_error (errno);
  if (status == BP_EXIT_OK)
    {
      if (bp_outfile_commit (&out, &err))
        {
          if (output)
            bp_diag_error (output, &err);
          else
            bp_cli_write_error (err.errnum);
          status = BP_EXIT_FAILURE;
        }
    }
  else
    bp_outfile_abort (&out);

  bp_tokwriter_free (&st.out);
  bp_pieces_free (&st.pieces);
  bp_segmenter_free (st.seg);
  bp_chunker_free (ch);
  bp_unigram_free (unigram);
  bp_model_free (model);
  return status;
}
