#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The translations are complete (after GNU hello's po-check):
#  1. po/POTFILES.in lists every C file of src/, src/cli/ and src/lib/ that marks
#     messages with _() or N_(), and nothing that does not exist;
#  2. po/zh_CN.po passes msgfmt --check with no fuzzy and no untranslated
#     entry;
#  3. it still does once merged with the messages the sources hold now
#     (a message added or changed since the last "make update-po" counts
#     as untranslated).
# Also run by "make po-check" in the top directory.
. "${srcdir:-.}/init.sh"

top=$(cd "$srcdir/.." && pwd) || framework_failure "no $srcdir/.."
potfiles=$top/po/POTFILES.in
po=$top/po/zh_CN.po
test -f "$potfiles" && test -f "$po" || framework_failure "no po/ in $top"

# 1. POTFILES.in, its comments and blank lines aside.
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" \
  > "$tmp/listed" || framework_failure "cannot read $potfiles"
while read -r f; do
  test -f "$top/$f" || bad "po/POTFILES.in lists $f, which does not exist"
done < "$tmp/listed"
# A call of _, N_, gettext or ngettext: the name, not the end of another
# identifier, then its parenthesis.
(cd "$top" && grep -lE '(^|[^A-Za-z0-9_])(N?_|n?gettext) *\(' \
   src/*.c src/cli/*.c src/lib/*/*.c) > "$tmp/marked"
test -s "$tmp/marked" || framework_failure "no source file marks a message"
while read -r f; do
  grep -Fx "$f" "$tmp/listed" > /dev/null \
    || bad "$f marks messages with _() but is missing from po/POTFILES.in"
done < "$tmp/marked"

command -v msgfmt > /dev/null 2>&1 \
  || { test $fail = 0 && skip "msgfmt (GNU gettext) is not installed"; finish; }

# stats FILE: msgfmt's verdict on FILE; fails on any problem.
stats ()
{
  LC_ALL=C msgfmt --check --statistics -o /dev/null "$1" 2> "$tmp/stats" \
    || { cat "$tmp/stats" >&2; return 1; }
  cat "$tmp/stats"
  if grep -E 'fuzzy|untranslated' "$tmp/stats" > /dev/null; then
    return 1
  fi
}

# 2. The catalogue as it is.
stats "$po" || bad "po/zh_CN.po: not every message is translated"

# 3. The catalogue against the messages of today's sources, extracted with
# the options of po/Makevars.
if command -v xgettext > /dev/null 2>&1 \
   && command -v msgmerge > /dev/null 2>&1; then
  opts=$(awk '/^XGETTEXT_OPTIONS *=/ { on = 1; sub (/^[^=]*= */, "") }
              on { more = sub (/\\$/, ""); printf "%s ", $0; if (!more) exit }' \
           "$top/po/Makevars")
  test -n "$opts" || framework_failure "no XGETTEXT_OPTIONS in po/Makevars"
  # shellcheck disable=SC2086 # the options are words
  (cd "$top" && xgettext $opts --language=C -o "$tmp/now.pot" \
     --files-from="$tmp/listed") \
    || framework_failure "xgettext failed"
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/now.po" "$po" "$tmp/now.pot" \
    || framework_failure "msgmerge failed"
  if ! stats "$tmp/now.po" > /dev/null; then
    bad "po/zh_CN.po lacks the translation of these messages of the sources" \
        "(make -C po update-po, then translate them):"
    # Where each one is, and its msgid.
    for which in --untranslated --only-fuzzy; do
      msgattrib $which --no-obsolete "$tmp/now.po" \
        | awk '/^#:/ { print } /^msgid / { on = 1 } /^msgstr/ { on = 0 }
               on && !/^msgid ""$/ { print }' >&2
    done
  fi
else
  # Steps 1 and 2 passed, but the sources were not checked.
  test $fail = 0 && skip "xgettext or msgmerge (GNU gettext) is not installed"
fi

finish
