// mermaid's own parser as a small line-protocol process, for the docs tests: each stdin line is a
// JSON string (a diagram), each stdout line the JSON answer { type } or { error }. It runs outside
// jest because mermaid needs a browser-like window and document (jsdom provides them here), and
// jest's globals protection recurses through a jsdom window assigned to the test's global object.
import { createInterface } from 'node:readline';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      const result = await mermaid.parse(JSON.parse(line));
      answer = result ? { type: result.diagramType } : { error: 'mermaid rejected the diagram' };
    } catch (e) {
      answer = { error: String(e?.message ?? e) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
});
