// Gives a forked Node child the shape of an Electron utilityProcess: `process.parentPort` with
// `on('message', e => e.data)` and `postMessage`, so the inference entry's Electron transport runs
// for real in a test (Electron's binary cannot run here). The fork IPC channel carries the bytes.
const { EventEmitter } = require('node:events');
const port = new EventEmitter();
process.on('message', (data) => port.emit('message', { data }));
port.postMessage = (msg) => process.send(msg);
process.parentPort = port;
