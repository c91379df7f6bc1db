/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming extractor of --jsonl documents; see jsonl.h.  */
#include <config.h>
#include "jsonl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "jsonpath.h"
#include "system.h"

/* Where the scanner stands.  */
enum
{
  S_VALUE,         /* a value must come */
  S_VALUE_OR_END,  /* after '[': a value or ']' */
  S_NAME_OR_END,   /* after '{': a name or '}' */
  S_NAME,          /* after ',' in an object: a name */
  S_COLON,         /* after a name */
  S_AFTER,         /* after a value: ',', the container's end, or at
                      depth 0 the end of the line */
  S_STRING,
  S_NUMBER,
  S_LITERAL,
  S_INVALID
};

/* Inside a string.  */
enum
{
  STR_CHAR,    /* characters */
  STR_ESC,     /* after '\' */
  STR_HEX,     /* in the four digits of \u (HI: after a high surrogate) */
  STR_HI,      /* after a high surrogate's escape */
  STR_HI_ESC   /* after a high surrogate's escape and a '\' */
};

/* What a string is for.  */
enum
{
  ROLE_SKIP,   /* only checked */
  ROLE_NAME,   /* a name compared with the path's next one */
  ROLE_TEXT    /* the member: decoded into the caller's buffer */
};

/* Inside a number, after: '-', a leading 0, integer digits, '.',
   fraction digits, 'e', the exponent's sign, exponent digits.  */
enum
{
  N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP
};

/* What the line is found to hold so far.  Once it is not R_SEARCHING it
   never changes (the first of duplicate names decides): the rest of the
   line is only checked.  */
enum
{
  R_SEARCHING,   /* the path's names are being looked for */
  R_TEXT,        /* the member is a string */
  R_NOT_STRING,  /* the member is KIND */
  R_NOT_OBJECT,  /* what the first LVL names lead to is KIND */
  R_MISSING      /* the object the first LVL names lead to lacks the next */
};

struct bp_jsonl
{
  const struct bp_jsonpath *path;

  uint8_t state, str, role, num;
  int is_name;            /* the string is a name: a ':' follows */
  const char *lit;        /* S_LITERAL: the literal, and how much was read */
  size_t litpos;
  unsigned nhex;          /* STR_HEX: digits read, their value */
  uint32_t hex;
  uint32_t hi;            /* a high surrogate waiting for its low one */
  int blank;              /* nothing but white space so far */
  uint64_t pos;           /* bytes of the line scanned before this feed */

  /* The open containers: a bit each, 1 for an object.  */
  size_t depth;
  struct bp_buf stack;

  /* The path: LVL names followed; FOLLOW when the next value is the one
     they name; a name being compared matches its first NPOS bytes (or
     NBAD when it already differs).  */
  size_t lvl;
  int follow;
  size_t npos;
  int nbad;
  int res;
  const char *kind;       /* N_() what the value found instead is */

  /* Why the line is not JSON, and at which byte (UINT64_MAX: its end).  */
  const char *why;
  uint64_t where;
};

struct bp_jsonl *
bp_jsonl_new (const struct bp_jsonpath *path)
{
  struct bp_jsonl *j = calloc (1, sizeof *j);
  if (!j)
    return NULL;
  j->path = path;
  bp_jsonl_start (j);
  return j;
}

void
bp_jsonl_free (struct bp_jsonl *j)
{
  if (!j)
    return;
  bp_buf_free (&j->stack);
  free (j);
}

void
bp_jsonl_start (struct bp_jsonl *j)
{
  j->state = S_VALUE;
  j->str = STR_CHAR;
  j->role = ROLE_SKIP;
  j->hi = 0;
  j->blank = 1;
  j->pos = 0;
  j->depth = 0;
  j->stack.len = 0;
  /* The line itself is the first value the path leads through.  */
  j->lvl = 0;
  j->follow = 1;
  j->res = R_SEARCHING;
  j->kind = NULL;
  j->why = NULL;
}

int
bp_jsonl_found (const struct bp_jsonl *j)
{
  return j->res == R_TEXT;
}

