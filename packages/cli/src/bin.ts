#!/usr/bin/env node
import { useNodeCrypto } from '@kyso/core/node';
import { runCli } from './cli.js';

// In Node, node:crypto verifies certificate and CRL signatures several times faster than WebCrypto.
useNodeCrypto();
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
