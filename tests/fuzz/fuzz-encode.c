/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: encoding and sampling, end to end (DESIGN.md sections
   1.1, 1.6 and 1.7): text through the chunker, the unigram segmenter
   (best path or a sample), the token writer in one of the four forms,
   and back through the token reader to bytes.

   The first four bytes choose: the mode (file or --lines) and NFC, the
   form, best path or sampling and its alpha and seed, how small the
   reads and the fragments of long chunks are, and the model: the fixed
   one of fuzz_model, or one made of the 256 bytes and the pieces listed
   (escaped, one a line) before a line "%%".  The rest is the text.

   Oracles: decoding what was encoded gives the text normalised as
   fuzz_nfc says (in --lines mode, each line so and its LF); the best
   path is the one a plain dynamic programme over the model's pieces
   finds, with the same scores bit for bit and the same tie rule (the
   piece that starts earliest wins).  */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chunk.h"
#include "error.h"
#include "escape.h"
#include "fuzz.h"
#include "automaton.h"
#include "model.h"
#include "rng.h"
#include "tokens.h"
#include "unigram.h"

/* The fixed model, and what encoding with it needs, made once.  */
static struct bp_model *fixed;
static struct bp_unigram *fixed_unigram;
static struct bp_automaton *fixed_matcher;

/* The model of the pieces listed in T (N bytes, one escaped piece a
   line), with every single byte.  */
static struct bp_model *
listed_model (const char *t, size_t n, uint8_t weight)
{
  struct bp_buf bytes = { 0 };
  size_t *off = NULL, np = 0;
  uint64_t *counts = NULL;
  static uint8_t single[256];

  for (size_t i = 0; i < n;)
    {
      const char *lf = memchr (t + i, '\n', n - i);
      size_t end = lf ? (size_t) (lf - t) : n;
      FUZZ_CHECK (bp_buf_grow (&bytes, end - i + 1) == 0);
      long len = bp_unescape (t + i, end - i, bytes.data + bytes.len, NULL);
      if (len > 1)
        {
          off = realloc (off, (np + 1) * sizeof *off);
          counts = realloc (counts, (np + 1) * sizeof *counts);
          FUZZ_CHECK (off && counts);
          off[np] = bytes.len;
          counts[np] = 1 + (uint64_t) (i * 37 + weight) % 200;
          np++;
          bytes.len += (size_t) len;
        }
      i = lf ? end + 1 : n;
    }

  size_t total = 256 + np;
  const uint8_t **pieces = malloc (total * sizeof *pieces);
  size_t *lens = malloc (total * sizeof *lens);
  uint64_t *c = malloc (total * sizeof *c);
  FUZZ_CHECK (pieces && lens && c);
  for (int b = 0; b < 256; b++)
    {
      single[b] = (uint8_t) b;
      pieces[b] = single + b;
      lens[b] = 1;
      c[b] = 1 + (uint64_t) ((b * 7 + weight) % 11);
    }
  for (size_t i = 0; i < np; i++)
    {
      pieces[256 + i] = bytes.data + off[i];
      lens[256 + i] = (i + 1 < np ? off[i + 1] : bytes.len) - off[i];
      c[256 + i] = counts[i];
    }
  struct bp_model *m = bp_model_new (total, pieces, lens, c, NULL);
  FUZZ_CHECK (m != NULL);
  /* A piece listed twice makes no model.  */
  struct bp_error err;
  if (bp_model_check_unique (m, NULL, &err))
    {
      bp_model_free (m);
      m = NULL;
    }
  bp_buf_free (&bytes);
  free (off);
  free (counts);
  free (pieces);
  free (lens);
  free (c);
  return m;
}

/* A growable array of piece indices.  */
struct ids
{
  uint32_t *v;
  size_t len, cap;
};

static void
ids_add (struct ids *a, const uint32_t *v, size_t n)
{
  if (a->len + n > a->cap)
    {
      a->cap = 2 * (a->len + n);
      a->v = realloc (a->v, a->cap * sizeof *a->v);
      FUZZ_CHECK (a->v != NULL);
    }
  if (v && n)
    memcpy (a->v + a->len, v, n * sizeof *v);
  a->len += n;
}

/* The best segmentation of T (N bytes) by a dynamic programme over the
   pieces, in the reference's order: start positions in increasing order,
   each piece compared with '>', so that among equal scores the piece
   that starts earliest (the longest one ending there) wins (DESIGN.md
   section 1.6).  Sets OUT to its pieces.  */
