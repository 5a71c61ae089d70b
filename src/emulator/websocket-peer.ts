import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SessionChannel } from './channels.js';
import { MAX_CLIENT_FRAME, type EmulatorSession } from './session.js';

/** The key a browser passes as a subprotocol, since it cannot set an Authorization header. */
const KEY_PROTOCOL_PREFIX = 'openai-insecure-api-key.';

/** Reads the credential of a WebSocket upgrade: `Authorization: Bearer` or the key subprotocol. */
export function websocketKey(req: IncomingMessage): string | undefined {
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (auth) return auth;
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return protocols.find((p) => p.startsWith(KEY_PROTOCOL_PREFIX))?.slice(KEY_PROTOCOL_PREFIX.length) || undefined;
}

/**
 * Accepts WebSocket upgrades for sessions. The server selects the `realtime` subprotocol when the
 * client offers it: a browser that offered protocols fails the handshake if none is selected.
 */
export class WebSocketPeers {
  readonly #server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_FRAME,
    handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
  });

  /** Completes the upgrade and runs `session` over the socket. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, session: EmulatorSession): void {
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#run(ws, session));
  }

  /**
   * Completes the upgrade of a server-side control connection and joins it to `session` (a live
   * WebRTC call). Closing it leaves the call running; the call ending closes it (code 1000).
   */
  acceptSideband(req: IncomingMessage, socket: Duplex, head: Buffer, session: EmulatorSession): void {
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      const channel: SessionChannel = {
        get open() {
          return ws.readyState === ws.OPEN;
        },
        send: (text) => ws.send(text),
        drop: () => ws.close(1000, 'call ended'),
      };
      const handle = session.attachSideband(channel);
      ws.on('message', (data) => handle.receive(frameText(data)));
      ws.on('close', () => handle.detach());
      ws.on('error', () => handle.detach());
    });
  }

  /** Terminates every socket (emulator shutdown). */
  close(): void {
    for (const ws of this.#server.clients) ws.terminate();
    this.#server.close();
  }

  #run(ws: WebSocket, session: EmulatorSession): void {
    const channel: SessionChannel = {
      get open() {
        return ws.readyState === ws.OPEN;
      },
      send: (text) => ws.send(text),
      // terminate(), not close(): a drop fault should look like a lost connection (code 1006).
      drop: () => ws.terminate(),
      // A close frame with the code and reason (the session cap: 1001, "going away").
      close: (code, reason) => ws.close(code, reason.slice(0, 120)),
    };
    ws.on('message', (data) => session.receive(frameText(data)));
    ws.on('close', () => session.close('socket closed'));
    ws.on('error', () => session.close('socket error'));
    session.attach(channel);
  }
}

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
}
