#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bp-stats' figures for planning a training run, each computed here
# independently from what bp-encode writes, on the models of one small
# training run (bp-prune -v with three sizes): the tokens per document
# (mean, nearest-rank percentiles, largest) with --lines and with a
# document per file (files cut between batches and threads, -j 3), the
# share of single-byte tokens, the table by vocabulary size, and the
# data of the --plot script; the usage errors of --plot and its output
# file.
. "${srcdir:-.}/init.sh"

json_get=$BP_BINDIR/tests/json-get
test -x "$json_get" || framework_failure "no $json_get"
cd "$tmp" || framework_failure "cannot enter $tmp"

# gen SEED LINES: lines of 0 to 40 words (Chinese among them), some
# empty, one in a hundred ten times as long.
gen ()
{
  awk -v seed="$1" -v lines="$2" 'BEGIN {
    split("the of and a to in is you that it he was for on are with " \
          "\344\270\255\346\226\207 \346\225\260\346\215\256 x=1; " \
          "\350\257\215\345\205\203 caf\303\251 \360\237\230\200", w, " ")
    s = seed
    for (i = 0; i < lines; i++) {
      s = (s * 1103515245 + 12345) % 2147483648
      n = int(s / 65536) % 41
      if (i % 100 == 7) n *= 10
      line = ""
      for (j = 0; j < n; j++) {
        s = (s * 1103515245 + 12345) % 2147483648
        line = line w[1 + int(s / 65536) % 23] (j % 7 == 6 ? "" : " ")
      }
      print line
    }
  }'
}
gen 1 4000 > corpus.txt && gen 2 1499 > text.txt \
  || framework_failure "cannot make the texts"

# One training run, three vocabulary sizes.
bp-count -q -n 6 corpus.txt > ngrams.counts \
  && bp-prune -q -k 2 ngrams.counts > ngrams.model \
  && bp-count -q -m ngrams.model corpus.txt > pieces.counts \
  && bp-prune -q -k 2 -v 300,340,380 -o vocab pieces.counts \
  || framework_failure "cannot train the models"
models="vocab.380 vocab.300 vocab.340"   # not in order of size

# figures IDS: from ids a document a line, "TOKENS MEAN P50 P90 P95 P99
# MAX" with the nearest-rank percentile: the ceil(P * N / 100)-th least.
figures ()
{
  awk '{ print NF }' "$1" | sort -n | awk '
    { v[NR] = $1; t += $1 }
    END {
      n = NR
      printf "%d %.6f", t, t / n
      split("50 90 95 99", p, " ")
      for (i = 1; i <= 4; i++) {
        r = int((p[i] * n + 99) / 100); if (r < 1) r = 1
        printf " %d", v[r]
      }
      printf " %d\n", v[n]
    }'
}

# single_bytes PIECES: the tokens of one byte in bp-encode -f pieces:
# an ASCII character, or an escape of one byte.
single_bytes ()
{
  tr ' ' '\n' < "$1" \
    | grep -c -E '^(.|\\[tnr\\]|\\x[0-9a-f][0-9a-f])$'
}

bp-stats --json -l -j 3 -m vocab.380 -m vocab.300 -m vocab.340 text.txt \
  > rep.json || bad "bp-stats --json -l failed"
bp-stats -l --plot=plot.gp -m vocab.380 -m vocab.300 -m vocab.340 text.txt \
  > rep.txt || bad "bp-stats -l --plot failed"
