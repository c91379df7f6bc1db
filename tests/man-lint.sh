#!/bin/sh
# Every man page in man/ formats without a single diagnostic, under
# mandoc's lint mode and under groff with all warnings on (STYLE.md, "Man
# pages").  Skips when neither tool is installed.
. "${srcdir:-.}/init.sh"

mandir=$srcdir/../man
have_mandoc=no have_groff=no
command -v mandoc > /dev/null 2>&1 && have_mandoc=yes
command -v groff > /dev/null 2>&1 && have_groff=yes
test $have_mandoc = yes || test $have_groff = yes \
  || skip "neither mandoc nor groff is installed"

n=0
for page in "$mandir"/*.[1-8]; do
  test -f "$page" || framework_failure "no man page in $mandir"
  name=${page##*/}
  if test $have_mandoc = yes; then
    # -Tlint reports everything from style hints up; any line is a finding.
    mandoc -Tlint "$page" > "$tmp/lint" 2>&1
    if test -s "$tmp/lint"; then
      bad "mandoc -Tlint $name:"
      cat "$tmp/lint" >&2
    fi
  fi
  if test $have_groff = yes; then
    # -Tutf8: the pages name CJK characters, which only that device has.
    groff -ww -z -man -Tutf8 "$page" > "$tmp/lint" 2>&1
    if test -s "$tmp/lint"; then
      bad "groff -ww $name:"
      cat "$tmp/lint" >&2
    fi
  fi
  n=$((n + 1))
done
test $n -ge 4 || bad "only $n man pages found in $mandir"
echo "$n man pages checked (mandoc: $have_mandoc, groff: $have_groff)"
finish
