/* SPDX-License-Identifier: Apache-2.0 */
/* Unigram Viterbi and exact sampling; see unigram.h.  */
#include <config.h>
#include "unigram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "automaton.h"
#include "model.h"
#include "system.h"

/* A long chunk is checked for a final prefix each time this much more of
   it has been processed.  */
enum { COMMIT_INTERVAL = 1 << 20 };

/* The candidates after a state's own piece that the Viterbi reads
   without a branch (unigram.h: the lists are padded to as many): more
   would cost every byte what the branch costs the few bytes with more
   candidates (measured: 4 to 6 were no faster).  */
enum { LIST_FIXED = 3 };

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

/* The entries of the list of a chain of M pieces (unigram.h).  */
static size_t
list_entries (size_t m)
{
  return (m < LIST_FIXED ? LIST_FIXED : m) + 1;
}

/* Make U's lists of candidates (unigram.h) from AC's chains, and set
   each piece's TAIL and MORE.  The lists are in the order of the ranks
   that begin them, so that those of the short pieces, which most bytes
   read, are together at the front.  */
static int
build_tails (struct bp_unigram *u, const struct bp_automaton *ac)
{
  size_t n = ac->npieces;
  const int32_t none = (int32_t) n;
  /* By rank: the pieces of its chain, and where its list goes if a
     piece's list begins with it (the piece's NEXT, or a single byte
     itself), else UINT32_MAX.  */
  uint32_t *len = malloc ((n ? n : 1) * sizeof *len);
  uint32_t *at = malloc ((n ? n : 1) * sizeof *at);
  if (!len || !at)
    goto nomem;
  for (size_t r = 0; r < n; r++)
    {
      int32_t q = ac->next[r];
      at[r] = UINT32_MAX;
      /* A suffix's node is shallower, so ranked before: its length is
         known already.  */
      if (q < 0)
        len[r] = 1;
      else if ((size_t) q < r)
        len[r] = len[q] + 1;
      else
        for (len[r] = 1; q >= 0; q = ac->next[q])
          len[r]++;
    }
  for (size_t r = 0; r < n; r++)
    at[ac->next[r] >= 0 ? (size_t) ac->next[r] : r] = 0;
  size_t total = 0;
  for (size_t q = 0; q < n && total <= INT32_MAX; q++)
    if (at[q] == 0)
      {
        at[q] = (uint32_t) total;
        total += list_entries (len[q]);
      }
  if (total > INT32_MAX
      || !(u->tail = malloc ((total ? total : 1) * sizeof *u->tail)))
    goto nomem;
  u->ntail = total;
  for (size_t q = 0; q < n; q++)
    if (at[q] != UINT32_MAX)
      {
        /* The chain in reverse, then NONE: the list of Q's NEXT, which
           has one (it is Q's NEXT) and, ranked before Q, is filled
           already, then Q.  */
        int32_t *t = u->tail + at[q];
        int32_t next = ac->next[q];
        size_t m = len[q], i = 0;
        if (next >= 0 && (size_t) next < q)
          {
            memcpy (t, u->tail + at[next], (m - 1) * sizeof *t);
            i = m - 1;
          }
        else
          for (int32_t p = next; p >= 0; p = ac->next[p])
            t[m - 2 - i++] = p;
        t[i++] = (int32_t) q;
        for (; i < list_entries (m); i++)
          t[i] = none;
      }
  for (size_t r = 0; r < n; r++)
    {
      size_t q = ac->next[r] >= 0 ? (size_t) ac->next[r] : r;
      u->piece[r].tail = at[q] & INT32_MAX;
      u->piece[r].more = len[q] > LIST_FIXED;
    }
  free (len);
  free (at);
  return 0;

nomem:
  free (len);
  free (at);
  return BP_ENOMEM;
}

