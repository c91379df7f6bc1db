#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Why spm_encode's ids differ from bp-encode's with an exported model.

Usage: BP_BINDIR=BUILDDIR/src bench/spm-explain.py MODEL [TEXT]...

Exports MODEL with bp-prune --format=spm, encodes every line of the TEXTs
(default: ../shared/vectors/encode/*.txt, in NFC) with bp-encode --lines
and with spm_encode, and for every line whose ids differ runs two
Viterbis in Python:
  - bytepiece's (doubles, every byte a start, DESIGN.md 1.6), which must
    give bp-encode's ids;
  - SentencePiece's EncodeOptimized as sentencepiece 0.1.97 writes it:
    starts at character boundaries, 32-bit float scores, a candidate's
    sum in double compared with the float the best path to that position
    was stored as (a tie may go to the later start), no piece for a
    single byte that is not a whole character (a character no piece
    holds whole is an unknown character: not simulated here).
Prints how many differing lines each explains.  Not a test.
"""
import glob, math, os, struct, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
bindir = os.environ.get('BP_BINDIR', os.path.join(here, '..', 'src'))
shared = os.environ.get('BP_SHARED', os.path.join(here, '..', '..', 'shared'))


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw).stdout


def unescape(s):
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == '\\':
            if s[i + 1] == 'x':
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            out.append({'t': 9, 'n': 10, 'r': 13, '\\': 92}[s[i + 1]])
            i += 2
            continue
        out += s[i].encode()
        i += 1
    return bytes(out)


def f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]


def main():
    model, texts = sys.argv[1], sys.argv[2:]
    texts = texts or sorted(glob.glob(os.path.join(shared, 'vectors', 'encode', '*.txt')))
    prune = os.path.join(bindir, 'bp-prune')
    encode = os.path.join(bindir, 'bp-encode')
    decode = os.path.join(bindir, 'bp-decode')
    pieces, counts = {}, []
    for line in run(prune, model).decode().split('\n')[1:]:
        if line:
            i, p, c = line.split('\t')
            if c != '0':
                pieces[unescape(p)] = int(i)
                counts.append(int(c))
    log_total = math.log(sum(counts))
    score = {p: math.log(counts[i - 3]) - log_total for p, i in pieces.items()}
    maxlen = max(len(p) for p in pieces)

    def viterbi(text, spm):
        n = len(text)
        best = [None] * (n + 1)
        best[0] = (0.0, -1, -1)
        pos = 0
        while pos < n:
            if best[pos] is None:
                return None
            for e in range(pos + 1, min(n, pos + maxlen) + 1):
                p = text[pos:e]
                if p not in pieces:
                    continue
                if spm:
                    if len(p) == 1 and (p[0] >= 0x80 or p[0] == 0):
                        continue
                    v = f32(score[p]) + best[pos][0]
                    if best[e] is None or v > best[e][0]:
                        best[e] = (f32(v), pos, pieces[p])
                else:
                    v = best[pos][0] + score[p]
                    if best[e] is None or v > best[e][0]:
                        best[e] = (v, pos, pieces[p])
            b = text[pos]
            pos += 1 if not spm or b < 0x80 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        if best[n] is None:
            return None
        out, e = [], n
        while e > 0:
            out.append(best[e][2])
            e = best[e][1]
        return ' '.join(map(str, reversed(out)))

    with tempfile.TemporaryDirectory() as tmp:
        spm = os.path.join(tmp, 'm.spm')
        run(prune, '--format=spm', '-o', spm, model)
        lines, bp, sp = [], [], []
        for t in texts:
            nfc = run(decode, '-m', model, input=run(encode, '-m', model, t))
            if not nfc:
                continue
            ls = nfc.split(b'\n')
            if ls[-1] == b'':
                ls.pop()
            lines += ls
            bp += run(encode, '-j1', '-l', '--no-normalize', '-m', model,
                      input=nfc).decode().split('\n')[:-1]
            sp += run('spm_encode', '--model=' + spm, '--output_format=id',
                      input=nfc).decode().split('\n')[:-1]
    differ = [k for k in range(len(lines)) if bp[k] != sp[k]]
    floats = unknown = other = bad = 0
    for k in differ:
        if viterbi(lines[k], False) != bp[k]:
            bad += 1
        got = viterbi(lines[k], True)
        if got is None:
            unknown += 1
        elif got == sp[k]:
            floats += 1
        else:
            other += 1
    print('%s: %d lines, %d differ: %d float ties, %d unknown characters, '
          '%d other (bytepiece Viterbi off: %d)'
          % (os.path.basename(model), len(lines), len(differ), floats, unknown,
             other, bad))


main()
