/* SPDX-License-Identifier: Apache-2.0 */
/* Documents and chunks over a stream; see chunk.h.  */
#include <config.h>
#include "chunk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "jsonl.h"
#include "jsonpath.h"
#include "normalize.h"
#include "utf8.h"

/* How much is read at a time, and how long an unfinished chunk may grow
   before a piece of it is handed out.  Large reads keep system calls out
   of the profile; the fragment size bounds memory for endless lines.  */
enum
{
  READ_SIZE = 1 << 20,
  FRAGMENT_SIZE = 1 << 20
};

struct bp_chunker
{
  struct bp_chunk_params p;

  /* The input.  */
  int fd;
  int eof;
  int file_doc_started;     /* BP_DOC_FILE: its one document has begun */
  uint64_t bytes_read;
  uint64_t line;            /* lines of the input consumed so far */
  struct bp_buf raw;        /* bytes read, not yet consumed from RPOS */
  size_t rpos;

  /* The current document.  */
  int in_doc;
  int doc_done;             /* all of its text has been normalised */
  int no_doc;               /* its line holds none (BP_SPAN_NO_DOC) */

  /* BP_DOC_JSONL: the extractor of the member at JPATH; the text it
     decoded and NFC has not taken from JPOS; the line has ended (JEND),
     is not JSON (JBAD: the rest is passed over), or NFC needs more text
     than JDOC holds to go on (JSTUCK).  */
  struct bp_jsonpath jpath;
  struct bp_jsonl *jx;
  struct bp_buf jdoc;
  size_t jpos;
  int jend, jbad, jstuck;

  /* Lines skipped (SKIP_INVALID), why the first was, and the inputs
     opened so far, to say which one it was in.  */
  uint64_t skipped;
  struct bp_error skip_first;
  size_t inputs;

  /* Its normalised text: the current chunk starts at NPOS, has been
     scanned up to NSCAN.  */
  struct bp_nfc nfc;
  struct bp_buf norm;
  size_t npos, nscan;
  int in_lfs;               /* the scan is in the chunk's LF run */
  size_t body_chars, lfs;   /* characters and LFs of the chunk so far */
  int fragment_out;         /* part of the chunk was already handed out */
};

struct bp_chunker *
bp_chunker_new (const struct bp_chunk_params *p)
{
  struct bp_chunker *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->p = *p;
  if (!c->p.jsonl_key)
    c->p.jsonl_key = "text";
  if (c->p.mode == BP_DOC_JSONL
      && (bp_jsonpath_parse (c->p.jsonl_key, &c->jpath, NULL)
          || !(c->jx = bp_jsonl_new (&c->jpath))))
    {
      bp_chunker_free (c);
      return NULL;
    }
  if (!c->p.read_size)
    c->p.read_size = READ_SIZE;
  if (!c->p.fragment_size)
    c->p.fragment_size = FRAGMENT_SIZE;
  c->nfc.long_segment = c->p.nfc_long;
  c->fd = -1;
  c->eof = 1;
  return c;
}

void
bp_chunker_free (struct bp_chunker *c)
{
  if (!c)
    return;
  bp_buf_free (&c->raw);
  bp_buf_free (&c->jdoc);
  bp_buf_free (&c->norm);
  bp_nfc_free (&c->nfc);
  bp_jsonl_free (c->jx);
  bp_jsonpath_free (&c->jpath);
  free (c);
}

static void
reset_doc (struct bp_chunker *c)
{
  c->in_doc = c->doc_done = c->no_doc = 0;
  c->jdoc.len = c->jpos = 0;
  c->jend = c->jbad = c->jstuck = 0;
  c->norm.len = c->npos = c->nscan = 0;
  bp_nfc_reset (&c->nfc);
  c->in_lfs = 0;
  c->body_chars = c->lfs = 0;
  c->fragment_out = 0;
}

void
bp_chunker_open (struct bp_chunker *c, int fd)
{
  c->fd = fd;
  c->eof = 0;
  c->file_doc_started = 0;
  c->bytes_read = 0;
  c->line = 0;
  c->raw.len = c->rpos = 0;
  c->inputs++;
  reset_doc (c);
}

uint64_t
bp_chunker_skipped (const struct bp_chunker *c, struct bp_error *first)
{
  if (c->skipped && first)
    *first = c->skip_first;
  return c->skipped;
}

uint64_t
bp_chunker_bytes_read (const struct bp_chunker *c)
{
  return c->bytes_read;
}