struct bp_unigram *
bp_unigram_new (const struct bp_model *m, struct bp_error *err)
{
  struct bp_unigram *u = calloc (1, sizeof *u);
  if (!u)
    goto nomem;
  u->model = m;
  u->ac = bp_automaton_new (m, err);
  if (!u->ac)
    {
      bp_unigram_free (u);
      return NULL;
    }

  uint8_t missing;
  if (!bp_automaton_complete (u->ac, &missing))
    {
      bp_error_set (err, BP_EFORMAT, 0,
                    _("the model lacks the single byte \\x%02x "
                      "(every byte must be a piece)"), missing);
      bp_unigram_free (u);
      return NULL;
    }

  const struct bp_automaton *ac = u->ac;
  u->piece = malloc ((m->n + 1) * sizeof *u->piece);
  if (!u->piece || build_tails (u, ac))
    goto nomem;
  /* BytePiece: np.log(count) - np.log(sum of counts), both in doubles.  */
  double log_total = log ((double) m->total);
  for (size_t r = 0; r < m->n; r++)
    {
      u->piece[r].score = log ((double) m->count[ac->piece[r]]) - log_total;
      u->piece[r].len = ac->len[r];
    }
  /* After the pieces, a candidate that never wins (see advance_best).  */
  u->piece[m->n] = (struct bp_unigram_piece) { -INFINITY, 0, 0, 0 };
  u->max_len = ac->max_len;
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
  bp_automaton_free (u->ac);
  free (u->piece);
  free (u->tail);
  free (u);
}

/* The working state of one chunk.  For each position of the window (from
   the last final position on) the segmenter keeps the length of the
   piece that ends the chosen path there, a byte when the model's pieces
   are at most 255 bytes long; and, when it is fed text, the window's
   bytes.  A chunk that never comes to a final position (16 MB of 'a')
   so costs two bytes a byte, where a score and a rank cost twelve to
   twenty-four.  A position's score is read only by the pieces that end
   at most max_len bytes after it, so the scores are a small array that
   slides when full, keeping only its last KEEP entries (more than
   max_len): a piece of length l that ends at a position reads the score
   l slots before the position's own, without an index to wrap around.
   SCORE_OFF moves with the window, so that a score keeps its slot.  A
   piece of the path is found again from its length:
   along the chain of the automaton's output where the piece ends while
   the walk is at hand, else by looking its bytes up in the trie.  */
struct bp_segmenter
{
  const struct bp_unigram *u;
  double alpha;
  struct bp_rng *rng;
  size_t len;       /* bytes in the window (after the last final one) */
  uint8_t *len8;    /* by position: the length of its last piece, if the */
  uint32_t *len32;  /* pieces are at most 255 bytes long, else here */
  uint8_t *text;    /* bp_segmenter_feed: the bytes of the window */
  size_t cap;       /* entries of LEN8 or LEN32, and of TEXT */
  double *score;    /* the scores of the last positions */
  size_t nscore;    /* entries of SCORE */
  size_t keep;      /* scores kept when SCORE slides, more than max_len */
  size_t score_off; /* position e's score is at SCORE[e + SCORE_OFF -
                       SCORE_BASE] */
  size_t score_base;
  size_t done;      /* bytes processed */
  size_t next_commit;
  int fresh;        /* no byte of the chunk has been fed yet */
  int32_t state;    /* the automaton's node */
  double *weight;   /* sampling: the weights of one position's candidates */
  int32_t *cand;    /* sampling: their pieces */
  size_t *chain;    /* scratch for finding a common ancestor */
  int32_t *rank;    /* scratch: the automaton's output after each byte */
  size_t rank_cap;
};

struct bp_segmenter *
bp_segmenter_new (const struct bp_unigram *u)
{
  struct bp_segmenter *s = calloc (1, sizeof *s);
  if (!s)
    return NULL;
  s->u = u;
  s->alpha = -1;
  /* At most one candidate per start among the last max_len positions.  */
  s->weight = malloc ((u->max_len + 2) * sizeof *s->weight);
  s->cand = malloc ((u->max_len + 2) * sizeof *s->cand);
  s->chain = malloc ((u->max_len + 2) * sizeof *s->chain);
  s->keep = 64;
  while (s->keep <= u->max_len)
    s->keep *= 2;
  s->nscore = 8 * s->keep;
  /* Every slot holds a number, never NaN: the Viterbi reads the slot of
     a position before it writes it (advance_best_run sets it to -inf
     first), and moves the slots that hold no score yet with those that
     do.  */
  s->score = calloc (s->nscore, sizeof *s->score);
  if (!s->weight || !s->cand || !s->chain || !s->score)
    {
      bp_segmenter_free (s);
      return NULL;
    }
  return s;
}

