/* SPDX-License-Identifier: Apache-2.0 */
/* What every bytepiece program does the same way: exit statuses, locale
   and message catalogue set-up, --version, the "Try --help" line, and
   checking standard output when the program ends (after GNU hello's
   close_stdout).  These functions print and exit; they serve the programs
   in src/, never the rest of the library.  */
#ifndef BP_CLI_H
#define BP_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "chunk.h"
#include "progress.h"

struct bp_error;

/* Exit statuses, documented under EXIT STATUS in every man page.  */
enum bp_exit
{
  BP_EXIT_OK = 0,       /* success */
  BP_EXIT_FAILURE = 1,  /* bad data, a file or write error, out of memory */
  BP_EXIT_USAGE = 2     /* a usage error: nothing was processed */
};

/* The name the program was called by, without its directory.  */
extern const char *bp_program_name;

/* Set the locale, the message catalogue, the program name from ARGV0, and
   the check of standard output at exit.  */
void bp_cli_init (const char *argv0);

/* Print "Try 'PROG --help' for more information." on stderr and exit with
   BP_EXIT_USAGE.  */
void bp_cli_try_help (void) __attribute__ ((noreturn));

/* A usage error: "PROG: MESSAGE", then bp_cli_try_help.  */
void bp_cli_usage_error (const char *fmt, ...)
  __attribute__ ((noreturn, format (printf, 1, 2)));

/* Print the --version text for PROG and exit successfully.  */
void bp_cli_version (void) __attribute__ ((noreturn));

/* Print the lines every --help ends with (exit status, bug address).  */
void bp_cli_help_footer (void);

/* Print the --help lines of --files-from and --files0-from.  */
void bp_cli_help_files (void);

