/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/lib/base/filekind.c: each kind from the bytes that
   start its files, as bytepiece and the other tokenizers write them; the
   near misses that must stay unknown (a BytePiece JSON model, a header
   that only begins like one, text, a truncated protobuf, a plain
   vocabulary); and short
   inputs, down to none.  */
#include <config.h>

#include <check.h>
#include <string.h>

#include "filekind.h"
#include "testmain.h"

#define KIND(lit) bp_filekind_of ((lit), sizeof (lit) - 1)

START_TEST (test_own)
{
  ck_assert_int_eq (KIND ("#bytepiece-model 1 vocab=300 order=6\n3\t\\x00\t1\n"),
                    BP_FILEKIND_MODEL);
  ck_assert_int_eq (KIND ("#bytepiece-counts 1 kind=pieces order=6 "
                          "min_count=2\na\t1\n"),
                    BP_FILEKIND_PIECE_COUNTS);
  ck_assert_int_eq (KIND ("#bytepiece-counts 1 kind=ngrams order=6\n"),
                    BP_FILEKIND_NGRAM_COUNTS);
  ck_assert_int_eq (KIND ("#bytepiece-counts 1 kind=ngram-model order=6"),
                    BP_FILEKIND_NGRAM_MODEL);
  /* The kind is read from the first line only.  */
  ck_assert_int_eq (KIND ("#bytepiece-counts 1 order=6\nkind=pieces\n"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("#bytepiece-counts 1 kind=piecesx\n"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("#bytepiece-models 1\n"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND (" #bytepiece-model 1\n"), BP_FILEKIND_UNKNOWN);
}
END_TEST

START_TEST (test_foreign)
{
  ck_assert_int_eq (KIND ("{\n  \"version\": \"1.0\",\n  \"truncation\": null"),
                    BP_FILEKIND_HF_JSON);
  ck_assert_int_eq (KIND ("  {\"added_tokens\": []}"), BP_FILEKIND_HF_JSON);
  ck_assert_int_eq (KIND ("{\"model\": {\"type\": \"BPE\"}}"),
                    BP_FILEKIND_HF_JSON);
  /* BytePiece's JSON model: its member names are base64.  */
  ck_assert_int_eq (KIND ("{\n    \"AA==\": [\n        3,"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("{\"versions\": 1}"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("{\"version\""), BP_FILEKIND_HF_JSON);
  ck_assert_int_eq (KIND ("{\"version"), BP_FILEKIND_UNKNOWN);

  /* A SentencePiece model as spm_train and bp-prune --format=spm start
     it: <unk>, its score and its type.  */
  ck_assert_int_eq (KIND ("\x0a\x0e\x0a\x05<unk>\x15\x00\x00\x00\x00\x18\x02"
                          "\x0a\x0c"), BP_FILEKIND_SPM_MODEL);
  ck_assert_int_eq (KIND ("\x0a\x09\x0a\x05<unk>\x18\x02"),
                    BP_FILEKIND_SPM_MODEL);
  /* A piece longer than its message, cut short, or followed by
     something else.  */
  ck_assert_int_eq (KIND ("\x0a\x04\x0a\x05<unk>\x15\x00\x00\x00\x00"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("\x0a\x0e\x0a\x05<unk>"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("\x0a\x0e\x0a\x05<unk>\x22\x00"),
                    BP_FILEKIND_UNKNOWN);
  /* A SentencePiece vocabulary: spm_train's default start, or special
     pieces first and scores that no count can be.  */
  ck_assert_int_eq (KIND ("<unk>\t0\n<s>\t0\n</s>\t0\n<0x00>\t0\n<0x"),
                    BP_FILEKIND_SPM_VOCAB);
  ck_assert_int_eq (KIND ("<pad>\t0\n<unk>\t0\n\xe2\x96\x81the\t-3.0512\n"
                          "s\t-4.1e-05\n"), BP_FILEKIND_SPM_VOCAB);
  /* Counts, or an ordinary first piece, or a line that is not a piece
     and a score: a plain vocabulary, or anything.  */
  ck_assert_int_eq (KIND ("<unk>\t0\n<s>\t0\nthe\t12\n"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("the\t-3.5\n<unk>\t0\n"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("<unk>\t0\n<s>\t0\n</s>\t0\nx\t-1.5\tx\n"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("<unk>\t-\n<s>\t0\n</s>\t0\n"),
                    BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("<unk>\t0\n\t-2.5\n"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("<unk>\t1e\n<s>\t-1.0\n"), BP_FILEKIND_UNKNOWN);
  /* Text that starts with LFs is text.  */
  ck_assert_int_eq (KIND ("\n\nthe cat\n"), BP_FILEKIND_UNKNOWN);
}
END_TEST

START_TEST (test_compressed)
{
  ck_assert_int_eq (KIND ("\x1f\x8b\x08\x00"), BP_FILEKIND_GZIP);
  ck_assert_int_eq (KIND ("\xfd" "7zXZ\0\0\x04"), BP_FILEKIND_XZ);
  ck_assert_int_eq (KIND ("\x28\xb5\x2f\xfd\x24"), BP_FILEKIND_ZSTD);
  ck_assert_int_eq (KIND ("\xfd" "7zXZ"), BP_FILEKIND_UNKNOWN);
  ck_assert_int_eq (KIND ("\x1f"), BP_FILEKIND_UNKNOWN);
  ck_assert (bp_filekind_compressed (BP_FILEKIND_GZIP));
  ck_assert (bp_filekind_compressed (BP_FILEKIND_XZ));
  ck_assert (bp_filekind_compressed (BP_FILEKIND_ZSTD));
  ck_assert (!bp_filekind_compressed (BP_FILEKIND_MODEL));
  ck_assert (!bp_filekind_compressed (BP_FILEKIND_UNKNOWN));
}
END_TEST

START_TEST (test_names)
{
  ck_assert_str_eq (bp_filekind_name (BP_FILEKIND_UNKNOWN), "");
  for (int k = BP_FILEKIND_MODEL; k <= BP_FILEKIND_ZSTD; k++)
    ck_assert_uint_gt (strlen (bp_filekind_name ((enum bp_filekind) k)), 0);
  ck_assert_int_eq (bp_filekind_of ("", 0), BP_FILEKIND_UNKNOWN);
}
END_TEST

static Suite *
filekind_suite (void)
{
  Suite *s = suite_create ("filekind");
  TCase *tc = tcase_create ("kinds");
  tcase_add_test (tc, test_own);
  tcase_add_test (tc, test_foreign);
  tcase_add_test (tc, test_compressed);
  tcase_add_test (tc, test_names);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return test_main (filekind_suite (), NULL);
}
