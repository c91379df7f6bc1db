#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every example of every man page runs as printed (issue 15: examples
# that failed when pasted).  Each .EX/.EE block of a page is one of:
#   - commands: run as a shell script, which must succeed;
#   - a session: lines "$ COMMAND" are run one by one, and the lines
#     after each are its expected output; a line that ends in "..."
#     matches any line that begins with the rest;
#   - anything else (a file's content, a message, a JSON layout): marked
#     by a comment line '.\" example: not run (WHY)' right before .EX.
# '.\" example: output varies' before .EX runs a session without comparing
# its output (it depends on the machine).  The blocks of a page run in
# order, in a directory of their own that starts with a small corpus made
# from bytepiece's own documentation and a model trained on it, under the
# names the pages use.  A block that names bytepiece_80k.model, BytePiece's
# pretrained model, runs when ../shared/models has it; one that calls
# jq, parallel, node, gnuplot or spm_encode runs when that is installed.
. "${srcdir:-.}/init.sh"

top=$(cd "$srcdir/.." && pwd) || framework_failure "no $srcdir/.."
mandir=$top/man
: "${BP_SHARED:=$top/../shared}"
pretrained=$BP_SHARED/models/bytepiece_80k.model

# unroff: the text of roff lines, as a reader copies it from the page.
unroff ()
{
  awk '
  function utf8(cp) {
    if (cp < 128) return sprintf("%c", cp)
    if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
    if (cp < 65536)
      return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64,
                     128 + cp % 64)
    return sprintf("%c%c%c%c", 240 + int(cp / 262144),
                   128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64,
                   128 + cp % 64)
  }
  function hex(s,   i, v) {
    v = 0
    for (i = 1; i <= length(s); i++)
      v = v * 16 + index("0123456789ABCDEF", toupper(substr(s, i, 1))) - 1
    return v
  }
  function named(n) {
    if (n == "aq") return "\047"
    if (n == "dq" || n == "lq" || n == "rq") return "\""
    if (n == "ga") return "`"
    if (n == "ti") return "~"
    if (n == "ha") return "^"
    if (n == "rs") return "\\"
    if (n ~ /^u[0-9A-Fa-f]+$/) return utf8(hex(substr(n, 2)))
    return "\\[" n "]"
  }
  {
    out = ""; s = $0
    while ((i = index(s, "\\")) > 0) {
      out = out substr(s, 1, i - 1)
      c = substr(s, i + 1, 1); s = substr(s, i + 2)
      if (c == "-") out = out "-"
      else if (c == "e" || c == "\\") out = out "\\"
      else if (c == "&" || c == ":") ;
      else if (c == "~" || c == " ") out = out " "
      else if (c == "t") out = out "\t"
      else if (c == "(") { out = out named(substr(s, 1, 2)); s = substr(s, 3) }
      else if (c == "[") {
        j = index(s, "]"); out = out named(substr(s, 1, j - 1))
        s = substr(s, j + 1)
      }
      else if (c == "f") {
        if (substr(s, 1, 1) == "[") s = substr(s, index(s, "]") + 1)
        else s = substr(s, 2)
      }
      else out = out "\\" c
    }
    print out s
  }'
}

# The starting directory of every page: inputs under the names the pages
# use, and what the training examples make from them.
mkdir "$tmp/seed" "$tmp/seed/corpus" || framework_failure "cannot make $tmp/seed"
cd "$tmp/seed" || framework_failure "cannot enter $tmp/seed"
n=0
for f in README.md HACKING NEWS AUTHORS man/bytepiece.7 man/bp-count.1 \
         man/bp-prune.1 man/bp-encode.1; do
  test -f "$top/$f" || continue
  n=$((n + 1))
  cp "$top/$f" corpus/doc$n.txt || framework_failure "cannot copy $f"
