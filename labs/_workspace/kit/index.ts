export { onCleanup } from './cleanup.ts';
export { listen, closeServer, closedPort } from './net.ts';
export { request, startUpstream, type Sent, type Received, type Recorded, type Upstream } from './http.ts';
export { randomInt, randomWord, randomPath, randomBytes, pick, shuffle } from './random.ts';
export { showRequest, showBytes, preview, exchange } from './explain.ts';
export { waitFor, nextEvent } from './wait.ts';
