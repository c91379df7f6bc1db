#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# -o FILE replaces FILE by renaming a new file over it (issue 12; the
# "Output files" section of bytepiece(7)), and what it replaces keeps
# what it can: FILE's permissions (and owner and group, when run as
# root); a symbolic link is followed and its target replaced, the link
# kept; a hard link is split (the other name keeps the old contents).
# A directory, or a directory that does not exist or cannot be written,
# is refused before any input is read; a name of 255 bytes works (the
# temporary name is cut to fit).
. "${srcdir:-.}/init.sh"

data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "cannot enter $tmp"

printf 'the abc\n' > text
printf '266 35 265\n' > ids
printf 'not a count file\n' > bad

# run N FILE: the N-th command of each program, writing -o FILE.
run ()
{
  case $1 in
    1) bp-encode -m "$model" -o "$2" text ;;
    2) bp-decode -m "$model" -o "$2" ids ;;
    3) bp-count -q -n 2 -o "$2" text ;;
    4) bp-prune -q -o "$2" "$model" ;;
    5) bp-stats -m "$model" -o "$2" ;;
  esac
}
progs="1 2 3 4 5"

# no_temp: no temporary file is left anywhere under here.
no_temp ()
{
  left=$(find . -name '.*.??????' | head -1)
  test -z "$left" || bad "$1: left $left behind"
}

# The permissions of a file replaced are kept, whatever the umask.
umask 022
for n in $progs; do
  for mode in 600 640 604 660 755; do
    echo old > f
    chmod $mode f
    run $n f 2> err || { bad "$n: -o f failed: $(cat err)"; continue; }
    got=$(stat -c %a f)
    test "$got" = $mode || bad "$n: a $mode file became $got"
  done
  # A new file gets 0666 less the umask.
  rm -f new
  run $n new 2> err || bad "$n: -o new failed: $(cat err)"
  test "$(stat -c %a new)" = 644 || bad "$n: a new file is $(stat -c %a new)"
  no_temp "$n: modes"
done

# Owner and group, where we may give a file away (as root).
if test "$(id -u)" = 0 && echo old > owned && chown 1:1 owned 2> /dev/null
then
  for n in $progs; do
    echo old > owned
    chown 1:1 owned && chmod 640 owned
    run $n owned 2> err || bad "$n: -o owned failed: $(cat err)"
    test "$(stat -c %u:%g:%a owned)" = 1:1:640 \
      || bad "$n: owner, group, mode became $(stat -c %u:%g:%a owned)"
  done
fi

# A symbolic link is followed: the target is replaced, beside itself
# (a relative link, in another directory, through two links), and the
# link stays; a link to a file that does not exist creates it.
mkdir -p sub real
for n in $progs; do
  rm -f sub/* real/*
  run $n want 2> err || bad "$n: -o want failed"
  echo old > real/t
  chmod 600 real/t
  ln -s ../real/t sub/l1
  ln -s l1 sub/l2
  run $n sub/l2 2> err || { bad "$n: -o through links failed: $(cat err)"; continue; }
  test -h sub/l2 && test -h sub/l1 || bad "$n: a link was replaced"
  compare want real/t || bad "$n: the link's target has the wrong contents"
  test "$(stat -c %a real/t)" = 600 || bad "$n: the target's mode changed"
  ln -s ../real/none sub/dangling
  run $n sub/dangling 2> err || bad "$n: -o dangling link failed: $(cat err)"
  test -h sub/dangling || bad "$n: the dangling link was replaced"
  compare want real/none || bad "$n: the dangling link's target is wrong"
  no_temp "$n: links"
done
ln -s loop loop
run 1 loop 2> err && bad "a loop of links was written"
grep -q '^bp-encode: cannot write loop: ' err || bad "loop: $(cat err)"

# A hard link is split, as sed -i does: the name given gets the new file,
# the other name keeps the old contents.
echo old > h1
ln h1 h2
run 2 h1 2> err || bad "-o h1 failed: $(cat err)"
echo old > exp
compare exp h2 || bad "the other hard link was rewritten"
cmp -s exp h1 && bad "the hard link given to -o was not written"

# Refused at the start: not the bad input's error, but the output's.
# refused WHAT PROG ARGS...: PROG ARGS must fail with status 1 and say
# "PROG: cannot write WHAT: ..." and nothing else.
refused ()
{
  what=$1 prog=$2
  shift 2
  $prog "$@" 2> err < /dev/null
  status=$?
  test $status = 1 || bad "$prog $*: status $status, not 1"
  grep -q "^$prog: cannot write $what: " err && test "$(wc -l < err)" = 1 \
    || { bad "$prog $*: not refused at once"; cat err >&2; }
}
mkdir dir
refused dir bp-count bp-count --merge -o dir bad
refused dir bp-encode -m "$model" -o dir text nosuchinput
refused dir bp-decode -m "$model" -o dir nosuchinput
refused dir/ bp-count -n 2 -o dir/ nosuchinput
refused nodir/x bp-count --merge -o nodir/x bad
refused dir/x/y bp-stats -m "$model" -o dir/x/y bad
refused text/x bp-count --merge -o text/x bad
refused dir bp-prune -o dir bad
refused nodir/m.400 bp-prune -v 300,400 -o nodir/m bad
mkdir -p dir/m.300
refused dir/m.300 bp-prune -v 300,400 -o dir/m "$model"
refused dir bp-stats -m "$model" --plot=dir -o out text
mkdir ro
chmod 555 ro
if test -w ro; then
  echo "(as root: no directory that cannot be written)"
else
  refused ro/x bp-count --merge -o ro/x bad
  refused ro/x bp-encode -m "$model" -o ro/x text
fi
no_temp refused

# Names of 248 to 255 bytes: the temporary name (".NAME." and six
# characters) is cut to fit the limit of 255.
run 2 want
for len in 248 250 255; do
  name=$(printf "%${len}s" | tr ' ' a)
  run 2 "$name" 2> err || bad "a name of $len bytes: $(cat err)"
  compare want "$name" || bad "a name of $len bytes: wrong contents"
  rm -f "$name"
done
# 85 three-byte characters: the cut falls between two.
name=$(awk 'BEGIN { for (i = 0; i < 85; i++) printf "\344\270\255" }')
run 2 "$name" 2> err || bad "a name of 85 CJK characters: $(cat err)"
compare want "$name" || bad "a name of 85 CJK characters: wrong contents"
bp-prune -q -v 300,400 -o "$(printf '%250s' | tr ' ' m)" "$model" 2> err \
  || bad "bp-prune -v with a name of 254 bytes: $(cat err)"
no_temp "long names"

finish
