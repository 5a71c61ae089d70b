// What the embedded emulator says in the demo (when the server has no OPENAI_API_KEY): the page's
// suggestions are plain requests ("Could you smile for me?"), and these rules make the scripted
// assistant act on them the way the model would, by calling the tool, so the demo shows tool calls
// without anyone typing the emulator's `call …` syntax. Used by demo/vite.config.ts and by the
// browser test of the demo page.
import type { EmulatorScenario, EmulatorTurn } from '../src/emulator/index.js';

/** The first tool result of a turn, parsed (the page's handlers return JSON objects). */
function result(turn: EmulatorTurn): Record<string, unknown> {
  try {
    const parsed = JSON.parse(turn.toolOutputs[0]?.output ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Also the module's default export: the emulator's child process loads it from here (`scenarioModule`). */
export const demoScenario: EmulatorScenario = {
  rules: [
    {
      match: /\bwho are you\b/i,
      say: "I'm Hiyori, a stand-in for the model: without an OpenAI key this page talks to the local emulator, whose replies are scripted. Press Start and talk to me, or try another suggestion.",
    },
    {
      match: /\bsmile\b/i,
      toolCalls: [{ name: 'setExpression', arguments: { expressionId: 'smile' } }],
      say: 'There you go, a smile for you!',
    },
    {
      match: /\bnod\b/i,
      toolCalls: [{ name: 'playMotion', arguments: { motionId: 'nod' } }],
      say: 'Nodding along.',
    },
    {
      match: /\broll\b.*\bdie\b|\bdice\b/i,
      toolCalls: [{ name: 'rollDice', arguments: { sides: 20 } }],
      say: (turn) => `You rolled a ${String(result(turn).result ?? '?')} on a ${String(result(turn).sides ?? 20)}-sided die.`,
    },
    {
      match: /\bwhat time\b/i,
      toolCalls: [{ name: 'getLocalTime', arguments: {} }],
      say: (turn) => `It is ${String(result(turn).time ?? 'a mystery')} where you are.`,
    },
  ],
};

export default demoScenario;
