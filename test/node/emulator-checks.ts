// What the emulator process tests check from outside: whether a process lives, and whether an emulator
// answers with a given key.

/** Whether a process is still alive (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Mints a client secret at `url` with `apiKey`; resolves with the status (200: it answers, and knows the key). */
export async function mint(url: string, apiKey: string): Promise<number> {
  const response = await fetch(`${url}/v1/realtime/client_secrets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ session: { type: 'realtime', model: 'gpt-realtime' } }),
  });
  await response.arrayBuffer();
  return response.status;
}
