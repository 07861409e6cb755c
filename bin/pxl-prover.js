#!/usr/bin/env node
// The `pxl-prover` command: runs the compiled prover service from dist/.
import '../dist/prover/src/main.js';
