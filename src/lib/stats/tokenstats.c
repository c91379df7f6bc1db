/* SPDX-License-Identifier: Apache-2.0 */
/* Token statistics over a text, one accumulator per thread; see
   tokenstats.h.  */
#include <config.h>
#include "tokenstats.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charcount.h"
#include "chunk.h"
#include "encoder.h"
#include "error.h"
#include "model.h"
#include "system.h"
#include "unigram.h"

struct acc_model
{
  struct bp_encoder *enc;
  uint64_t tokens;
  uint64_t *count;
  size_t n;
  uint64_t doc;          /* tokens since the last part of documents */
};

struct bp_stats_acc
{
  size_t nmodels;
  struct acc_model *m;
  struct bp_stats_text text;
  struct bp_charcount cc;
  int in_doc;            /* spans came since the last part */
  struct bp_buf parts;   /* the parts not taken yet (see tokenstats.h) */
};

/* A part is NMODELS + 1 uint64_t: whether it ends its document, then the
   tokens of each model.  */
static size_t
part_size (size_t nmodels)
{
  return (nmodels + 1) * sizeof (uint64_t);
}

/* End the current part of a document in A's parts; ENDS if the document
   ends with it.  */
static int
end_part (struct bp_stats_acc *a, uint64_t ends)
{
  if (bp_buf_grow (&a->parts, part_size (a->nmodels)))
    return BP_ENOMEM;
  bp_buf_append (&a->parts, &ends, sizeof ends);
  for (size_t i = 0; i < a->nmodels; i++)
    {
      bp_buf_append (&a->parts, &a->m[i].doc, sizeof a->m[i].doc);
      a->m[i].doc = 0;
    }
  a->in_doc = 0;
  return 0;
}

struct bp_stats_acc *
bp_stats_acc_new (size_t nmodels, const struct bp_unigram *const *u)
{
  struct bp_stats_acc *a = calloc (1, sizeof *a);
  if (!a)
    return NULL;
  a->m = calloc (nmodels ? nmodels : 1, sizeof *a->m);
  if (!a->m)
    {
      free (a);
      return NULL;
    }
  a->nmodels = nmodels;
  for (size_t i = 0; i < nmodels; i++)
    {
      struct acc_model *am = &a->m[i];
      am->n = u[i]->model->n;
      static const struct bp_encoder_opts best = { 0, 0, -1, 0, NULL };
      am->enc = bp_encoder_new (u[i], &best, NULL);
      am->count = calloc (am->n ? am->n : 1, sizeof *am->count);
      if (!am->enc || !am->count)
        {
          bp_stats_acc_free (a);
          return NULL;
        }
    }
  return a;
}

void
bp_stats_acc_free (struct bp_stats_acc *a)
{
  if (!a)
    return;
  for (size_t i = 0; i < a->nmodels; i++)
    {
      bp_encoder_free (a->m[i].enc);
      free (a->m[i].count);
    }
  bp_buf_free (&a->parts);
  free (a->m);
  free (a);
}

/* Count the span as bp_stats_acc_span says, but for documents.  */
static int
segment (struct bp_stats_acc *a, const uint8_t *data, size_t len,
         unsigned flags, int chunk_start)
{
  int chunk_end = (flags & BP_SPAN_CHUNK_END) != 0;

  a->text.documents += (flags & BP_SPAN_DOC_END) != 0;
  a->text.chunks += chunk_end;
  a->text.bytes += len;
  if (!len && !chunk_end)
    return 0;
  if (chunk_start)
    a->cc.npend = 0;
  bp_charcount_feed (&a->cc, data, len, chunk_end);
  /* bp-encode's encoder, so that the tokens are its ids.  */
  struct bp_encoder_span sp = { flags, chunk_start, 0, 0 };
  for (size_t i = 0; i < a->nmodels; i++)
    {
      struct acc_model *am = &a->m[i];
      int rc = bp_encoder_span (am->enc, data, len, &sp);
      if (rc)
        return rc;
      const struct bp_pieces *p = &am->enc->pieces;
      for (size_t k = 0; k < p->len; k++)
        am->count[p->v[k]]++;
      am->tokens += p->len;
      am->doc += p->len;
    }
  return 0;
}

int
bp_stats_acc_span (struct bp_stats_acc *a, const uint8_t *data, size_t len,
                   unsigned flags, int chunk_start)
{
  /* A --jsonl line that holds no document is not one.  */
  if (flags & BP_SPAN_NO_DOC)
    return 0;
  int rc = segment (a, data, len, flags, chunk_start);
  if (rc)
    return rc;
  a->in_doc = 1;
  return flags & BP_SPAN_DOC_END ? end_part (a, 1) : 0;
}

int
bp_stats_acc_take_docs (struct bp_stats_acc *a, struct bp_buf *out)
{
  if (a->in_doc && end_part (a, 0))
    return BP_ENOMEM;
  if (bp_buf_append (out, a->parts.data, a->parts.len))
    return BP_ENOMEM;
  a->parts.len = 0;
  return 0;
}

int
bp_stats_report_add_docs (struct bp_stats_report *r, const uint8_t *parts,
                          size_t len)
{
  size_t size = part_size (r->nmodels);
  for (size_t off = 0; off + size <= len; off += size)
    {
      uint64_t ends, tokens;
      memcpy (&ends, parts + off, sizeof ends);
      for (size_t i = 0; i < r->nmodels; i++)
        {
          struct bp_stats_model *s = &r->model[i];
          memcpy (&tokens, parts + off + (i + 1) * sizeof tokens,
                  sizeof tokens);
          if (ckd_add (&s->doc_open, s->doc_open, tokens))
            return BP_ERANGE;
          if (ends)
            {
              int rc = bp_dochist_add (&s->per_doc, s->doc_open, 1);
              if (rc)
                return rc;
              s->doc_open = 0;
            }
        }
    }
  return 0;
}

int
bp_stats_acc_add_to (struct bp_stats_acc *a, struct bp_stats_report *r)
{
  /* The parts not taken yet, as if they came last.  */
  if (a->in_doc && end_part (a, 0))
    return BP_ENOMEM;
  int rc = bp_stats_report_add_docs (r, a->parts.data, a->parts.len);
  a->parts.len = 0;
  if (rc)
    return rc;

  struct bp_stats_text *t = &r->text;
  if (ckd_add (&t->documents, t->documents, a->text.documents)
      || ckd_add (&t->chunks, t->chunks, a->text.chunks)
      || ckd_add (&t->bytes, t->bytes, a->text.bytes)
      || ckd_add (&t->chars, t->chars, a->cc.chars))
    return BP_ERANGE;
  for (size_t i = 0; i < a->nmodels && i < r->nmodels; i++)
    {
      const struct acc_model *am = &a->m[i];
      struct bp_stats_model *s = &r->model[i];
      if (ckd_add (&s->tokens, s->tokens, am->tokens))
        return BP_ERANGE;
      for (size_t k = 0; k < am->n; k++)
        s->count[k] += am->count[k];
    }
  r->have_text = 1;
  return 0;
}