static void
best_path (const struct bp_model *m, const struct bp_automaton *mt,
           const uint8_t *t, size_t n, struct ids *out)
{
  double *best = malloc ((n + 1) * sizeof *best);
  int32_t *piece = malloc ((n + 1) * sizeof *piece);
  size_t *from = malloc ((n + 1) * sizeof *from);
  FUZZ_CHECK (best && piece && from);
  double log_total = log ((double) m->total);
  best[0] = 0;
  for (size_t j = 1; j <= n; j++)
    {
      best[j] = -INFINITY;
      piece[j] = -1;
    }
  for (size_t i = 0; i < n; i++)
    {
      int32_t s = BP_AC_ROOT;
      for (size_t e = i; e < n && (s = bp_automaton_child (mt, s, t[e])) >= 0;
           e++)
        {
          /* The piece that ends at this node, if any: the longest
             piece that is a suffix of it, if it is as long.  */
          int32_t rank = mt->node[s].out;
          if (rank < 0 || mt->len[rank] != e - i + 1)
            continue;
          int32_t p = mt->piece[rank];
          double v = best[i] + (log ((double) m->count[p]) - log_total);
          if (v > best[e + 1])
            {
              best[e + 1] = v;
              piece[e + 1] = p;
              from[e + 1] = i;
            }
        }
    }
  for (size_t j = 1; j <= n; j++)
    FUZZ_CHECK (piece[j] >= 0);
  size_t k = 0;
  for (size_t j = n; j > 0; j = from[j])
    k++;
  out->len = 0;
  ids_add (out, NULL, k);
  for (size_t j = n; j > 0; j = from[j])
    out->v[--k] = (uint32_t) piece[j];
  free (best);
  free (piece);
  free (from);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct bp_error err = { 0 };
  if (!fixed)
    {
      fixed = fuzz_model ();
      fixed_unigram = bp_unigram_new (fixed, &err);
      fixed_matcher = bp_automaton_new (fixed, &err);
      FUZZ_CHECK (fixed_unigram && fixed_matcher);
    }
  if (size < 4)
    return 0;
  static const double alphas[] = { -1, -1, -1, -1, 0, 0.1, 1, 2.5 };
  int lines = data[0] & 1;
  int normalize = !(data[0] & 2);
  enum bp_tokfmt fmt = (enum bp_tokfmt) ((data[0] >> 2) & 3);
  double alpha = alphas[data[0] >> 5];
  uint64_t seed = data[1];
  struct bp_chunk_params cp = { 0 };
  cp.mode = lines ? BP_DOC_LINES : BP_DOC_FILE;
  cp.normalize = normalize;
  cp.read_size = 1 + (data[2] & 31);
  cp.fragment_size = 1 + (size_t) (data[2] >> 5) * 5;
  cp.nfc_long = 1 + ((data[3] >> 1) & 31);
  const uint8_t *text = data + 4;
  size_t n = size - 4;

  struct bp_model *own = NULL;
  const struct bp_model *m = fixed;
  if (data[3] & 1)
    {
      size_t mlen = n;
      for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp (text + i, "%%\n", 3) == 0
            && (i == 0 || text[i - 1] == '\n'))
          {
            mlen = i;
            break;
          }
      own = listed_model ((const char *) text, mlen, data[3]);
      if (!own)
        return 0;
      m = own;
      text += mlen + (mlen < n ? 3 : 0);
      n -= mlen + (mlen < n ? 3 : 0);
    }

  if (fmt == BP_FMT_U16 && bp_model_vocab (m) > 65536)
    {
      bp_model_free (own);
      return 0;
    }
  struct bp_unigram *u = own ? bp_unigram_new (m, &err) : fixed_unigram;
  FUZZ_CHECK (u != NULL);
  struct bp_segmenter *seg = bp_segmenter_new (u);
  FUZZ_CHECK (seg != NULL);
  struct bp_automaton *mt = own ? bp_automaton_new (m, &err) : fixed_matcher;
  FUZZ_CHECK (mt != NULL);
  struct bp_chunker *ch = bp_chunker_new (&cp);
  FUZZ_CHECK (ch != NULL);
  bp_chunker_open (ch, fuzz_fd (0, text, n));

  /* Encode, as bp-encode does: a line per chunk in file mode, a line per
     document with --lines; <eos> ends a document in the binary forms,
     which have no lines.  */
  int binary = fmt == BP_FMT_U16 || fmt == BP_FMT_U32;
  struct bp_tokwriter w;
  bp_tokwriter_init (&w, NULL, fmt, m);
  struct bp_pieces pieces = { 0 };
  struct ids got = { 0 }, want = { 0 };
  struct bp_buf chunk = { 0 };
  struct bp_rng rng;
  uint64_t chunk_no = 0;
  int chunk_start = 1;
  struct bp_span span;
  int rc;
  while ((rc = bp_chunker_next (ch, &span, &err)) > 0)
    {
      int chunk_end = (span.flags & BP_SPAN_CHUNK_END) != 0;
      if (span.len || chunk_end)
        {
          if (chunk_start)
            {
              bp_rng_seed (&rng, seed, chunk_no);
              bp_segmenter_start (seg, alpha, &rng);
              chunk.len = 0;
              got.len = 0;
            }
          FUZZ_CHECK (bp_buf_append (&chunk, span.data, span.len) == 0);
          pieces.len = 0;
          FUZZ_CHECK (bp_segmenter_feed (seg, span.data, span.len, chunk_end,
                                         &pieces) == 0);
          FUZZ_CHECK (bp_tokwriter_pieces (&w, pieces.v, pieces.len) == 0);
          ids_add (&got, pieces.v, pieces.len);
          chunk_start = chunk_end;
          if (chunk_end)
            {
              chunk_no++;
              if (alpha < 0)
                {
                  /* The pieces written for this chunk, against the
                     dynamic programme.  */
                  best_path (m, mt, chunk.data, chunk.len, &want);
                  FUZZ_CHECK (got.len == want.len);
                  FUZZ_CHECK (got.len == 0
                              || memcmp (got.v, want.v,
                                         got.len * sizeof *got.v) == 0);
                }
              if (!lines && !(span.flags & BP_SPAN_DOC_END))
                FUZZ_CHECK (bp_tokwriter_eol (&w) == 0);
            }
        }
      if (span.flags & BP_SPAN_DOC_END)
        {
          if (lines && binary)
            FUZZ_CHECK (bp_tokwriter_id (&w, BP_ID_EOS) == 0);
          if (lines || !w.line_start)
            FUZZ_CHECK (bp_tokwriter_eol (&w) == 0);
        }
    }
  FUZZ_CHECK (rc == 0);

  /* Decode, as bp-decode does.  */
  struct bp_buf back = { 0 };
  struct bp_tokreader r;
  bp_tokreader_init (&r, fuzz_fd (1, w.buf.data, w.buf.len), fmt,
                     bp_model_vocab (m), fmt == BP_FMT_PIECES ? mt : NULL);
  r.read_size = cp.read_size;
  int open = 0;
  while ((rc = bp_tokreader_next (&r, &err)) > 0)
    {
      if (rc == BP_TOK_ID && r.id >= BP_ID_FIRST_PIECE)
        {
          size_t len;
          const uint8_t *p = bp_model_piece (m, r.id - BP_ID_FIRST_PIECE,
                                             &len);
          FUZZ_CHECK (bp_buf_append (&back, p, len) == 0);
          open = 1;
        }
      else if (rc == BP_TOK_BYTES)
        {
          FUZZ_CHECK (bp_buf_append (&back, r.bytes.data, r.bytes.len) == 0);
          open = 1;
        }
      else if (lines && (rc == BP_TOK_EOL || (binary && r.id == BP_ID_EOS)))
        {
          FUZZ_CHECK (bp_buf_putc (&back, '\n') == 0);
          open = 0;
        }
    }
  FUZZ_CHECK (rc == 0);
  FUZZ_CHECK (!open || !lines);
  bp_tokreader_free (&r);

  /* What it must be.  */
  struct bp_buf expect = { 0 };
  if (!lines)
    {
      if (normalize)
        fuzz_nfc (text, n, &expect);
      else
        FUZZ_CHECK (bp_buf_append (&expect, text, n) == 0);
    }
  else
    for (size_t i = 0; i < n;)
      {
        const uint8_t *lf = memchr (text + i, '\n', n - i);
        size_t end = lf ? (size_t) (lf - text) : n;
        if (normalize)
          fuzz_nfc (text + i, end - i, &expect);
        else
          FUZZ_CHECK (bp_buf_append (&expect, text + i, end - i) == 0);
        FUZZ_CHECK (bp_buf_putc (&expect, '\n') == 0);
        i = end + 1;
      }
  FUZZ_CHECK (back.len == expect.len);
  FUZZ_CHECK (back.len == 0
              || memcmp (back.data, expect.data, back.len) == 0);

  bp_buf_free (&expect);
  bp_buf_free (&back);
  bp_buf_free (&chunk);
  bp_pieces_free (&pieces);
  free (got.v);
  free (want.v);
  bp_tokwriter_free (&w);
  bp_chunker_free (ch);
  bp_segmenter_free (seg);
  if (own)
    {
      bp_automaton_free (mt);
      bp_unigram_free (u);
    }
  bp_model_free (own);
  return 0;
}