/* The bytes of B from POS.  Before the first read a buffer has no
   memory, and NULL + 0 is undefined (clang's UBSan says so).  */
static inline const uint8_t *
buf_at (const struct bp_buf *b, size_t pos)
{
  return b->data ? b->data + pos : NULL;
}

/* Read more input after what RAW holds.  Returns 0 (EOF set at the end of
   the input) or a negative BP_E* code.  */
static int
read_more (struct bp_chunker *c, struct bp_error *err)
{
  if (c->rpos)
    {
      bp_buf_consume (&c->raw, c->rpos);
      c->rpos = 0;
    }
  if (bp_buf_grow (&c->raw, c->p.read_size))
    return bp_error_errno (err, ENOMEM);
  for (;;)
    {
      size_t room = c->raw.cap - c->raw.len;
      ssize_t n = read (c->fd, c->raw.data + c->raw.len,
                        room < c->p.read_size ? room : c->p.read_size);
      if (n > 0)
        {
          c->raw.len += (size_t) n;
          c->bytes_read += (uint64_t) n;
          return 0;
        }
      if (n == 0)
        {
          c->eof = 1;
          return 0;
        }
      if (errno != EINTR)
        return bp_error_errno (err, errno);
    }
}

/* BP_DOC_JSONL: feed the extractor the rest of the line that RAW holds
   (reading more first if it holds nothing), its text going to JDOC.
   Sets JEND at the end of the line.  Returns 0 or a negative BP_E*
   code: BP_EFORMAT, with ERR's line, when the line turns out not to be
   JSON and SKIP_INVALID does not pass over it.  */
static int
jsonl_more (struct bp_chunker *c, struct bp_error *err)
{
  int rc;
  if (c->rpos == c->raw.len)
    {
      if (!c->eof && (rc = read_more (c, err)))
        return rc;
      if (c->rpos == c->raw.len)
        {
          c->jend = c->eof;
          return 0;
        }
    }
  const uint8_t *src = c->raw.data + c->rpos;
  size_t n = c->raw.len - c->rpos;
  const uint8_t *lf = memchr (src, '\n', n);
  if (lf)
    n = (size_t) (lf - src);
  if (!c->jbad)
    {
      struct bp_error e = { 0 };
      rc = bp_jsonl_feed (c->jx, src, n, &c->jdoc, &e);
      if (rc == BP_EFORMAT && !c->p.skip_invalid)
        {
          e.line = c->line;
          if (err)
            *err = e;
          return rc;
        }
      if (rc == BP_EFORMAT)
        c->jbad = 1;
      else if (rc)
        return bp_error_errno (err, ENOMEM);
    }
  c->rpos += n;
  if (lf)
    {
      c->rpos++;
      c->jend = 1;
    }
  return 0;
}

/* BP_DOC_JSONL: the line has ended; is it a document?  Returns 1 if it
   is, 0 if it holds none (blank, or skipped: counted), or BP_EFORMAT
   with ERR filled.  */
static int
jsonl_verdict (struct bp_chunker *c, struct bp_error *err)
{
  struct bp_error e = { 0 };
  switch (bp_jsonl_end (c->jx, &e))
    {
    case BP_JSONL_TEXT:
      return 1;
    case BP_JSONL_BLANK:
      return 0;
    default:
      break;
    }
  e.line = c->line;
  if (!c->p.skip_invalid)
    {
      if (err)
        *err = e;
      return BP_EFORMAT;
    }
  if (c->skipped++ == 0)
    {
      c->skip_first = e;
      bp_error_at_input (&c->skip_first, c->inputs - 1);
    }
  return 0;
}

/* BP_DOC_JSONL: begin the next line, which begins a document.  Its
   text streams from the moment the member's string begins; with
   SKIP_INVALID it waits for the end of the line, which says whether the
   line is a document.  Returns 1, 0 at the end of the input, or a
   negative BP_E* code.  */
static int
start_line (struct bp_chunker *c, struct bp_error *err)
{
  int rc;
  while (c->rpos == c->raw.len)
    {
      if (c->eof)
        return 0;
      if ((rc = read_more (c, err)))
        return rc;
    }
  c->line++;
  bp_jsonl_start (c->jx);
  while (!c->jend && (c->p.skip_invalid || !bp_jsonl_found (c->jx)))
    if ((rc = jsonl_more (c, err)))
      return rc;
  c->in_doc = 1;
  if (c->jend && (rc = jsonl_verdict (c, err)) <= 0)
    {
      if (rc < 0)
        return rc;
      /* A line that holds no document still makes one, empty.  */
      c->jdoc.len = 0;
      c->no_doc = c->doc_done = 1;
    }
  return 1;
}

