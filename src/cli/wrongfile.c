/* SPDX-License-Identifier: Apache-2.0 */
/* Saying which kind of file was given; see wrongfile.h.  */
#include <config.h>
#include "wrongfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "filekind.h"
#include "system.h"

/* The kind of the regular file open on FD, from its first bytes (not
   moving its offset); BP_FILEKIND_UNKNOWN for anything else.  */
static enum bp_filekind
kind_of_fd (int fd)
{
  unsigned char head[BP_FILEKIND_HEAD];
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return BP_FILEKIND_UNKNOWN;
  ssize_t n = pread (fd, head, sizeof head, 0);
  return n > 0 ? bp_filekind_of (head, (size_t) n) : BP_FILEKIND_UNKNOWN;
}

/* The kind of the regular file PATH.  */
static enum bp_filekind
kind_of_path (const char *path)
{
  if (!path || strcmp (path, "-") == 0)
    return BP_FILEKIND_UNKNOWN;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return BP_FILEKIND_UNKNOWN;
  enum bp_filekind k = kind_of_fd (fd);
  close (fd);
  return k;
}

/* Is a file of kind K what WANTED asks for (so that what its reader says
   is the whole story)?  */
static int
acceptable (enum bp_filekind k, enum bp_wanted wanted)
{
  switch (wanted)
    {
    case BP_WANT_MODEL:
      return k == BP_FILEKIND_MODEL;
    case BP_WANT_NGRAM_MODEL:
      return k == BP_FILEKIND_NGRAM_MODEL;
    case BP_WANT_COUNTS:
    case BP_WANT_STATS_COUNTS:
      return k == BP_FILEKIND_PIECE_COUNTS || k == BP_FILEKIND_NGRAM_COUNTS
             || k == BP_FILEKIND_NGRAM_MODEL;
    default:
      return k == BP_FILEKIND_MODEL || k == BP_FILEKIND_PIECE_COUNTS
             || k == BP_FILEKIND_NGRAM_COUNTS
             || k == BP_FILEKIND_NGRAM_MODEL;
    }
}

static const char *
wanted_name (enum bp_wanted wanted)
{
  switch (wanted)
    {
    case BP_WANT_MODEL:
      return _("a BytePiece tokenizer model");
    case BP_WANT_NGRAM_MODEL:
      return _("an n-gram model");
    case BP_WANT_COUNTS:
    case BP_WANT_STATS_COUNTS:
      return _("a count file");
    default:
      return _("a count file, a model or a vocabulary");
    }
}

/* What to do with a file of kind K when WANTED was wanted, or NULL.  */
static const char *
advice (enum bp_filekind k, enum bp_wanted wanted)
{
  if (bp_filekind_compressed (k))
    return _("decompress it first");
  switch (k)
    {
    case BP_FILEKIND_HF_JSON:
    case BP_FILEKIND_SPM_MODEL:
      return _("bytepiece writes this format (bp-prune --format) but reads "
               "only its own models, as text or BytePiece JSON");
    case BP_FILEKIND_SPM_VOCAB:
      return _("its scores are not counts: bytepiece reads its own models, "
               "as text or BytePiece JSON, and vocabularies of pieces with "
               "counts");
    case BP_FILEKIND_NGRAM_MODEL:
      return wanted == BP_WANT_MODEL
             ? _("count the pieces it cuts the text into with bp-count -m, "
                 "then bp-prune -v SIZE makes a tokenizer model of them")
             : NULL;
    case BP_FILEKIND_NGRAM_COUNTS:
      return _("bp-prune -k K makes the n-gram model of them");
    case BP_FILEKIND_PIECE_COUNTS:
      return wanted == BP_WANT_MODEL
             ? _("bp-prune -v SIZE makes a tokenizer model of them")
             : _("bp-count -m takes the n-gram model that bp-prune makes "
                 "of n-gram counts");
    case BP_FILEKIND_MODEL:
      return wanted == BP_WANT_NGRAM_MODEL
             ? _("bp-count -m takes the n-gram model that bp-prune makes "
                 "of n-gram counts")
             : wanted == BP_WANT_STATS_COUNTS
             ? _("a model is given with -m MODEL") : NULL;
    default:
      return NULL;
    }
}

/* What a file of kind K is, said in BUF (SIZE bytes) to one who wanted
   WANTED: "KIND, not WANTED: what to do".  Returns what snprintf
   returns.  */
static int
describe (char *buf, size_t size, enum bp_filekind k, enum bp_wanted wanted)
{
  const char *what = advice (k, wanted);
  if (what)
    /* TRANSLATORS: the kind of file a file is, the kind that was
       wanted, and what to do, as in "an n-gram model
       (kind=ngram-model), not a BytePiece tokenizer model: ...".  */
    return snprintf (buf, size, _("%s, not %s: %s"), bp_filekind_name (k),
                     wanted_name (wanted), what);
  /* TRANSLATORS: the kind of file a file is, and the kind that was
     wanted.  */
  return snprintf (buf, size, _("%s, not %s"), bp_filekind_name (k),
                   wanted_name (wanted));
}

void
bp_cli_read_error (const char *path, const struct bp_error *err,
                   enum bp_wanted wanted)
{
  enum bp_filekind k = err->code == BP_EFORMAT && err->where == BP_AT_INPUT
                       ? kind_of_path (path) : BP_FILEKIND_UNKNOWN;
  char buf[1024];
  if (k == BP_FILEKIND_UNKNOWN || acceptable (k, wanted))
    bp_diag_error (path, err);
  else
    {
      describe (buf, sizeof buf, k, wanted);
      bp_diag ("%s: %s", path, buf);
    }
}

int
bp_cli_explain_kind (int fd, struct bp_error *err, enum bp_wanted wanted)
{
  char buf[sizeof err->detail];
  if (err->code != BP_EFORMAT || err->where != BP_AT_INPUT)
    return 0;
  enum bp_filekind k = kind_of_fd (fd);
  if (k == BP_FILEKIND_UNKNOWN || acceptable (k, wanted))
    return 0;
  /* Only a description that fits whole: a cut one could end in the
     middle of a character.  */
  int n = describe (buf, sizeof buf, k, wanted);
  if (n < 0 || (size_t) n >= sizeof buf)
    return 0;
  memcpy (err->detail, buf, (size_t) n + 1);
  err->line = 0;
  return 1;
}

void
bp_cli_warn_compressed (const char *name, int fd)
{
  enum bp_filekind k = kind_of_fd (fd);
  if (bp_filekind_compressed (k))
    /* TRANSLATORS: a file, and the kind of compressed data it holds, as
       in "gzip-compressed data".  */
    bp_diag (_("%s: %s, read as it is, bytes and all: decompress it "
               "first (zcat, xzcat, zstdcat; see bytepiece(7))"),
             strcmp (name, "-") ? name : _("(standard input)"),
             bp_filekind_name (k));
}
