// Type-level checks of src/frameworks/react.ts in real JSX (compiled, never run):
// `tsc --noEmit -p test/frameworks/tsconfig.json`. Each @ts-expect-error is a mistake the typings must catch.
import { useRef } from 'react';
import type { CharivoRealtime, CharivoTranscript } from '../../src/elements/index.js';
import type { RealtimeToolRegistration } from '../../src/manager/index.js';
import type {} from '../../src/frameworks/react.js';

const tools: RealtimeToolRegistration[] = [
  {
    definition: { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } },
    handler: () => ({ forecast: 'sunny' }),
  },
];

export function Session() {
  const session = useRef<CharivoRealtime>(null);
  const transcript = useRef<CharivoTranscript>(null);
  return (
    <charivo-realtime
      ref={session}
      id="session"
      className="voice"
      endpoint="/api/realtime"
      push-to-talk
      pushToTalk={false}
      muted={false}
      tools={tools}
      character={{ name: 'Ada' }}
      sessionConfig={{ voice: 'marin' }}
      oncharivo-tool-call={(event) => {
        const name: string = event.detail.name;
        const callId: string = event.detail.callId;
        void [name, callId];
      }}
      oncharivo-error={(event) => void event.detail.code.toUpperCase()}
      oncharivo-avatar-ready={(event) => void event.detail.renderer}
      oncharivo-assistant-delta={(event) => void event.detail.delta.length}
    >
      <charivo-avatar avatar-tools expression="happy" htmlFor="session" oncharivo-avatar-ready={(e) => void e.detail.renderer} />
      <charivo-transcript ref={transcript} max-turns={50} user-label="Me" maxTurns={50} />
      <charivo-mic-meter for="session" orientation="vertical" bars={12} />
      <charivo-controls hide="text" talk-key="Space" placeholder="Say something" />
      <p slot="footer">Any children</p>
    </charivo-realtime>
  );
}

export function Mistakes() {
  return (
    <>
      {/* @ts-expect-error tools is an array of registrations, not a string */}
      <charivo-realtime tools="get_weather" />
      {/* @ts-expect-error no such attribute or property */}
      <charivo-realtime voices="marin" />
      {/* @ts-expect-error React 19 needs the event's own name: onCharivoToolCall is not a listener */}
      <charivo-realtime onCharivoToolCall={() => {}} />
      {/* @ts-expect-error the detail of charivo-tool-call has no `result` */}
      <charivo-realtime oncharivo-tool-call={(event) => event.detail.result} />
      {/* @ts-expect-error orientation is 'horizontal' | 'vertical' */}
      <charivo-mic-meter orientation="diagonal" />
      {/* Not caught, by a rule of TypeScript's JSX: an unknown attribute name with a hyphen is allowed, so a
          misspelt `oncharivo-…` or `push-to-talk` passes; a known one has its value checked (above). */}
      <charivo-mic-meter oncharivo-tool-call={() => {}} />
    </>
  );
}
