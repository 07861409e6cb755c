#!/usr/bin/env node
// The `pxl` command: runs the compiled CLI from dist/.
import '../dist/prover/src/cli/pxl.js';
