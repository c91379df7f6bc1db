#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The manual as an installed system sees it: apropos (man -k) finds every
# page under "bytepiece", "man bytepiece" opens the overview,
# bytepiece(7), and every page that a page refers to with .BR NAME (N)
# among bytepiece's own exists.  The index is built here with man-db's
# mandb over a copy of man/; skips without man-db.
. "${srcdir:-.}/init.sh"

mandir=$(cd "$srcdir/../man" && pwd) || framework_failure "no $srcdir/../man"
for p in mandb apropos man; do
  command -v $p > /dev/null 2>&1 || skip "$p (man-db) is not installed"
done

n=0
for page in "$mandir"/*.[1-8]; do
  sec=${page##*.}
  mkdir -p "$tmp/man/man$sec" && cp "$page" "$tmp/man/man$sec/" \
    || framework_failure "cannot copy $page"
  n=$((n + 1))
done
mandb -q "$tmp/man" > "$tmp/mandb.out" 2>&1 \
  || framework_failure "mandb failed: $(cat "$tmp/mandb.out")"

# apropos lists each page once, by its name and section.
apropos -M "$tmp/man" bytepiece > "$tmp/apropos" 2> /dev/null
for page in "$mandir"/*.[1-8]; do
  base=${page##*/}
  name=${base%.*} sec=${base##*.}
  grep -q "^$name ($sec) " "$tmp/apropos" \
    || bad "apropos bytepiece does not find $name($sec)"
done
test "$(wc -l < "$tmp/apropos")" -eq $n \
  || bad "apropos bytepiece lists $(wc -l < "$tmp/apropos") pages, not $n"

# man bytepiece: the overview, whatever the section order.
first=$(man -M "$tmp/man" -w bytepiece 2> /dev/null)
test "${first##*/}" = bytepiece.7 \
  || bad "man bytepiece opens ${first:-nothing}, not bytepiece.7"

# References to the package's own pages name pages that exist.
sed -n 's/^\.BR \([a-z-]*\) (\([1-8]\)).*/\1 \2/p' "$mandir"/*.[1-8] \
  | sort -u > "$tmp/refs"
while read -r name sec; do
  case $name in bp-*|bytepiece*) ;; *) continue ;; esac
  test -f "$mandir/$name.$sec" || bad "a page refers to $name($sec), which does not exist"
done < "$tmp/refs"
echo "$n pages; apropos bytepiece:"
cat "$tmp/apropos"
finish