void
bp_segmenter_free (struct bp_segmenter *s)
{
  if (!s)
    return;
  free (s->rank);
  free (s->len8);
  free (s->len32);
  free (s->text);
  free (s->score);
  free (s->weight);
  free (s->cand);
  free (s->chain);
  free (s);
}

void
bp_segmenter_start (struct bp_segmenter *s, double alpha, struct bp_rng *rng)
{
  s->alpha = alpha;
  s->rng = rng;
  s->len = 0;
  s->done = 0;
  s->score_off = 0;
  s->score_base = 0;
  s->state = BP_AC_ROOT;
  s->next_commit = COMMIT_INTERVAL;
  s->fresh = 1;
}

/* Room for positions 0 .. N - 1.  */
static int
reserve_positions (struct bp_segmenter *s, size_t n)
{
  if (n <= s->cap)
    return 0;
  /* By half again: a long chunk's window is most of the memory.  */
  size_t cap = s->cap ? s->cap : 4096;
  while (cap < n)
    cap += cap / 2;
  if (s->u->max_len <= UINT8_MAX)
    {
      uint8_t *l = realloc (s->len8, cap);
      if (!l)
        return BP_ENOMEM;
      s->len8 = l;
    }
  else
    {
      uint32_t *l = realloc (s->len32, cap * sizeof *l);
      if (!l)
        return BP_ENOMEM;
      s->len32 = l;
    }
  uint8_t *t = realloc (s->text, cap);
  if (!t)
    return BP_ENOMEM;
  s->text = t;
  s->cap = cap;
  return 0;
}

/* The length of the last piece of the path to position E.  */
static inline size_t
last_len (const struct bp_segmenter *s, size_t e)
{
  return s->len8 ? s->len8[e] : s->len32[e];
}

static inline void
set_last_len (struct bp_segmenter *s, size_t e, uint32_t len)
{
  if (s->len8)
    s->len8[e] = (uint8_t) len;
  else
    s->len32[e] = len;
}

/* Process bytes FROM..TO-1 of T for the best path, writing the lengths
   into LEN8 if it is not NULL, else LEN32 (the test is made once, when
   this is inlined: a store through a byte pointer may alias anything,
   which would make the loop reload everything it reads from S).

   The state's candidates are the pieces that end after byte K longest
   first, i.e. by their start, earliest first: with a strict '>' the
   earliest start keeps a tie, as in the reference.  The maximum of the
   scores is exact in any order, and the pieces' lengths differ: what
   the comparisons in the order of the chain give is the highest score,
   and of the candidates that have it the longest.  So the candidates
   are compared in an order that keeps the single byte, whose score
   needs the one computed just before, for last: a chain of an add and
   a compare from byte to byte, while the others, which read older
   scores, run ahead.  The score of START is final, since every piece
   that ends at START was seen at an earlier byte.  */
