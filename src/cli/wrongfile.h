/* SPDX-License-Identifier: Apache-2.0 */
/* Saying which kind of file was given when it is the wrong one (issue
   15): an n-gram model where a tokenizer model is wanted, a tokenizer
   model given as counts, a HuggingFace or SentencePiece file; and
   warning of compressed text.  The readers' own messages say what they
   found wrong ("not a bytepiece model", "missing header"); when the file
   is of a kind that filekind.h recognises, naming that kind and what to
   do instead says more.  Part of the programs' command-line support,
   like cli.h: it writes diagnostics.  */
#ifndef BP_WRONGFILE_H
#define BP_WRONGFILE_H

struct bp_error;

/* What a program wanted to read.  */
enum bp_wanted
{
  BP_WANT_MODEL,        /* a tokenizer model (-m of bp-encode, ...) */
  BP_WANT_NGRAM_MODEL,  /* an n-gram model (bp-count -m) */
  BP_WANT_COUNTS,       /* a count file (bp-count --merge) */
  BP_WANT_STATS_COUNTS, /* a count file, where -m MODEL would take a
                           model (bp-stats) */
  BP_WANT_PRUNABLE      /* counts, a model or a vocabulary (bp-prune) */
};

/* Report ERR, which came of reading PATH as WANTED.  If ERR is about the
   data of PATH (BP_EFORMAT) and PATH is a regular file of a kind that
   bp_filekind_of recognises and WANTED is not, say "PROG: PATH: KIND,
   not WANTED: what to do"; otherwise as bp_diag_error.  */
void bp_cli_read_error (const char *path, const struct bp_error *err,
                        enum bp_wanted wanted);

/* The same for a reader that leaves the message to its caller (as
   inputs.h's readers do), the file being open on FD: if the file is of
   another kind than WANTED, rewrite ERR (a format error about the
   input) to say so, its detail "KIND, not WANTED: what to do" and its
   line 0.  Returns 1 if it did, else 0 (ERR as it was).  */
int bp_cli_explain_kind (int fd, struct bp_error *err, enum bp_wanted wanted);

/* If the input open on FD (named NAME, "-" for standard input) is a
   regular file that starts with compressed data, warn that it is read as
   it is, bytes and all (bytepiece(7)).  A pipe is not looked at: its
   bytes cannot be looked at without taking them from the reader.  */
void bp_cli_warn_compressed (const char *name, int fd);

#endif /* BP_WRONGFILE_H */
