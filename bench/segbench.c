/* SPDX-License-Identifier: Apache-2.0 */
/* The unigram segmenter alone, by phase: cycles per byte of (1) the
   automaton's transitions, failure links included, one chunk after the
   other and several in lockstep, (2) reading the candidates of each
   byte (the pieces that end there: the output's piece, then its list,
   but for a single byte, whose list is itself), and (3) the whole
   segmenter as bp-encode runs it (lockstep walks, then Viterbi or
   sampling and the path), of which (4) the Viterbi or sampling and the
   path alone, timed apart.  The score updates are (3) less the lockstep
   walk and (2).  Times are the thread's CPU time (other work on the
   machine preempts less than it delays wall clocks), best of the
   rounds, in cycles of the time-stamp counter's frequency, measured
   against the wall clock at the start.  Not a test: bench/segment.sh
   runs it; built with "make bench/segbench".

   Usage: segbench MODEL TEXT [ROUNDS [ALPHA]]
   TEXT is cut into chunks as bp-encode -l --no-normalize cuts it (one
   document a line); every phase runs over all chunks, best of ROUNDS.  */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "automaton.h"
#include "chunk.h"
#include "error.h"
#include "model.h"
#include "rng.h"
#include "unigram.h"

struct chunk
{
  size_t off, len;
};