static inline __attribute__ ((always_inline)) void
advance_best_run (const struct bp_unigram *u, const int32_t *rank, size_t n,
                  double *score, uint8_t *len8, uint32_t *len32)
{
  const struct bp_unigram_piece *piece = u->piece;
  const int32_t *tail = u->tail;
  const int32_t none = (int32_t) u->model->n;
  double prev = score[0];
  score[1] = -INFINITY;

  for (size_t k = 0; k < n; k++)
    {
      /* The piece of the byte a few ahead into the cache meanwhile, and
         the list of a byte nearer, whose piece is there by now.  */
      if (k + 8 < n)
        __builtin_prefetch (piece + rank[k + 8]);
      if (k + 4 < n)
        __builtin_prefetch (tail + piece[rank[k + 4]].tail);
      int32_t p = rank[k];   /* never -1: every byte is a piece */
      const struct bp_unigram_piece *pp = piece + p;
      const int32_t *c = tail + pp->tail;
      double *sc_e = score + k + 1;
      /* P itself, unless it is the single byte, which comes last; then
         it reads the slot of E, as NONE does, which is -inf until E's
         score is known, so as not to wait for the byte before.  */
      size_t single = c[0] == p;
      uint32_t best_len = pp->len;
      double best = sc_e[-(ptrdiff_t) (best_len & (single - 1))] + pp->score;
      sc_e[1] = -INFINITY;
      /* The fourth and later candidates (of five or more), from the
         shortest, where '>=' gives a tie to the longest; then the
         longest of them against P, which is longer, with '>'.  The
         test is on P's entry, which is at hand sooner than the list.  */
      if (pp->more)
        {
          uint32_t xl = 0;
          double x = -INFINITY;
          for (const int32_t *q = c + LIST_FIXED; (p = *q) != none; q++)
            {
              uint32_t l = piece[p].len;
              double sc = sc_e[-(ptrdiff_t) l] + piece[p].score;
              if (sc >= x)
                {
                  x = sc;
                  xl = l;
                }
            }
          if (x > best)
            {
              best = x;
              best_len = xl;
            }
        }
      /* The third and second, or NONE, whose score is -inf and never
         wins, without a branch on the end of the list, which comes at
         random: conditional moves, from the longest, with '>'.  */
      for (int t = LIST_FIXED - 1; t > 0; t--)
        {
          p = c[t];
          uint32_t l = piece[p].len;
          double sc = sc_e[-(ptrdiff_t) l] + piece[p].score;
          int win = sc > best;
          best_len = win ? l : best_len;
          best = win ? sc : best;
        }
      /* The single byte, last: its path is the one to the byte before,
         whose score is at hand.  */
      double sc = prev + piece[c[0]].score;
      int win = sc > best;
      best_len = win ? 1 : best_len;
      best = win ? sc : best;
      *sc_e = best;
      prev = best;
      if (len8)
        len8[k] = (uint8_t) best_len;
      else
        len32[k] = best_len;
    }
}

/* The slot of position E's score, with room after it for *ROOM more
   (at least the window's KEEP): when the scores come near the end of
   SCORE, the last KEEP of them, all that a later piece can read, move
   to its front.  Scores move, their values stay as they are.  */
static double *
score_slot (struct bp_segmenter *s, size_t e, size_t *room)
{
  size_t a = e + s->score_off - s->score_base;
  if (a + s->keep >= s->nscore)
    {
      size_t drop = a + 1 - s->keep;
      memmove (s->score, s->score + drop, s->keep * sizeof *s->score);
      s->score_base += drop;
      a = s->keep - 1;
    }
  *room = s->nscore - 1 - a;
  return s->score + a;
}

static void
advance_best (struct bp_segmenter *s, const int32_t *rank, size_t from,
              size_t to)
{
  for (size_t k = from; k < to;)
    {
      size_t room, n;
      double *score = score_slot (s, k, &room);
      n = to - k < room - 1 ? to - k : room - 1;
      if (s->len8)
        advance_best_run (s->u, rank + (k - from), n, score,
                          s->len8 + k + 1, NULL);
      else
        advance_best_run (s->u, rank + (k - from), n, score, NULL,
                          s->len32 + k + 1);
      k += n;
    }
}

/* Process bytes FROM..TO-1 of T for sampling: each position keeps the log
   of the summed weight of all paths to it, and draws the last piece of
   its path among the candidates in proportion to their weights.  Returns
   0, or BP_ERANGE if a weight cannot be computed in doubles: ALPHA times
   a score, or the sum of a path, overflows to -inf.  */