static inline int
is_space (uint8_t b)
{
  return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static inline int
is_digit (uint8_t b)
{
  return b >= '0' && b <= '9';
}

/* Bytes of the current string: into OUT if it is the member, against the
   path's name if it is a name to compare.  */
static int
put (struct bp_jsonl *j, const uint8_t *p, size_t n, struct bp_buf *out)
{
  if (j->role == ROLE_TEXT)
    return bp_buf_append (out, p, n);
  if (j->role == ROLE_NAME && !j->nbad)
    {
      const struct bp_jsonpath_name *want = &j->path->name[j->lvl];
      if (n > want->len - j->npos || memcmp (want->data + j->npos, p, n))
        j->nbad = 1;
      else
        j->npos += n;
    }
  return 0;
}

/* The UTF-8 bytes of code point CP (below 0x110000; surrogates too, in
   the generalised form).  */
static int
put_cp (struct bp_jsonl *j, uint32_t cp, struct bp_buf *out)
{
  uint8_t u[4];
  size_t n;
  if (cp < 0x80)
    {
      u[0] = (uint8_t) cp;
      n = 1;
    }
  else if (cp < 0x800)
    {
      u[0] = (uint8_t) (0xC0 | cp >> 6);
      u[1] = (uint8_t) (0x80 | (cp & 0x3F));
      n = 2;
    }
  else if (cp < 0x10000)
    {
      u[0] = (uint8_t) (0xE0 | cp >> 12);
      u[1] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
      u[2] = (uint8_t) (0x80 | (cp & 0x3F));
      n = 3;
    }
  else
    {
      u[0] = (uint8_t) (0xF0 | cp >> 18);
      u[1] = (uint8_t) (0x80 | ((cp >> 12) & 0x3F));
      u[2] = (uint8_t) (0x80 | ((cp >> 6) & 0x3F));
      u[3] = (uint8_t) (0x80 | (cp & 0x3F));
      n = 4;
    }
  return put (j, u, n, out);
}

/* A surrogate escape without its partner: \udc80..\udcff is the byte it
   escapes (surrogateescape), any other its generalised UTF-8 form.  */
static int
put_lone (struct bp_jsonl *j, uint32_t cu, struct bp_buf *out)
{
  if (cu >= 0xDC80 && cu <= 0xDCFF)
    {
      uint8_t b = (uint8_t) (cu - 0xDC00);
      return put (j, &b, 1, out);
    }
  return put_cp (j, cu, out);
}

/* The code unit CU of a complete \u escape.  */
static int
code_unit (struct bp_jsonl *j, uint32_t cu, struct bp_buf *out)
{
  int rc;
  j->str = STR_CHAR;
  if (j->hi)
    {
      uint32_t hi = j->hi;
      j->hi = 0;
      if (cu >= 0xDC00 && cu <= 0xDFFF)
        return put_cp (j, 0x10000 + ((hi - 0xD800) << 10) + (cu - 0xDC00),
                       out);
      if ((rc = put_lone (j, hi, out)))
        return rc;
    }
  if (cu >= 0xD800 && cu <= 0xDBFF)
    {
      j->hi = cu;
      j->str = STR_HI;
      return 0;
    }
  if (cu >= 0xDC00 && cu <= 0xDFFF)
    return put_lone (j, cu, out);
  return put_cp (j, cu, out);
}

static int
push (struct bp_jsonl *j, int object)
{
  if ((j->depth >> 3) >= j->stack.len && bp_buf_putc (&j->stack, 0))
    return BP_ENOMEM;
  uint8_t bit = (uint8_t) (1u << (j->depth & 7));
  if (object)
    j->stack.data[j->depth >> 3] |= bit;
  else
    j->stack.data[j->depth >> 3] &= (uint8_t) ~bit;
  j->depth++;
  return 0;
}

static int
in_object (const struct bp_jsonl *j)
{
  size_t d = j->depth - 1;
  return (j->stack.data[d >> 3] >> (d & 7)) & 1;
}

/* A container ends.  */
static void
pop (struct bp_jsonl *j)
{
  /* The object the path leads to ends without the next name.  */
  if (j->res == R_SEARCHING && j->depth == j->lvl + 1)
    j->res = R_MISSING;
  j->depth--;
  j->state = S_AFTER;
}

/* The first byte B of a value.  Returns 0, 1 when B cannot start one, or
   BP_ENOMEM.  */
static int
value_start (struct bp_jsonl *j, uint8_t b)
{
  const char *kind;
  switch (b)
    {
    case '{':
      kind = N_("an object");
      break;
    case '[':
      kind = N_("an array");
      break;
    case '"':
      kind = N_("a string");
      break;
    case 't':
      kind = N_("true");
      break;
    case 'f':
      kind = N_("false");
      break;
    case 'n':
      kind = N_("null");
      break;
    default:
      if (b != '-' && !is_digit (b))
        return 1;
      kind = N_("a number");
      break;
    }

  int follow = j->follow;
  j->follow = 0;
  if (follow)
    {
      if (j->lvl == j->path->n)
        j->res = b == '"' ? R_TEXT : R_NOT_STRING;
      else if (b != '{')
        j->res = R_NOT_OBJECT;
      j->kind = kind;
    }

  switch (b)
    {
    case '{':
      j->state = S_NAME_OR_END;
      return push (j, 1);
    case '[':
      j->state = S_VALUE_OR_END;
      return push (j, 0);
    case '"':
      j->state = S_STRING;
      j->str = STR_CHAR;
      j->is_name = 0;
      j->role = follow && j->res == R_TEXT ? ROLE_TEXT : ROLE_SKIP;
      return 0;
    case 't':
    case 'f':
    case 'n':
      j->state = S_LITERAL;
      j->lit = b == 't' ? "true" : b == 'f' ? "false" : "null";
      j->litpos = 1;
      return 0;
    default:
      j->state = S_NUMBER;
      j->num = b == '-' ? N_MINUS : b == '0' ? N_ZERO : N_INT;
      return 0;
    }
}

/* A name begins (its '"' was read).  */
static void
name_start (struct bp_jsonl *j)
{
  j->state = S_STRING;
  j->str = STR_CHAR;
  j->is_name = 1;
  j->role = j->res == R_SEARCHING && j->depth == j->lvl + 1 ? ROLE_NAME
                                                            : ROLE_SKIP;
  j->npos = 0;
  j->nbad = 0;
}

/* The closing '"' of a string.  */
static void
string_end (struct bp_jsonl *j)
{
  if (j->role == ROLE_NAME && !j->nbad
      && j->npos == j->path->name[j->lvl].len)
    {
      /* The first member of that name: its value is the one.  */
      j->lvl++;
      j->follow = 1;
    }
  j->role = ROLE_SKIP;
  j->state = j->is_name ? S_COLON : S_AFTER;
}

static int
hexval (uint8_t b)
{
  if (is_digit (b))
    return b - '0';
  b |= 0x20;
  if (b >= 'a' && b <= 'f')
    return b - 'a' + 10;
  return -1;
}

/* Record that the line is not JSON at byte AT of this feed, because of
   WHY.  */
static int
invalid (struct bp_jsonl *j, uint64_t at, const char *why)
{
  j->state = S_INVALID;
  j->why = why;
  j->where = at;
  return BP_EFORMAT;
}

/* One byte of a string that is not a plain character: an escape, or
   what follows a high surrogate.  Returns 0 with *TAKEN set when it was
   consumed (else it is looked at again), 1 when it is not JSON, or
   BP_ENOMEM.  */
static int
string_byte (struct bp_jsonl *j, uint8_t b, int *taken, struct bp_buf *out)
{
  int rc;
  *taken = 1;
  switch (j->str)
    {
    case STR_ESC:
      {
        uint8_t c;
        switch (b)
          {
          case '"':
          case '\\':
          case '/':
            c = b;
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'u':
            j->str = STR_HEX;
            j->nhex = 0;
            j->hex = 0;
            return 0;
          default:
            return 1;
          }
        j->str = STR_CHAR;
        return put (j, &c, 1, out);
      }

    case STR_HEX:
      {
        int v = hexval (b);
        if (v < 0)
          return 1;
        j->hex = j->hex << 4 | (uint32_t) v;
        if (++j->nhex < 4)
          return 0;
        return code_unit (j, j->hex, out);
      }

    case STR_HI:
      if (b == '\\')
        {
          j->str = STR_HI_ESC;
          return 0;
        }
      break;

    case STR_HI_ESC:
      if (b == 'u')
        {
          j->str = STR_HEX;
          j->nhex = 0;
          j->hex = 0;
          return 0;
        }
      /* Another escape: the surrogate was alone.  */
      if ((rc = put_lone (j, j->hi, out)))
        return rc;
      j->hi = 0;
      j->str = STR_ESC;
      *taken = 0;
      return 0;
    }

  /* STR_HI and anything but a backslash: the surrogate was alone.  */
  if ((rc = put_lone (j, j->hi, out)))
    return rc;
  j->hi = 0;
  j->str = STR_CHAR;
  *taken = 0;
  return 0;
}

/* The scanner over S[0..N).  Returns 0, BP_EFORMAT or BP_ENOMEM.  */
static int
scan (struct bp_jsonl *j, const uint8_t *s, size_t n, struct bp_buf *out)
{
  size_t i = 0;
  int rc;

  while (i < n)
    {
      uint8_t b = s[i];
      switch (j->state)
        {
        case S_VALUE:
        case S_VALUE_OR_END:
          if (is_space (b))
            break;
          j->blank = 0;
          if (b == ']' && j->state == S_VALUE_OR_END)
            {
              pop (j);
              break;
            }
          if ((rc = value_start (j, b)))
            return rc < 0 ? rc : invalid (j, j->pos + i,
                                          N_("a value was expected"));
          break;

        case S_NAME_OR_END:
        case S_NAME:
          if (is_space (b))
            break;
          if (b == '"')
            name_start (j);
          else if (b == '}' && j->state == S_NAME_OR_END)
            pop (j);
          else
            return invalid (j, j->pos + i, N_("a member name was expected"));
          break;

        case S_COLON:
          if (is_space (b))
            break;
          if (b != ':')
            return invalid (j, j->pos + i, N_("':' was expected"));
          j->state = S_VALUE;
          break;

        case S_AFTER:
          if (is_space (b))
            break;
          if (j->depth == 0)
            return invalid (j, j->pos + i, N_("text after the value"));
          if (in_object (j))
            {
              if (b == ',')
                j->state = S_NAME;
              else if (b == '}')
                pop (j);
              else
                return invalid (j, j->pos + i, N_("',' or '}' was expected"));
            }
          else
            {
              if (b == ',')
                j->state = S_VALUE;
              else if (b == ']')
                pop (j);
              else
                return invalid (j, j->pos + i, N_("',' or ']' was expected"));
            }
          break;

        case S_STRING:
          if (j->str == STR_CHAR)
            {
              /* The plain characters, in one run.  */
              size_t k = i;
              while (k < n && s[k] >= 0x20 && s[k] != '"' && s[k] != '\\')
                k++;
              if (k > i)
                {
                  if ((rc = put (j, s + i, k - i, out)))
                    return rc;
                  i = k;
                  continue;
                }
              if (b == '"')
                string_end (j);
              else if (b == '\\')
                j->str = STR_ESC;
              else
                return invalid (j, j->pos + i,
                                N_("a control character in a string"));
              break;
            }
          else
            {
              int taken;
              if ((rc = string_byte (j, b, &taken, out)))
                return rc < 0 ? rc : invalid (j, j->pos + i,
                                              N_("an invalid escape"));
              if (!taken)
                continue;
            }
          break;

        case S_NUMBER:
          if (is_digit (b))
            {
              switch (j->num)
                {
                case N_ZERO:
                  /* A leading zero is the whole integer part: the digit
                     after it is not part of the number.  */
                  j->state = S_AFTER;
                  continue;
                case N_MINUS:
                  j->num = b == '0' ? N_ZERO : N_INT;
                  break;
                case N_DOT:
                  j->num = N_FRAC;
                  break;
                case N_E:
                case N_ESIGN:
                  j->num = N_EXP;
                  break;
                }
              break;
            }
          if (b == '.' && (j->num == N_ZERO || j->num == N_INT))
            j->num = N_DOT;
            else if ((b == 'e' || b == 'E')
                   && (j->num == N_ZERO || j->num == N_INT
                       || j->num == N_FRAC))
            j->num = N_E;
          else if ((b == '+' || b == '-') && j->num == N_E)
            j->num = N_ESIGN;
          else if (j->num == N_MINUS || j->num == N_DOT || j->num == N_E
                   || j->num == N_ESIGN)
            return invalid (j, j->pos + i, N_("an invalid number"));
          else
            {
              /* The number ended before this byte.  */
              j->state = S_AFTER;
              continue;
            }
          break;

        case S_LITERAL:
          if (b != (uint8_t) j->lit[j->litpos])
            return invalid (j, j->pos + i, N_("an invalid literal"));
          if (!j->lit[++j->litpos])
            j->state = S_AFTER;
          break;

        case S_INVALID:
          return BP_EFORMAT;
        }
      i++;
    }
  return 0;
}

/* Fill ERR with why the line is not JSON.  */
static int
say_invalid (const struct bp_jsonl *j, struct bp_error *err)
{
  if (j->where == UINT64_MAX)
    return bp_error_set (err, BP_EFORMAT, 0, _("invalid JSON: %s"),
                         _(j->why));
  return bp_error_set (err, BP_EFORMAT, 0,
                       _("invalid JSON at byte %" PRIu64 ": %s"),
                       j->where + 1, _(j->why));
}

int
bp_jsonl_feed (struct bp_jsonl *j, const void *in, size_t n,
               struct bp_buf *out, struct bp_error *err)
{
  if (j->state == S_INVALID)
    return say_invalid (j, err);
  int rc = scan (j, in, n, out);
  j->pos += n;
  if (rc == BP_EFORMAT)
    return say_invalid (j, err);
  if (rc)
    return bp_error_errno (err, ENOMEM);
  return 0;
}

enum bp_jsonl_result
bp_jsonl_end (struct bp_jsonl *j, struct bp_error *err)
{
  const struct bp_jsonpath *p = j->path;

  if (j->state == S_NUMBER)
    {
      if (j->num == N_MINUS || j->num == N_DOT || j->num == N_E
          || j->num == N_ESIGN)
        invalid (j, UINT64_MAX, N_("the line ends inside a number"));
      else
        j->state = S_AFTER;
    }
  if (j->state == S_VALUE && j->depth == 0 && j->blank)
    return BP_JSONL_BLANK;
  if (j->state == S_STRING)
    invalid (j, UINT64_MAX, N_("the line ends inside a string"));
  else if (j->state != S_AFTER && j->state != S_INVALID)
    invalid (j, UINT64_MAX, N_("the line ends before the value does"));
  else if (j->state == S_AFTER && j->depth)
    invalid (j, UINT64_MAX, N_("the line ends before the value does"));
  if (j->state == S_INVALID)
    {
      say_invalid (j, err);
      return BP_JSONL_INVALID;
    }

  /* KEY comes from the command line, but may hold anything: it is
     quoted as input is.  */
  char q[BP_QUOTE_SIZE (BP_QUOTE_INPUT)], qp[BP_QUOTE_SIZE (BP_QUOTE_INPUT)];
  if (j->res != R_TEXT)
    bp_escape_quote (q, BP_QUOTE_INPUT, p->key, strlen (p->key));
  switch (j->res)
    {
    case R_TEXT:
      return BP_JSONL_TEXT;
    case R_NOT_STRING:
      bp_error_set (err, BP_EFORMAT, 0, _("member \"%s\" is %s, not a string"),
                    q, _(j->kind));
      break;
    case R_NOT_OBJECT:
      if (j->lvl == 0)
        bp_error_set (err, BP_EFORMAT, 0,
                      _("the line is %s, not a JSON object"), _(j->kind));
      else
        bp_error_set (err, BP_EFORMAT, 0,
                      _("no member \"%s\": \"%s\" is %s, not an object"), q,
                      bp_escape_quote (qp, BP_QUOTE_INPUT, p->key,
                                       p->end[j->lvl - 1]),
                      _(j->kind));
      break;
    default:
      bp_error_set (err, BP_EFORMAT, 0, _("no member \"%s\""), q);
      break;
    }
  return BP_JSONL_NO_TEXT;
}

int
bp_jsonl_extract (const void *line, size_t len, const char *key,
                  struct bp_buf *out, struct bp_error *err)
{
  struct bp_jsonpath path;
  int rc = bp_jsonpath_parse (key, &path, err);
  if (rc)
    return rc;
  struct bp_jsonl *j = bp_jsonl_new (&path);
  if (!j)
    {
      bp_jsonpath_free (&path);
      return bp_error_errno (err, ENOMEM);
    }
  size_t before = out->len;
  rc = bp_jsonl_feed (j, line, len, out, err);
  if (rc != BP_ENOMEM)
    switch (bp_jsonl_end (j, err))
      {
      case BP_JSONL_TEXT:
        rc = 1;
        break;
      case BP_JSONL_BLANK:
        rc = 0;
        break;
      default:
        rc = BP_EFORMAT;
        break;
      }
  if (rc <= 0)
    out->len = before;
  bp_jsonl_free (j);
  bp_jsonpath_free (&path);
  return rc;
}
