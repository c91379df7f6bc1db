#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Time HuggingFace tokenizers (npm package "tokenizers") encoding a text
// file, one document per line, the way bench/encode.sh times bp-encode
// and spm_encode.
//
// Usage: node hf-encode.js TOKENIZER.json TEXT [ROUNDS]
// Prints one line:
//   load_s=S load_cpu_s=S encode_s=S encode_cpu_s=S bytes=N tokens=N lines=N
//   load_s    loading the tokenizer JSON (once)
//   encode_s  best of ROUNDS (default 3): reading TEXT, splitting it into
//             lines and encoding them all (encodeBatch, 1024 lines a call)
//   *_cpu_s   the CPU seconds (user + system, every thread) of the same
// Threads: the caller sets TOKENIZERS_PARALLELISM=false for one thread;
// otherwise the Rust side uses RAYON_NUM_THREADS (default: every core).
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require(path.join(__dirname, 'node_modules', 'tokenizers'));

const BATCH = 1024;

async function encodeFile(tok, file) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let tokens = 0;
  for (let i = 0; i < lines.length; i += BATCH) {
    const encs = await tok.encodeBatch(lines.slice(i, i + BATCH),
                                       { addSpecialTokens: false });
    for (const e of encs) tokens += e.getIds().length;
  }
  return { tokens, lines: lines.length };
}

async function main() {
  const [tfile, text, roundsArg] = process.argv.slice(2);
  if (!tfile || !text) {
    process.stderr.write('usage: node hf-encode.js TOKENIZER.json TEXT [ROUNDS]\n');
    process.exit(2);
  }
  const rounds = Math.max(1, Number(roundsArg || 3));
  const cpu = (c) => (c.user + c.system) / 1e6;
  let t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  const tok = Tokenizer.fromFile(tfile);
  const load = Number(process.hrtime.bigint() - t0) / 1e9;
  const loadCpu = cpu(process.cpuUsage(c0));
  let best = Infinity, bestCpu = Infinity, res;
  for (let r = 0; r < rounds; r++) {
    t0 = process.hrtime.bigint();
    c0 = process.cpuUsage();
    res = await encodeFile(tok, text);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    bestCpu = Math.min(bestCpu, cpu(process.cpuUsage(c0)));
  }
  const bytes = fs.statSync(text).size;
  process.stdout.write(`load_s=${load.toFixed(4)} load_cpu_s=${loadCpu.toFixed(3)} ` +
                       `encode_s=${best.toFixed(4)} encode_cpu_s=${bestCpu.toFixed(3)} ` +
                       `bytes=${bytes} tokens=${res.tokens} lines=${res.lines}\n`);
}

main().catch((e) => { process.stderr.write(`hf-encode: ${e.message}\n`); process.exit(1); });
