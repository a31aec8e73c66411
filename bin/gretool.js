#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli (built to dist/src/cli).
import { main } from '../dist/src/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
