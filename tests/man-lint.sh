#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every man page in man/ formats without a single diagnostic, under
# mandoc's lint mode and under groff with all warnings on (STYLE.md, "Man
# pages"), for a UTF-8 terminal and for an ASCII one (what man uses when
# LANG is unset).  Skips when neither tool is installed.
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
    # The pages that show CJK characters give the devices without them
    # (ascii, latin1) the code points instead.
    for dev in utf8 ascii; do
      groff -ww -z -man -T$dev "$page" > "$tmp/lint" 2>&1
      if test -s "$tmp/lint"; then
        bad "groff -ww -T$dev $name:"
        cat "$tmp/lint" >&2
      fi
    done
  fi
  n=$((n + 1))
done
test $n -ge 4 || bad "only $n man pages found in $mandir"
echo "$n man pages checked (mandoc: $have_mandoc, groff: $have_groff)"
finish
