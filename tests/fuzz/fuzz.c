/* SPDX-License-Identifier: Apache-2.0 */
/* What the fuzz targets share; see fuzz.h.  */
#include <config.h>
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <uninorm.h>

#include "buf.h"
#include "error.h"
#include "model.h"
#include "utf8.h"

void
fuzz_fail (const char *file, int line, const char *what)
{
  fprintf (stderr, "%s:%d: check failed: %s\n", file, line, what);
  fflush (stderr);
  abort ();
}

int
fuzz_fd (int slot, const void *data, size_t n)
{
  static int fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };

  FUZZ_CHECK (slot >= 0 && slot < 8);
  if (fds[slot] < 0)
    {
      fds[slot] = memfd_create ("fuzz", MFD_CLOEXEC);
      FUZZ_CHECK (fds[slot] >= 0);
    }
  int fd = fds[slot];
  FUZZ_CHECK (ftruncate (fd, 0) == 0);
  FUZZ_CHECK (lseek (fd, 0, SEEK_SET) == 0);
  const uint8_t *p = data;
  while (n)
    {
      ssize_t k = write (fd, p, n);
      FUZZ_CHECK (k > 0);
      p += k;
      n -= (size_t) k;
    }
  FUZZ_CHECK (lseek (fd, 0, SEEK_SET) == 0);
  return fd;
}

FILE *
fuzz_stream (int slot, const void *data, size_t n)
{
  int fd = dup (fuzz_fd (slot, data, n));
  FUZZ_CHECK (fd >= 0);
  FILE *f = fdopen (fd, "r");
  FUZZ_CHECK (f != NULL);
  return f;
}

void
fuzz_nfc (const uint8_t *s, size_t n, struct bp_buf *out)
{
  size_t i = 0;
  while (i < n)
    {
      /* The longest well-formed stretch from I.  */
      size_t j = i, len;
      while (j < n && (len = bp_utf8_seqlen (s + j, n - j)))
        j += len;
      if (j > i)
        {
          size_t rlen = 0;
          uint8_t *r = u8_normalize (UNINORM_NFC, s + i, j - i, NULL, &rlen);
          FUZZ_CHECK (r != NULL);
          FUZZ_CHECK (bp_buf_append (out, r, rlen) == 0);
          free (r);
          i = j;
        }
      else
        {
          FUZZ_CHECK (bp_buf_putc (out, s[i]) == 0);
          i++;
        }
    }
}

void
fuzz_check_message (const struct bp_error *err)
{
  const uint8_t *d = (const uint8_t *) err->detail;
  size_t n = strnlen (err->detail, sizeof err->detail);

  FUZZ_CHECK (n < sizeof err->detail);
  for (size_t i = 0; i < n;)
    {
      FUZZ_CHECK (d[i] >= 0x20 && d[i] != 0x7F);
      size_t len = bp_utf8_seqlen (d + i, n - i);
      FUZZ_CHECK (len > 0);
      i += len;
    }
}

struct bp_model *
fuzz_model (void)
{
  static const char *const longer[] = {
    "aa", "ab", "abc", "he", "the", " the", "  ", " \t", "\n\n", "\n\n\n",
    "\xe4\xb8\xad", "\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87",
    "\xc3\xa9", "e\xcc\x81", "\xcc\x81", "\xcc\x81\xcc\x81", "12", "<bos>",
    "\\x", "a b", "\xff\xfe"
  };
  enum { NLONG = sizeof longer / sizeof *longer, N = 256 + NLONG };
  static uint8_t bytes[256];
  const uint8_t *pieces[N];
  size_t lens[N];
  uint64_t counts[N];

  for (int b = 0; b < 256; b++)
    {
      bytes[b] = (uint8_t) b;
      pieces[b] = bytes + b;
      lens[b] = 1;
      counts[b] = 1 + (uint64_t) (b % 13);
    }
  for (int i = 0; i < NLONG; i++)
    {
      pieces[256 + i] = (const uint8_t *) longer[i];
      lens[256 + i] = strlen (longer[i]);
      counts[256 + i] = 40 + 7 * (uint64_t) i;
    }
  struct bp_model *m = bp_model_new (N, pieces, lens, counts, NULL);
  FUZZ_CHECK (m != NULL);
  return m;
}