/* Begin the next document.  Returns 1, 0 at the end of the input, or a
   negative BP_E* code.  */
static int
start_doc (struct bp_chunker *c, struct bp_error *err)
{
  int rc;

  switch (c->p.mode)
    {
    case BP_DOC_FILE:
      if (c->file_doc_started)
        return 0;
      c->file_doc_started = 1;
      break;

    case BP_DOC_LINES:
      while (c->rpos == c->raw.len)
        {
          if (c->eof)
            return 0;
          if ((rc = read_more (c, err)))
            return rc;
        }
      break;

    case BP_DOC_JSONL:
      return start_line (c, err);
    }
  c->in_doc = 1;
  return 1;
}

/* Has the normaliser more of the text it took to write out?  */
static int
nfc_busy (const struct bp_chunker *c)
{
  return c->p.normalize && bp_nfc_busy (&c->nfc);
}

/* Append the text in SRC (N bytes; COMPLETE if it ends the document) to
   NORM, normalised if asked.  *USED receives how much was taken.  */
static int
take_text (struct bp_chunker *c, const uint8_t *src, size_t n, int complete,
           size_t *used, struct bp_error *err)
{
  if (c->p.normalize)
    {
      if (bp_nfc_stream (&c->nfc, &c->norm, src, n, complete, used))
        return bp_error_errno (err, ENOMEM);
      return 0;
    }
  if (bp_buf_append (&c->norm, src, n))
    return bp_error_errno (err, ENOMEM);
  *used = n;
  return 0;
}

/* Move more of the current document's text into NORM: at least one byte,
   or the end of the document.  Returns 0 or a negative BP_E* code.  */
static int
fill (struct bp_chunker *c, struct bp_error *err)
{
  size_t before = c->norm.len;
  int rc;

  if (c->npos)
    {
      bp_buf_consume (&c->norm, c->npos);
      c->nscan -= c->npos;
      c->npos = 0;
    }
  before = c->norm.len;

  while (c->norm.len == before && !c->doc_done)
    {
      const uint8_t *src;
      size_t n, used;
      int complete;
      const uint8_t *lf = NULL;

      switch (c->p.mode)
        {
        case BP_DOC_JSONL:
          if (!c->jend && (c->jpos == c->jdoc.len || c->jstuck))
            {
              /* More of the member, after what NFC left of it.  */
              bp_buf_consume (&c->jdoc, c->jpos);
              c->jpos = 0;
              c->jstuck = 0;
              if ((rc = jsonl_more (c, err)))
                return rc;
              if (c->jend && (rc = jsonl_verdict (c, err)) < 0)
                return rc;
              continue;
            }
          /* A slice at a time, so that NORM stays small when JDOC holds
             a whole member (SKIP_INVALID); all of it if NFC could take
             nothing of a slice.  */
          src = buf_at (&c->jdoc, c->jpos);
          n = c->jdoc.len - c->jpos;
          complete = c->jend;
          if (n > c->p.read_size && !c->jstuck)
            {
              n = c->p.read_size;
              complete = 0;
            }
          c->jstuck = 0;
          if ((rc = take_text (c, src, n, complete, &used, err)))
            return rc;
          c->jpos += used;
          if (c->jend && c->jpos == c->jdoc.len && !nfc_busy (c))
            c->doc_done = 1;
          else if (used == 0 && !nfc_busy (c))
            c->jstuck = 1;
          continue;

        case BP_DOC_LINES:
          src = buf_at (&c->raw, c->rpos);
          n = c->raw.len - c->rpos;
          lf = n ? memchr (src, '\n', n) : NULL;
          if (lf)
            n = (size_t) (lf - src);
          complete = lf || c->eof;
          break;

        default:
          src = buf_at (&c->raw, c->rpos);
          n = c->raw.len - c->rpos;
          complete = c->eof;
          break;
        }

      if ((rc = take_text (c, src, n, complete, &used, err)))
        return rc;
      c->rpos += used;
      if (complete && used == n && !nfc_busy (c))
        {
          c->doc_done = 1;
          if (lf)
            {
              c->rpos++;
              c->line++;
            }
        }
      else if (used == 0 && !nfc_busy (c) && (rc = read_more (c, err)))
        return rc;
    }
  return 0;
}

