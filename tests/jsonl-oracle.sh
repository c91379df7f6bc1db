#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The --jsonl extractor takes exactly the lines that are JSON: a
# generated set of lines, valid and damaged, goes through it
# (tests/jsonl-probe, fed in random pieces) and through Python's json
# module, the oracle, which must agree line by line on what each is
# (blank, not JSON, JSON without the string member, a document) and on
# the document's bytes.  Python reads the lines with "surrogateescape"
# and keeps the first of duplicate names, the conventions of
# bytepiece-formats(5); numbers are not converted (so that no digit
# limit of Python's int applies).  And bp-decode --jsonl writes the 256
# bytes as Python writes and reads them.  Skips without python3.
. "${srcdir:=.}/init.sh"
data=$(cd "$srcdir/data" && pwd) || framework_failure "no $srcdir/data"
model=$data/good-tiny.model
cd "$tmp" || framework_failure "no scratch directory"

command -v python3 > /dev/null 2>&1 || skip "python3 not found"
probe=$BP_BINDIR/tests/jsonl-probe
test -x "$probe" || framework_failure "tests/jsonl-probe not built"

cat > oracle.py <<'PY'
import json, random, sys

def tobytes(s):
    """A decoded string as bytes, as bytepiece-formats(5) says."""
    out = bytearray()
    for ch in s:
        c = ord(ch)
        if 0xDC80 <= c <= 0xDCFF:
            out.append(c - 0xDC00)
        elif 0xD800 <= c <= 0xDFFF:
            out += ch.encode("utf-8", "surrogatepass")
        else:
            out += ch.encode("utf-8")
    return bytes(out)

class Obj(dict):
    pass

def first_wins(pairs):
    d = Obj()
    for k, v in pairs:
        d.setdefault(tobytes(k), v)
    return d

def reject(name):
    raise ValueError(name)

def oracle(line, path):
    if all(b in b" \t\r" for b in line):
        return "blank"
    try:
        v = json.loads(line.decode("utf-8", "surrogateescape"),
                       object_pairs_hook=first_wins, parse_constant=reject,
                       parse_int=lambda s: 0, parse_float=lambda s: 0)
    except (ValueError, RecursionError):
        return "invalid"
    for name in path:
        if not isinstance(v, Obj) or name not in v:
            return "none"
        v = v[name]
    if not isinstance(v, str):
        return "none"
    return "text " + tobytes(v).hex()

def gen_string(r):
    out = bytearray(b'"')
    for _ in range(r.randrange(6)):
        k = r.randrange(12)
        if k == 0:
            out += r.choice([b'\\"', b"\\\\", b"\\/", b"\\b", b"\\f", b"\\n",
                             b"\\r", b"\\t"])
        elif k == 1:
            out += b"\\u%04x" % r.choice([0, 0x1f, 0x41, 0xe9, 0x4e2d, 0xfffd,
                                          r.randrange(0x10000)])
        elif k == 2:
            out += b"\\u%04X" % r.randrange(0xD800, 0xDC00)
        elif k == 3:
            out += b"\\u%04x" % r.randrange(0xDC00, 0xE000)
        elif k == 4:
            out += b"\\ud83d\\ude00"
        elif k == 5:
            out.append(r.randrange(0x80, 0x100))
        elif k == 6:
            out += r.choice(["中".encode(), "é".encode(), "😀".encode(),
                             b"\x7f", b"\xed\xa0\x80", b"\xc3"])
        else:
            out += r.choice([b"a", b"text", b" ", b"content", b"meta", b"."])
    out += b'"'
    return bytes(out)

def gen_number(r):
    s = r.choice([b"", b"-"])
    s += r.choice([b"0", b"7", b"12345678901234567890123456789",
                   b"18446744073709551616"])
    if r.randrange(3) == 0:
        s += b"." + r.choice([b"0", b"5", b"000123"])
    if r.randrange(3) == 0:
        s += r.choice([b"e", b"E"]) + r.choice([b"", b"+", b"-"])
        s += r.choice([b"0", b"400", b"99999"])
    return s

def ws(r):
    return r.choice([b"", b"", b"", b" ", b"\t", b" \r ", b"  "])

def gen_value(r, depth):
    k = r.randrange(10 if depth > 0 else 6)
    if k < 2:
        return gen_string(r)
    if k < 4:
        return gen_number(r)
    if k < 6:
        return r.choice([b"true", b"false", b"null"])
    if k < 8:
        items = [gen_value(r, depth - 1) for _ in range(r.randrange(4))]
        return b"[" + b",".join(ws(r) + i + ws(r) for i in items) + b"]"
    return gen_object(r, depth - 1)

def gen_name(r):
    return r.choice([b'"text"', b'"meta"', b'"content"', b'"te\\u0078t"',
                     b'"a"', b'""', b'"a\\u0000b"', b'"text\\u0000"',
                     b'"\\udc80"', b'"\x80"']) 

def gen_object(r, depth):
    members = []
    for _ in range(r.randrange(5)):
        name = gen_name(r)
        if name in (b'"text"', b'"content"') and r.randrange(3):
            value = gen_string(r)
        elif name == b'"meta"' and depth > 0 and r.randrange(2):
            value = gen_object(r, depth - 1)
        else:
            value = gen_value(r, depth)
        members.append(ws(r) + name + ws(r) + b":" + ws(r) + value + ws(r))
    return b"{" + b",".join(members) + b"}"

