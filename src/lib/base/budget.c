/* SPDX-License-Identifier: Apache-2.0 */
/* Memory budgets; see budget.h.  */
#include <config.h>
#include "budget.h"

#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"
#include "system.h"

size_t
bp_budget_physical (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), size = sysconf (_SC_PAGESIZE);
  size_t bytes;
  if (pages <= 0 || size <= 0
      || ckd_mul (&bytes, (size_t) pages, (size_t) size))
    return 0;
  return bytes;
}

size_t
bp_budget_default (void)
{
  static const int limits[] = { RLIMIT_AS, RLIMIT_DATA };
  size_t budget = bp_budget_physical () / 2;
  for (size_t i = 0; i < BP_ARRAY_SIZE (limits); i++)
    {
      struct rlimit rl;
      if (getrlimit (limits[i], &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
          && (budget == 0 || rl.rlim_cur / 2 < budget))
        budget = (size_t) (rl.rlim_cur / 2);
    }
  return budget;
}

int
bp_budget_parse (const char *arg, size_t *bytes)
{
  size_t v = 0, unit = 1024;
  const char *p = arg;

  if (*p < '0' || *p > '9')
    return BP_EINVAL;
  for (; *p >= '0' && *p <= '9'; p++)
    if (ckd_mul (&v, v, 10) || ckd_add (&v, v, (size_t) (*p - '0')))
      return BP_ERANGE;
  if (*p)
    {
      static const char units[] = "bkmgtp";
      int u = -1;
      for (int i = 0; units[i]; i++)
        if ((*p | 0x20) == units[i])
          u = i;
      if (*p == '%')
        {
          size_t phys = bp_budget_physical ();
          if (p[1] || v > 100 || phys == 0)
            return BP_EINVAL;
          /* Percent of the memory, without overflowing.  */
          *bytes = phys / 100 * v + phys % 100 * v / 100;
          return 0;
        }
      if (u < 0 || p[1])
        return BP_EINVAL;
      unit = 1;
      for (int i = 0; i < u; i++)
        unit *= 1024;
    }
  if (ckd_mul (&v, v, unit))
    return BP_ERANGE;
  *bytes = v;
  return 0;
}

struct bp_budget
bp_budget_share (const struct bp_budget *b, size_t n)
{
  if (!b->limit)
    return bp_budget_of (0);
  size_t share = b->limit / (n ? n : 1);
  return bp_budget_of (share < BP_BUDGET_MIN_SHARE ? BP_BUDGET_MIN_SHARE
                                                   : share);
}