static int
emit (struct bp_chunker *c, struct bp_span *span, size_t end, unsigned flags)
{
  span->data = buf_at (&c->norm, c->npos);
  span->len = end - c->npos;
  span->flags = flags;
  c->npos = end;
  if (flags & BP_SPAN_CHUNK_END)
    {
      c->in_lfs = 0;
      c->body_chars = c->lfs = 0;
      c->fragment_out = 0;
    }
  return 1;
}

/* Find the end of the current chunk in what NORM holds, the common case
   with no cuts: the chunk ends where a non-LF byte follows its LF run.  */
static int
scan_plain (struct bp_chunker *c, struct bp_span *span)
{
  const uint8_t *d = c->norm.data;
  size_t n = c->norm.len;

  while (c->nscan < n)
    {
      if (!c->in_lfs)
        {
          const uint8_t *q = memchr (d + c->nscan, '\n', n - c->nscan);
          if (!q)
            {
              c->nscan = n;
              break;
            }
          c->nscan = (size_t) (q - d);
          c->in_lfs = 1;
        }
      while (c->nscan < n && d[c->nscan] == '\n')
        c->nscan++;
      if (c->nscan < n)
        return emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
    }
  return 0;
}

/* The same with the training rules: bodies cut every MAX_CHARS
   characters, LF runs every MAX_LFS, digits alone.  These follow the
   regular expressions '.{,M}\n{1,L}|.{1,M}' and, with digits,
   '\d|[^\n\d]{,M}\n{1,L}|[^\n\d]{1,M}' of BytePiece's normalize().  */
static int
scan_cut (struct bp_chunker *c, struct bp_span *span)
{
  const uint8_t *d = c->norm.data;
  size_t n = c->norm.len;
  size_t max_chars = c->p.max_chars, max_lfs = c->p.max_lfs;

  while (c->nscan < n)
    {
      uint8_t b = d[c->nscan];

      if (c->in_lfs)
        {
          if (b != '\n')
            return emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
          if (max_lfs && c->lfs == max_lfs)
            {
              /* The rest of the run starts a chunk with an empty body.  */
              emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
              c->in_lfs = 1;
              return 1;
            }
          c->lfs++;
          c->nscan++;
          continue;
        }

      if (b == '\n')
        {
          c->in_lfs = 1;
          continue;
        }

      size_t len = 1;
      uint32_t cp = b;
      if (b >= 0x80)
        {
          len = bp_utf8_seqlen (d + c->nscan, n - c->nscan);
          if (len)
            cp = bp_utf8_decode (d + c->nscan, len);
          else if (!c->doc_done && bp_utf8_is_partial (d + c->nscan,
                                                        n - c->nscan))
            return 0;
          else
            len = 1;  /* an invalid byte: one character, never a digit */
        }

      if (c->p.isolate_digits && (b >= 0x80 ? len > 1 : 1) && bp_is_digit (cp))
        {
          if (c->body_chars)
            return emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
          c->nscan += len;
          return emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
        }
      if (max_chars && c->body_chars == max_chars)
        return emit (c, span, c->nscan, BP_SPAN_CHUNK_END);
      c->body_chars++;
      c->nscan += len;
    }
  return 0;
}

int
bp_chunker_next (struct bp_chunker *c, struct bp_span *span,
                 struct bp_error *err)
{
  int cut = c->p.max_chars || c->p.max_lfs || c->p.isolate_digits;
  int rc;

  for (;;)
    {
      if (!c->in_doc)
        {
          if (c->fd < 0)
            return 0;
          rc = start_doc (c, err);
          if (rc <= 0)
            return rc;
        }

      rc = cut ? scan_cut (c, span) : scan_plain (c, span);
      if (rc)
        return rc;

      if (c->doc_done)
        {
          unsigned flags = BP_SPAN_DOC_END;
          if (c->norm.len > c->npos || c->fragment_out)
            flags |= BP_SPAN_CHUNK_END;
          if (c->no_doc)
            flags |= BP_SPAN_NO_DOC;
          emit (c, span, c->norm.len, flags);
          /* The span stays valid: reset_doc only forgets the bytes.  */
          reset_doc (c);
          return 1;
        }

      /* A chunk that will not end soon goes out in pieces, unless the
         training cuts bound it anyway.  */
      if ((!c->p.max_chars || !c->p.max_lfs)
          && c->nscan - c->npos >= c->p.fragment_size)
        {
          emit (c, span, c->nscan, 0);
          c->fragment_out = 1;
          return 1;
        }

      if ((rc = fill (c, err)))
        return rc;
    }
}
