/**
 * Session instructions that tell the model what its avatar can do and how to act with it.
 * @packageDocumentation
 */
import { hasGaze, listMotions, type AvatarCatalog } from './catalog.js';
import { resolveToolNames, type AvatarToolNames } from './effects.js';

/**
 * Describes the catalog to the model and sets the acting rules: use the tools sparingly, in step with
 * the words, never narrate them. Append it to the session instructions. Returns `''` for an empty
 * catalog (no tools would be registered).
 */
export function buildAvatarControlInstructions(
  catalog: AvatarCatalog,
  options: { names?: Partial<AvatarToolNames> } = {},
): string {
  const names = resolveToolNames(options.names);
  const expressions = [...new Set(catalog.expressions)];
  const motions = listMotions(catalog);
  const gaze = hasGaze(catalog);
  const lines: string[] = [];
  if (expressions.length > 0) {
    lines.push(`- ${names.expression}: expressions ${expressions.join(', ')}. An expression stays until you change it.`);
  }
  if (motions.length > 0) {
    const listed = motions.map((motion) => (motion.count > 1 ? `${motion.id} (index 0-${motion.count - 1})` : motion.id));
    lines.push(`- ${names.motion}: motions ${listed.join(', ')}. Each plays once.`);
  }
  if (gaze) lines.push(`- ${names.gaze}: x and y from -1 to 1; (0, 0) looks at the user.`);
  if (lines.length === 0) return '';
  return [
    'You have a visible animated avatar that you control with tools:',
    ...lines,
    'Use them sparingly, only when your feeling or focus changes, and in step with what you are saying: call the tool as you start the sentence it belongs to.',
    'Never mention the tools or describe your own expressions or movements aloud. Go back to a calm expression when the moment has passed.',
  ].join('\n');
}
