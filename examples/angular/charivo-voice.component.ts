// A standalone Angular component (Angular 17+) around the charivo-elements tags. Not built in this repository:
// Angular is not one of its dependencies. docs/frameworks.md ("Angular") says how to try it in an Angular
// app, and test/node/manifest.test.ts checks that every attribute, property and event this template uses
// is one custom-elements.json documents.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, signal, viewChild } from '@angular/core';
// Defines the tags (guarded: importing twice is harmless). Must run before Angular renders the template,
// so that [tools] and the other property bindings land on upgraded elements.
import 'charivo-elements/elements';
import type { CharivoEventMap, CharivoRealtime } from 'charivo-elements/elements';
import type { RealtimeToolRegistration } from 'charivo-elements/manager';

@Component({
  selector: 'app-charivo-voice',
  standalone: true,
  // Lets Angular accept the unknown <charivo-*> tags, their attributes, [property] and (event) bindings.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <charivo-realtime
      #session
      endpoint="/api/realtime"
      voice="marin"
      [tools]="tools"
      [character]="character"
      [pushToTalk]="pushToTalk()"
      (charivo-tool-call)="onToolCall($event)"
      (charivo-error)="onError($event)"
      (charivo-session-end)="lastCall.set('')"
    >
      <charivo-avatar avatar-tools></charivo-avatar>
      <charivo-transcript max-turns="100" assistant-label="Ada"></charivo-transcript>
      <charivo-mic-meter bars="12"></charivo-mic-meter>
      <charivo-controls talk-key="Space"></charivo-controls>
      <charivo-device-picker></charivo-device-picker>
    </charivo-realtime>

    <label><input type="checkbox" [checked]="pushToTalk()" (change)="pushToTalk.set(!pushToTalk())" /> Push to talk</label>
    <button type="button" (click)="start()">Start from code</button>
    <p role="status">{{ lastCall() || 'No tool call yet' }} {{ error() }}</p>
  `,
})
export class CharivoVoiceComponent {
  private readonly session = viewChild.required<ElementRef<CharivoRealtime>>('session');

  readonly pushToTalk = signal(false);
  readonly lastCall = signal('');
  readonly error = signal('');

  /** Rich data goes in as a property: `[tools]` sets `element.tools`, never an attribute. */
  readonly tools: RealtimeToolRegistration[] = [
    {
      definition: {
        type: 'function',
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      handler: async ({ city }: { city: string }) => ({ city, forecast: 'sunny', celsius: 21 }),
    },
  ];

  readonly character = { name: 'Ada', personality: 'Warm and brief.' };

  // The handlers take `Event` and name the kit's event type inside: this compiles whether your Angular
  // version types a DOM `$event` from the element's event map (the kit declares its events there) or as Event.
  onToolCall(event: Event): void {
    const { detail } = event as CharivoEventMap['charivo-tool-call'];
    this.lastCall.set(`${detail.name}(${JSON.stringify(detail.args)})`);
  }

  onError(event: Event): void {
    const { detail } = event as CharivoEventMap['charivo-error'];
    this.error.set(`${detail.code}: ${detail.message}`);
  }

  /** Methods are reached through the element: call start() from a click so audio may play. */
  start(): void {
    void this.session().nativeElement.start();
  }
}
