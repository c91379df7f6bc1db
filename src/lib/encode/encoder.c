/* The segmenting protocol of a stream of spans; see encoder.h.  */
#include <config.h>
#include "encoder.h"

#include <stdlib.h>

#include "chunk.h"
#include "error.h"
#include "model.h"
#include "tokens.h"

struct bp_encoder *
bp_encoder_new (const struct bp_unigram *u, const struct bp_encoder_opts *o,
                struct bp_tokwriter *out)
{
  struct bp_encoder *e = calloc (1, sizeof *e);
  if (!e)
    return NULL;
  e->opt = *o;
  e->out = out;
  e->seg = bp_segmenter_new (u);
  if (!e->seg)
    {
      free (e);
      return NULL;
    }
  return e;
}

void
bp_encoder_free (struct bp_encoder *e)
{
  if (!e)
    return;
  bp_segmenter_free (e->seg);
  bp_pieces_free (&e->pieces);
  free (e);
}

int
bp_encoder_span (struct bp_encoder *e, const uint8_t *data, size_t n,
                 const struct bp_encoder_span *sp)
{
  const struct bp_encoder_opts *o = &e->opt;
  struct bp_tokwriter *w = e->out;
  int chunk_end = (sp->flags & BP_SPAN_CHUNK_END) != 0;
  int doc_end = (sp->flags & BP_SPAN_DOC_END) != 0;
  int rc;

  e->pieces.len = 0;
  if (w && sp->doc_start)
    {
      bp_tokwriter_doc_start (w);
      if (o->bos && (rc = bp_tokwriter_id (w, BP_ID_BOS)))
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
          bp_segmenter_start (e->seg, o->alpha, &e->rng);
        }
      if ((rc = bp_segmenter_feed (e->seg, data, n, chunk_end, &e->pieces)))
        return rc;
      if (w && (rc = bp_tokwriter_pieces (w, e->pieces.v, e->pieces.len)))
        return rc;
      if (w && chunk_end && !doc_end && (rc = bp_tokwriter_chunk_end (w)))
        return rc;
    }
  if (w && doc_end)
    {
      if (o->eos && (rc = bp_tokwriter_id (w, BP_ID_EOS)))
        return rc;
      if ((rc = bp_tokwriter_doc_end (w)))
        return rc;
    }
  return 0;
}