/* "PROG: MESSAGE" on stderr.  */
void bp_diag (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Report ERR about FILE (NULL or "-" for standard input; for an error
   about a temporary file, that file) the GNU way: "PROG: FILE:LINE:
   DETAIL" for bad data, "PROG: FILE: strerror" for I/O errors, "PROG:
   memory exhausted" when out of memory.  */
void bp_diag_error (const char *file, const struct bp_error *err);

/* Report ERR whatever it is about: the output OUTPUT (as for
   bp_cli_output_failed, which ends the program; so does a lack of
   memory), a temporary file, or the input INPUT (bp_diag_error; with
   INPUT NULL, "PROG: DETAIL" about no file in particular).  */
void bp_cli_error (const char *input, const char *output,
                   const struct bp_error *err);

/* Report a write error on standard output (or FILE) and exit 1, unless it
   is EPIPE: then exit quietly, as if SIGPIPE had ended the program (and
   by SIGPIPE indeed if tempfile.h had ignored it; see there).  */
void bp_cli_write_error (int errnum) __attribute__ ((noreturn));

/* The output (OUTPUT, the -o FILE, or NULL or "-" for standard output)
   could not be written, for the reason in ERR: report it and exit 1.
   "memory exhausted" for BP_ENOMEM; "PROG: write error: FILE: strerror"
   for a file; for standard output as bp_cli_write_error (quiet on
   EPIPE).  The temporary file of an -o FILE is removed at exit
   (outfile.h).  */
void bp_cli_output_failed (const char *output, const struct bp_error *err)
  __attribute__ ((noreturn));

/* The output OUTPUT could not be opened (bp_outfile_open or
   bp_outfile_check failed with ERR): say "PROG: cannot write FILE:
   strerror" (a directory, a directory that does not exist or cannot be
   written), or "memory exhausted".  The caller then ends with
   BP_EXIT_FAILURE, before any work.  */
void bp_cli_open_failed (const char *output, const struct bp_error *err);

struct bp_outfile;

/* Commit the output O; on failure end the program through
   bp_cli_output_failed, naming O's file.  */
void bp_cli_commit_output (struct bp_outfile *o);

/* End the output O of a run whose work returned RC: report a negative
   RC's error ERR (OUTPUT names O's file), then commit O if RC is 0 and
   remove it otherwise.  Returns the exit status: BP_EXIT_OK if O was
   committed.  */
int bp_cli_end_output (struct bp_outfile *o, int rc, const char *output,
                       const struct bp_error *err);

/* Parse a decimal or floating option value; on error report it as a usage
   error naming OPTION and exit.  */
unsigned long long bp_cli_parse_ull (const char *option, const char *arg);
double bp_cli_parse_double (const char *option, const char *arg);

/* Parse the argument of -j/--threads: a count from 1 to BP_MAX_THREADS,
   or 0 for one per online processor.  Exits with a usage error on
   anything else.  */
#define BP_MAX_THREADS 256
int bp_cli_parse_threads (const char *arg);

/* The default thread count: one per online processor, at most 16.  */
int bp_cli_default_threads (void);

/* Options that several programs share, handled in one place.  Codes for
   the options without a short form; a program numbers its own from
   BP_OPT_OWN.  */
enum
{
  BP_OPT_PROGRESS = 0x100,
  BP_OPT_HELP,
  BP_OPT_VERSION,
  BP_OPT_JSONL,
  BP_OPT_NO_NORMALIZE,
  BP_OPT_SKIP_INVALID,
  BP_OPT_FILES_FROM,
  BP_OPT_FILES0_FROM,
  BP_OPT_NO_JSON,
  BP_OPT_OWN
};

/* Entries for a program's table of long options.  */
#define BP_LONG_OPTIONS_COMMON                                              \
  { "output", required_argument, NULL, 'o' },                               \
  { "progress", no_argument, NULL, BP_OPT_PROGRESS },                       \
  { "quiet", no_argument, NULL, 'q' },                                      \
  { "help", no_argument, NULL, BP_OPT_HELP },                               \
  { "version", no_argument, NULL, BP_OPT_VERSION }
#define BP_LONG_OPTIONS_THREADS { "threads", required_argument, NULL, 'j' }
/* For the programs that take any number of FILE operands (inputs.h).  */
#define BP_LONG_OPTIONS_FILES                                               \
  { "files-from", required_argument, NULL, BP_OPT_FILES_FROM },             \
  { "files0-from", required_argument, NULL, BP_OPT_FILES0_FROM }
#define BP_LONG_OPTIONS_DOCUMENTS                                           \
  { "lines", no_argument, NULL, 'l' },                                      \
  { "jsonl", optional_argument, NULL, BP_OPT_JSONL },                       \
  { "no-normalize", no_argument, NULL, BP_OPT_NO_NORMALIZE },              \
  { "skip-invalid", no_argument, NULL, BP_OPT_SKIP_INVALID }

/* For a program that has --jsonl but no --json (bp-count, bp-encode,
   bp-decode): --json, which bp-prune and bp-stats have, would otherwise
   be taken for an abbreviation of --jsonl, and with it --js and --jso;
   this entry makes --json a usage error that says which option there is,
   and its abbreviations ambiguous.  */
#define BP_LONG_OPTIONS_NO_JSON                                             \
  { "json", optional_argument, NULL, BP_OPT_NO_JSON }

/* What the shared options set.  Zero-initialise it; set DOCUMENTS if the
   program takes the document options (-l is its own otherwise).  */
struct bp_cli_options
{
  int documents;
  const char *output;              /* -o, NULL for standard output */
  int threads;                     /* -j, 0 when not given */
  enum bp_progress_mode progress;  /* --progress, -q */
  enum bp_doc_mode mode;           /* -l, --jsonl */
  const char *jsonl_key;
  int no_normalize;                /* --no-normalize */
  int skip_invalid;                /* --skip-invalid */
  int doc_options;                 /* how many document options were given */
  const char *files_from;          /* --files-from, --files0-from: the list */
  int files_from_nul;              /* names end with NUL, not LF */
};

/* If C (with ARG, as getopt_long returned them) is a shared option,
   record it in O and return 1; --help calls USAGE and exits, --version
   prints the version and exits, and a bad -j or --json is a usage error
   (one that reads --jsonl if O->documents, else writes it).  Returns 0
   for an option the program handles itself.  */
int bp_cli_option (int c, const char *arg, struct bp_cli_options *o,
                   void (*usage) (void));

struct bp_jsonpath;

/* Parse KEY, the argument of --jsonl (NULL for the default, "text"),
   into PATH (which the caller frees with bp_jsonpath_free); a usage
   error if it is no valid path.  */
void bp_cli_jsonl_path (const char *key, struct bp_jsonpath *path);

/* Fill the document parameters of CP (mode, member, skipping) from O;
   --skip-invalid without --jsonl is a usage error.  */
void bp_cli_chunk_params (const struct bp_cli_options *o,
                          struct bp_chunk_params *cp);

#endif /* BP_CLI_H */
