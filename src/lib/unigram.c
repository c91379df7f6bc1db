/* Unigram Viterbi and exact sampling; see unigram.h.  */
#include <config.h>
#include "unigram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "matcher.h"
#include "model.h"
#include "system.h"

/* A long chunk is checked for a final prefix each time this much more of
   it has been processed.  */
enum { COMMIT_INTERVAL = 1 << 20 };

void
bp_pieces_free (struct bp_pieces *p)
{
  free (p->v);
  p->v = NULL;
  p->len = p->cap = 0;
}

static int
pieces_reserve (struct bp_pieces *p, size_t extra)
{
  if (p->cap - p->len >= extra)
    return 0;
  size_t cap = p->cap ? p->cap : 256;
  while (cap - p->len < extra)
    cap *= 2;
  uint32_t *v = realloc (p->v, cap * sizeof *v);
  if (!v)
    return BP_ENOMEM;
  p->v = v;
  p->cap = cap;
  return 0;
}

struct bp_unigram *
bp_unigram_new (const struct bp_model *m, struct bp_error *err)
{
  struct bp_unigram *u = calloc (1, sizeof *u);
  if (!u)
    goto nomem;
  u->model = m;
  u->score = malloc ((m->n ? m->n : 1) * sizeof *u->score);
  u->len = malloc ((m->n ? m->n : 1) * sizeof *u->len);
  if (!u->score || !u->len)
    goto nomem;
  u->matcher = bp_matcher_new (m, err);
  if (!u->matcher)
    {
      bp_unigram_free (u);
      return NULL;
    }

  /* BytePiece: np.log(count) - np.log(sum of counts), both in doubles.  */
  double log_total = log ((double) m->total);
  for (size_t i = 0; i < m->n; i++)
    {
      size_t len;
      bp_model_piece (m, i, &len);
      u->score[i] = log ((double) m->count[i]) - log_total;
      u->len[i] = (uint32_t) len;
    }
  u->max_len = m->max_len;

  for (int c = 0; c < 256; c++)
    {
      uint8_t b = (uint8_t) c;
      if (bp_matcher_find (u->matcher, &b, 1) < 0)
        {
          bp_error_set (err, BP_EFORMAT, 0,
                        _("the model lacks the single byte \\x%02x "
                          "(every byte must be a piece)"), c);
          bp_unigram_free (u);
          return NULL;
        }
    }
  return u;

nomem:
  bp_error_set (err, BP_ENOMEM, 0, "%s", "");
  bp_unigram_free (u);
  return NULL;
}

void
bp_unigram_free (struct bp_unigram *u)
{
  if (!u)
    return;
  bp_matcher_free (u->matcher);
  free (u->score);
  free (u->len);
  free (u);
}

/* The working state of one chunk: its bytes from the last final position
   on, and for each position the best (or sampled) score of reaching it
   and the piece that ends the path there.  */
struct bp_segmenter
{
  const struct bp_unigram *u;
  double alpha;
  struct bp_rng *rng;
  struct bp_buf text;
  double *score;
  int32_t *last;    /* the piece ending the chosen path at each position */
  size_t cap;       /* entries of SCORE and LAST */
  size_t done;      /* start positions processed */
  size_t next_commit;
  int fresh;        /* no byte of the chunk has been fed yet */
  size_t *chain;    /* scratch for finding a common ancestor */
  uint32_t *rev;    /* scratch for writing a path forwards */
  size_t rev_cap;
};

struct bp_segmenter *
bp_segmenter_new (const struct bp_unigram *u)
{
  struct bp_segmenter *s = calloc (1, sizeof *s);
  if (!s)
    return NULL;
  s->u = u;
  s->alpha = -1;
  s->chain = malloc ((u->max_len + 1) * sizeof *s->chain);
  if (!s->chain)
    {
      free (s);
      return NULL;
    }
  return s;
}

void
bp_segmenter_free (struct bp_segmenter *s)
{
  if (!s)
    return;
  bp_buf_free (&s->text);
  free (s->score);
  free (s->last);
  free (s->chain);
  free (s->rev);
  free (s);
}

void
bp_segmenter_start (struct bp_segmenter *s, double alpha, struct bp_rng *rng)
{
  s->alpha = alpha;
  s->rng = rng;
  s->text.len = 0;
  s->done = 0;
  s->next_commit = COMMIT_INTERVAL;
  s->fresh = 1;
}

static int
reserve_positions (struct bp_segmenter *s, size_t n)
{
  if (n <= s->cap)
    return 0;
  size_t cap = s->cap ? s->cap : 4096;
  while (cap < n)
    cap *= 2;
  double *score = realloc (s->score, cap * sizeof *score);
  if (!score)
    return BP_ENOMEM;
  s->score = score;
  int32_t *last = realloc (s->last, cap * sizeof *last);
  if (!last)
    return BP_ENOMEM;
  s->last = last;
  s->cap = cap;
  return 0;
}

/* Relax every piece that starts at START: the best path.  */
static inline void
relax_best (const struct bp_unigram *u, const uint8_t *t, size_t n,
            size_t start, double *score, int32_t *last)
{
  const struct bp_da_node *node = u->matcher->node;
  const double *pscore = u->score;
  double base = score[start];
  int32_t cur = BP_MATCHER_ROOT;

  for (size_t k = start; k < n; k++)
    {
      int32_t next = node[cur].base + t[k];
      if (node[next].check != cur)
        break;
      cur = next;
      int32_t p = node[cur].piece;
      if (p >= 0)
        {
          double sc = base + pscore[p];
          if (sc > score[k + 1])
            {
              score[k + 1] = sc;
              last[k + 1] = p;
            }
        }
    }
}

