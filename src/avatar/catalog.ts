/**
 * What an avatar can show: its expressions, its motions (with how many variants each has) and whether
 * it can move its gaze. Tools, instructions and renderers all read the same catalog so they agree.
 * @packageDocumentation
 */

/**
 * An avatar's repertoire. `motions` takes Charivo's shape, a map from motion group to its number of
 * variants (`{ Idle: 2, TapBody: 3 }`), or a plain list of ids (one variant each).
 */
export interface AvatarCatalog {
  expressions: string[];
  motions: Record<string, number> | string[];
  /** Whether the avatar can look around (default true). */
  gaze?: boolean;
}

/** One motion of a catalog with its number of variants (at least 1). */
export interface AvatarMotionEntry {
  id: string;
  count: number;
}

/** The catalog's motions as `{ id, count }` entries, in declaration order, with counts of at least 1. */
export function listMotions(catalog: AvatarCatalog): AvatarMotionEntry[] {
  if (Array.isArray(catalog.motions)) return [...new Set(catalog.motions)].map((id) => ({ id, count: 1 }));
  return Object.entries(catalog.motions).map(([id, count]) => ({
    id,
    count: Number.isFinite(count) && count >= 1 ? Math.floor(count) : 1,
  }));
}

/** How many variants `motionId` has in `catalog` (0 when it is not there). */
export function motionCount(catalog: AvatarCatalog, motionId: string): number {
  return listMotions(catalog).find((entry) => entry.id === motionId)?.count ?? 0;
}

/** Whether the catalog offers gaze (it does unless `gaze` is `false`). */
export function hasGaze(catalog: AvatarCatalog): boolean {
  return catalog.gaze !== false;
}

/** Clamps a gaze coordinate to [-1, 1]; anything not finite counts as 0 (centre). */
export function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(-1, value)) : 0;
}
