/**
 * Remembering the chosen devices across visits in `localStorage`, under a key the page picks. Each
 * device is kept with its label: browsers rotate device ids (after cookies are cleared, in private
 * windows), and the label finds the same device again. What is read back is untrusted (any script of
 * the origin can write there) and is parsed before use; storage that throws (private modes,
 * sandboxed frames, a full quota) behaves as empty.
 * @packageDocumentation
 */
/** One remembered device. */
export interface RememberedDevice {
  deviceId: string;
  label: string;
}

/** What is remembered, by kind. */
export interface RememberedDevices {
  input?: RememberedDevice;
  output?: RememberedDevice;
}

/** The default key; a page with several independent sessions gives each its own. */
export const DEFAULT_DEVICES_KEY = 'charivo-elements:devices';

/** Longest id or label accepted back from storage. */
const MAX_FIELD = 512;

export class DeviceMemory {
  constructor(
    private readonly key: string,
    private readonly storage: () => Storage | undefined = defaultStorage,
  ) {}

  read(): RememberedDevices {
    let text: string | null | undefined;
    try {
      text = this.storage()?.getItem(this.key);
    } catch {
      return {};
    }
    if (!text) return {};
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return {};
    }
    if (!isRecord(value) || value.version !== 1) return {};
    const input = readDevice(value.input);
    const output = readDevice(value.output);
    return { ...(input ? { input } : {}), ...(output ? { output } : {}) };
  }

  write(devices: RememberedDevices): void {
    try {
      const storage = this.storage();
      if (!storage) return;
      if (!devices.input && !devices.output) storage.removeItem(this.key);
      else storage.setItem(this.key, JSON.stringify({ version: 1, ...devices }));
    } catch {
      // Storage refused (quota, privacy mode): the choice holds for this page only.
    }
  }
}

// Checked by hand rather than with zod: two string fields do not justify zod in the elements' first load.
function readDevice(value: unknown): RememberedDevice | undefined {
  if (!isRecord(value)) return undefined;
  const { deviceId, label } = value;
  if (typeof deviceId !== 'string' || deviceId.length === 0 || deviceId.length > MAX_FIELD) return undefined;
  if (typeof label !== 'string' || label.length > MAX_FIELD) return undefined;
  return { deviceId, label };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defaultStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    // Reading `localStorage` itself throws where storage is blocked.
    return undefined;
  }
}
