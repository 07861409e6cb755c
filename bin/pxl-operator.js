#!/usr/bin/env node
// The `pxl-operator` command: runs the compiled operator from dist/.
import '../dist/operator/src/main.js';