/* log(exp(x) + exp(y)) without overflow.  */
static inline double
logsumexp (double x, double y)
{
  if (x < y)
    {
      double t = x;
      x = y;
      y = t;
    }
  if (y == -INFINITY)
    return x;
  return x + log1p (exp (y - x));
}

/* Relax every piece that starts at START for sampling: each end keeps the
   log of the summed weight of all paths to it, and replaces its last
   piece by the new one with probability weight(new) / weight(all so far),
   which leaves each candidate chosen in proportion to its weight.  */
static inline void
relax_sample (const struct bp_unigram *u, const uint8_t *t, size_t n,
              size_t start, double *score, int32_t *last, double alpha,
              struct bp_rng *rng)
{
  const struct bp_da_node *node = u->matcher->node;
  double base = score[start];
  int32_t cur = BP_MATCHER_ROOT;

  for (size_t k = start; k < n; k++)
    {
      int32_t next = node[cur].base + t[k];
      if (node[next].check != cur)
        break;
      cur = next;
      int32_t p = node[cur].piece;
      if (p >= 0)
        {
          double sc = base + alpha * u->score[p];
          double total = logsumexp (score[k + 1], sc);
          score[k + 1] = total;
          if (bp_rng_uniform (rng) < exp (sc - total))
            last[k + 1] = p;
        }
    }
}

/* Append to OUT the path that ends at position END (relative to the
   window), in text order.  */
static int
emit_path (struct bp_segmenter *s, size_t end, struct bp_pieces *out)
{
  size_t k = 0;
  for (size_t e = end; e > 0; e -= s->u->len[s->last[e]])
    {
      if (k == s->rev_cap)
        {
          size_t cap = s->rev_cap ? 2 * s->rev_cap : 1024;
          uint32_t *rev = realloc (s->rev, cap * sizeof *rev);
          if (!rev)
            return BP_ENOMEM;
          s->rev = rev;
          s->rev_cap = cap;
        }
      s->rev[k++] = (uint32_t) s->last[e];
    }
  if (pieces_reserve (out, k))
    return BP_ENOMEM;
  while (k > 0)
    out->v[out->len++] = s->rev[--k];
  return 0;
}

/* Find the last position through which every path that may still become
   the final one passes: the paths that end at the positions a piece
   starting before DONE can cross into the unprocessed text.  Returns 0 if
   they only meet at the start of the window.  */
static size_t
common_position (struct bp_segmenter *s)
{
  size_t lo = s->done + 1 > s->u->max_len ? s->done + 1 - s->u->max_len : 0;
  size_t k = 0;
  for (size_t q = lo; q <= s->done; q++)
    s->chain[k++] = q;
  for (;;)
    {
      size_t hi = 0, min = SIZE_MAX;
      for (size_t i = 0; i < k; i++)
        {
          if (s->chain[i] > hi)
            hi = s->chain[i];
          if (s->chain[i] < min)
            min = s->chain[i];
        }
      if (hi == min || hi == 0)
        return min;
      size_t step = s->u->len[s->last[hi]];
      for (size_t i = 0; i < k; i++)
        if (s->chain[i] == hi)
          s->chain[i] = hi - step;
    }
}

int
bp_segmenter_feed (struct bp_segmenter *s, const uint8_t *text, size_t n,
                   int last, struct bp_pieces *out)
{
  const struct bp_unigram *u = s->u;
  size_t old = s->text.len;

  if (bp_buf_append (&s->text, text, n)
      || reserve_positions (s, s->text.len + 1))
    return BP_ENOMEM;
  /* Scores are never rebased when the window slides: the sums must be
     the ones the reference computes, to the last bit.  */
  if (s->fresh)
    {
      s->score[0] = 0;
      s->fresh = 0;
    }
  for (size_t i = old + 1; i <= s->text.len; i++)
    s->score[i] = -INFINITY;

  size_t len = s->text.len;
  size_t limit = last ? len : len >= u->max_len ? len - u->max_len + 1 : 0;
  const uint8_t *t = s->text.data;
  if (s->alpha < 0)
    for (size_t i = s->done; i < limit; i++)
      relax_best (u, t, len, i, s->score, s->last);
  else
    for (size_t i = s->done; i < limit; i++)
      relax_sample (u, t, len, i, s->score, s->last, s->alpha, s->rng);
  if (limit > s->done)
    s->done = limit;

  if (last)
    {
      int rc = emit_path (s, len, out);
      s->text.len = 0;
      s->done = 0;
      s->fresh = 1;
      return rc;
    }

  if (s->done >= s->next_commit)
    {
      size_t r = common_position (s);
      if (r > 0)
        {
          if (emit_path (s, r, out))
            return BP_ENOMEM;
          /* Slide the window so that R becomes position 0.  */
          bp_buf_consume (&s->text, r);
          memmove (s->score, s->score + r, (len + 1 - r) * sizeof *s->score);
          memmove (s->last, s->last + r, (len + 1 - r) * sizeof *s->last);
          s->done -= r;
        }
      s->next_commit = s->done + COMMIT_INTERVAL;
    }
  return 0;
}

int
bp_segment_best (struct bp_segmenter *s, const uint8_t *text, size_t n,
                 struct bp_pieces *out)
{
  bp_segmenter_start (s, -1, NULL);
  return bp_segmenter_feed (s, text, n, 1, out);
}