def gen_line(r):
    k = r.randrange(20)
    if k == 0:
        return ws(r)
    if k == 1:
        return ws(r) + gen_value(r, 2) + ws(r)
    line = gen_object(r, 3)
    # Most lines have the members the test looks for, somewhere.
    extra = []
    if r.randrange(3):
        extra.append(b'"text":' + ws(r) + gen_string(r))
    if r.randrange(2):
        extra.append(b'"meta":{"content":' + gen_string(r) + b"}")
    for e in extra:
        if line == b"{}":
            line = b"{" + e + b"}"
        elif r.randrange(2):
            line = b"{" + e + b"," + line[1:]
        else:
            line = line[:-1] + b"," + e + b"}"
    return ws(r) + line + ws(r)

def damage(r, line):
    b = bytearray(line)
    for _ in range(r.randrange(1, 3)):
        at = r.randrange(len(b) + 1)
        k = r.randrange(3)
        c = r.choice(b'{}[]",:\\-+.0123456789eEtfnu \t\x00\x1f\x7f\x80\xff')
        if k == 0 and at < len(b):
            del b[at]
        elif k == 1:
            b.insert(at, c)
        elif at < len(b):
            b[at] = c
    return bytes(b)

if sys.argv[1] == "gen":
    r = random.Random(int(sys.argv[2]))
    out = sys.stdout.buffer
    for _ in range(int(sys.argv[3])):
        line = gen_line(r)
        out.write(line + b"\n")
        out.write(damage(r, line) + b"\n")
else:
    path = [n.encode() for n in sys.argv[2].split(".")]
    out = sys.stdout
    for line in sys.stdin.buffer:
        out.write(oracle(line.rstrip(b"\n"), path) + "\n")
PY

# Hand-made lines first: the kinds the issue names, and near misses.
printf '%s\n' \
  '{"id": 123456789012345678901234567890, "text": "big"}' \
  '{"x": 1e400, "y": -1E-400, "text": "huge"}' \
  '{"a\u0000b": 1, "text": "nul name"}' \
  '{"meta": {"content": "nested"}, "text": "top"}' \
  '{"text": "a", "text": "b"}' \
  '{"text": NaN}' '{"text": Infinity}' '{"a": -Infinity}' \
  '{"text": "\ud800"}' '{"text": "\udcff\udc80"}' \
  '{"text": "x"} ' '{"text": "x"},' '' '   ' '[]' '{}' '"text"' '0' \
  '{"a": 01}' '{"a": 1.}' '{"a": .1}' '{"a": +1}' '{"a": 0x1}' \
  '{"text": "\x"}' '{"text": "\u00"}' "{'text': 'x'}" '{text: "x"}' \
  '{"text": "x",}' '[1,]' '{"text" "x"}' > lines
printf '{"text": "a\tb"}\n{"text": "\000"}\n\357\273\277{"text": "bom"}\n' >> lines
printf '{"text": "\377\376"}\n{"text": "x"}\377\n{"\377": 1, "text": "y"}\n' >> lines
python3 oracle.py gen 1 1500 >> lines || framework_failure "python3 failed"
python3 oracle.py gen 2 1500 >> lines || framework_failure "python3 failed"

for key in text meta.content; do
  python3 oracle.py check "$key" < lines > exp || framework_failure "python3 failed"
  for seed in 0 7; do
    "$probe" "$key" $seed < lines > out || bad "jsonl-probe $key $seed failed"
    if ! compare exp out; then
      bad "the extractor and Python's json differ (key $key, seed $seed)"
      paste -d '\n' exp out lines | paste - - - | awk -F '\t' '$1 != $2' \
        | head -5 >&2
    fi
  done
  # The set holds every kind, so that the comparison means something.
  for kind in blank invalid none text; do
    grep "^$kind" exp > /dev/null || bad "no line of kind $kind for $key"
  done
done

# bp-decode --jsonl writes the 256 bytes as Python's json module writes
# them with ensure_ascii=False (but for the bytes outside UTF-8, \udcXX),
# and Python reads them back with "surrogateescape".
all_bytes_jsonl > all.jsonl || framework_failure "cannot write all.jsonl"
bp-encode -m "$model" --jsonl all.jsonl > all.ids || bad "bp-encode all.jsonl failed"
bp-decode -m "$model" --jsonl all.ids > back.jsonl || bad "bp-decode --jsonl failed"
python3 -c '
import json, sys
text = bytes(range(256)).decode("utf-8", "surrogateescape")
want = json.dumps({"text": text}, ensure_ascii=False, separators=(",", ":"))
# Python would write the surrogates themselves, which are not UTF-8.
want = "".join("\\u%04x" % ord(c) if 0xDC80 <= ord(c) <= 0xDCFF else c
               for c in want)
got = open("back.jsonl", "rb").read()
sys.exit(got != want.encode("utf-8") + b"\n"
         or json.loads(got.decode("utf-8"))["text"]
            .encode("utf-8", "surrogateescape") != bytes(range(256)))
' || bad "bp-decode --jsonl: not what Python writes and reads"

finish