static int
advance_sample (struct bp_segmenter *s, const int32_t *rank, size_t from,
                size_t to)
{
  const struct bp_unigram_piece *piece = s->u->piece;
  const int32_t *tail = s->u->tail;
  const int32_t none = (int32_t) s->u->model->n;
  double *w = s->weight;
  int32_t *cand = s->cand;
  double alpha = s->alpha;
  double *score = NULL;
  size_t room = 0;

  for (size_t k = from; k < to; k++, room--)
    {
      if (room == 0)
        score = score_slot (s, k, &room);
      /* As advance_best_run fetches ahead.  */
      if (k + 8 < to)
        __builtin_prefetch (piece + rank[k - from + 8]);
      if (k + 4 < to)
        __builtin_prefetch (tail + piece[rank[k - from + 4]].tail);
      double *sc_e = ++score;
      size_t n = 0;
      double max = -INFINITY;
      int overflow = 0;
      /* In the order of the chain: P, then its list from the end (a
         single byte's list is itself).  */
      int32_t p = rank[k - from];
      const int32_t *c = tail + piece[p].tail, *q = c;
      if (*c != p)
        while (*q != none)
          q++;
      for (; p != none; p = q > c ? *--q : none)
        {
          /* log of the weight of the paths that end with this piece */
          w[n] = sc_e[-(ptrdiff_t) piece[p].len] + alpha * piece[p].score;
          if (w[n] == -INFINITY && piece[p].score > -INFINITY)
            overflow = 1;
          cand[n] = p;
          if (w[n] > max)
            max = w[n];
          n++;
        }
      /* A finite score whose weight is -inf is an overflow: the draw
         would lose that candidate, or be made on NaNs if it was the
         last one.  */
      if (overflow)
        return BP_ERANGE;
      /* exp (0) is 1 and log (1) is +0, exactly (C99 F.9.3): the
         calls are saved for the candidate of the highest weight and
         for a position whose weight is that one's alone (a single
         candidate, often), with the same bits.  But for a max of
         -inf, where the difference is NaN.  */
      double sum = 0;
      int finite = max > -INFINITY;
      for (size_t i = 0; i < n; i++)
        {
          w[i] = finite && w[i] == max ? 1.0 : exp (w[i] - max);
          sum += w[i];
        }
      double x = bp_rng_uniform (s->rng) * sum;
      size_t pick = n - 1;
      for (size_t i = 0; i < n; i++)
        {
          if (x < w[i])
            {
              pick = i;
              break;
            }
          x -= w[i];
        }
      *sc_e = max + (sum == 1.0 ? 0.0 : log (sum));
      set_last_len (s, k + 1, piece[cand[pick]].len);
    }
  return 0;
}

/* Append to OUT, in text order, the path that ends at position END of
   the window.  The piece that ends at position e > FROM is on the chain
   of RANK[e - FROM - 1], the automaton's output there; one that ends at
   or before FROM is looked up by its bytes in the window's text.  The
   path is walked back twice, to count its pieces and then to write them
   from the last, so that it needs no copy in reverse.  */
static int
emit_path (struct bp_segmenter *s, size_t end, const int32_t *rank,
           size_t from, struct bp_pieces *out)
{
  const struct bp_unigram_piece *piece = s->u->piece;
  const struct bp_automaton *ac = s->u->ac;
  size_t k = 0;
  for (size_t e = end; e > 0; e -= last_len (s, e))
    k++;
  if (pieces_reserve (out, k))
    return BP_ENOMEM;
  uint32_t *v = out->v + out->len + k;
  out->len += k;
  for (size_t e = end; e > 0;)
    {
      size_t len = last_len (s, e);
      int32_t id;
      if (e > from)
        {
          int32_t p = rank[e - from - 1];
          for (const int32_t *c = s->u->tail + piece[p].tail;
               piece[p].len != len; p = *c++)
            ;   /* the single byte is first, then from the shortest */
          id = ac->piece[p];
        }
      else
        id = bp_automaton_find (ac, s->text + e - len, len);
      *--v = (uint32_t) id;
      e -= len;
    }
  return 0;
}

