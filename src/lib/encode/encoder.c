/* SPDX-License-Identifier: Apache-2.0 */
/* The segmenting protocol of a stream of spans; see encoder.h.  */
#include <config.h>
#include "encoder.h"

#include <stdlib.h>

#include "automaton.h"
#include "chunkrun.h"
#include "chunk.h"
#include "error.h"
#include "model.h"
#include "specials.h"
#include "tokens.h"

struct bp_encoder *
bp_encoder_new (const struct bp_unigram *u, const struct bp_encoder_opts *o,
                struct bp_tokwriter *out)
{
  struct bp_encoder *e = calloc (1, sizeof *e);
  if (!e)
    return NULL;
  e->opt = *o;
  e->u = u;
  e->out = out;
  e->seg = bp_segmenter_new (u);
  if (o->specials && e->seg)
    e->sx = bp_specials_seg_new (o->specials, e->seg);
  if (!e->seg || (o->specials && !e->sx))
    {
      bp_encoder_free (e);
      return NULL;
    }
  return e;
}

void
bp_encoder_free (struct bp_encoder *e)
{
  if (!e)
    return;
  bp_specials_seg_free (e->sx);
  bp_segmenter_free (e->seg);
  bp_pieces_free (&e->pieces);
  free (e->rank);
  free (e->woff);
  free (e->wlen);
  free (e);
}

/* bp_encoder_span, with the automaton's walk of DATA in RANK if it is
   not NULL.  */
static int
span (struct bp_encoder *e, const uint8_t *data, size_t n,
      const struct bp_encoder_span *sp, const int32_t *rank)
{
  const struct bp_encoder_opts *o = &e->opt;
  struct bp_tokwriter *w = e->out;
  int chunk_end = (sp->flags & BP_SPAN_CHUNK_END) != 0;
  int doc_end = (sp->flags & BP_SPAN_DOC_END) != 0;
  /* A line that holds no document keeps its line of output, without
     <bos> or <eos>: nothing of it reaches a binary stream.  */
  int specials = !(sp->flags & BP_SPAN_NO_DOC);
  int rc;

  e->pieces.len = 0;
  if (w && sp->doc_start)
    {
      bp_tokwriter_doc_start (w);
      if (o->bos && specials && (rc = bp_tokwriter_id (w, BP_ID_BOS)))
        return rc;
    }
  else if (w && sp->chunk_start)
    bp_tokwriter_chunk_start (w);

  if (n || chunk_end)
    {
      if (sp->chunk_start)
        {
          /* Each chunk its own random stream: the same samples whatever
             the thread that draws them.  */
          if (o->alpha >= 0)
            bp_rng_seed (&e->rng, o->seed, sp->chunk_no);
          if (e->sx)
            bp_specials_seg_start (e->sx, o->alpha, &e->rng);
          else
            bp_segmenter_start (e->seg, o->alpha, &e->rng);
        }
      rc = e->sx ? bp_specials_seg_feed (e->sx, data, n, chunk_end,
                                         &e->pieces)
           : rank ? bp_segmenter_feed_ranks (e->seg, rank, n, &e->pieces)
           : bp_segmenter_feed (e->seg, data, n, chunk_end, &e->pieces);
      if (rc)
        return rc;
      if (w && (rc = bp_tokwriter_pieces (w, e->pieces.v, e->pieces.len)))
        return rc;
      if (w && chunk_end && !doc_end && (rc = bp_tokwriter_chunk_end (w)))
        return rc;
    }
  if (w && doc_end)
    {
      if (o->eos && specials && (rc = bp_tokwriter_id (w, BP_ID_EOS)))
        return rc;
      if ((rc = bp_tokwriter_doc_end (w)))
        return rc;
    }
  return 0;
}

int
bp_encoder_span (struct bp_encoder *e, const uint8_t *data, size_t n,
                 const struct bp_encoder_span *sp)
{
  return span (e, data, n, sp, NULL);
}

/* The bytes and the number of whole chunks that are walked together.  */
enum { WINDOW = 1 << 16, WTEXTS = 4096 };

/* Is IT a whole chunk of at most WINDOW bytes, which the window walks?
   Not with special tokens, which cut chunks: the segmenter walks the
   stretches between them itself.  */
static int
walked (const struct bp_encoder *e, const struct bp_batch_item *it)
{
  return !e->sx && it->chunk_start && (it->flags & BP_SPAN_CHUNK_END)
         && it->len && it->len <= WINDOW;
}

int
bp_encoder_batch (struct bp_encoder *e, const uint8_t *text,
                  const struct bp_batch_item *item, size_t n)
{
  if (!e->rank)
    {
      e->rank = malloc (WINDOW * sizeof *e->rank);
      e->woff = malloc (WTEXTS * sizeof *e->woff);
      e->wlen = malloc (WTEXTS * sizeof *e->wlen);
      if (!e->rank || !e->woff || !e->wlen)
        return BP_ENOMEM;
    }
  for (size_t i = 0; i < n;)
    {
      /* A window: the items from I on whose whole chunks lie within
         WINDOW bytes of the first; their walks go to RANK at the same
         offsets.  */
      size_t j = i, nt = 0, from = item[i].off;
      for (; j < n && nt < WTEXTS; j++)
        if (walked (e, &item[j]))
          {
            if (item[j].off + item[j].len - from > WINDOW)
              break;
            e->woff[nt] = item[j].off - from;
            e->wlen[nt++] = item[j].len;
          }
      bp_automaton_walk_many (e->u->ac, nt, text + from, e->rank, e->woff,
                              e->wlen);
      for (size_t t = 0; i < j; i++)
        {
          const struct bp_batch_item *it = &item[i];
          struct bp_encoder_span sp = { it->flags, it->chunk_start,
                                        it->doc_start, it->chunk_no };
          const int32_t *rank = walked (e, it) ? e->rank + e->woff[t++]
                                               : NULL;
          int rc = span (e, text + it->off, it->len, &sp, rank);
          if (rc)
            return rc;
        }
    }
  return 0;
}
