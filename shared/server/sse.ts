/**
 * The reader of the office server's change feed (`GET /api/events`, server-sent events), shared by the Node
 * client (electron/node/serverClient.ts) and the page (renderer/src/api/live.ts). Pure: it is fed the text as
 * it arrives, in pieces cut anywhere, and calls `onEvent` once per complete event, as the EventSource standard
 * reads a stream: lines end with LF, CRLF or CR; `event:` names the event (default `message`); `data:` lines
 * are joined with LF; one space after the colon is dropped; `:` lines are comments (heartbeats); a blank line
 * ends the event; an event without data is not dispatched; an unfinished event at the end is never dispatched.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseParser {
  /** Feeds the next piece of the stream's text. */
  push(text: string): void;
}

export function createSseParser(onEvent: (e: SseEvent) => void): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  /** The previous piece ended with CR: an LF that starts the next one belongs to that line end. */
  let skipLf = false;

  const line = (text: string) => {
    if (text === '') {
      if (data.length) onEvent({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    // `id` and `retry` are not used by our clients; unknown fields are ignored, as the standard says.
  };

  return {
    push(text: string) {
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        line(buffer.slice(start, i));
        if (ch === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else skipLf = true;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