/* Find the last position through which every path that may still become
   the final one passes.  After DONE bytes the final path's last boundary
   at or before DONE is one of the max_len positions ending at DONE (no
   piece is longer), and from each the chosen pieces lead back
   deterministically.  Later pieces start at or after the lowest of those
   positions, so nothing before the meeting point is read again.  Returns
   0 if the chains only meet at the start of the window.  */
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
      size_t step = last_len (s, hi);
      for (size_t i = 0; i < k; i++)
        if (s->chain[i] == hi)
          s->chain[i] = hi - step;
    }
}

/* Score the N bytes whose walk is RANK, after the window's; with TEXT
   (their bytes, or NULL) kept for the pieces that a later call emits.  */
static int
advance (struct bp_segmenter *s, const uint8_t *text, const int32_t *rank,
         size_t n)
{
  size_t old = s->len;

  if (reserve_positions (s, old + n + 1))
    return BP_ENOMEM;
  /* Scores are never rebased when the window slides: the sums must be
     the ones the reference computes, to the last bit.  */
  if (s->fresh)
    {
      s->score[s->score_off - s->score_base] = 0;
      s->fresh = 0;
    }
  if (text)
    memcpy (s->text + old, text, n);
  size_t len = old + n;
  s->len = len;
  if (s->alpha < 0)
    advance_best (s, rank, old, len);
  else if (advance_sample (s, rank, old, len))
    {
      bp_segmenter_start (s, s->alpha, s->rng);
      return BP_ERANGE;
    }
  s->done = len;
  return 0;
}

int
bp_segmenter_feed_ranks (struct bp_segmenter *s, const int32_t *rank,
                         size_t n, struct bp_pieces *out)
{
  int rc = advance (s, NULL, rank, n);
  if (rc == 0)
    rc = emit_path (s, s->len, rank, 0, out);
  bp_segmenter_start (s, s->alpha, s->rng);
  return rc;
}

int
bp_segmenter_feed (struct bp_segmenter *s, const uint8_t *text, size_t n,
                   int last, struct bp_pieces *out)
{
  /* Walk first, then score: the scores' loop can then fetch each byte's
     chain ahead of time.  Long inputs go in slices.  */
  enum { SLICE = 1 << 16 };
  do
    {
      size_t k = n < SLICE ? n : SLICE;
      if (s->rank_cap < k)
        {
          size_t cap = k < 4096 ? 4096 : SLICE;
          int32_t *r = realloc (s->rank, cap * sizeof *r);
          if (!r)
            return BP_ENOMEM;
          s->rank = r;
          s->rank_cap = cap;
        }
      s->state = bp_automaton_walk (s->u->ac, s->state, text, k, s->rank);
      size_t from = s->len;
      int rc = advance (s, text, s->rank, k);
      if (rc)
        return rc;
      if (last && k == n)
        {
          rc = emit_path (s, s->len, s->rank, from, out);
          bp_segmenter_start (s, s->alpha, s->rng);
          return rc;
        }
      if (s->done >= s->next_commit)
        {
          size_t r = common_position (s);
          if (r > 0)
            {
              if (emit_path (s, r, s->rank, from, out))
                return BP_ENOMEM;
              /* Slide the window so that R becomes position 0.  */
              size_t len = s->len, w = s->len8 ? 1 : sizeof *s->len32;
              void *l = s->len8 ? (void *) s->len8 : (void *) s->len32;
              memmove (l, (char *) l + r * w, (len + 1 - r) * w);
              memmove (s->text, s->text + r, len - r);
              s->score_off += r;
              s->len -= r;
              s->done -= r;
            }
          /* Looking for R reads the whole window: while the window
             stays long (no position that every path goes through, as
             in a run of one byte), look again only when it has grown
             by as much as it holds, so that the looking costs time in
             proportion to the chunk, not to its square.  */
          s->next_commit = s->done + (s->done > COMMIT_INTERVAL
                                      ? s->done : COMMIT_INTERVAL);
        }
      text += k;
      n -= k;
    }
  while (n);
  return 0;
}

int
bp_segment_best (struct bp_segmenter *s, const uint8_t *text, size_t n,
                 struct bp_pieces *out)
{
  bp_segmenter_start (s, -1, NULL);
  return bp_segmenter_feed (s, text, n, 1, out);
}
