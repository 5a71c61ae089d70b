import { expect } from '@open-wc/testing';
import type { CharivoRealtime } from '../../../src/elements/index.js';
import {
  createSeen,
  expectChildEvent,
  expectProperties,
  expectStopsWhenRemoved,
  expectToolRoundTrip,
  handlers,
  runToolCall,
  weatherTools,
} from './harness.js';
import { loadReact, type ReactModules } from './react-cjs.js';

describe('React 19 with the tags', () => {
  let react: ReactModules;
  before(async () => {
    react = await loadReact();
    expect(react.React.version).to.match(/^19\./);
  });

  function render(element: ReturnType<ReactModules['React']['createElement']>) {
    const { ReactDOM, ReactDOMClient } = react;
    const container = document.createElement('div');
    document.body.append(container);
    const root = ReactDOMClient.createRoot(container);
    ReactDOM.flushSync(() => root.render(element));
    return {
      container,
      rerender: (next: typeof element) => ReactDOM.flushSync(() => root.render(next)),
      unmount: () => {
        root.unmount();
        container.remove();
      },
    };
  }

  it('tools as a property, oncharivo-tool-call, a child event, and unmount stops the session', async () => {
    const { React } = react;
    const seen = createSeen();
    const tools = weatherTools(seen);
    const ref = React.createRef<CharivoRealtime>();
    const { onToolCall, onChildEvent } = handlers(seen);
    const { unmount } = render(
      React.createElement(
        'charivo-realtime',
        { ref, tools, pushToTalk: false, 'oncharivo-tool-call': onToolCall, 'oncharivo-avatar-ready': onChildEvent },
        React.createElement('charivo-avatar'),
        React.createElement('charivo-transcript'),
      ),
    );
    const el = ref.current!;
    expect(el.localName).to.equal('charivo-realtime');
    expectProperties(el, tools);
    await expectChildEvent(el, seen);
    const transport = await runToolCall(el);
    expectToolRoundTrip(el, transport, seen);
    await expectStopsWhenRemoved(el, transport, unmount);
  });

  it('camelCase onCharivoToolCall is not a listener (React 19 uses the event name as written after "on")', async () => {
    const { React } = react;
    const seen = createSeen();
    const calls: Event[] = [];
    const ref = React.createRef<CharivoRealtime>();
    const { unmount } = render(
      React.createElement('charivo-realtime', { ref, tools: weatherTools(seen), onCharivoToolCall: (e: Event) => calls.push(e) }),
    );
    const transport = await runToolCall(ref.current!);
    expect(seen.handled).to.deep.equal(['Lyon']);
    expect(calls).to.have.length(0);
    await expectStopsWhenRemoved(ref.current!, transport, unmount);
  });

  it('booleans: pushToTalk and push-to-talk both work, false included (React removes a false attribute)', () => {
    const { React } = react;
    const tree = (flag: boolean) =>
      React.createElement(
        React.Fragment,
        null,
        React.createElement('charivo-realtime', { id: 'by-property', pushToTalk: flag }),
        React.createElement('charivo-realtime', { id: 'by-attribute', 'push-to-talk': flag }),
      );
    const { container, rerender, unmount } = render(tree(false));
    const [byProperty, byAttribute] = [...container.querySelectorAll('charivo-realtime')];
    expect(byProperty!.pushToTalk).to.equal(false);
    expect(byAttribute!.hasAttribute('push-to-talk')).to.equal(false);
    rerender(tree(true));
    expect(byProperty!.pushToTalk).to.equal(true);
    expect(byAttribute!.getAttribute('push-to-talk')).to.equal('');
    rerender(tree(false));
    expect(byAttribute!.hasAttribute('push-to-talk')).to.equal(false);
    unmount();
  });
});
