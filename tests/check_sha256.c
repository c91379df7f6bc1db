/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/sha256: the examples of FIPS 180-4 (the
   NIST "Examples with intermediate values": one block, two blocks, a
   million bytes), the empty message, and the same digest however the
   message is cut into updates (around the 55/56/64-byte edges of the
   padding).  */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "testmain.h"

static void
digest_hex (const void *p, size_t n, size_t cut, char out[65])
{
  struct bp_sha256 s;
  uint8_t d[BP_SHA256_SIZE];
  bp_sha256_init (&s);
  const uint8_t *b = p;
  for (size_t at = 0; at < n;)
    {
      size_t k = cut && cut < n - at ? cut : n - at;
      bp_sha256_update (&s, b + at, k);
      at += k;
    }
  bp_sha256_final (&s, d);
  for (int i = 0; i < BP_SHA256_SIZE; i++)
    sprintf (out + 2 * i, "%02x", d[i]);
}

START_TEST (test_examples)
{
  char h[65];
  digest_hex ("", 0, 0, h);
  ck_assert_str_eq (h, "e3b0c44298fc1c149afbf4c8996fb924"
                       "27ae41e4649b934ca495991b7852b855");
  digest_hex ("abc", 3, 0, h);
  ck_assert_str_eq (h, "ba7816bf8f01cfea414140de5dae2223"
                       "b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  digest_hex (two, strlen (two), 0, h);
  ck_assert_str_eq (h, "248d6a61d20638b8e5c026930c3e6039"
                       "a33ce45964ff2167f6ecedd419db06c1");
  char *million = malloc (1000000);
  ck_assert_ptr_nonnull (million);
  memset (million, 'a', 1000000);
  for (size_t cut = 0; cut < 200; cut += 63)
    {
      digest_hex (million, 1000000, cut, h);
      ck_assert_str_eq (h, "cdc76e5c9914fb9281a1c7e284d73e67"
                           "f1809a48a497200e046d39ccc7112cd0");
    }
  free (million);
}
END_TEST

/* Every length across the padding edges, cut every way, gives the
   digest of the message in one update.  */
START_TEST (test_cuts)
{
  uint8_t m[200];
  for (size_t i = 0; i < sizeof m; i++)
    m[i] = (uint8_t) (i * 7 + 3);
  for (size_t n = 0; n <= sizeof m; n++)
    {
      char whole[65], cut[65];
      digest_hex (m, n, 0, whole);
      for (size_t c = 1; c <= 65; c += 8)
        {
          digest_hex (m, n, c, cut);
          ck_assert_str_eq (whole, cut);
        }
    }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("sha256");
  TCase *tc = tcase_create ("digest");
  tcase_add_test (tc, test_examples);
  tcase_add_test (tc, test_cuts);
  suite_add_tcase (s, tc);
  return test_main (s, NULL);
}