bytes=$("$json_get" text.bytes < rep.json)
i=0
: > by-vocab.exp
for m in $models; do
  bp-encode -l -m "$m" text.txt > "$m.ids" || bad "bp-encode -l $m failed"
  bp-encode -l -f pieces -m "$m" text.txt > "$m.pieces" \
    || bad "bp-encode -f pieces $m failed"
  set -- $(figures "$m.ids")
  tokens=$1 mean=$2 p50=$3 p90=$4 p95=$5 p99=$6 max=$7
  single=$(single_bytes "$m.pieces")
  test "$(wc -l < "$m.ids")" = 1499 || bad "$m: not 1499 documents"

  # JSON: the figures, as computed here.
  "$json_get" models.$i.tokens models.$i.tokens_per_document.mean \
    models.$i.tokens_per_document.p50 models.$i.tokens_per_document.p90 \
    models.$i.tokens_per_document.p95 models.$i.tokens_per_document.p99 \
    models.$i.tokens_per_document.max models.$i.single_byte_tokens \
    models.$i.single_byte_share < rep.json > got \
    || bad "$m: keys missing from --json"
  printf '%s\n' "$tokens" "$mean" "$p50" "$p90" "$p95" "$p99" "$max" \
    "$single" "$(awk -v a="$single" -v b="$tokens" \
                 'BEGIN { printf "%.6f", a / b }')" > exp
  compare exp got || bad "$m: wrong figures in --json"

  # Text: column i + 1 of the rows.
  col=$((i + 2))
  for row in "mean:$(printf '%.1f' "$mean")" "p50:$p50" "p90:$p90" \
             "p95:$p95" "p99:$p99" "max:$max"; do
    label=${row%%:*} want=${row#*:}
    got=$(awk -v l="$label" -v c="$col" '$1 == l { print $c; exit }' rep.txt)
    test "$got" = "$want" || bad "$m: text row $label is '$got', not '$want'"
  done
  got=$(awk -v c=$((col + 1)) '/^single-byte tokens/ { print $c }' rep.txt)
  want=$(awk -v a="$single" -v b="$tokens" \
           'BEGIN { printf "%.2f%%", 100 * a / b }')
  test "$got" = "$want" || bad "$m: single-byte tokens '$got', not '$want'"

  # The table and the plot's block by vocabulary size.
  vocab=$(($(wc -l < "$m") - 1 + 3))
  awk -v v="$vocab" -v t="$tokens" -v b="$bytes" -v s="$single" -v m="$m" \
    'BEGIN { printf "%d %d %.3f %.2f%% %s\n", v, t, b / t, 100 * s / t, m }' \
    >> by-vocab.exp
  # The plot's curve at 0, 50, 90, 99 and 100 percent.
  for pv in "0.0:$(sort -n "$m.ids" | awk '{ print NF }' | sort -n | head -n 1)" \
            "50.0:$p50" "90.0:$p90" "99.0:$p99" "100.0:$max"; do
    p=${pv%%:*} want=${pv#*:}
    got=$(sed -n '/^\$per_doc << EOD$/,/^EOD$/p' plot.gp \
            | awk -v p="$p" -v c="$col" '$1 == p { print $c }')
    test "$got" = "$want" || bad "$m: the plot's p$p is '$got', not '$want'"
  done
  i=$((i + 1))
done

sort -n by-vocab.exp > exp
sed -n '/^compression by vocabulary size$/,/^$/p' rep.txt \
  | awk 'NR > 2 && NF { print $1, $2, $3, $4, $5 }' > got
compare exp got || bad "the table by vocabulary size"
sed -n '/^\$by_vocab << EOD$/,/^EOD$/p' plot.gp \
  | awk '$1 != "$by_vocab" && $1 != "EOD" {
           gsub (/"/, "", $5); printf "%d %d %s %s%% %s\n", $1, $4, $2, $3, $5 }' \
  > got
compare exp got || bad "the plot's block by vocabulary size"
sed -n '/^\$per_doc << EOD$/{n;p;}' plot.gp > got
echo 'percent "vocab.380" "vocab.300" "vocab.340"' > exp
compare exp got || bad "the plot's columns are not the models"

# A document per file, files longer than a batch, on three threads: the
# tokens of each file.
gen 3 30000 > big1.txt && gen 4 9000 > big2.txt && gen 5 300 > small.txt \
  && : > empty.txt || framework_failure "cannot make the files"
test "$(wc -c < big1.txt)" -gt 1500000 || framework_failure "big1.txt is small"
: > per-file
for f in big1.txt big2.txt small.txt empty.txt; do
  bp-encode -m vocab.300 "$f" | wc -w >> per-file
done
sort -n per-file | awk '{ v[NR] = $1; t += $1 }
  END { printf "%.6f\n%d\n%d\n%d\n", t / 4, v[2], v[4], v[4] }' > exp
for j in 1 3; do
  bp-stats --json -j $j -m vocab.300 big1.txt big2.txt small.txt empty.txt \
    | "$json_get" models.0.tokens_per_document.mean \
        models.0.tokens_per_document.p50 models.0.tokens_per_document.p99 \
        models.0.tokens_per_document.max > got \
    || bad "bp-stats -j $j on four files failed"
  compare exp got || bad "-j $j: tokens per file"
done

# --plot: its usage errors; no file on failure; - with -o FILE.
try="Try 'bp-stats --help' for more information."
bp-stats --plot=p.gp -m vocab.300 < /dev/null > out 2> err
test $? = 2 || bad "--plot without text: not a usage error"
printf '%s\n' "bp-stats: --plot needs -m and text to encode" "$try" > exp
compare exp err || bad "--plot without text: wrong message"
bp-stats --plot=p.gp pieces.counts > out 2> err
test $? = 2 || bad "--plot with counts: not a usage error"
compare exp err || bad "--plot with counts: wrong message"
bp-stats --plot=- -m vocab.300 text.txt > out 2> err
test $? = 2 || bad "--plot=- to standard output: not a usage error"
printf '%s\n' "bp-stats: --plot=- needs the report in -o FILE" "$try" > exp
compare exp err || bad "--plot=-: wrong message"
test -e p.gp && bad "a usage error wrote the --plot file"
bp-stats --plot=p.gp -m vocab.300 missing.txt 2> /dev/null \
  && bad "a missing input succeeded"
test -e p.gp && bad "a failed run left the --plot file"
ls -a | grep '^\.p\.gp' > /dev/null && bad "a temporary --plot file remains"
bp-stats -l --plot=- -o rep2.txt -m vocab.380 -m vocab.300 -m vocab.340 \
  text.txt > plot2.gp || bad "--plot=- -o FILE failed"
compare plot.gp plot2.gp || bad "--plot=- writes another script"
compare rep.txt rep2.txt || bad "-o FILE with --plot=- writes another report"

finish
