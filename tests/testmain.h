/* SPDX-License-Identifier: Apache-2.0 */
/* The main of a unit test: run the suite and turn its result into the
   status Automake reads.  A test whose prerequisite is absent (no
   /dev/full, an unknown memory size) passes without checking anything,
   so such a run must say SKIP (77), not PASS.  */
#ifndef BP_TESTMAIN_H
#define BP_TESTMAIN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* Run S.  Returns 1 if a test failed; else 77 if MISSING (what some
   tests needed and did not find) is not NULL, after saying so; else 0.  */
static inline int
test_main (Suite *s, const char *missing)
{
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  if (failed)
    return EXIT_FAILURE;
  if (missing)
    {
      printf ("SKIP: %s: the tests that need it did not run\n", missing);
      return 77;
    }
  return EXIT_SUCCESS;
}

/* "/dev/full" if it cannot be written, else NULL.  */
static inline const char *
test_need_dev_full (void)
{
  FILE *f = fopen ("/dev/full", "w");
  if (!f)
    return "/dev/full is absent";
  fclose (f);
  return NULL;
}

/* Whether the test runs under valgrind (make check-valgrind sets
   BP_VALGRIND).  The slowest randomised tests then check a sample of
   their cases, each path and key width at least once: valgrind looks
   for memory errors, which the sample reaches, and runs fifty times
   slower.  */
static inline int
test_under_valgrind (void)
{
  const char *v = getenv ("BP_VALGRIND");
  return v && *v;
}

#endif /* BP_TESTMAIN_H */
