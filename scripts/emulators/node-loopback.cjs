// Preloaded (NODE_OPTIONS=--require) into the Node helpers LocalStack starts, such as
// kinesis-mock, which binds 0.0.0.0 with no option to change it. Every TCP server that would
// listen on all interfaces listens on 127.0.0.1 instead; Unix sockets and explicit hosts other
// than 0.0.0.0 and :: are left alone.
'use strict';

const net = require('net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;
const wide = (host) => host === undefined || host === null || host === '' || host === '0.0.0.0' || host === '::';
const isPort = (value) => typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));

net.Server.prototype.listen = function loopbackListen(...args) {
  const first = args[0];
  if (args.length === 0 || first === undefined || typeof first === 'function') {
    // listen() or listen(callback): a random port on all interfaces.
    args.splice(0, first === undefined && args.length > 0 ? 1 : 0, 0, LOOPBACK);
  } else if (isPort(first)) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === 'string') {
      if (wide(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (first !== null && typeof first === 'object' && first.path === undefined && first.fd === undefined
             && first._handle === undefined && first.handle === undefined && wide(first.host)) {
    // listen(options[, callback])
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
