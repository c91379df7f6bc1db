/* SPDX-License-Identifier: Apache-2.0 */
/* Definitions every translation unit of bytepiece may need: the gettext
   macros, written here rather than copied from gettext's gettext.h.  */
#ifndef BP_SYSTEM_H
#define BP_SYSTEM_H

#if ENABLE_NLS
# include <libintl.h>
# define _(msgid) gettext (msgid)
#else
# define _(msgid) ((const char *) (msgid))
# define gettext(msgid) ((const char *) (msgid))
# define ngettext(s, p, n) ((n) == 1 ? (const char *) (s) : (const char *) (p))
# define textdomain(domain) ((void) (domain))
# define bindtextdomain(domain, dir) ((void) (domain), (void) (dir))
#endif

/* Marks a string for translation where it cannot be translated yet (a
   static table); the caller passes it through _() when it is used.  */
#define N_(msgid) msgid

/* C23 checked integer arithmetic (ckd_add, ckd_mul): the header where the
   compiler has it, else the GCC/Clang builtins that it is defined by.  */
#if HAVE_STDCKDINT_H
# include <stdckdint.h>
#else
# define ckd_add(r, a, b) __builtin_add_overflow ((a), (b), (r))
# define ckd_sub(r, a, b) __builtin_sub_overflow ((a), (b), (r))
# define ckd_mul(r, a, b) __builtin_mul_overflow ((a), (b), (r))
#endif

#define BP_ARRAY_SIZE(a) (sizeof (a) / sizeof (a)[0])

#endif /* BP_SYSTEM_H */
