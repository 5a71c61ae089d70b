// Bootstraps the example as a whole application (`ng new`'s src/main.ts, replaced).
import { bootstrapApplication } from '@angular/platform-browser';
import { CharivoVoiceComponent } from './charivo-voice.component';

bootstrapApplication(CharivoVoiceComponent).catch((error: unknown) => console.error(error));
