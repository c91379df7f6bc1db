#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The man page of every program says what its --help says: the same
# options, spelled the same way ("-m, --model=FILE"), none missing on
# either side, and the sections STYLE.md asks for.  Programs are found in
# the build tree, so a new program needs a page before its tests pass.
. "${srcdir:-.}/init.sh"

mandir=$srcdir/../man

# The option specs of a --help text on stdin, one a line: the lines
# indented by at most 8 spaces that start with '-' (descriptions are
# indented further), up to the two spaces before the description.
help_specs ()
{
  sed -n 's/^ \{1,8\}\(-[^ ].*\)$/\1/p' | sed 's/  .*//' | sort -u
}

# The same from a man page's source: the tag line after each .TP,
# with the fonts, macro names and quotes removed and "\-" made '-';
# only tags that start with '-' are options.
page_specs ()
{
  sed -n '/^\.TP/{n;p;}' "$1" \
    | sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[A-Z]* *//' \
          -e 's/"//g' \
    | sed -n 's/^\(-.*\)$/\1/p' | sed 's/ *$//' | sort -u
}

n=0
for prog in "$BP_BINDIR"/src/bp-*; do
  case $prog in *.o | *.c) continue ;; esac
  test -f "$prog" && test -x "$prog" || continue
  name=${prog##*/}
  page=$mandir/$name.1
  n=$((n + 1))
  if test ! -f "$page"; then
    bad "$name has no man page ($page)"
    continue
  fi
  "$prog" --help > "$tmp/help" 2> "$tmp/err" \
    || { bad "$name --help failed"; continue; }
  test -s "$tmp/err" && bad "$name --help wrote to stderr"
  help_specs < "$tmp/help" > "$tmp/h"
  page_specs "$page" > "$tmp/p"
  test -s "$tmp/h" || framework_failure "no options parsed from $name --help"
  grep -qx -e '--help' "$tmp/h" || bad "$name --help lists no --help"
  if ! cmp -s "$tmp/h" "$tmp/p"; then
    bad "$name: options of --help (<) and $name.1 (>) differ:"
    diff "$tmp/h" "$tmp/p" | grep '^[<>]' >&2
  fi
  for sect in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES \
              'SEE ALSO'; do
    grep -qx "\\.SH \"*$sect\"*" "$page" || bad "$name.1 has no $sect section"
  done
  # The exit statuses of --help's last lines are the page's.
  for st in 0 1 2; do
    grep -q "$st [a-z]" "$tmp/help" \
      || bad "$name --help does not explain exit status $st"
    sed -n '/^\.SH "*EXIT STATUS/,/^\.SH/p' "$page" | grep -qx "\\.B $st" \
      || bad "$name.1 does not explain exit status $st"
  done
done
test $n -ge 2 || framework_failure "found only $n programs in $BP_BINDIR/src"
echo "$n programs checked"
finish
