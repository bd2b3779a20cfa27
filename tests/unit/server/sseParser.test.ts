import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '@shared/server/sse';

function read(pieces: string[]): SseEvent[] {
  const out: SseEvent[] = [];
  const p = createSseParser((e) => out.push(e));
  for (const piece of pieces) p.push(piece);
  return out;
}

/** What the office server writes (electron/host/server.ts): a hello, changes, heartbeats, a session end. */
const STREAM = 'retry: 1000\nevent: hello\ndata: {"version":"0.1.0"}\n\n: heartbeat\n\nevent: change\ndata: [{"entity":"organization","id":"甲"}]\n\nevent: session-ended\ndata: {}\n\n';
const EXPECTED: SseEvent[] = [
  { event: 'hello', data: '{"version":"0.1.0"}' },
  { event: 'change', data: '[{"entity":"organization","id":"甲"}]' },
  { event: 'session-ended', data: '{}' },
];

describe('the change feed reader (shared by the Node client and the page)', () => {
  it('reads the server stream in one piece', () => {
    expect(read([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events whatever the stream is cut into (every cut point, and one character at a time)', () => {
    for (let at = 0; at <= STREAM.length; at++) expect(read([STREAM.slice(0, at), STREAM.slice(at)])).toEqual(EXPECTED);
    expect(read([...STREAM])).toEqual(EXPECTED);
  });

  it('accepts CRLF and CR line ends, also a CRLF cut between its two characters', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    for (let at = 0; at <= crlf.length; at++) expect(read([crlf.slice(0, at), crlf.slice(at)])).toEqual(EXPECTED);
    expect(read([STREAM.replace(/\n/g, '\r')])).toEqual(EXPECTED);
  });

  it('joins several data lines, drops only one leading space, defaults the name to message', () => {
    expect(read(['data:a\ndata:  b\n\n'])).toEqual([{ event: 'message', data: 'a\n b' }]);
  });

  it('does not dispatch an event without data, nor an unfinished one at the end', () => {
    expect(read(['event: change\n\n', 'event: change\ndata: [1]\n'])).toEqual([]);
  });

  it('a name does not leak into the next event', () => {
    expect(read(['event: change\ndata: 1\n\ndata: 2\n\n'])).toEqual([
      { event: 'change', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });
});