static double
clock_s (clockid_t id)
{
  struct timespec t;
  clock_gettime (id, &t);
  return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

static double
now (void)
{
  return clock_s (CLOCK_MONOTONIC);
}

static double
cpu (void)
{
  return clock_s (CLOCK_THREAD_CPUTIME_ID);
}

/* The time-stamp counter's ticks per second.  */
static double
tsc_hz (void)
{
  double w0 = now ();
  uint64_t c0 = __rdtsc ();
  while (now () - w0 < 0.05)
    ;
  return (double) (__rdtsc () - c0) / (now () - w0);
}

static void
die (const char *what)
{
  fprintf (stderr, "segbench: %s\n", what);
  exit (1);
}

int
main (int argc, char **argv)
{
  if (argc < 3 || argc > 5)
    die ("usage: segbench MODEL TEXT [ROUNDS [ALPHA]]");
  int rounds = argc > 3 ? atoi (argv[3]) : 5;
  double alpha = argc > 4 ? atof (argv[4]) : -1;
  struct bp_error err = { 0 };
  struct bp_model *m;
  double t0 = now ();
  if (bp_model_load (argv[1], &m, &err))
    die ("cannot load the model");
  double t1 = now ();
  struct bp_unigram *u = bp_unigram_new (m, &err);
  if (!u)
    die ("cannot build the automaton");
  double t2 = now ();

  /* The chunks, gathered into one buffer.  */
  struct bp_chunk_params cp = { .mode = BP_DOC_LINES };
  struct bp_chunker *ch = bp_chunker_new (&cp);
  int fd = open (argv[2], O_RDONLY);
  if (!ch || fd < 0)
    die ("cannot read the text");
  bp_chunker_open (ch, fd);
  uint8_t *text = NULL;
  size_t len = 0, cap = 0, nch = 0, chcap = 0, open_len = 0;
  struct chunk *chunks = NULL;
  struct bp_span sp;
  int rc;
  while ((rc = bp_chunker_next (ch, &sp, &err)) > 0)
    {
      if (len + sp.len > cap)
        {
          cap = 2 * (len + sp.len) + 4096;
          if (!(text = realloc (text, cap)))
            die ("memory exhausted");
        }
      memcpy (text + len, sp.data, sp.len);
      len += sp.len;
      open_len += sp.len;
      if ((sp.flags & BP_SPAN_CHUNK_END) && open_len)
        {
          if (nch == chcap)
            {
              chcap = chcap ? 2 * chcap : 4096;
              if (!(chunks = realloc (chunks, chcap * sizeof *chunks)))
                die ("memory exhausted");
            }
          chunks[nch++] = (struct chunk) { len - open_len, open_len };
          open_len = 0;
        }
    }
  if (rc < 0)
    die ("cannot read the text");
  close (fd);
  bp_chunker_free (ch);

  const struct bp_automaton *ac = u->ac;
  const struct bp_ac_node *node = ac->node;
  const struct bp_unigram_piece *piece = u->piece;
  const int32_t *tail = u->tail, none = (int32_t) m->n;
  struct bp_segmenter *seg = bp_segmenter_new (u);
  struct bp_pieces out = { 0 };
  struct bp_rng rng;
  bp_rng_seed (&rng, 1, 0);
  uint64_t sink = 0, ncand = 0, nfail = 0;
  double dsink = 0;
  double hz = tsc_hz ();
  double best[5] = { 1e300, 1e300, 1e300, 1e300, 1e300 };
  int32_t *rank = malloc ((len ? len : 1) * sizeof *rank);
  size_t *coff = malloc ((nch ? nch : 1) * sizeof *coff);
  size_t *clen = malloc ((nch ? nch : 1) * sizeof *clen);
  if (!rank || !coff || !clen)
    die ("memory exhausted");
  for (size_t i = 0; i < nch; i++)
    {
      coff[i] = chunks[i].off;
      clen[i] = chunks[i].len;
    }
  for (int r = 0; r < rounds; r++)
    {
      /* (1) transitions, one chunk after the other */
      double c0 = cpu ();
      for (size_t i = 0; i < nch; i++)
        bp_automaton_walk (ac, BP_AC_ROOT, text + coff[i], clen[i],
                           rank + coff[i]);
      /* (1b) transitions, several chunks in lockstep */
      double c1 = cpu ();
      bp_automaton_walk_many (ac, nch, text, rank, coff, clen);
      /* (2) the candidates of every byte */
      double c2 = cpu ();
      for (size_t k = 0; k < len; k++)
        {
          int32_t p = rank[k];
          const int32_t *c = tail + piece[p].tail;
          for (c += *c == p; p != none; p = *c++)
            {
              sink += piece[p].len;
              dsink += piece[p].score;
            }
        }
      /* (3) the segmenter as bp-encode runs it: lockstep walks, then the
         scores and the path of each chunk */
      double c3 = cpu ();
      bp_automaton_walk_many (ac, nch, text, rank, coff, clen);
      double c3b = cpu ();
      for (size_t i = 0; i < nch; i++)
        {
          bp_segmenter_start (seg, alpha, &rng);
          out.len = 0;
          if (bp_segmenter_feed_ranks (seg, rank + coff[i], clen[i], &out))
            die ("memory exhausted");
          sink += out.len;
        }
      double c4 = cpu ();
      double d[5] = { c1 - c0, c2 - c1, c3 - c2, c4 - c3, c4 - c3b };
      for (int k = 0; k < 5; k++)
        if (d[k] < best[k])
          best[k] = d[k];
    }
  /* Statistics of the walk: candidates per byte, failure links taken.  */
  for (size_t i = 0; i < nch; i++)
    {
      int32_t s = BP_AC_ROOT;
      const uint8_t *t = text + chunks[i].off;
      for (size_t k = 0; k < chunks[i].len; k++)
        {
          for (;;)
            {
              int32_t x = bp_automaton_child (ac, s, t[k]);
              if (x >= 0)
                {
                  s = x;
                  break;
                }
              s = bp_ac_fail (&node[s]);
              nfail++;
            }
          int32_t p = node[s].out;
          const int32_t *c = tail + piece[p].tail;
          for (c += *c == p; p != none; p = *c++)
            ncand++;
        }
    }
  double n = (double) len;
  printf ("model %s: %zu pieces, %zu nodes in %zu slots (%.1f MB), "
          "longest piece %zu\n", argv[1], m->n, ac->nnodes, ac->size,
          (double) ac->size * sizeof *node / 1e6, ac->max_len);
  printf ("load %.3f s, automaton and scores %.3f s\n", t1 - t0, t2 - t1);
  printf ("text %s: %zu bytes in %zu chunks (%.1f bytes/chunk); "
          "%.2f candidates and %.3f failure links per byte\n",
          argv[2], len, nch, n / (double) (nch ? nch : 1),
          (double) ncand / n, (double) nfail / n);
  printf ("cycles/byte at %.2f GHz: transitions %.1f (%.1f in lockstep), "
          "candidates %.1f, scores and path %.1f; segmenter %.1f "
          "(%.1f MB/s); Viterbi and path alone %.1f\n", hz / 1e9,
          best[0] * hz / n, best[1] * hz / n, best[2] * hz / n,
          (best[3] - best[1] - best[2]) * hz / n, best[3] * hz / n,
          n / best[3] / 1e6, best[4] * hz / n);
  free (rank);
  free (coff);
  free (clen);
  if (sink == 42 && dsink == 42)
    putchar ('\n');
  bp_pieces_free (&out);
  bp_segmenter_free (seg);
  bp_unigram_free (u);
  bp_model_free (m);
  free (text);
  free (chunks);
  return 0;
}
