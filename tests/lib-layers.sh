#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The arrows of src/lib/README hold: a file of a directory of src/lib
# includes only headers of its own directory and of the directories the
# README lists for it (dependencies go one way), never one of the
# command-line layer or a program; and the README lists every directory
# there is.
. "${srcdir:-.}/init.sh"

lib=$srcdir/../src/lib
readme=$lib/README
test -f "$readme" || framework_failure "no $readme"

# DIR ALLOWED...: one line per directory, from the README's arrows
# ("    stats    -> encode, count, text, base").
sed -n 's/^    \([a-z]*\) *-> *\(.*\)$/\1 \2/p' "$readme" | tr -d ',' \
  | sed 's/ nothing$//' > "$tmp/arrows"
test -s "$tmp/arrows" || framework_failure "no arrows in $readme"

for d in "$lib"/*/; do
  d=${d%/}
  d=${d##*/}
  grep -q "^$d\( \|$\)" "$tmp/arrows" \
    || bad "src/lib/$d is not in the arrows of src/lib/README"
done
while read -r d rest; do
  test -d "$lib/$d" || bad "src/lib/README lists $d, which does not exist"
done < "$tmp/arrows"

while read -r d allowed; do
  for f in "$lib/$d"/*.c "$lib/$d"/*.h; do
    test -f "$f" || continue
    sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f" \
      | while read -r h; do
      where=
      for cand in "$lib"/*/"$h"; do
        test -f "$cand" && { where=${cand%/*}; where=${where##*/}; }
      done
      if test -z "$where"; then
        echo "FAIL: src/lib/$d/${f##*/} includes $h, which is not in src/lib"
        continue
      fi
      case " $d $allowed " in
        *" $where "*) ;;
        *) echo "FAIL: src/lib/$d/${f##*/} includes $where/$h: $d may use only itself${allowed:+ and $allowed}" ;;
      esac
    done
  done
done < "$tmp/arrows" > "$tmp/violations"
if test -s "$tmp/violations"; then
  cat "$tmp/violations" >&2
  fail=1
fi

finish