done
test $n -ge 4 || framework_failure "too few documents in $top"
cat corpus/*.txt > corpus.txt
head -n 300 corpus.txt > text.txt
cp text.txt book.txt && cp text.txt test.txt
# JSON Lines: each line of the corpus as the members text and content
# (the lines that need no JSON escape but for a quote).
tr '\t' ' ' < corpus.txt | grep -v '[\\[:cntrl:]]' \
  | sed 's/"/\\"/g' \
  | awk '{ printf "{\"id\": %d, \"text\": \"%s\", \"content\": \"%s\"}\n",
                 NR, $0, $0 }' > data.jsonl
head -n 400 data.jsonl > part1.jsonl
tail -n +401 data.jsonl > part2.jsonl
cp data.jsonl corpus.jsonl
test -f "$pretrained" && ln -s "$pretrained" bytepiece_80k.model
{
  bp-count -n 6 corpus/*.txt > ngrams.counts \
  && bp-prune -k 4 ngrams.counts > ngrams.model \
  && bp-count -m ngrams.model corpus/*.txt > pieces.counts \
  && bp-prune -k 4 -v 32000,16000,8000 -o vocab pieces.counts \
  && cp vocab.32000 vocab.model \
  && bp-encode -m vocab.model book.txt > book.ids \
  && cp book.ids ids.txt \
  && bp-count -n 6 -o a.counts corpus/doc1.txt \
  && bp-count -n 6 -o b.counts corpus/doc2.txt \
  && bp-count -n 6 -o c.counts corpus/doc3.txt
} 2> "$tmp/seed.err" || framework_failure "training the seed model: $(cat "$tmp/seed.err")"

# Cut a page into blocks: for each, a line "BLOCK N MODE" and its lines.
blocks ()
{
  awk '
  /^\.\\" example: not run/ { mode = "skip"; next }
  /^\.\\" example: output varies/ { mode = "varies"; next }
  /^\.EX/ { n++; inblock = 1; print "BLOCK " n " " (mode ? mode : "run"); mode = ""; next }
  /^\.EE/ { inblock = 0; next }
  inblock { print }
  !inblock && !/^\.\\"/ && !/^\.(RS|RE|PP|P|IP|TP)$/ { mode = "" }
  ' "$1" | unroff
}

# run_block FILE MODE: run the block in FILE in the current directory.
# Returns nonzero and explains on stderr when it fails.
run_block ()
{
  if grep -q '^\$ ' "$1"; then
    # A session: commands and their expected output.
    awk -v dir="$tmp/sess" '
      /^\$ / { n++; print substr($0, 3) > (dir "/cmd." n); next }
      { print > (dir "/exp." n) }' "$1"
    k=1
    while test -f "$tmp/sess/cmd.$k"; do
      if ! sh -e "$tmp/sess/cmd.$k" > "$tmp/sess/out.$k" 2> "$tmp/sess/err"; then
        echo "\$ $(cat "$tmp/sess/cmd.$k")" >&2
        cat "$tmp/sess/err" >&2
        return 1
      fi
      if test "$2" != varies; then
        touch "$tmp/sess/exp.$k"
        if ! awk 'NR == FNR { want[FNR] = $0; n = FNR; next }
                  { got[FNR] = $0; m = FNR }
                  END {
                    if (n != m) exit 1
                    for (i = 1; i <= n; i++) {
                      e = want[i]
                      if (e ~ /\.\.\.$/) {
                        e = substr(e, 1, length(e) - 3)
                        if (substr(got[i], 1, length(e)) != e) exit 1
                      } else if (got[i] != e) exit 1
                    }
                  }' "$tmp/sess/exp.$k" "$tmp/sess/out.$k"; then
          echo "\$ $(cat "$tmp/sess/cmd.$k")" >&2
          echo "expected:" >&2; cat "$tmp/sess/exp.$k" >&2
          echo "got:" >&2; head -n 20 "$tmp/sess/out.$k" >&2
          return 1
        fi
      fi
      k=$((k + 1))
    done
  else
    sh -e "$1" > /dev/null 2> "$tmp/sess/err" || {
      cat "$1" >&2
      cat "$tmp/sess/err" >&2
      return 1
    }
  fi
  return 0
}

ran=0 skipped=0
for page in "$mandir"/*.[1-8]; do
  name=${page##*/}
  rm -rf "$tmp/page" && cp -R "$tmp/seed" "$tmp/page" \
    || framework_failure "cannot copy the seed directory"
  blocks "$page" > "$tmp/blocks"
  nb=$(grep -c '^BLOCK ' "$tmp/blocks")
  b=1
  while test $b -le "$nb"; do
    mode=$(awk -v b=$b '$1 == "BLOCK" && $2 == b { print $3 }' "$tmp/blocks")
    awk -v b=$b '$1 == "BLOCK" { on = ($2 == b); next } on' "$tmp/blocks" \
      > "$tmp/block"
    why=
    test "$mode" = skip && why="marked not run"
    if test -z "$why" && grep -q 'bytepiece_80k\.model' "$tmp/block" \
       && test ! -f "$pretrained"; then
      why="needs $pretrained"
    fi
    for tool in jq parallel node gnuplot spm_encode; do
      if test -z "$why" && grep -q "\\b$tool " "$tmp/block" \
         && ! command -v $tool > /dev/null 2>&1; then
        why="needs $tool"
      fi
    done
    if test -n "$why"; then
      echo "$name example $b: not run ($why)"
      skipped=$((skipped + 1))
    else
      rm -rf "$tmp/sess" && mkdir "$tmp/sess"
      if (cd "$tmp/page" && run_block "$tmp/block" "$mode"); then
        echo "$name example $b: ok"
      else
        bad "$name example $b failed"
      fi
      ran=$((ran + 1))
    fi
    b=$((b + 1))
  done
done
echo "$ran examples run, $skipped not run"
test $ran -ge 20 || bad "only $ran examples ran"
finish
