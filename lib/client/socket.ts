// The browser's one socket.io connection to Brokerlab, typed by the shared event contract.
// Created on first use in the browser only; a token in the page URL (?token=) is passed along.
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../events";

export type BrokerlabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: BrokerlabSocket | undefined;

export function getSocket(): BrokerlabSocket {
  socket ??= io({
    // Usually the server has already moved the token into a cookie, which the handshake carries.
    auth: (send) => {
      const token = new URLSearchParams(window.location.search).get("token");
      send(token ? { token } : {});
    },
  });
  return socket;
}
